"""The goodwill ledger: append-only entries; a balance is always a sum of entries.

`amount_cents` is the entry's signed effect on the budget: an allocation adds, a spend
takes away, and a reversal carries the negation of the entry it reverses.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from deskterm.domain.clock import utcnow
from deskterm.domain.enums import LedgerKind
from deskterm.domain.money import Money
from deskterm.domain.types import EnumText, UtcDateTime, identifier, matching, reference

#: A budget period is a calendar month: `2026-11`.
PERIOD = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
#: The most one ledger entry may move, in cents (10,000.00): a typo's limit, and what
#: keeps any budget's sum far from the 64-bit integers the databases hold.
MAX_ENTRY_CENTS = 1_000_000


def period_of(moment: datetime) -> str:
    """The budget period a moment falls in: the calendar month, `2026-11`."""
    return f"{moment.year:04d}-{moment.month:02d}"


class GoodwillEntry(SQLModel, table=True):
    __tablename__ = "goodwill_entry"

    id: str = identifier()
    kind: LedgerKind = Field(sa_type=EnumText(LedgerKind))
    #: Whose budget the entry moves.
    budget_agent_id: str = reference("agent.id")
    period: str = matching(PERIOD)
    #: Never zero, and at most MAX_ENTRY_CENTS either way: the cap of one entry.
    amount_cents: int = Field(ge=-MAX_ENTRY_CENTS, le=MAX_ENTRY_CENTS)
    currency: str = matching(r"^[A-Z]{3}$", default="EUR")
    ticket_id: str | None = reference("ticket.id", default=None)
    customer_id: str | None = reference("customer.id", default=None)
    reason: str = Field(max_length=500)
    #: For a reversal: the entry it cancels. An entry is reversed at most once.
    reverses_id: str | None = reference("goodwill_entry.id", default=None, unique=True)
    author_id: str = reference("agent.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)

    @property
    def amount(self) -> Money:
        return Money(self.amount_cents, self.currency)
