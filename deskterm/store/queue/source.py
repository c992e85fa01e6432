"""The ticket queue as a virtual list: any row of a million, sorted by any column, filtered.

The queue widget asks for rows by position. They come from blocks of 64 rows fetched on
demand (`pages`, by keyset or from an offset) and kept in a small LRU cache here. What
the list shows is a `QueueSpec` (`spec`); the SQL that selects and orders it, and the
index it walks, is planned in `plan`.

Filter text (what matches is defined in `deskterm.store.queue_filter`) is matched once
per text and scope into a temp table of rowids, which pages then use: a small set is
read and sorted; a big one is walked in sort index order, keeping members, which stops
as soon as a page is full. How the set is found depends on the scope:

- All tickets: through the `ticket_text` trigram index (schema 5), in milliseconds for
  any word of three or more characters; the count is the size of the set.
- Open tickets (every other view): one pass over the small open subject index, which
  holds subject, customer and owner.
- All tickets, only words of one or two characters: the index cannot help. The first
  page is tried by testing rows in sort order for a few milliseconds (a short string
  is usually common, and the page fills at once); the count and later pages come from
  scans that a newer filter interrupts.

Counts are kept per view and filter until the store changes, so going back to a list
(clearing the filter, cycling the views) does not count it again.

A ticket's place in a list (for a selection that follows its ticket when rows come and
go) is one query: its sort key, looked up by id, bounds a count of what comes before it.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from deskterm.store.fold import register_functions
from deskterm.store.queries import TicketRow
from deskterm.store.queue.pages import BLOCK, Block, Key, block_at_offset, key_after, read_page
from deskterm.store.queue.plan import QueryPlan, plan_query
from deskterm.store.queue.spec import QueueSpec, QueueView
from deskterm.store.queue_filter import FilterText, Matches, MatchMode, find_matches, text_terms

_CACHE_BLOCKS = 48
#: Up to this many matches, a scan keeps them in a temp table of rowids; above it, pages
#: test rows instead. The trigram index holds any number (see queue_filter).
_SMALL_MATCH = 20_000
#: How long a filter the index cannot help with may test rows in sort order for its first
#: page before it is matched by scanning.
_PROBE_SECONDS = 0.03
#: Counts kept per view and filter (until the store changes).
_KEPT_COUNTS = 64
#: Anchors are sampled every this many blocks (4,096 rows: a millisecond's index walk).
ANCHOR_BLOCKS = 64
#: Lists shorter than this are not sampled: from either end, any offset is near.
ANCHOR_MIN_ROWS = 8 * ANCHOR_BLOCKS * BLOCK
#: Lists whose anchors are kept (until the store changes), so that going back to one (the
#: sorts cycled round, a filter cleared) does not walk its whole index again.
_KEPT_ANCHORS = 16
#: How far from the last ticket found (rows) a block is read by seeking from its key.
LANDMARK_REACH = ANCHOR_BLOCKS * BLOCK
_T = TypeVar("_T")


@dataclass(frozen=True)
class Located:
    """Where a ticket is in a list: its position, or None when the list does not show it."""

    index: int | None


class QueueSource:
    """Rows of one queue spec, by position. Thread-safe; owns its own connection."""

    def __init__(self, path: str, spec: QueueSpec | None = None) -> None:
        self._connection = sqlite3.connect(path, check_same_thread=False,
                                           isolation_level=None, timeout=5)
        register_functions(self._connection)
        self._lock = threading.RLock()
        self._blocks: OrderedDict[int, Block] = OrderedDict()
        self._spec = spec or QueueSpec()
        self._text_index = self._connection.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'ticket_text'").fetchone() is not None
        self._match_key: tuple[str, bool] | None = None  # (text, scope) of the matches
        self._matches = Matches(MatchMode.TEST)
        self._probed = False  # the first page came from testing rows in sort order
        self._count: int | None = None
        self._counts: OrderedDict[tuple[object, ...], int] = OrderedDict()
        self._interrupted = False  # see interrupt()
        #: Block number -> its first row's sort key, every ANCHOR_BLOCKS blocks (see
        #: sample_anchors); `_epoch` counts the changes that make them stale.
        self._anchors: dict[int, Key] = {}
        #: Every anchor of a list walked to its end, per spec (until the store changes).
        self._kept_anchors: OrderedDict[QueueSpec, dict[int, Key]] = OrderedDict()
        self._epoch = 0
        self._sampled = -1  # the epoch whose anchors are sampled (or being sampled)
        #: The last ticket `position_of` found: (its place, its sort key). The rows around
        #: it are read by seeking from its key, not by walking the list up to its place.
        self._landmark: tuple[int, Key] | None = None

    # -- what is shown -------------------------------------------------------------------

    @property
    def spec(self) -> QueueSpec:
        return self._spec

    @property
    def filtered(self) -> bool:
        """The spec has filter text (its rows are matched, not only walked in order)."""
        return FilterText.parse(self._spec.text) is not None

    def set_spec(self, spec: QueueSpec) -> None:
        """Show something else. Filter matches are kept while text and scope stay; the
        same spec keeps its rows too (what the store changes comes through `invalidate`)."""
        with self._lock:
            self._interrupted = False
            if spec == self._spec:
                return
            self._spec = spec
            self._blocks.clear()
            self._forget_anchors()
            kept = self._kept_anchors.get(spec)
            if kept is not None:
                self._kept_anchors.move_to_end(spec)
                self._anchors = dict(kept)
                self._sampled = self._epoch  # nothing left to sample
            self._count = self._counts.get(self._count_key())

    def invalidate(self) -> None:
        """Forget everything cached: call after the store changed."""
        with self._lock:
            self._interrupted = False
            self._blocks.clear()
            self._forget_anchors()
            self._kept_anchors.clear()
            self._count = None
            self._counts.clear()
            self._match_key = None

    def interrupt(self) -> None:
        """Abort the read under way, from any thread: it raises "interrupted".

        The query running now stops, and a read between two queries stops at the next
        public call, until a new spec is set (or the store is said to have changed).
        """
        self._interrupted = True
        self._connection.interrupt()

    def _check_interrupted(self) -> None:
        if self._interrupted:
            raise sqlite3.OperationalError("interrupted")

    def close(self) -> None:
        self._connection.interrupt()
        with self._lock:
            self._connection.close()

    # -- reading -------------------------------------------------------------------------

    def count(self) -> int:
        """How many tickets the spec shows (kept until the store changes)."""
        with self._lock:
            self._check_interrupted()
            if self._count is None:
                self._count = self._counted()
            self._counts[self._count_key()] = self._count
            while len(self._counts) > _KEPT_COUNTS:
                self._counts.popitem(last=False)
            return self._count

    def count_within(self, seconds: float) -> int | None:
        """The count if it takes no longer than `seconds` to find; else None, for now.

        For a caller that would rather show rows and count together when the count is
        quick, and not wait for it when it is slow.
        """
        with self._lock:
            self._check_interrupted()
            if self._count is None:
                counted = self._within(seconds, self._counted)
                if counted is None:
                    return None
                self._count = counted
            return self.count()

    @property
    def known_count(self) -> int | None:
        return self._count

    def _within(self, seconds: float, read: Callable[[], _T]) -> _T | None:
        """`read()`, or None when it runs past `seconds` (a timer interrupts SQLite).

        A timer thread rather than a progress handler: a handler is Python called back
        from inside SQLite every few thousand steps, and each call waits for the GIL,
        which the UI thread holds for long stretches at start; a 15 ms budget then ran
        out before a count of a thousand index entries could finish.
        """
        out_of_time = threading.Event()

        def stop() -> None:
            out_of_time.set()
            self._connection.interrupt()

        timer = threading.Timer(seconds, stop)
        timer.start()
        try:
            return read()
        except sqlite3.OperationalError:
            if out_of_time.is_set() and not self._interrupted:
                return None
            raise  # interrupted from outside: a newer spec is on its way
        finally:
            timer.cancel()

    def rows(self, start: int, stop: int) -> list[TicketRow]:
        """Rows `start` to `stop` (exclusive) of the list; fewer at its end."""
        with self._lock:
            self._check_interrupted()
            start = max(0, start)
            result: list[TicketRow] = []
            for number in range(start // BLOCK, max(start, stop - 1) // BLOCK + 1):
                block = self._block(number)
                first = number * BLOCK
                result.extend(row for index, row in enumerate(block.rows, first)
                              if start <= index < stop)
                if len(block.rows) < BLOCK:
                    break
            return result

    def index_of(self, ticket_id: str) -> int | None:
        """The position of a ticket among the rows read so far, if it is there."""
        with self._lock:
            for number, block in self._blocks.items():
                for index, row in enumerate(block.rows):
                    if row.id == ticket_id:
                        return number * BLOCK + index
            return None

    def position_of(self, ticket_id: str) -> int | None:
        """Where a ticket is in the list now; None when the spec does not show it.

        One query: the ticket's sort key, found by its id, bounds a count of the entries
        before it, over the range a keyset page seeks: the sort index up to the ticket
        (index only where the view's test is), or a filter's match set. Nothing after
        the ticket is read, and no row is fetched into Python.
        """
        with self._lock:
            self._check_interrupted()
            self._prepare_matches()
            if self._probed:
                self._match()  # testing every row up to the ticket costs more than this
            plan = self._plan()
            source = plan.source
            if self._match_key is not None and self._matches.mode != MatchMode.TEST:
                # Filtered through a match set: count among its members (a rowid lookup
                # each), not along the sort index testing every entry for membership.
                source = "ticket AS t NOT INDEXED"
            keys = ", ".join(f"{expr} AS k{index}" for index, expr in enumerate(plan.order))
            before = ">" if self._spec.descending else "<"
            bound = [f"k.k{index}" for index in range(len(plan.order))]
            where = f"{plan.where} AND ({', '.join(plan.order)}) {before} ({', '.join(bound)})"
            first = plan.order[0]
            if not first.startswith("t.") or " " in first:
                # A seek on an expression (see pages.read_page).
                where += f" AND {first} {before}= k.k0"
            # The key's WHERE is the view's own test: a ticket not in the view has no key
            # row, and the query no row at all.
            row = self._connection.execute(
                f"SELECT (SELECT count(*) FROM {source} WHERE {where}), k.* "
                f"FROM (SELECT {keys} FROM ticket AS t WHERE t.id = ? AND {plan.where}) AS k",
                [*plan.params, ticket_id, *plan.params]).fetchone()
            if row is None:
                return None
            self._landmark = (int(row[0]), tuple(row[1:]))
            return int(row[0])

    def position_within(self, ticket_id: str, seconds: float) -> Located | None:
        """`position_of`, if it takes no longer than `seconds`; else None, for now.

        Finding a place is a count of what comes before it: in a very long list with a
        filter no index answers (short words over all tickets), that reads many rows.
        """
        with self._lock:
            self._check_interrupted()
            return self._within(seconds, lambda: Located(self.position_of(ticket_id)))

    def _count_key(self) -> tuple[object, ...]:
        spec = self._spec
        text = FilterText.parse(spec.text)
        return (spec.view, spec.agent_id, spec.department_id, text.text if text else "")

    def _counted(self) -> int:
        self._prepare_matches()
        if self._probed:
            # Counting by testing every row costs more than matching by a scan, and the
            # match set serves the pages that follow as well.
            self._match()
        if self._set_is_view():
            return self._matches.size
        plan = self._plan(for_count=True)
        return int(self._connection.execute(
            f"SELECT count(*) FROM {plan.source} WHERE {plan.where}", plan.params
        ).fetchone()[0])

    # -- blocks --------------------------------------------------------------------------

    def _block(self, number: int) -> Block:
        block = self._blocks.get(number)
        if block is not None:
            self._blocks.move_to_end(number)
            return block
        self._prepare_matches()
        if number in self._blocks:  # the filter probe read it
            return self._blocks[number]
        if self._probed and number > 1:
            # Beyond the first pages, testing rows one by one gets slow: match by a scan
            # once, then walk the sort index keeping the matches.
            self._match()
        plan = self._plan()
        before, after = self._blocks.get(number - 1), self._blocks.get(number + 1)
        descending = self._spec.descending
        anchor = self._anchor_for(number)
        near = self._from_landmark(plan, number) if before is None and after is None else None
        if near is not None:
            block = near
        elif anchor is not None and before is None and after is None:
            offset, key = anchor
            block = read_page(self._connection, plan, descending=descending, seek=key,
                              inclusive=True, offset=number * BLOCK - offset)
        elif before is not None and len(before.rows) == BLOCK:
            block = read_page(self._connection, plan, descending=descending,
                              seek=before.keys[-1])
        elif after is not None and after.keys and number > 0:
            block = read_page(self._connection, plan, descending=not descending,
                              seek=after.keys[0])
            block = Block(block.rows[::-1], block.keys[::-1])
            if len(block.rows) < BLOCK:  # fewer rows above than the position says: re-read
                block = read_page(self._connection, plan, descending=descending,
                                  offset=number * BLOCK)
        else:
            block = block_at_offset(self._connection, plan, number * BLOCK, self._count,
                                    descending=descending)
        self._blocks[number] = block
        while len(self._blocks) > _CACHE_BLOCKS:
            self._blocks.popitem(last=False)
        return block

    # -- anchors: sort keys sampled along a long list ------------------------------------

    def sample_anchors(self) -> None:
        """Note the sort key every ANCHOR_BLOCKS blocks down a long list, for reads far
        from any cached block (a scrollbar dragged to the middle of a million tickets):
        from the nearest anchor such a read walks a few thousand index entries, where
        from an end of the list it would walk up to half of them.

        Call it in a worker: it walks the whole sort index once, a step of an anchor at a
        time, holding the lock only for a step, so reads for the screen go between. It
        stops when the spec or the store changes, or on interrupt(). Index-only lists
        only (no filter, a view tested on the index): the others are read otherwise.
        A list walked to its end keeps its anchors until the store changes: shown again,
        it is not walked again.
        """
        with self._lock:
            self._check_interrupted()
            if self._match_key is not None or self._spec.text:
                return
            plan = self._plan()
            if not plan.index_only or (self._count or 0) < ANCHOR_MIN_ROWS \
                    or self._sampled == self._epoch:
                return
            self._sampled = epoch = self._epoch
            descending = self._spec.descending
            first = self._blocks.get(0)
            key: Key | None = first.keys[0] if first is not None and first.keys else None
            if key is None:
                found = read_page(self._connection, plan, descending=descending, limit=1)
                key = found.keys[0] if found.keys else None
            number = 0
        while key is not None:
            with self._lock:
                if self._epoch != epoch:
                    return
                self._check_interrupted()
                self._anchors[number] = key
                key = key_after(self._connection, plan, key, ANCHOR_BLOCKS * BLOCK,
                                descending=descending)
                number += ANCHOR_BLOCKS
                if key is None:
                    self._keep_anchors()
            time.sleep(0)  # let a waiting read take the lock

    def _keep_anchors(self) -> None:
        self._kept_anchors[self._spec] = dict(self._anchors)
        self._kept_anchors.move_to_end(self._spec)
        while len(self._kept_anchors) > _KEPT_ANCHORS:
            self._kept_anchors.popitem(last=False)

    def _anchor_for(self, number: int) -> tuple[int, Key] | None:
        """The nearest anchor at or before block `number` (its offset and key), if it is
        nearer than the ends of the list are."""
        if not self._anchors:
            return None
        below = number - number % ANCHOR_BLOCKS
        key = self._anchors.get(below)
        if key is None:
            return None
        offset = number * BLOCK
        if min(offset, (self._count or 0) - offset) <= offset - below * BLOCK:
            return None
        return below * BLOCK, key

    def _forget_anchors(self) -> None:
        self._anchors.clear()
        self._landmark = None
        self._epoch += 1

    def _from_landmark(self, plan: QueryPlan, number: int) -> Block | None:
        """Block `number` read by seeking from the landmark's sort key, when it is nearer
        to the landmark than to either end of the list (and an anchor): the rows before
        it are read backwards from its key, the rows from it forwards. None when there
        is no landmark near, or the list no longer has the rows its place says."""
        if self._landmark is None:
            return None
        index, key = self._landmark
        first = number * BLOCK
        distance = abs(first - index)
        if distance > LANDMARK_REACH or distance >= first \
                or (self._count is not None and distance >= self._count - first):
            return None
        descending = self._spec.descending
        connection = self._connection
        if first >= index:
            return read_page(connection, plan, descending=descending, seek=key,
                             inclusive=True, offset=first - index)
        before = min(BLOCK, index - first)  # rows of the block before the landmark
        back = read_page(connection, plan, descending=not descending, seek=key,
                         offset=index - first - before, limit=before)
        if len(back.rows) != before:
            return None  # fewer rows above it than its place says: read as before
        rows, keys = back.rows[::-1], back.keys[::-1]
        if before < BLOCK:
            ahead = read_page(connection, plan, descending=descending, seek=key,
                              inclusive=True, limit=BLOCK - before)
            rows, keys = rows + ahead.rows, keys + ahead.keys
        return Block(rows, keys)

    # -- what the spec selects -----------------------------------------------------------

    def _plan(self, *, for_count: bool = False) -> QueryPlan:
        matches = self._matches if self._match_key is not None else None
        return plan_query(self._spec, matches, for_count=for_count)

    def _prepare_matches(self) -> None:
        """Match the filter text once per text and scope (see the module docstring)."""
        text = FilterText.parse(self._spec.text)
        if text is None:
            self._match_key = None
            return
        key = (text.text, self._spec.scope_open)
        if key == self._match_key:
            return
        terms, params = text_terms(text)
        self._match_key, self._probed = key, False
        # Until matched otherwise, rows are tested for the text: always right, if slow.
        self._matches = Matches(MatchMode.TEST, 0, terms, tuple(params))
        try:
            indexed = self._text_index and bool(text.indexed_words)
            if self._spec.scope_open or indexed or not self._probe():
                self._match()
        except BaseException:
            self._match_key = None  # interrupted half-way: match again next time
            raise

    def _match(self) -> None:
        """Find the current filter's matches (see queue_filter.find_matches)."""
        text = FilterText.parse(self._spec.text)
        assert text is not None
        self._probed = False
        self._matches = find_matches(self._connection, text,
                                     scope_open=self._spec.scope_open,
                                     text_index=self._text_index, limit=_SMALL_MATCH)
        if self._count is None and self._set_is_view():
            self._count = self._matches.size  # known now: no count query to come

    def _set_is_view(self) -> bool:
        """The match set is exactly the rows shown (no view test or row test on top)."""
        return (self._match_key is not None and self._matches.mode == MatchMode.SET
                and self._spec.view in (QueueView.ALL, QueueView.OPEN))

    def _probe(self) -> bool:
        """Try the first page by testing rows in sort order, for a few milliseconds.

        When the text is common, a page fills long before the budget runs out and no
        match set is needed at all. A rare text runs out of budget: then it is matched
        by a scan instead. True when the probe answered.
        """
        block = self._within(_PROBE_SECONDS, lambda: read_page(
            self._connection, self._plan(), descending=self._spec.descending))
        if block is None:
            return False
        self._blocks[0] = block
        if len(block.rows) < BLOCK:
            self._count = len(block.rows)
        self._probed = True
        return True
