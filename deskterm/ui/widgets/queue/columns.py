"""The queue table's columns, and how a ticket row reads in them: one line of text cells."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from deskterm.domain.clock import utcnow
from deskterm.domain.enums import TicketStatus
from deskterm.domain.promises import PromiseStatus, due_status
from deskterm.present import age
from deskterm.store.queries import TicketRow
from deskterm.store.queue import QueueSort


@dataclass(frozen=True)
class Column:
    label: str
    sort: QueueSort
    width: int  # 0: takes the rest


COLUMNS = (
    Column("Key", QueueSort.KEY, 10),
    Column("P", QueueSort.PRIORITY, 2),
    Column("Status", QueueSort.STATUS, 11),
    Column("Subject", QueueSort.SUBJECT, 0),
    Column("Customer", QueueSort.CUSTOMER, 18),
    Column("Owner", QueueSort.OWNER, 8),
    Column("Age", QueueSort.AGE, 4),
    Column("Contact", QueueSort.LAST_CONTACT, 7),
)


def layout(width: int) -> list[int]:
    """Column widths for a table `width` cells wide (one space between columns)."""
    fixed = sum(c.width for c in COLUMNS) + len(COLUMNS) - 1
    flexible = max(12, width - fixed)
    return [c.width or flexible for c in COLUMNS]


#: The status cell of a ticket whose promise is due soon or broken.
PROMISE_MARKERS = {PromiseStatus.DUE_SOON: "◷ due soon", PromiseStatus.BROKEN: "◷ overdue"}


def promise_marker(row: TicketRow, now: datetime) -> PromiseStatus | None:
    """The state of the ticket's most pressing unkept promise, when it is due soon or
    broken (domain.promises.due_status of its earliest time); else None."""
    if row.promise_due_at is None:
        return None
    status = due_status(row.promise_due_at, now)
    return status if status in PROMISE_MARKERS else None


def status_label(row: TicketRow, now: datetime | None = None) -> str:
    """The status, or what needs the agent more: a broken promise first, then a ticket
    back from the resolver, then a promise due soon (at `now`; None: the clock's)."""
    promise = promise_marker(row, now or utcnow())
    if promise is PromiseStatus.BROKEN:
        return PROMISE_MARKERS[promise]
    if row.returned_at is not None:
        return "↩ returned"  # back from the resolver: tell the customer
    if promise is not None:
        return PROMISE_MARKERS[promise]
    if row.status == TicketStatus.ESCALATED and row.resolver_tier:
        return f"esc→T{row.resolver_tier}"
    return row.status.value


def cells(row: TicketRow, now: datetime) -> list[str]:
    return [row.key, str(row.priority), status_label(row, now), row.subject, row.customer,
            row.owner or "—", age(row.created_at, now), age(row.last_contact_at, now)]


def fit(text: str, width: int) -> str:
    if len(text) > width:
        return text[: max(0, width - 1)] + "…"
    return text.ljust(width)
