"""The log's tail in memory: the changes of a desk's pulls without reading them each time.

Every agent's app pulls every 2 s, and they all ask for the same few newest changes.
Reading them from the database for every pull (hundreds of rows, each made a Python row
and then JSON) was most of what a big desk's server did. Each instance keeps the newest
TAIL_ENTRIES changes of the log (every audience, each already as the pull answers it).

A pull reads the log after it came, as before, but in a read it may share with the
pulls that came with it (`SharedReads`): the log's head and rewrite count in one small
statement, and the changes after the tail's top up to that head, which the tail takes
in. The page then comes from memory: the same page, byte for byte, that
`changelog.pull` reads from the database (the same `may_pull` rule, the same page
limits), exactly as current. A cursor older than the tail goes to the database. A quiet
instance reads once per pull, and only what is new; a busy one about as often as a read
takes, whatever the number of pulls.

Logged changes are rewritten in a few places: an erasure's scrub, a repair's quarantine,
a migration. Each counts the rewrite in the same transaction
(`database.note_log_rewritten`): a read that finds another count than the tail's drops
the tail, and the pull is answered from the database; the next read fills it anew. So
does a head below the tail's top (a database restored from a backup).

Everything here runs on the event loop but the read, which runs on a worker thread and
changes nothing here: no lock is needed.
"""

from __future__ import annotations

import asyncio
import logging
from bisect import bisect_right
from dataclasses import dataclass

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from deskterm.server.changelog import change_json, page_json
from deskterm.server.database import Database, LogState, change_log, log_state
from deskterm.server.rules import Caller, may_pull

log = logging.getLogger("deskterm.server")

#: How many of the newest changes each instance keeps (a few hundred bytes each).
TAIL_ENTRIES = 20_000


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

    def take(self, read: Read) -> None:
        """Take in a read (on the event loop)."""
        if read.after != self.known_after:
            return  # read from where the tail no longer is
        if read.head < self.top or (self.rewrites is not None
                                    and read.rewrites != self.rewrites):
            # Logged changes were rewritten, or the database went back (a restore): the
            # tail is read anew next.
            self._forget()
            return
        if self.rewrites is None or read.start != read.after:  # read anew
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

    def page(self, caller: Caller, cursor: int, limit: int, state: LogState,
             server_id: str) -> bytes | None:
        """The answer to a pull from `cursor`, the log being as `state` says (read after
        the pull came, and taken in); None when the tail cannot give it."""
        head, rewrites = state
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
        # Anew, or when more is new than the tail keeps: the newest `size`.
        start = after if after is not None and head - after <= size else max(0, head - size)
        if start == head:
            return Read(after, start, head, rewrites, [])
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


class SharedReads:
    """Reads of the log for pulls (`read_tail`, taken into `tail`), one for all who wait.

    A pull must see every change committed before it came, so it waits for a read that
    begins after it came: the one not yet begun, if there is one, else the next, which
    begins as soon as the one under way ends. Pulls that come while a read is under way
    share the next.
    """

    def __init__(self, db: Database, tail: LogTail) -> None:
        self._db = db
        self._tail = tail
        self._next: asyncio.Future[LogState] | None = None
        self._reader: asyncio.Task[None] | None = None

    async def read(self) -> LogState:
        """The log's state as read after the call, the tail brought up to it."""
        if self._next is None:
            loop = asyncio.get_running_loop()
            self._next = loop.create_future()
            if self._reader is None or self._reader.done():
                self._reader = loop.create_task(self._read_while_asked())
        # Shielded: a pull whose client went away must not cancel the others' read.
        return await asyncio.shield(self._next)

    async def _read_while_asked(self) -> None:
        tail = self._tail
        while self._next is not None:
            asked, self._next = self._next, None
            try:
                read = await run_in_threadpool(read_tail, self._db, tail.known_after,
                                               tail.size)
            except Exception as error:  # each waiting pull answers it (a 503)
                asked.set_exception(error)
                continue
            tail.take(read)
            asked.set_result(LogState(read.head, read.rewrites))
