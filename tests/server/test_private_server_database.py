"""Issue 9, "files anyone can read": the server's SQLite database is its owner's alone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from deskterm.server.accounts import add_user
from deskterm.server.database import Database
from tests.conftest import database_file_modes

pytestmark = pytest.mark.usefixtures("usual_umask")


def test_files_anyone_can_read_the_server_database_its_wal_and_shm_are_private(
        tmp_path: Path) -> None:
    path = tmp_path / "server" / "server.db"
    db = Database(f"sqlite:///{path}")
    try:
        add_user(db, "alex", role="agent", team="Desk North")
        assert database_file_modes(path) == {"db": 0o600, "wal": 0o600, "shm": 0o600}
    finally:
        db.dispose()


def test_files_anyone_can_read_an_existing_readable_server_database_is_tightened(
        tmp_path: Path) -> None:
    path = tmp_path / "server.db"
    Database(f"sqlite:///{path}").dispose()
    os.chmod(path, 0o644)
    db = Database(f"sqlite:///{path}")
    try:
        add_user(db, "alex", role="agent", team=None)
        assert database_file_modes(path) == {"db": 0o600, "wal": 0o600, "shm": 0o600}
    finally:
        db.dispose()
