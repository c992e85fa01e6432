"""Pokes: tell connected clients the log grew, across every server instance.

Each instance keeps the newest sequence number it knows of and wakes its stream
subscribers when it grows. It learns of growth three ways: its own pushes (at once),
PostgreSQL's LISTEN/NOTIFY (every push commits a `pg_notify('deskterm_log', seq)`, so
a push through instance A reaches subscribers of instance B), and, on SQLite, a cheap
poll of the log head (instances sharing one file). Pokes are hints; pull is the truth.

When the server stops, `close` wakes every stream, which then ends its response
cleanly (see `runner.DeskServer`): a normal stop with apps connected cuts no stream
mid-way and logs no error.

It also keeps the ids of revoked accounts: a stream opened with a token that is revoked
later (`deskterm server user revoke`, run anywhere) ends, and the instance's memory of
tokens (`accounts.CallerCache`) no longer answers for it. On PostgreSQL the revocation's
own `pg_notify('deskterm_account', id)` tells every instance at once; on SQLite an
instance reads the revoked accounts again as soon as it sees the log grow (a revocation
writes the account's agent inactive), within SQLITE_POLL_SECONDS. Besides, one small
query every REVOKED_POLL_SECONDS per instance (a notification missed while the LISTEN
connection was down) whatever else happens: streams and the cache look at the set in
memory, never at the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select

from deskterm.server.database import Database, account, log_head

log = logging.getLogger("deskterm.server")

#: The channel a revocation is announced on (payload: the account id; accounts.revoke_user).
REVOKED_CHANNEL = "deskterm_account"
#: How often an SQLite instance looks at the log head for other instances' writes.
SQLITE_POLL_SECONDS = 0.25
#: How long to wait before listening again after PostgreSQL went away.
RELISTEN_SECONDS = 1.0
#: How often an instance looks for newly revoked accounts (their streams end then).
REVOKED_POLL_SECONDS = 2.0


class Notifier:
    """The newest sequence number this instance knows of, and a way to wait for a newer one.

    Also the ids of revoked accounts: a waiter for such an account wakes at once; and
    whether the server is stopping (`closing`): then every waiter wakes at once.
    """

    def __init__(self, head: int = 0) -> None:
        self.head = head
        self.revoked: frozenset[str] = frozenset()
        self.closing = False
        self._changed = asyncio.Condition()
        #: Set when the revoked accounts should be read again now (SQLite: the log grew).
        self.recheck_revoked = asyncio.Event()
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

    async def set_revoked(self, account_ids: Iterable[str]) -> None:
        """Add revoked accounts; waiters for a newly revoked one wake up.

        Only ever added: a revocation is final, and a read of the database that began
        before a revocation's notification came must not take it back.
        """
        revoked = self.revoked | frozenset(account_ids)
        if revoked == self.revoked:
            return
        async with self._changed:
            self.revoked = revoked
            self._changed.notify_all()

    async def close(self) -> None:
        """The server is stopping: wake every waiter, now and from here on."""
        async with self._changed:
            self.closing = True
            self._changed.notify_all()

    def is_revoked(self, account_id: str) -> bool:
        return account_id in self.revoked

    async def wait_newer(self, seen: int, timeout: float, account_id: str | None = None) -> int:
        """The head once it is above `seen`, or the current head after `timeout` seconds.

        Returns early, with the head as it is, once `account_id` is revoked or the
        server is closing.
        """
        async with self._changed:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait_for(
                    lambda: self.head > seen or account_id in self.revoked or self.closing),
                    timeout)
            return self.head


async def watch(db: Database, notifier: Notifier) -> None:
    """Run for the app's lifetime: relay other instances' commits and revocations."""
    relay = _listen(db, notifier) if db.is_postgres else _poll(db, notifier)
    async with asyncio.TaskGroup() as tasks:
        tasks.create_task(relay)
        tasks.create_task(_watch_revocations(db, notifier))


async def _watch_revocations(db: Database, notifier: Notifier) -> None:
    """Every REVOKED_POLL_SECONDS: has any account been revoked since we last looked?

    Asks for the count and newest revocation time (a scan of the small account
    table) and reads the ids only when those moved, which is once per revocation.
    """
    known: Any = None
    while True:
        try:
            mark = await asyncio.to_thread(_revocation_mark, db)
            if mark != known:
                await notifier.set_revoked(await asyncio.to_thread(_revoked_ids, db))
                known = mark
        except Exception as error:  # the database is away for a moment: look again later
            log.debug("revocation poll failed: %s", error)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(notifier.recheck_revoked.wait(), REVOKED_POLL_SECONDS)
        notifier.recheck_revoked.clear()


def _revocation_mark(db: Database) -> tuple[int, Any]:
    with db.reading() as connection:
        count, newest = connection.execute(
            select(func.count(), func.max(account.c.revoked_at))
            .where(account.c.revoked_at.is_not(None))).one()
    return int(count), newest


def _revoked_ids(db: Database) -> list[str]:
    with db.reading() as connection:
        return list(connection.execute(
            select(account.c.id).where(account.c.revoked_at.is_not(None))).scalars())


async def _poll(db: Database, notifier: Notifier) -> None:
    while True:
        await asyncio.sleep(SQLITE_POLL_SECONDS)
        try:
            head = await asyncio.to_thread(_read_head, db)
        except Exception as error:  # the file is busy or gone for a moment: try again
            log.debug("log head poll failed: %s", error)
            continue
        if head > notifier.head:
            notifier.recheck_revoked.set()  # the growth may be a revocation's
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
                await conn.execute(f"LISTEN {REVOKED_CHANNEL}")
                # Catch up on what committed while we were not listening.
                notifier.recheck_revoked.set()
                await notifier.publish(await asyncio.to_thread(_read_head, db))
                async for note in conn.notifies():
                    if note.channel == REVOKED_CHANNEL:
                        await notifier.set_revoked([note.payload])
                        continue
                    with contextlib.suppress(ValueError):
                        await notifier.publish(int(note.payload))
        except asyncio.CancelledError:
            raise
        except Exception as error:
            log.warning("LISTEN connection lost (%s); listening again", error)
            await asyncio.sleep(RELISTEN_SECONDS)
