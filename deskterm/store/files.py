"""The store file itself: refusing foreign or too-new files, creating and upgrading it.

Plain sqlite3 only, so the workspace can open a store before SQLAlchemy has loaded.

A store holds customers' data and agents' private moods, so its files are the owner's
alone (mode 0600): see `make_private`.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from pathlib import Path

from deskterm.domain.errors import DeskError
from deskterm.i18n import _
from deskterm.store.migrations import StoreTooNew, migrate, schema_version

BUSY_TIMEOUT_MS = 5000
#: The mode of every database file we make: read and write for its owner only.
PRIVATE_MODE = 0o600
#: The files SQLite keeps beside a database.
SIDE_FILES = ("-wal", "-shm", "-journal")


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
            raise StoreError(_("no store at {path}; run `deskterm demo` or give --db").format(
                path=path))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(_("cannot create {path}: {error}").format(
                path=path.parent, error=error.strerror)) from None
    _refuse_read_only(path)
    try:
        make_private(path)
    except OSError as error:
        raise StoreError(_("cannot create {path}: {error}").format(
            path=path, error=error.strerror)) from None
    try:
        connection = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as error:
        raise StoreError(_("cannot open store {path}: {error}").format(
            path=path, error=error)) from None
    # Everything that may refuse the file runs before anything writes to it, and each
    # upgrade step is one transaction, so a refused or failed open leaves the file as it was.
    try:
        try:
            _refuse_foreign(connection, path)
        except sqlite3.DatabaseError as error:
            if is_damage(error) and "not a database" not in str(error):
                raise damaged(path, error, saved=False) from None
            raise StoreError(_("{path} is not a deskterm store ({error})").format(
                path=path, error=error)) from None
        try:
            migrate(connection)
        except StoreTooNew as error:
            raise StoreError(_("{path}: {error}; upgrade deskterm").format(
                path=path, error=error)) from None
        except sqlite3.DatabaseError as error:
            raise StoreError(_("cannot upgrade {path} ({error}); the file was left as it was"
                               ).format(path=path, error=error)) from None
        mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise StoreError(_("cannot switch {path} to WAL mode (got {mode})").format(
                path=path, mode=mode))
    except sqlite3.DatabaseError as error:
        raise StoreError(_("cannot open store {path}: {error}").format(
            path=path, error=error)) from None
    finally:
        connection.close()
    return path


def _refuse_read_only(path: Path) -> None:
    """A store must be writable, and so must its folder (SQLite keeps its -wal and -shm
    files beside it): say so plainly rather than fail on the first write."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.exists() and not os.access(path, os.W_OK):
        raise StoreError(_("{path} is on read-only storage, or the store is not writable for "
                           "you: deskterm writes to its store (copy it somewhere writable)"
                           ).format(path=path))
    if folder.exists() and not os.access(folder, os.W_OK):
        raise StoreError(_("{path} is on read-only storage, or its folder is not writable for "
                           "you: deskterm writes to its store (copy it somewhere writable)"
                           ).format(path=path))


DAMAGE = ("malformed", "not a database", "disk image", "corrupt")


def is_damage(error: BaseException) -> bool:
    """Whether an SQLite error says the store file itself is damaged."""
    cause = getattr(error, "orig", None) or error
    return isinstance(cause, sqlite3.DatabaseError) and \
        any(word in str(cause).lower() for word in DAMAGE)


class StoreDamaged(StoreError):
    """The store file is damaged: some page of it cannot be read."""


def damaged(path: Path | str, error: BaseException, *, saved: bool) -> StoreDamaged:
    """The one message for a damaged store, saying whether the change asked for was saved
    (a write commits whole or not at all: it was saved only if it committed)."""
    cause = getattr(error, "orig", None) or error
    if saved:
        message = _("the store {path} is damaged ({cause}); what you asked WAS saved before "
                    "the damage showed: do not do it again. Restore it from a backup, or log "
                    "in with a new store (deskterm --db NEW.db login) and sync: the desk's "
                    "data comes back from the server")
    else:
        message = _("the store {path} is damaged ({cause}); nothing was saved. Restore it "
                    "from a backup, or log in with a new store (deskterm --db NEW.db login) "
                    "and sync: the desk's data comes back from the server")
    return StoreDamaged(message.format(path=path, cause=cause))


def _refuse_foreign(connection: sqlite3.Connection, path: Path) -> None:
    """Refuse another program's SQLite database instead of adding our tables to it.

    A deskterm store always has a schema version; version 0 with tables in it is not ours.
    Reading the header also raises sqlite3.DatabaseError for a file that is no database.
    """
    if schema_version(connection) == 0 and connection.execute(
        "SELECT count(*) FROM sqlite_master"
    ).fetchone()[0]:
        raise StoreError(_("{path} is not a deskterm store (it is another program's "
                           "database); give a new file name").format(path=path))


def make_private(path: Path | str) -> None:
    """Make the database file `path` (and its -wal and -shm) readable by its owner only.

    A missing file is created empty with mode 0600 before SQLite opens it, because
    SQLite gives the -wal, -shm and -journal files it makes the main file's mode. An
    existing file of ours that its group or others may read, and its side files, lose
    those permissions. Someone else's file is left as it is (it is not ours to change).
    Raises OSError when the file cannot be created.
    """
    path = Path(path)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE))
    for each in (path, *(path.with_name(path.name + side) for side in SIDE_FILES)):
        try:
            found = os.stat(each)
        except OSError:
            continue
        if not found.st_mode & 0o077 or not _ours(found):
            continue
        with contextlib.suppress(OSError):  # ours but not changeable: still usable
            os.chmod(each, stat.S_IMODE(found.st_mode) & ~0o077)


def _ours(found: os.stat_result) -> bool:
    getuid = getattr(os, "getuid", None)  # not on Windows, where modes mean little
    return getuid is not None and found.st_uid == getuid()
