"""Read-side queries for lists that can be big: the ticket queue and its filters.

Every query here has a LIMIT. They return plain rows (dataclasses), not ORM objects,
because a list shows a few columns of many rows.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from deskterm.domain.enums import OPEN_STATUSES, Priority, TicketStatus
from deskterm.domain.keys import ticket_key
from deskterm.store.fold import FOLD_FUNCTION, fold
from deskterm.store.queue_filter import FilterText, text_terms


@dataclass(frozen=True)
class TicketFilter:
    """Which tickets a list shows. Empty fields do not filter."""

    statuses: tuple[TicketStatus, ...] = ()
    owner_id: str | None = None
    unassigned: bool = False
    department_id: str | None = None
    customer_id: str | None = None
    text: str = ""  # the queue's text match (store.queue_filter): words or a ticket's key


@dataclass(frozen=True)
class TicketRow:
    id: str
    number: int | None
    subject: str
    customer_id: str
    customer: str
    status: TicketStatus
    priority: Priority
    owner: str | None  # the owner's handle
    department: str | None  # department code
    resolver_tier: int | None
    resolver_group: str | None
    created_at: datetime
    updated_at: datetime
    last_contact_at: datetime | None
    #: Set while the resolver has handed it back and its owner has not closed it.
    returned_at: datetime | None = None
    #: The earliest time in force of its unkept promises (the queue's marker reads it
    #: with domain.promises.due_status); None: none, or not read (ticket lists).
    promise_due_at: datetime | None = None
    extra: dict[str, object] = field(default_factory=dict, compare=False)

    @property
    def key(self) -> str:
        return ticket_key(self.number, self.id)


OPEN_FILTER = TicketFilter(statuses=OPEN_STATUSES)

# CROSS JOIN makes SQLite keep the ticket table as the outer loop, so the ticket filter's
# index leads. With ANALYZE statistics and a plain JOIN the planner may prefer to scan
# customers and probe tickets per customer: seconds instead of milliseconds on 1M tickets.
_SELECT = (
    "SELECT t.id, t.number, t.subject, t.customer_id, c.name, t.status, t.priority, a.handle, "
    "d.code, t.resolver_tier, t.resolver_group, t.created_at, t.updated_at, t.last_contact_at, "
    "CASE WHEN t.status IN ('resolved', 'closed') THEN NULL ELSE t.returned_at END "
    "FROM ticket AS t CROSS JOIN customer AS c ON c.id = t.customer_id "
    "LEFT JOIN agent AS a ON a.id = t.owner_id "
    "LEFT JOIN department AS d ON d.id = t.department_id "
)


def where_clause(flt: TicketFilter) -> tuple[str, list[object]]:
    """The WHERE part for a filter, with its parameters."""
    clauses = ["NOT t.deleted"]
    params: list[object] = []
    if flt.statuses:
        clauses.append(f"t.status IN ({', '.join('?' for _ in flt.statuses)})")
        params.extend(s.value for s in flt.statuses)
    if flt.owner_id:
        clauses.append("t.owner_id = ?")
        params.append(flt.owner_id)
    if flt.unassigned:
        clauses.append("t.owner_id IS NULL")
    if flt.department_id:
        clauses.append("t.department_id = ?")
        params.append(flt.department_id)
    if flt.customer_id:
        clauses.append("t.customer_id = ?")
        params.append(flt.customer_id)
    text = FilterText.parse(flt.text)
    if text is not None:
        # The workspace's filter, word for word (store.queue_filter holds its definition).
        terms, text_params = text_terms(text)
        clauses.append(terms)
        params.extend(text_params)
    return " AND ".join(clauses), params


def list_tickets(connection: sqlite3.Connection, flt: TicketFilter, *, limit: int = 50,
                 offset: int = 0) -> list[TicketRow]:
    """Tickets matching the filter, newest first."""
    where, params = where_clause(flt)
    sql = _SELECT + f"WHERE {where} ORDER BY t.created_at DESC, t.id DESC LIMIT ? OFFSET ?"
    rows = connection.execute(sql, [*params, max(1, min(limit, 10_000)), max(0, offset)])
    return [ticket_row(r) for r in rows]


def count_tickets(connection: sqlite3.Connection, flt: TicketFilter) -> int:
    where, params = where_clause(flt)
    return int(connection.execute(
        f"SELECT count(*) FROM ticket AS t WHERE {where}", params
    ).fetchone()[0])


def ticket_row(r: tuple[Any, ...]) -> TicketRow:
    return TicketRow(
        id=r[0], number=r[1], subject=r[2], customer_id=r[3], customer=r[4],
        status=TicketStatus(r[5]), priority=Priority(r[6]), owner=r[7], department=r[8],
        resolver_tier=r[9], resolver_group=r[10], created_at=parse_time(r[11]),
        updated_at=parse_time(r[12]),
        last_contact_at=parse_time(r[13]) if r[13] else None,
        returned_at=parse_time(r[14]) if len(r) > 14 and r[14] else None,
        promise_due_at=parse_time(r[15]) if len(r) > 15 and r[15] else None,
    )


def parse_time(value: str) -> datetime:
    """A stored UTC timestamp as an aware datetime."""
    moment = datetime.fromisoformat(value)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True)
class CustomerRow:
    id: str
    name: str
    email: str | None
    organisation: str | None
    phone: str | None
    created_at: datetime


def list_customers(connection: sqlite3.Connection, text: str = "", *, limit: int = 50
                   ) -> list[CustomerRow]:
    """Customers whose name, email, organisation or phone holds `text` (all when empty),
    by name. Case and accents do not matter (`wang` finds Wáng, the way the queue filter
    folds: store.fold); a phone matches on its digits (`0612` finds `+31 6 12...`)."""
    sql = ("SELECT id, name, email, organisation, phone, created_at FROM customer "
           "WHERE NOT deleted")
    params: list[object] = []
    if text.strip():
        pattern = _like_pattern(fold(text.strip()))
        sql += (f" AND ({FOLD_FUNCTION}(name) LIKE ? ESCAPE '\\'"
                f" OR {FOLD_FUNCTION}(email) LIKE ? ESCAPE '\\'"
                f" OR {FOLD_FUNCTION}(organisation) LIKE ? ESCAPE '\\'")
        params.extend([pattern] * 3)
        digits = re.sub(r"[^0-9]", "", text)
        if len(digits) >= 3 and not _NOT_PHONE.search(text):
            sql += (" OR replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''),"
                    " '.', ''), '(', ''), ')', '') LIKE ?")
            params.append(f"%{digits}%")
        sql += ")"
    sql += " ORDER BY name, id LIMIT ?"
    rows = connection.execute(sql, [*params, max(1, min(limit, 10_000))])
    return [CustomerRow(r[0], r[1], r[2], r[3], r[4], parse_time(r[5])) for r in rows]


#: What a phone number as typed never holds: then the text is not one.
_NOT_PHONE = re.compile(r"[^0-9 +().\-/]")


def _like_pattern(word: str) -> str:
    """`%word%` for LIKE ... ESCAPE '\\', the word's own % and _ taken literally."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
