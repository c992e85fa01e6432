"""Issue 10, finding 6: a damaged store, a store on read-only storage, a word that is not
UTF-8. Each is one line that says what is wrong, never "internal error", and says
whether anything was saved, so nobody spends twice by trying again."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from deskterm.domain.money import Money
from deskterm.services import goodwill
from tests.cli.conftest import Cli
from tests.conftest import Desk


def _page_of(db: Path, table: str) -> int:
    with closing(sqlite3.connect(db)) as connection:
        return int(connection.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                                      (table,)).fetchone()[0])


def _damage(db: Path, page: int) -> None:
    """One page of garbage, as a failing disk leaves it."""
    with closing(sqlite3.connect(db)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = connection.execute("PRAGMA page_size").fetchone()[0]
    with db.open("r+b") as handle:
        handle.seek((page - 1) * size)
        handle.write(b"\xde\xad" * (size // 2))


def _spends(db: Path) -> int:
    with closing(sqlite3.connect(db)) as connection:
        return int(connection.execute(
            "SELECT count(*) FROM goodwill_entry WHERE kind = 'spend'").fetchone()[0])


def test_6_a_damaged_store_says_so_and_that_nothing_was_saved(cli: Cli, desk: Desk) -> None:
    goodwill.allocate(desk.lead, "alex", Money(5000))
    db = Path(desk.store.path)
    desk.store.close()
    _damage(db, _page_of(db, "outbox"))
    result = cli("goodwill", "spend", "5", "--reason", "flowers", "--customer",
                 "jo@example.com")
    result.refused(1, "is damaged", "nothing was saved", "deskterm --db NEW.db login")
    assert "internal error" not in result.err
    assert _spends(db) == 0


def test_6_a_store_on_read_only_storage_says_so(run_cli: Cli, desk: Desk,
                                                tmp_path: Path) -> None:
    db = Path(desk.store.path)
    desk.store.close()
    folder = tmp_path / "readonly"
    folder.mkdir()
    (folder / "desk.db").write_bytes(db.read_bytes())
    folder.chmod(0o500)
    (folder / "desk.db").chmod(0o400)
    try:
        if os.access(folder / "desk.db", os.W_OK):
            pytest.skip("running as a user no file mode stops (root): see the mount test")
        run_cli("--db", str(folder / "desk.db"), "--as", "alex", "ticket", "list").refused(
            1, "read-only storage")
    finally:
        folder.chmod(0o700)


def test_6_a_store_on_a_read_only_mount_says_so(run_cli: Cli, desk: Desk,
                                                tmp_path: Path) -> None:
    """A read-only file system, as a root user meets it (file modes do not stop root)."""
    mount = tmp_path / "mount"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "none", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.skip("this machine does not let the tests mount a file system")
    try:
        db = Path(desk.store.path)
        desk.store.close()
        (mount / "desk.db").write_bytes(db.read_bytes())
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        result = run_cli("--db", str(mount / "desk.db"), "--as", "alex", "ticket", "list")
        result.refused(1, "read-only storage")
        assert "not a deskterm store" not in result.err
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


def test_6_an_argument_that_is_not_utf8_is_a_usage_error(cli: Cli, desk: Desk) -> None:
    name = b"\xff\xfeJo".decode("utf-8", "surrogateescape")  # as Python reads such bytes
    result = cli("customer", "new", "--name", name)
    result.refused(2, "is not valid UTF-8 text")
    assert "internal error" not in result.err
