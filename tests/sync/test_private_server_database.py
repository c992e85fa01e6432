"""Issue 9, "files anyone can read": the server's SQLite database is its owner's alone."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from deskterm.server.accounts import add_user
from deskterm.server.database import Database


@pytest.fixture(autouse=True)
def _usual_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _modes(path: Path) -> dict[str, int]:
    return {name: stat.S_IMODE(os.stat(f"{path}{suffix}").st_mode)
            for name, suffix in (("db", ""), ("wal", "-wal"), ("shm", "-shm"))}


def test_files_anyone_can_read_the_server_database_its_wal_and_shm_are_private(
        tmp_path: Path) -> None:
    path = tmp_path / "server" / "server.db"
    db = Database(f"sqlite:///{path}")
    try:
        add_user(db, "alex", role="agent", team="Desk North")
        assert _modes(path) == {"db": 0o600, "wal": 0o600, "shm": 0o600}
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
        assert _modes(path) == {"db": 0o600, "wal": 0o600, "shm": 0o600}
    finally:
        db.dispose()
