"""The queue table's columns, and how a ticket row reads in them: one line of text cells.

Narrow, the columns give up room for Subject (`layout`): Customer first, then Owner,
Status and Key, each down to its `narrow` width; no column is dropped. Text is measured
in terminal cells, with variation selectors taken out (`fit`), so a wide character or an
emoji never shifts the line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.cells import cell_len, set_cell_size

from deskterm.domain.clock import utcnow
from deskterm.domain.enums import TicketStatus
from deskterm.domain.promise_state import PromiseStatus, due_status
from deskterm.i18n import N_, _
from deskterm.present import age
from deskterm.store.queries import TicketRow
from deskterm.store.queue import QueueSort


@dataclass(frozen=True)
class Column:
    label: str  # marked N_(): shown as `_(label)` (`title`)
    sort: QueueSort
    width: int  # 0: takes the rest
    narrow: int = 0  # the least it is given when the table is narrow (0: its width)

    @property
    def title(self) -> str:
        """The label in the current language."""
        return _(self.label)


COLUMNS = (
    Column(N_("Key"), QueueSort.KEY, 10, narrow=8),
    # TRANSLATORS: the queue's priority column, one letter wide.
    Column(N_("P"), QueueSort.PRIORITY, 2),
    Column(N_("Status"), QueueSort.STATUS, 11, narrow=9),
    Column(N_("Subject"), QueueSort.SUBJECT, 0),
    Column(N_("Customer"), QueueSort.CUSTOMER, 18, narrow=12),
    Column(N_("Owner"), QueueSort.OWNER, 8, narrow=6),
    # TRANSLATORS: the queue's column of how old a ticket is ("3h", "2d"): 4 cells at most.
    Column(N_("Age"), QueueSort.AGE, 4),
    # TRANSLATORS: the queue's column of the last customer contact: 7 cells at most.
    Column(N_("Contact"), QueueSort.LAST_CONTACT, 8),  # room for "Contact▼"
)
#: Subject's width before the other columns give up theirs (most subjects fit in it).
SUBJECT_ROOM = 30
#: Subject's width however narrow the table is.
SUBJECT_LEAST = 12
#: Who gives up room for Subject first.
_GIVE_WAY = (QueueSort.CUSTOMER, QueueSort.OWNER, QueueSort.STATUS, QueueSort.KEY)


def layout(width: int) -> list[int]:
    """Column widths for a table `width` cells wide (one space between columns)."""
    widths = {c.sort: c.width for c in COLUMNS}
    gaps = len(COLUMNS) - 1

    def subject() -> int:
        return width - gaps - sum(widths.values())

    for sort in _GIVE_WAY:
        short = SUBJECT_ROOM - subject()
        if short <= 0:
            break
        column = next(c for c in COLUMNS if c.sort == sort)
        widths[sort] -= min(short, column.width - (column.narrow or column.width))
    widths[QueueSort.SUBJECT] = max(SUBJECT_LEAST, subject())
    return [widths[c.sort] for c in COLUMNS]


#: The status cell of a ticket whose promise is due soon or broken.
PROMISE_MARKERS = {PromiseStatus.DUE_SOON: N_("◷ due soon"),
                   PromiseStatus.BROKEN: N_("◷ overdue")}


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
        return _(PROMISE_MARKERS[promise])
    if row.returned_at is not None:
        return _("↩ returned")  # back from the resolver: tell the customer
    if promise is not None:
        return _(PROMISE_MARKERS[promise])
    if row.status == TicketStatus.ESCALATED and row.resolver_tier:
        # TRANSLATORS: the queue's status cell of a ticket escalated to line (tier) 2 or 3.
        return _("esc→T{tier}").format(tier=row.resolver_tier)
    return TicketStatus(row.status).label


def cells(row: TicketRow, now: datetime) -> list[str]:
    return [row.key, str(row.priority), status_label(row, now), row.subject, row.customer,
            row.owner or "—", age(row.created_at, now), age(row.last_contact_at, now)]


def plain_cells(text: str) -> str:
    """`text` without variation selectors, which terminals and Rich measure differently
    (an emoji with U+FE0F is one cell to Rich and two to many terminals)."""
    return text.replace("\ufe0f", "").replace("\ufe0e", "")


def fit(text: str, width: int) -> str:
    """`text` cut (with `…`) or padded to exactly `width` terminal cells."""
    text = plain_cells(text)
    if cell_len(text) > width:
        return set_cell_size(text, max(0, width - 1)) + "…" if width else ""
    return set_cell_size(text, width)
