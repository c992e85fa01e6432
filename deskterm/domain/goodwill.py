"""The goodwill ledger: append-only entries; a balance is always a sum of entries.

`amount_cents` is the entry's signed effect on the budget: an allocation adds, a spend
takes away, and a reversal carries the negation of the entry it reverses.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from deskterm.domain.clock import utcnow
from deskterm.domain.enums import LedgerKind
from deskterm.domain.errors import InsufficientBudget, InvalidInput
from deskterm.domain.money import CURRENCY, DEFAULT_CURRENCY, Money
from deskterm.domain.types import EnumText, UtcDateTime, identifier, matching, reference
from deskterm.i18n import N_, _

#: A budget period is a calendar month: `2026-11`.
PERIOD = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
#: The most one ledger entry may move, in cents (10,000.00): a typo's limit, and what
#: keeps any budget's sum far from the 64-bit integers the databases hold.
MAX_ENTRY_CENTS = 1_000_000


#: The fewest characters of a reason, per kind of entry: the reason is what the ledger is
#: for. The services refuse a shorter one; the UI forms check the same before sending.
MIN_REASON = {LedgerKind.SPEND: 3, LedgerKind.ALLOCATION: 3, LedgerKind.REVERSAL: 3}
_TOO_SHORT = {
    LedgerKind.SPEND: N_("say in a few words why: the reason is what the ledger is for"),
    LedgerKind.ALLOCATION: N_("say in a few words what the budget is for"),
    LedgerKind.REVERSAL: N_("say in a few words why the entry is reversed"),
}


def period_of(moment: datetime) -> str:
    """The budget period a moment falls in: the calendar month, `2026-11`."""
    return f"{moment.year:04d}-{moment.month:02d}"


def parse_period(text: str) -> str:
    """A period as people type it (`2026-11`, `2026-1`) in its stored form, `2026-01`;
    InvalidInput saying how to write one."""
    parts = text.strip().split("-")
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() for p in parts) \
            or len(parts[0]) != 4 or not 1 <= int(parts[1]) <= 12:
        raise InvalidInput(_("'{text}' is not a period; write it as YYYY-MM, e.g. 2026-11")
                           .format(text=text))
    return f"{int(parts[0]):04d}-{int(parts[1]):02d}"


def amount_refusal(amount: Money, currency: str) -> str | None:
    """What is wrong with `amount` as the size of one entry of a budget kept in `currency`
    (the amount an agent or a lead types, always positive), else None."""
    if amount.currency != currency:
        return _("budgets are kept in {currency}, not {other}").format(currency=currency,
                                                                        other=amount.currency)
    if amount.cents <= 0:
        return _("the amount must be more than zero")
    if amount.cents > MAX_ENTRY_CENTS:
        return _("{amount} is more than one entry may move ({most})").format(
            amount=amount, most=Money(MAX_ENTRY_CENTS, currency))
    return None


def short_reason(kind: LedgerKind, reason: str) -> str | None:
    """What to tell the person when `reason` is too short for an entry of `kind`, else None."""
    return _(_TOO_SHORT[kind]) if len(reason.strip()) < MIN_REASON[kind] else None


def overdrawn(balance: Money, change: Money) -> Money | None:
    """The balance an entry moving `change` would leave, when that overdraws the budget.

    Only an entry that takes money out is judged (a spend, a reversed allocation): one
    that adds is always accepted, even to a budget already below zero.
    """
    after = balance + change
    return after if change.cents < 0 and after.cents < 0 else None


def refuse_overspend(balance: Money, change: Money, period: str) -> None:
    """InsufficientBudget, with both amounts, when `change` would overdraw the budget.

    The one overspend rule: the services judge a spend against the store's ledger, the
    server judges every pushed entry against everyone's (server.rules).
    """
    if overdrawn(balance, change) is not None:
        raise InsufficientBudget(_("not enough goodwill budget for {period}: {asked} asked, "
                                   "{left} left").format(period=period, asked=-change,
                                                         left=balance))


class GoodwillEntry(SQLModel, table=True):
    __tablename__ = "goodwill_entry"

    id: str = identifier()
    kind: LedgerKind = Field(sa_type=EnumText(LedgerKind))
    #: Whose budget the entry moves.
    budget_agent_id: str = reference("agent.id")
    period: str = matching(PERIOD)
    #: Never zero, and at most MAX_ENTRY_CENTS either way: the cap of one entry.
    amount_cents: int = Field(ge=-MAX_ENTRY_CENTS, le=MAX_ENTRY_CENTS)
    currency: str = matching(CURRENCY, default=DEFAULT_CURRENCY)
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
