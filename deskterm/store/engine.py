"""The SQLite engine: pragmas, explicit transactions, and the Store that services write through."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# The SQLite dialect create_engine loads: imported with this module, so that loading it
# (ui.stack, one thread at a time) leaves nothing of SQLAlchemy for two threads to import.
import sqlalchemy.dialects.sqlite.pysqlite  # noqa: F401
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool
from sqlmodel import Session

from deskterm.i18n import _
from deskterm.store.files import BUSY_TIMEOUT_MS, StoreError, make_private, prepare_store
from deskterm.store.fold import register_functions


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Autocommit at the driver level: we issue BEGIN ourselves (see _on_begin), so a
    # write transaction takes the write lock up front instead of failing half-way.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA cache_size = -16000")  # 16 MB of page cache per connection
    cursor.close()
    register_functions(dbapi_connection)  # the queue's text index calls them (store.fold)


def _on_begin(connection: Any) -> None:
    mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(path: Path) -> Engine:
    """An engine on the store file. Never made at import time.

    The file is made (or kept) private first: SQLite would create it, and so its -wal
    and -shm files, readable by everyone the umask allows.
    """
    try:
        make_private(path)
    except OSError as error:
        raise StoreError(_("cannot create {path}: {error}").format(
            path=path, error=error.strerror)) from None
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        poolclass=QueuePool,
        pool_size=4,
        max_overflow=4,
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


class Store:
    """One local store file. `transaction()` is the only way services write."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.engine = make_engine(self.path)
        self._write_engine = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        #: Write transactions committed through this object: whoever reports a failure
        #: can tell "nothing was saved" from "it was saved, then something failed".
        self.commits = 0

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write transaction: commits when the block ends, rolls back on any error."""
        with Session(self._write_engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
                self.commits += 1
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session: one consistent snapshot for the whole block."""
        # Closing (not rolling back) ends the snapshot and keeps loaded rows readable.
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def raw(self) -> Iterator[sqlite3.Connection]:
        """The driver connection, for bulk loads and hand-tuned queries (autocommit mode)."""
        connection = self.engine.raw_connection()
        try:
            driver = connection.driver_connection
            assert driver is not None  # None only once the connection is closed
            yield driver
        finally:
            connection.close()

    def close(self) -> None:
        self.engine.dispose()


def open_store(path: Path | str, *, create: bool = True) -> Store:
    """Open (and, if needed, create or upgrade) the store at `path` (see prepare_store)."""
    return Store(prepare_store(path, create=create))


__all__ = ["BUSY_TIMEOUT_MS", "Store", "StoreError", "make_engine", "open_store"]
