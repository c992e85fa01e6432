"""The goodwill ledger: append-only entries; a balance is always a sum of entries.

`amount_cents` is the entry's signed effect on the budget: an allocation adds, a spend
takes away, and a reversal carries the negation of the entry it reverses.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from deskterm.domain.enums import LedgerKind
from deskterm.domain.ids import uuid7
from deskterm.domain.money import Money
from deskterm.domain.types import EnumText, UtcDateTime, utcnow


def period_of(moment: datetime) -> str:
    """The budget period a moment falls in: the calendar month, `2026-11`."""
    return f"{moment.year:04d}-{moment.month:02d}"


class GoodwillEntry(SQLModel, table=True):
    __tablename__ = "goodwill_entry"

    id: str = Field(default_factory=uuid7, primary_key=True)
    kind: LedgerKind = Field(sa_type=EnumText(LedgerKind))
    #: Whose budget the entry moves.
    budget_agent_id: str = Field(foreign_key="agent.id")
    period: str
    amount_cents: int
    currency: str = "EUR"
    ticket_id: str | None = Field(default=None, foreign_key="ticket.id")
    customer_id: str | None = Field(default=None, foreign_key="customer.id")
    reason: str
    #: For a reversal: the entry it cancels. An entry is reversed at most once.
    reverses_id: str | None = Field(default=None, foreign_key="goodwill_entry.id", unique=True)
    author_id: str = Field(foreign_key="agent.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)

    @property
    def amount(self) -> Money:
        return Money(self.amount_cents, self.currency)
