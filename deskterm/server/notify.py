"""Pokes: tell connected clients the log grew, across every server instance.

Each instance keeps the newest sequence number it knows of and wakes its stream
subscribers when it grows. It learns of growth three ways: its own pushes (at once),
PostgreSQL's LISTEN/NOTIFY (every push commits a `pg_notify('deskterm_log', seq)`, so
a push through instance A reaches subscribers of instance B), and, on SQLite, a cheap
poll of the log head (instances sharing one file). Pokes are hints; pull is the truth.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy import select

from deskterm.server.database import Database, log_head

log = logging.getLogger("deskterm.server")

#: How often an SQLite instance looks at the log head for other instances' writes.
SQLITE_POLL_SECONDS = 0.25
#: How long to wait before listening again after PostgreSQL went away.
RELISTEN_SECONDS = 1.0


class Notifier:
    """The newest sequence number this instance knows of, and a way to wait for a newer one."""

    def __init__(self, head: int = 0) -> None:
        self.head = head
        self._changed = asyncio.Condition()
        self._loop: asyncio.AbstractEventLoop | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def publish_threadsafe(self, seq: int) -> None:
        """Called from the worker thread that committed a push."""
        if self._loop is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop stopped meanwhile
                asyncio.run_coroutine_threadsafe(self.publish(seq), self._loop)

    async def publish(self, seq: int) -> None:
        if seq <= self.head:
            return
        async with self._changed:
            self.head = seq
            self._changed.notify_all()

    async def wait_newer(self, seen: int, timeout: float) -> int:
        """The head once it is above `seen`, or the current head after `timeout` seconds."""
        async with self._changed:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: self.head > seen), timeout)
            return self.head


async def watch(db: Database, notifier: Notifier) -> None:
    """Run for the app's lifetime: relay other instances' commits to this notifier."""
    if db.is_postgres:
        await _listen(db, notifier)
    else:
        await _poll(db, notifier)


async def _poll(db: Database, notifier: Notifier) -> None:
    while True:
        await asyncio.sleep(SQLITE_POLL_SECONDS)
        try:
            head = await asyncio.to_thread(_read_head, db)
        except Exception as error:  # the file is busy or gone for a moment: try again
            log.debug("log head poll failed: %s", error)
            continue
        await notifier.publish(head)


def _read_head(db: Database) -> int:
    with db.reading() as connection:
        return int(connection.execute(select(log_head.c.seq).where(log_head.c.id == 1))
                   .scalar_one())


async def _listen(db: Database, notifier: Notifier) -> None:
    import psycopg

    url = db.engine.url.set(drivername="postgresql")
    conninfo = url.render_as_string(hide_password=False)
    while True:
        try:
            async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True) as conn:
                await conn.execute("LISTEN deskterm_log")
                # Catch up on what committed while we were not listening.
                await notifier.publish(await asyncio.to_thread(_read_head, db))
                async for note in conn.notifies():
                    with contextlib.suppress(ValueError):
                        await notifier.publish(int(note.payload))
        except asyncio.CancelledError:
            raise
        except Exception as error:
            log.warning("LISTEN connection lost (%s); listening again", error)
            await asyncio.sleep(RELISTEN_SECONDS)
