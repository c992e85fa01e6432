"""The ticket queue as a virtual list: any row of a million, sorted by any column, filtered.

The queue widget asks for rows by position. They come from blocks of 64 rows fetched on
demand and kept in a small LRU cache. A block next to a cached one is read by keyset
(seek past the neighbour's last sort key: an index range scan, cheap anywhere in the
list); any other block starts from the key at its offset, found by walking a covering
index from whichever end of the list is nearer, without touching table rows.

Every view and sort has an index to walk (schema 3): `ix_queue_*` over all live
tickets, the small partial `ix_open_*` over open ones. The ORDER BY lists every column
of that index, then the rowid, so index order is list order and a seek key is exact.

Filter text is matched against subject, customer and owner through the subject index
alone. When few tickets match (the usual case), their rowids go into a temp table once
per filter text and pages sort that small set; when very many match, pages walk the
sort index and test each row, which stops as soon as a page is full.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, replace
from enum import StrEnum

from deskterm.store.queries import TicketRow, ticket_row

BLOCK = 64
_CACHE_BLOCKS = 48
#: Up to this many matches, a filter is a temp table of rowids; above it, a row test.
_SMALL_MATCH = 20_000
#: Up to this many matches, pages read the matching rows and sort them; above it they walk
#: the sort index and keep the matches (see _plan).
_DRIVE_FROM_MATCHES = 2_000
#: How long the filter may test rows in sort order before it matches through indexes.
_PROBE_SECONDS = 0.03
_OPEN = "t.status IN ('new', 'open', 'waiting', 'escalated')"
_MAX_INT = 9223372036854775807


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

    def with_(self, **changes: object) -> QueueSpec:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def scope_open(self) -> bool:
        return self.view != QueueView.ALL


_COLUMNS = (
    "t.id, t.number, t.subject, t.customer_id, c.name, t.status, t.priority, a.handle, "
    "d.code, t.resolver_tier, t.resolver_group, t.created_at, t.updated_at, "
    "t.last_contact_at"
)
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
        self._match_key: tuple[str, bool] | None = None
        self._match_set = False  # True: matches are in temp.queue_match; False: test rows
        self._match_count = 0
        self._probed = False  # the first page came from testing rows in sort order
        self._count: int | None = None

    # -- what is shown -------------------------------------------------------------------

    @property
    def spec(self) -> QueueSpec:
        return self._spec

    def set_spec(self, spec: QueueSpec) -> None:
        """Show something else. Filter matches are kept while text and scope stay."""
        with self._lock:
            same_rows = (spec.view, spec.text.strip(), spec.agent_id, spec.department_id) == (
                self._spec.view, self._spec.text.strip(), self._spec.agent_id,
                self._spec.department_id)
            self._spec = spec
            self._blocks.clear()
            if not same_rows:  # a new sort shows the same rows: the count stands
                self._count = None

    def invalidate(self) -> None:
        """Forget everything cached: call after the store changed."""
        with self._lock:
            self._blocks.clear()
            self._count = None
            self._match_key = None

    def interrupt(self) -> None:
        """Abort the query running now, from any thread (it raises "interrupted")."""
        self._connection.interrupt()

    def close(self) -> None:
        self._connection.interrupt()
        with self._lock:
            self._connection.close()

    # -- reading -------------------------------------------------------------------------

    def count(self) -> int:
        """How many tickets the spec shows (cached until the spec or the store changes)."""
        with self._lock:
            if self._count is None:
                self._prepare_matches()
                if self._probed:
                    # Counting by testing every row costs more than matching through the
                    # indexes, and the match set serves the pages that follow as well.
                    self._materialize(" ".join(self._spec.text.split()))
                plan = self._plan(for_count=True)
                self._count = int(self._connection.execute(
                    f"SELECT count(*) FROM {plan.source} WHERE {plan.where}", plan.params
                ).fetchone()[0])
            return self._count

    @property
    def known_count(self) -> int | None:
        return self._count

    def rows(self, start: int, stop: int) -> list[TicketRow]:
        """Rows `start` to `stop` (exclusive) of the list; fewer at its end."""
        with self._lock:
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
            # Beyond the first pages, testing rows one by one gets slow: match through
            # the indexes once, then walk the sort index keeping the matches.
            self._materialize(" ".join(self._spec.text.split()))
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
        total = self._count
        reverse = total is not None and offset > total // 2
        skip = (total - offset - 1) if reverse else offset  # type: ignore[operator]
        if skip < 0:
            return _Block([], [])
        if not plan.index_only:
            # Skipping rows would read each of them: let the page query do it once.
            if reverse:
                size = min(BLOCK, total - offset)  # type: ignore[operator]
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
        sql = (f"SELECT {_COLUMNS}, {', '.join(plan.order)} FROM {plan.source} {_JOINS} "
               f"WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?")
        fetched = self._connection.execute(sql, [*params, limit, offset]).fetchall()
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
        index: str | None = f"ix_{scope}_{suffix}"
        index_only = True
        # Counting needs no order: the narrowest covering index will do.
        count_index = "ix_open_status" if spec.scope_open else "ix_queue_created"
        if spec.view == QueueView.MINE:
            clauses.append("t.owner_id = ?")
            params.append(spec.agent_id or "")
            index, index_only = None, False  # an agent's own open tickets are few
            count_index = "ix_open_owner_id"
        elif spec.view == QueueView.UNASSIGNED:
            clauses.append("t.owner_id IS NULL")
            index, index_only = None, False
            count_index = "ix_open_owner_id"
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
        sparse = self._match_key is not None and self._match_set
        if for_count and not sparse:
            index = count_index
        if self._match_key is not None:
            if self._match_set:
                clauses.append("t.rowid IN (SELECT rid FROM temp.queue_match)")
                if for_count or self._match_count <= _DRIVE_FROM_MATCHES or index is None:
                    # Driven by the matches: rowid lookups, then a sort of a small set. Not
                    # a join: SQLite would build a Bloom filter over every ticket for one.
                    return _Plan("ticket AS t", " AND ".join(clauses), params,
                                 tuple(order), False)
                # Many matches: walk the sort index and keep members. A page needs only
                # as many index entries as it takes to meet 64 members, and no row reads
                # for the ones skipped, where sorting the matches would read every one.
                return _Plan(f"ticket AS t INDEXED BY {index}", " AND ".join(clauses),
                             params, tuple(order), index_only)
            words_sql, words_params = _text_terms(spec.text)
            clauses.append(words_sql)
            params += words_params
            if for_count and index_only:
                index = f"ix_{scope}_subject"  # the text test is index-only there
        source = f"ticket AS t INDEXED BY {index}" if index else "ticket AS t"
        return _Plan(source, " AND ".join(clauses), params, tuple(order), index_only)

    def _prepare_matches(self) -> None:
        """Match the filter text once per text and scope into temp.queue_match.

        The first word is looked up three narrow ways (a scan of the subject index, the
        customers by name, the agents by handle) rather than one wide test per ticket;
        further words then narrow that set. Past _SMALL_MATCH rows it stops: pages test
        rows themselves instead (see _plan).
        """
        text = " ".join(self._spec.text.split())
        if not text:
            self._match_key = None
            return
        key = (text, self._spec.scope_open)
        if key == self._match_key:
            return
        self._match_key, self._match_set, self._match_count = key, False, 0
        self._probed = self._probe()
        if not self._probed:
            self._materialize(text)

    def _materialize(self, text: str) -> None:
        """Put the filter's matches in temp.queue_match (or learn there are too many)."""
        self._probed = False
        where = f"NOT t.deleted AND {_OPEN}" if self._spec.scope_open else "NOT t.deleted"
        words = text.lower().split()[:8]
        first = _like(words[0])
        connection = self._connection
        connection.execute("DROP TABLE IF EXISTS temp.queue_match")
        connection.execute("CREATE TEMP TABLE queue_match (rid INTEGER PRIMARY KEY)")
        if self._spec.scope_open:
            # Open tickets are few: one pass over their subject index tests all three.
            terms, params = _word_terms(words[0])
            lookups = [(f"FROM ticket AS t INDEXED BY ix_open_subject WHERE {where} AND "
                        f"{terms}", params)]
        else:
            lookups = [
                (f"FROM ticket AS t INDEXED BY ix_queue_subject WHERE {where} "
                 "AND t.subject LIKE ? ESCAPE '\\'", [first]),
                ("FROM customer AS c CROSS JOIN ticket AS t ON t.customer_id = c.id "
                 f"WHERE c.name LIKE ? ESCAPE '\\' AND {where}", [first]),
                ("FROM agent AS a CROSS JOIN ticket AS t ON t.owner_id = a.id "
                 f"WHERE a.handle LIKE ? ESCAPE '\\' AND {where}", [first]),
            ]
        number = _key_number(text)
        if number is not None:
            lookups.append((f"FROM ticket AS t WHERE {where} AND t.number = ?", [number]))
        found = 0
        for source, params in lookups:
            # Stop one past the limit: beyond it only the set's size matters.
            connection.execute(
                f"INSERT OR IGNORE INTO temp.queue_match SELECT t.rowid {source} LIMIT ?",
                [*params, _SMALL_MATCH + 1 - found],
            )
            found = self._matched_rows()
            if found > _SMALL_MATCH:
                break
        if found <= _SMALL_MATCH and len(words) > 1:
            terms, params = _word_terms(" ".join(words[1:]))
            connection.execute(
                "DELETE FROM temp.queue_match WHERE NOT EXISTS (SELECT 1 FROM ticket AS t "
                f"WHERE t.rowid = queue_match.rid AND {terms})", params)
            found = self._matched_rows()
        self._match_set = found <= _SMALL_MATCH
        self._match_count = found

    def _probe(self) -> bool:
        """Try the first page by testing rows in sort order, for a few milliseconds.

        When the text is common, a page fills long before the budget runs out and no
        match set is needed at all. A rare text runs out of budget: then it is matched
        through the indexes instead. True when the probe answered.
        """
        deadline = time.perf_counter() + _PROBE_SECONDS
        self._connection.set_progress_handler(lambda: time.perf_counter() > deadline, 2000)
        try:
            block = self._page(self._plan())
        except sqlite3.OperationalError:
            return False  # interrupted
        finally:
            self._connection.set_progress_handler(None, 0)
        self._blocks[0] = block
        if len(block.rows) < BLOCK:
            self._count = len(block.rows)
        return True

    def _matched_rows(self) -> int:
        return int(self._connection.execute(
            "SELECT count(*) FROM temp.queue_match").fetchone()[0])


def _key_number(text: str) -> int | None:
    """The ticket number when the text is a key (`SD-42`, `42`), else None."""
    number = text.strip().upper().removeprefix("SD-")
    return int(number) if number.isdecimal() and int(number) <= _MAX_INT else None


def _text_terms(text: str) -> tuple[str, list[object]]:
    """The whole filter as a row test: every word matches, or the text is the ticket's key."""
    terms, params = _word_terms(text)
    number = _key_number(text)
    if number is None:
        return terms, params
    return f"({terms} OR t.number = ?)", [*params, number]


def _word_terms(text: str) -> tuple[str, list[object]]:
    """Every word must occur in the subject, the customer's name or the owner's handle."""
    terms, params = [], []
    for word in text.lower().split()[:8]:
        terms.append("(t.subject LIKE ? ESCAPE '\\' OR t.customer_sort LIKE ? ESCAPE '\\' "
                     "OR t.owner_sort LIKE ? ESCAPE '\\')")
        pattern = _like(word)
        params += [pattern, pattern, pattern]
    return "(" + " AND ".join(terms) + ")", params


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
