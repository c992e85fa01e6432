"""The SQL that selects and orders a queue spec's rows: which index to walk, WHERE, sort key.

Every view and sort has an index to walk (schema 3): `ix_queue_*` over all live
tickets, the small partial `ix_open_*` over open ones. The ORDER BY lists every column
of that index, then the rowid, so index order is list order and a seek key is exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from deskterm.domain.bounds import MAX_BIGINT
from deskterm.domain.clock import utcnow
from deskterm.store.groups import CURRENT_GROUPS_SQL
from deskterm.store.promises import DUE_TICKETS_SQL, EARLIEST_DUE_SQL, due_cutoff, micros
from deskterm.store.queue.spec import QueueSort, QueueSpec, QueueView
from deskterm.store.queue_filter import MATCH_TABLE, OPEN_TEST, Matches, MatchMode

#: Up to this many matches, pages read the matching rows and sort them; above it they walk
#: the sort index and keep the matches (see plan_query).
DRIVE_FROM_MATCHES = 2_000

#: Per sort: the index name suffix and the leading index expressions.
SORT_INDEX: dict[QueueSort, tuple[str, tuple[str, ...]]] = {
    QueueSort.KEY: ("number", (f"ifnull(t.number, {MAX_BIGINT})",)),
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
class QueryPlan:
    """The SQL pieces of one spec."""

    source: str  # FROM, with the index to walk
    where: str
    params: list[object]
    order: tuple[str, ...]  # the sort key expressions, ending in t.rowid
    index_only: bool  # WHERE reads only columns of the index walked


def plan_query(spec: QueueSpec, matches: Matches | None, *,
               for_count: bool = False, now: datetime | None = None) -> QueryPlan:
    """How to read `spec`'s rows, given the filter's matches (None: no filter text).
    `now` (None: the clock's) is when a promise counts as due, for Promises due."""
    suffix, leading = SORT_INDEX[spec.sort]
    scope = "open" if spec.scope_open else "queue"
    clauses = ["NOT t.deleted"]
    params: list[object] = []
    order = [*leading]
    if spec.scope_open:
        clauses.append(OPEN_TEST)
        if spec.sort != QueueSort.STATUS:
            order.append("t.status")
    order += ["t.deleted", "t.rowid"]
    # The index whose order is the list's; None: the view's rows are few, so they
    # are found through `lookup` and sorted.
    index: str | None = f"ix_{scope}_{suffix}"
    lookup: str | None = None
    index_only = True
    # Counting needs no order: the narrowest covering index will do.
    count_index: str | None = "ix_open_status" if spec.scope_open else "ix_queue_created"
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
        if spec.view == QueueView.MINE:
            # Returned tickets first, whichever way the list is sorted: their
            # customers are waiting to hear the solution.
            order.insert(0, "(t.returned_at IS NOT NULL)" if spec.descending
                         else "(t.returned_at IS NULL)")
    elif spec.view == QueueView.MY_GROUPS:
        clauses.append(f"t.status = 'escalated' AND t.resolver_group_id IN "
                       f"({CURRENT_GROUPS_SQL})")
        params.append(spec.agent_id or "")
        index, index_only = None, False
        lookup = count_index = "ix_ticket_resolver_group"
    elif spec.view == QueueView.PROMISES_DUE:
        # Few tickets, found from their promises; the soonest promise first, whichever
        # way the list is sorted (its time, in whole microseconds, negated to descend).
        clauses.append(f"t.id IN ({DUE_TICKETS_SQL})")
        params.append(due_cutoff(now or utcnow()))
        index = lookup = count_index = None
        index_only = False
        due = micros(EARLIEST_DUE_SQL)
        order.insert(0, f"(-{due})" if spec.descending else due)
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
    if matches is not None and matches.terms:
        clauses.append(matches.terms)
        params += matches.params
        index_only = False
    if matches is not None and matches.mode != MatchMode.TEST:
        clauses.append(f"t.rowid IN (SELECT rid FROM {MATCH_TABLE})")
        if for_count or matches.size <= DRIVE_FROM_MATCHES or index is None:
            # Driven by the matches: rowid lookups, then a sort of a small set. Not
            # a join: SQLite would build a Bloom filter over every ticket for one.
            return QueryPlan("ticket AS t", " AND ".join(clauses), params, tuple(order),
                             False)
        # Many matches: walk the sort index and keep members. A page needs only
        # as many index entries as it takes to meet 64 members, and no row reads
        # for the ones skipped, where sorting the matches would read every one.
        return QueryPlan(f"ticket AS t INDEXED BY {index}", " AND ".join(clauses),
                         params, tuple(order), False)
    if for_count:
        index = count_index
        if matches is not None and view_index_only:
            index = f"ix_{scope}_subject"  # the words' test is index-only there
    source = f"ticket AS t INDEXED BY {index or lookup}" if index or lookup \
        else "ticket AS t"
    return QueryPlan(source, " AND ".join(clauses), params, tuple(order), index_only)
