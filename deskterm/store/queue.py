"""The ticket queue as a virtual list: any row of a million, sorted by any column, filtered.

The queue widget asks for rows by position. They come from blocks of 64 rows fetched on
demand and kept in a small LRU cache. A block next to a cached one is read by keyset
(seek past the neighbour's last sort key: an index range scan, cheap anywhere in the
list); any other block starts from the key at its offset, found by walking a covering
index from whichever end of the list is nearer, without touching table rows.

Every view and sort has an index to walk (schema 3): `ix_queue_*` over all live
tickets, the small partial `ix_open_*` over open ones. The ORDER BY lists every column
of that index, then the rowid, so index order is list order and a seek key is exact.

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

import json
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, TypeVar

from deskterm.store.queries import TicketRow, ticket_row
from deskterm.store.queue_filter import (
    MATCH_TABLE,
    OPEN_TEST,
    FilterText,
    Matches,
    MatchMode,
    find_matches,
    text_terms,
)

BLOCK = 64
_CACHE_BLOCKS = 48
#: Up to this many matches, a scan keeps them in a temp table of rowids; above it, pages
#: test rows instead. The trigram index holds any number (see queue_filter).
_SMALL_MATCH = 20_000
#: Up to this many matches, pages read the matching rows and sort them; above it they walk
#: the sort index and keep the matches (see _plan).
_DRIVE_FROM_MATCHES = 2_000
#: How long a filter the index cannot help with may test rows in sort order for its first
#: page before it is matched by scanning.
_PROBE_SECONDS = 0.03
#: Counts kept per view and filter (until the store changes).
_KEPT_COUNTS = 64
_OPEN = OPEN_TEST
_MAX_INT = 9223372036854775807
_T = TypeVar("_T")


class QueueView(StrEnum):
    MINE = "mine"
    UNASSIGNED = "unassigned"
    ESCALATED = "escalated"
    WAITING = "waiting"
    OPEN = "open"
    DEPARTMENT = "department"
    ALL = "all"


class QueueSort(StrEnum):
    KEY = "key"
    SUBJECT = "subject"
    CUSTOMER = "customer"
    STATUS = "status"
    PRIORITY = "priority"
    OWNER = "owner"
    AGE = "age"
    LAST_CONTACT = "last_contact"


#: Per sort: the index name suffix and the leading index expressions.
_SORT_INDEX: dict[QueueSort, tuple[str, tuple[str, ...]]] = {
    QueueSort.KEY: ("number", (f"ifnull(t.number, {_MAX_INT})",)),
    QueueSort.SUBJECT: ("subject", ("t.subject COLLATE NOCASE", "t.customer_sort",
                                    "t.owner_sort")),
    QueueSort.CUSTOMER: ("customer", ("t.customer_sort", "t.created_at")),
    QueueSort.STATUS: ("status", ("t.status", "t.created_at")),
    QueueSort.PRIORITY: ("priority", ("t.priority", "t.created_at")),
    QueueSort.OWNER: ("owner", ("t.owner_sort", "t.created_at")),
    QueueSort.AGE: ("created", ("t.created_at",)),
    QueueSort.LAST_CONTACT: ("contact", ("ifnull(t.last_contact_at, '')",)),
}


@dataclass(frozen=True)
class QueueSpec:
    """What the queue shows: a view, a sort and the filter text."""

    view: QueueView = QueueView.OPEN
    sort: QueueSort = QueueSort.AGE
    descending: bool = True
    text: str = ""
    agent_id: str | None = None  # for MINE
    department_id: str | None = None  # for DEPARTMENT

    def with_(self, **changes: Any) -> QueueSpec:
        return replace(self, **changes)

    @property
    def scope_open(self) -> bool:
        return self.view != QueueView.ALL


#: What a row shows, in the order `ticket_row` reads it.
_COLUMNS = ("t.id", "t.number", "t.subject", "t.customer_id", "c.name", "t.status",
            "t.priority", "a.handle", "d.code", "t.resolver_tier", "t.resolver_group",
            "t.created_at", "t.updated_at", "t.last_contact_at")
_JOINS = (
    "CROSS JOIN customer AS c ON c.id = t.customer_id "
    "LEFT JOIN agent AS a ON a.id = t.owner_id "
    "LEFT JOIN department AS d ON d.id = t.department_id"
)

Key = tuple[object, ...]


@dataclass
class _Block:
    rows: list[TicketRow]
    keys: list[Key]  # each row's full sort key (index columns, then rowid)


@dataclass(frozen=True)
class Located:
    """Where a ticket is in a list: its position, or None when the list does not show it."""

    index: int | None


@dataclass(frozen=True)
class _Plan:
    """The SQL pieces of the current spec."""

    source: str  # FROM, with the index to walk
    where: str
    params: list[object]
    order: tuple[str, ...]  # the sort key expressions, ending in t.rowid
    index_only: bool  # WHERE reads only columns of the index walked


class QueueSource:
    """Rows of one queue spec, by position. Thread-safe; owns its own connection."""

    def __init__(self, path: str, spec: QueueSpec | None = None) -> None:
        self._connection = sqlite3.connect(path, check_same_thread=False,
                                           isolation_level=None, timeout=5)
        self._lock = threading.RLock()
        self._blocks: OrderedDict[int, _Block] = OrderedDict()
        self._spec = spec or QueueSpec()
        self._text_index = self._connection.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'ticket_text'").fetchone() is not None
        self._match_key: tuple[str, bool] | None = None  # (text, scope) of the matches
        self._matches = Matches(MatchMode.TEST)
        self._probed = False  # the first page came from testing rows in sort order
        self._count: int | None = None
        self._counts: OrderedDict[tuple[object, ...], int] = OrderedDict()
        self._interrupted = False  # see interrupt()

    # -- what is shown -------------------------------------------------------------------

    @property
    def spec(self) -> QueueSpec:
        return self._spec

    def set_spec(self, spec: QueueSpec) -> None:
        """Show something else. Filter matches are kept while text and scope stay."""
        with self._lock:
            self._interrupted = False
            self._spec = spec
            self._blocks.clear()
            self._count = self._counts.get(self._count_key())

    def invalidate(self) -> None:
        """Forget everything cached: call after the store changed."""
        with self._lock:
            self._interrupted = False
            self._blocks.clear()
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
                where += f" AND {first} {before}= k.k0"  # see _page: a seek on an expression
            # The key's WHERE is the view's own test: a ticket not in the view has no key
            # row, and the query no row at all.
            row = self._connection.execute(
                f"SELECT (SELECT count(*) FROM {source} WHERE {where}) "
                f"FROM (SELECT {keys} FROM ticket AS t WHERE t.id = ? AND {plan.where}) AS k",
                [*plan.params, ticket_id, *plan.params]).fetchone()
            return None if row is None else int(row[0])

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

    def _block(self, number: int) -> _Block:
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
        if before is not None and len(before.rows) == BLOCK:
            block = self._page(plan, seek=before.keys[-1])
        elif after is not None and after.keys and number > 0:
            block = self._page(plan, seek=after.keys[0], reverse=True)
            block = _Block(block.rows[::-1], block.keys[::-1])
            if len(block.rows) < BLOCK:  # fewer rows above than the position says: re-read
                block = self._page(plan, offset=number * BLOCK)
        else:
            block = self._at_offset(plan, number * BLOCK)
        self._blocks[number] = block
        while len(self._blocks) > _CACHE_BLOCKS:
            self._blocks.popitem(last=False)
        return block

    def _at_offset(self, plan: _Plan, offset: int) -> _Block:
        if offset == 0:
            return self._page(plan)
        total = self._count or 0  # read only when reverse, which needs the count known
        reverse = self._count is not None and offset > total // 2
        skip = (total - offset - 1) if reverse else offset
        if skip < 0:
            return _Block([], [])
        if not plan.index_only:
            # Skipping rows would read each of them: let the page query do it once.
            if reverse:
                size = min(BLOCK, total - offset)
                block = self._page(plan, reverse=True, offset=max(0, skip - size + 1),
                                   limit=size)
                return _Block(block.rows[::-1], block.keys[::-1])
            return self._page(plan, offset=offset)
        key = self._key_at(plan, skip, reverse)
        if key is None:
            return _Block([], [])
        if reverse:
            # `key` is the block's first row: read forward from it, inclusive.
            return self._page(plan, seek=key, inclusive=True)
        return self._page(plan, seek=key, inclusive=True)

    def _key_at(self, plan: _Plan, skip: int, reverse: bool) -> Key | None:
        """The sort key of the row `skip` rows from the top (or bottom), index-only."""
        direction = self._direction(reverse)
        order = ", ".join(f"{expr} {direction}" for expr in plan.order)
        row = self._connection.execute(
            f"SELECT {', '.join(plan.order)} FROM {plan.source} WHERE {plan.where} "
            f"ORDER BY {order} LIMIT 1 OFFSET ?", [*plan.params, skip]
        ).fetchone()
        return tuple(row) if row else None

    def _page(self, plan: _Plan, *, seek: Key | None = None, reverse: bool = False,
              inclusive: bool = False, offset: int = 0, limit: int = BLOCK) -> _Block:
        descending = self._spec.descending != reverse
        direction = "DESC" if descending else "ASC"
        where, params = plan.where, list(plan.params)
        if seek is not None:
            op = "<" if descending else ">"
            where += (f" AND ({', '.join(plan.order)}) {op}{'=' if inclusive else ''} "
                      f"({', '.join('?' for _ in seek)})")
            params += list(seek)
            first = plan.order[0]
            if not first.startswith("t.") or " " in first:
                # SQLite seeks with a row value only over plain columns; an expression
                # needs its own range term to seek at all.
                where += f" AND {first} {op}= ?"
                params.append(seek[0])
        order = ", ".join(f"{expr} {direction}" for expr in plan.order)
        keys = ", ".join(f"{expr} AS k{index}" for index, expr in enumerate(plan.order))
        # The page's tickets first, then their customer, owner and department: a plan
        # that sorts (a small view, a small match set) joins 64 rows, not all it sorts.
        page = (f"SELECT t.rowid AS r, {keys} FROM {plan.source} WHERE {where} "
                f"ORDER BY {order} LIMIT ? OFFSET ?")
        packed = ", ".join([*_COLUMNS, *(f"p.k{index}" for index in range(len(plan.order)))])
        # One JSON value for the page, not a row per ticket: the driver lets go of the
        # GIL at every row it steps to, and while the UI thread is busy (as at start)
        # each time costs up to a switch interval (5 ms) to get it back: 64 rows took up
        # to 300 ms. The aggregate keeps the page's order (its rows come in that order).
        value = self._connection.execute(
            f"SELECT json_group_array(json_array({packed})) FROM ({page}) AS p "
            f"CROSS JOIN ticket AS t ON t.rowid = p.r {_JOINS}",
            [*params, limit, offset]).fetchone()[0]
        fetched = json.loads(value)
        width = len(plan.order)
        return _Block([ticket_row(r) for r in fetched], [tuple(r[-width:]) for r in fetched])

    def _direction(self, reverse: bool) -> str:
        return "DESC" if self._spec.descending != reverse else "ASC"

    # -- what the spec selects -----------------------------------------------------------

    def _plan(self, *, for_count: bool = False) -> _Plan:
        spec = self._spec
        suffix, leading = _SORT_INDEX[spec.sort]
        scope = "open" if spec.scope_open else "queue"
        clauses = ["NOT t.deleted"]
        params: list[object] = []
        order = [*leading]
        if spec.scope_open:
            clauses.append(_OPEN)
            if spec.sort != QueueSort.STATUS:
                order.append("t.status")
        order += ["t.deleted", "t.rowid"]
        # The index whose order is the list's; None: the view's rows are few, so they
        # are found through `lookup` and sorted.
        index: str | None = f"ix_{scope}_{suffix}"
        lookup: str | None = None
        index_only = True
        # Counting needs no order: the narrowest covering index will do.
        count_index = "ix_open_status" if spec.scope_open else "ix_queue_created"
        if spec.view in (QueueView.MINE, QueueView.UNASSIGNED):
            if spec.view == QueueView.MINE:
                clauses.append("t.owner_id = ?")
                params.append(spec.agent_id or "")
            else:
                clauses.append("t.owner_id IS NULL")
            # An agent's own open tickets are few, and so are the unassigned ones. Named,
            # because with a seek term SQLite would rather walk every open ticket in
            # sort order, reading each row to test its owner.
            index, index_only = None, False
            lookup = count_index = "ix_open_owner_id"
        elif spec.view == QueueView.ESCALATED:
            clauses.append("t.status = 'escalated'")
        elif spec.view == QueueView.WAITING:
            clauses.append("t.status = 'waiting'")
        elif spec.view == QueueView.DEPARTMENT:
            # A department holds a good share of the open tickets: walking the open sort
            # index and testing the department fills a page fast.
            clauses.append("t.department_id = ?")
            params.append(spec.department_id or "")
            index_only = False
            count_index = "ix_open_department"
        # The view's own tests read only columns every queue index holds.
        view_index_only = index_only
        matches = self._matches if self._match_key is not None else None
        if matches is not None and matches.terms:
            clauses.append(matches.terms)
            params += matches.params
            index_only = False
        if matches is not None and matches.mode != MatchMode.TEST:
            clauses.append(f"t.rowid IN (SELECT rid FROM {MATCH_TABLE})")
            if for_count or matches.size <= _DRIVE_FROM_MATCHES or index is None:
                # Driven by the matches: rowid lookups, then a sort of a small set. Not
                # a join: SQLite would build a Bloom filter over every ticket for one.
                return _Plan("ticket AS t", " AND ".join(clauses), params, tuple(order),
                             False)
            # Many matches: walk the sort index and keep members. A page needs only
            # as many index entries as it takes to meet 64 members, and no row reads
            # for the ones skipped, where sorting the matches would read every one.
            return _Plan(f"ticket AS t INDEXED BY {index}", " AND ".join(clauses),
                         params, tuple(order), False)
        if for_count:
            index = count_index
            if matches is not None and view_index_only:
                index = f"ix_{scope}_subject"  # the words' test is index-only there
        source = f"ticket AS t INDEXED BY {index or lookup}" if index or lookup \
            else "ticket AS t"
        return _Plan(source, " AND ".join(clauses), params, tuple(order), index_only)

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
        block = self._within(_PROBE_SECONDS, lambda: self._page(self._plan()))
        if block is None:
            return False
        self._blocks[0] = block
        if len(block.rows) < BLOCK:
            self._count = len(block.rows)
        self._probed = True
        return True
