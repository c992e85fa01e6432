"""The store file itself: refusing foreign or too-new files, creating and upgrading it.

Plain sqlite3 only, so the workspace can open a store before SQLAlchemy has loaded.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from deskterm.domain.errors import DeskError
from deskterm.store.migrations import StoreTooNew, migrate, schema_version

BUSY_TIMEOUT_MS = 5000


class StoreError(DeskError):
    """The store file cannot be opened or upgraded."""

    code = "store"


def prepare_store(path: Path | str, *, create: bool = True) -> Path:
    """Check, create or upgrade the store file at `path`; returns its path.

    Raises StoreError with a message a person understands when the file is missing
    (and `create` is false), is not a deskterm store, or is newer than this program.
    """
    path = Path(path).expanduser()
    if not path.exists():
        if not create:
            raise StoreError(f"no store at {path}; run `deskterm demo` or give --db")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"cannot create {path.parent}: {error.strerror}") from None
    try:
        connection = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as error:
        raise StoreError(f"cannot open store {path}: {error}") from None
    # Everything that may refuse the file runs before anything writes to it, and each
    # upgrade step is one transaction, so a refused or failed open leaves the file as it was.
    try:
        try:
            _refuse_foreign(connection, path)
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{path} is not a deskterm store ({error})") from None
        try:
            migrate(connection)
        except StoreTooNew as error:
            raise StoreError(f"{path}: {error}; upgrade deskterm") from None
        except sqlite3.DatabaseError as error:
            raise StoreError(
                f"cannot upgrade {path} ({error}); the file was left as it was"
            ) from None
        mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise StoreError(f"cannot switch {path} to WAL mode (got {mode})")
    except sqlite3.DatabaseError as error:
        raise StoreError(f"cannot open store {path}: {error}") from None
    finally:
        connection.close()
    return path


def _refuse_foreign(connection: sqlite3.Connection, path: Path) -> None:
    """Refuse another program's SQLite database instead of adding our tables to it.

    A deskterm store always has a schema version; version 0 with tables in it is not ours.
    Reading the header also raises sqlite3.DatabaseError for a file that is no database.
    """
    if schema_version(connection) == 0 and connection.execute(
        "SELECT count(*) FROM sqlite_master"
    ).fetchone()[0]:
        raise StoreError(
            f"{path} is not a deskterm store (it is another program's database); "
            "give a new file name"
        )
