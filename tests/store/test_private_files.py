"""Issue 9, "files anyone can read": stores and the config file are their owner's alone.

A store holds customers' data and agents' private moods; the config file holds the
server token. Each is checked under the common umask 022, which would otherwise leave
them (and SQLite's -wal and -shm files, which copy the main file's mode) at 0644.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from deskterm.config import save_settings
from deskterm.services import org
from deskterm.store import open_store
from tests.conftest import database_file_modes

pytestmark = pytest.mark.usefixtures("usual_umask")


def test_files_anyone_can_read_a_new_store_its_wal_and_shm_are_private(tmp_path: Path) -> None:
    path = tmp_path / "alex.db"
    store = open_store(path)
    try:
        org.add_agent(None, store, handle="alex", name="Alex Agent", team="Desk North")
        assert database_file_modes(path) == {"db": 0o600, "wal": 0o600, "shm": 0o600}
    finally:
        store.close()


def test_files_anyone_can_read_an_existing_readable_store_is_tightened(
        tmp_path: Path) -> None:
    path = tmp_path / "alex.db"
    open_store(path).close()
    os.chmod(path, 0o644)  # as every store made before this fix
    store = open_store(path, create=False)
    try:
        org.add_agent(None, store, handle="alex", name="Alex Agent")
        assert database_file_modes(path) == {"db": 0o600, "wal": 0o600, "shm": 0o600}
    finally:
        store.close()


def test_files_anyone_can_read_the_config_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "config" / "config.toml"
    path.parent.mkdir()
    path.write_text('theme = "nord"\n')
    os.chmod(path, 0o644)
    (path.parent / "config.tmp").write_text("")  # an older deskterm's leftover, 0644
    save_settings({"server": "http://127.0.0.1:8765", "token": "dkt_secret"}, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert 'token = "dkt_secret"' in path.read_text() and 'theme = "nord"' in path.read_text()
    leftovers = [p.name for p in path.parent.iterdir() if p.name != "config.tmp"]
    assert leftovers == ["config.toml"]
