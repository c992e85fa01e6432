"""The log's tail in memory: the changes of a desk's pulls without reading them each time.

Every agent's app pulls every 2 s, and they all ask for the same few newest changes.
Reading them from the database for every pull (hundreds of rows, each made a Python row
and then JSON) was most of what a big desk's server did. Each instance keeps the newest
TAIL_ENTRIES changes of the log (every audience, each already as the pull answers it)
and follows the log as it grows.

A pull still asks the database one thing: the log's head and its rewrite count, in one
small statement (`changelog.log_state`). When the tail holds every change after the
pull's cursor up to that head, and was read under the same rewrite count, the page comes
from memory: the same page, byte for byte, that `changelog.pull` reads from the
database (the same `may_pull` rule, the same page limits). So the answer is exactly as
current as a pull that reads everything: what another instance or a command committed
a moment ago is in it. When the head is newer than the tail, the pull waits for the
tail's next read (up to CATCH_UP_SECONDS); otherwise, and for a cursor older than the
tail, the pull reads the database as before.

`follow` keeps the tail: one read (the head, the rewrite count, the changes after the
tail's top up to that head) whenever the instance learns the log grew (its own pushes
and pulls, NOTIFY, the SQLite poll: see `notify`), and every REFRESH_SECONDS besides.

Logged changes are rewritten in a few places: an erasure's scrub, a repair's quarantine,
a migration. Each counts the rewrite in the same transaction
(`database.note_log_rewritten`): a pull that reads another count than the tail's is
answered from the database, and the tail's next read drops it and reads it anew.

Everything here runs on the event loop but the read, which runs on a worker thread and
changes nothing here: no lock is needed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from bisect import bisect_right
from dataclasses import dataclass

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from deskterm.server.changelog import change_json, page_json
from deskterm.server.database import Database, LogState, change_log, log_state, read_log_state
from deskterm.server.notify import Notifier
from deskterm.server.rules import Caller, may_pull

log = logging.getLogger("deskterm.server")

#: How many of the newest changes each instance keeps (a few hundred bytes each).
TAIL_ENTRIES = 20_000
#: How often the tail reads the head when nothing said the log grew.
REFRESH_SECONDS = 0.25
#: How long a pull waits for the tail to read up to the head the pull found.
CATCH_UP_SECONDS = 0.1


@dataclass(frozen=True, slots=True)
class Entry:
    """One logged change: what the pull answers, and who may pull it."""

    seq: int
    json: str  # changelog.change_json
    fields_size: int
    audience: str
    agent_id: str | None
    team_id: str | None


@dataclass(frozen=True)
class Read:
    """What one read of the log found: its head, its rewrite count, and the changes after
    `start` up to the head. `after` is where it was asked to continue from (None: anew)."""

    after: int | None
    start: int
    head: int
    rewrites: int
    entries: list[Entry]


class LogTail:
    """The newest changes of the log, as of the last read (see the module docstring)."""

    def __init__(self, size: int = TAIL_ENTRIES) -> None:
        self.size = size
        self._seqs: list[int] = []
        self._entries: list[Entry] = []
        #: A pull from a cursor in [floor, top] can be answered here.
        self.floor = -1
        self.top = -1
        self.rewrites: int | None = None
        self._read = asyncio.Condition()

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def known_after(self) -> int | None:
        """Where the next read continues from; None: read the tail anew."""
        return self.top if self.rewrites is not None else None

    async def take(self, read: Read) -> None:
        """Take in a read, on the event loop; whoever waits for the tail looks again."""
        self._take(read)
        async with self._read:
            self._read.notify_all()

    def _take(self, read: Read) -> None:
        if read.after != self.known_after:
            return  # read from where the tail no longer is
        if read.head < self.top or (self.rewrites is not None
                                    and read.rewrites != self.rewrites):
            # Logged changes were rewritten, or the database went back (a restore): the
            # tail is read anew next.
            self._forget()
            return
        if self.rewrites is None:  # read anew
            self._seqs, self._entries = [], []
            self.floor, self.rewrites = read.start, read.rewrites
        self._seqs.extend(entry.seq for entry in read.entries)
        self._entries.extend(read.entries)
        self.top = read.head
        over = len(self._entries) - self.size
        if over > self.size // 4:  # trimmed now and then, not on every read
            self.floor = self._seqs[over - 1]
            del self._seqs[:over], self._entries[:over]

    def _forget(self) -> None:
        self._seqs, self._entries = [], []
        self.floor = self.top = -1
        self.rewrites = None

    async def page(self, caller: Caller, cursor: int, limit: int, state: LogState,
                   server_id: str, within: float = CATCH_UP_SECONDS) -> bytes | None:
        """The answer to a pull from `cursor`, the log being as `state` says (read after
        the pull came); None when the tail cannot give it. Waits up to `within` seconds
        for the tail to read up to that head."""
        head, rewrites = state
        if not self.floor <= cursor <= head or head < self.top:
            return None  # older than the tail, or the database went back (a restore)
        if self.top < head:
            async with self._read:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._read.wait_for(
                        lambda: self.top >= head or self.rewrites != rewrites), within)
        if self.rewrites != rewrites or not self.floor <= cursor <= head <= self.top:
            return None
        found: list[tuple[int, str, int]] = []
        for index in range(bisect_right(self._seqs, cursor), len(self._seqs)):
            entry = self._entries[index]
            if entry.seq > head or len(found) == limit:
                break
            if may_pull(caller, entry.audience, entry.agent_id, entry.team_id):
                found.append((entry.seq, entry.json, entry.fields_size))
        return page_json(found, limit, head, server_id)


def read_tail(db: Database, after: int | None, size: int = TAIL_ENTRIES) -> Read:
    """The log's head and rewrite count, and its changes after `after` (None: the newest
    `size`) up to that head. Changes up to a head read first are all committed (pushes
    commit one after another, their changes and the head together)."""
    with db.reading_statements() as connection:
        head, rewrites = log_state(connection)
        start = max(0, head - size) if after is None else after
        rows = connection.execute(
            select(change_log.c.seq, change_log.c.mutation_id, change_log.c.entity,
                   change_log.c.row_id, change_log.c.op, change_log.c.fields,
                   change_log.c.hlc, change_log.c.author_id, change_log.c.audience,
                   change_log.c.audience_agent_id, change_log.c.audience_team_id)
            .where(change_log.c.seq > start, change_log.c.seq <= head)
            .order_by(change_log.c.seq)).all()
    entries = [Entry(seq, change_json(seq, m, e, r, op, fields, h, a), len(fields),
                     audience, agent_id, team_id)
               for seq, m, e, r, op, fields, h, a, audience, agent_id, team_id in rows]
    return Read(after, start, head, rewrites, entries)


async def follow(db: Database, notifier: Notifier, tail: LogTail) -> None:
    """Run for the app's lifetime: keep `tail` up with the log (see the module docstring)."""
    while True:
        try:
            read = await asyncio.to_thread(read_tail, db, tail.known_after, tail.size)
        except Exception as error:  # the database is away for a moment: pulls ask it
            log.debug("reading the log's tail failed: %s", error)
            await asyncio.sleep(REFRESH_SECONDS)
            continue
        await tail.take(read)
        await notifier.publish(read.head)
        if notifier.closing:
            await asyncio.sleep(REFRESH_SECONDS)
        else:
            await notifier.wait_newer(tail.top, REFRESH_SECONDS)


class SharedStates:
    """The log's state (`database.log_state`) for pulls, one read for all who wait on it.

    A pull must see every change committed before it came, so it waits for a read that
    begins after it came: the one not yet begun, if there is one, else the next, which
    begins as soon as the one under way ends. Pulls that come while a read is under way
    share the next. A quiet server reads once per pull; a busy one reads about as often
    as a read takes, whatever the number of pulls, with one worker-thread hand-off each.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self._next: asyncio.Future[LogState] | None = None
        self._reader: asyncio.Task[None] | None = None

    async def read(self) -> LogState:
        if self._next is None:
            loop = asyncio.get_running_loop()
            self._next = loop.create_future()
            if self._reader is None or self._reader.done():
                self._reader = loop.create_task(self._read_while_asked())
        # Shielded: a pull whose client went away must not cancel the others' read.
        return await asyncio.shield(self._next)

    async def _read_while_asked(self) -> None:
        while self._next is not None:
            asked, self._next = self._next, None
            try:
                asked.set_result(await run_in_threadpool(read_log_state, self._db))
            except Exception as error:  # each waiting pull answers it (a 503)
                asked.set_exception(error)
