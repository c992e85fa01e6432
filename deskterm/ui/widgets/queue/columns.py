"""The queue table's columns, and how a ticket row reads in them: one line of text cells."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from deskterm.domain.enums import TicketStatus
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


def status_label(row: TicketRow) -> str:
    if row.returned_at is not None:
        return "↩ returned"  # back from the resolver: tell the customer
    if row.status == TicketStatus.ESCALATED and row.resolver_tier:
        return f"esc→T{row.resolver_tier}"
    return row.status.value


def cells(row: TicketRow, now: datetime) -> list[str]:
    return [row.key, str(row.priority), status_label(row), row.subject, row.customer,
            row.owner or "—", age(row.created_at, now), age(row.last_contact_at, now)]


def fit(text: str, width: int) -> str:
    if len(text) > width:
        return text[: max(0, width - 1)] + "…"
    return text.ljust(width)
