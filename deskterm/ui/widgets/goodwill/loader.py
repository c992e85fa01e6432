"""What the goodwill pane shows: this period's budget and its ledger, read off the UI thread.

The ledger lists the same period as the balance above it (the entries that make it up),
newest first, at most LEDGER_LIMIT. A reversal always falls in the period of the entry
it reverses, so both stand in the same list.

When the desk syncs with a server, entries the server has not answered yet say
"pending", and spends it rejected (gone from the ledger and the balance, kept in the
outbox with the reason) stand struck through among the entries, so the agent sees that
the customer was not compensated and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from deskterm.domain import GoodwillEntry
from deskterm.domain.enums import LedgerKind
from deskterm.domain.goodwill import period_of
from deskterm.domain.money import DEFAULT_CURRENCY, Money
from deskterm.i18n import N_, _
from deskterm.services import goodwill
from deskterm.services.contacts import Names, names_for
from deskterm.services.goodwill import Budget
from deskterm.store import Store
from deskterm.ui.session import DeskSession
from deskterm.ui.widgets.history.lines import short_time

LEDGER_LIMIT = 200
#: How many rejected ledger changes to look through for this budget's period.
REJECTED_LIMIT = 50
#: The table key of a rejected change's line (entries are keyed by their id).
REJECTED_KEY = "rejected:"
#: One line an entry is recognised by, per kind.
HEADLINES = {LedgerKind.ALLOCATION: N_("allocation of {amount} on {when}"),
             LedgerKind.SPEND: N_("spend of {amount} on {when}"),
             LedgerKind.REVERSAL: N_("reversal of {amount} on {when}")}


def kind_word(kind: str) -> str:
    """A kind of entry (a stored value, or a rejected change's field) in words."""
    return LedgerKind(kind).label if kind in set(LedgerKind) else kind


@dataclass(frozen=True)
class RejectedEntry:
    """A ledger entry the server refused: no longer on the ledger, still owed an answer."""

    mutation_id: str
    kind: str
    amount: Money
    created_at: datetime | None
    ticket_id: str | None
    customer_id: str | None
    #: Why it was booked, as the agent wrote it.
    reason: str
    #: Why the server refused it.
    rejection: str

    @property
    def key(self) -> str:
        return REJECTED_KEY + self.mutation_id


@dataclass(frozen=True)
class LoadedLedger:
    """A budget, the entries that make it up (newest first) and the names they refer to."""

    budget: Budget
    entries: list[GoodwillEntry]
    names: Names
    now: datetime
    #: Entries whose change the server has not answered yet (only when syncing).
    pending_ids: frozenset[str] = frozenset()
    #: This budget's rejected entries of the period, newest first (only when syncing).
    rejected: list[RejectedEntry] = field(default_factory=list)

    @cached_property
    def reversed_ids(self) -> set[str]:
        return {e.reverses_id for e in self.entries if e.reverses_id}

    @cached_property
    def _by_id(self) -> dict[str, GoodwillEntry]:
        return {e.id: e for e in self.entries}

    def entry(self, entry_id: str) -> GoodwillEntry | None:
        return self._by_id.get(entry_id)

    def headline(self, entry: GoodwillEntry) -> str:
        """"spend of -€12.00 on 21 Nov 14:05"."""
        return _(HEADLINES[entry.kind]).format(amount=entry.amount, when=self.when(entry))

    def when(self, entry: GoodwillEntry) -> str:
        return short_time(entry.created_at, self.now)

    def when_at(self, moment: datetime) -> str:
        return short_time(moment, self.now)

    def describe(self, entry: GoodwillEntry) -> str:
        """One line a person recognises an entry by: kind, amount, when, what for, why."""
        parts = [self.headline(entry)]
        key = self.names.tickets.get(entry.ticket_id or "")
        customer = self.names.customers.get(entry.customer_id or "")
        parts += [p for p in (key, customer) if p]
        author = self.names.agents.get(entry.author_id)
        if author:
            parts.append(_("by {agent}").format(agent=author))
        return " · ".join(parts) + f": {entry.reason}"


def load_ledger(session: DeskSession) -> LoadedLedger:
    """The acting agent's budget for this period. Reads the store: call in a worker."""
    store, ctx = session.store, session.ctx
    now = ctx.now()
    period = period_of(now)
    budget = goodwill.balance(store, ctx.actor.handle, period=period, currency=ctx.currency)
    entries = goodwill.ledger(store, ctx.actor.handle, period=period, limit=LEDGER_LIMIT)
    pending: set[str] = set()
    rejected: list[RejectedEntry] = []
    # Without a server every change stays pending for good: marking them all says nothing.
    if session.login is not None:
        from deskterm.sync import replica  # here, not at import: the first frame waits for none

        pending = replica.pending_row_ids(store, "goodwill_entry", [e.id for e in entries])
        rejected = rejected_entries(store, budget.agent.id, period)
    names = names_for(store, agents=[e.author_id for e in entries],
                      tickets=[e.ticket_id for e in entries] + [r.ticket_id for r in rejected],
                      customers=[e.customer_id for e in entries] +
                      [r.customer_id for r in rejected])
    return LoadedLedger(budget, entries, names, now, frozenset(pending), rejected)


def rejected_entries(store: Store, agent_id: str, period: str) -> list[RejectedEntry]:
    """Rejected ledger changes of one budget and period, newest first."""
    from deskterm.sync import replica

    found = []
    for change in replica.rejected_of(store, "goodwill_entry", REJECTED_LIMIT):
        fields = change.fields
        if fields.get("budget_agent_id") != agent_id or fields.get("period") != period:
            continue
        created = fields.get("created_at")
        found.append(RejectedEntry(
            change.mutation_id, str(fields.get("kind", "entry")),
            Money(int(fields.get("amount_cents") or 0),
                  str(fields.get("currency") or DEFAULT_CURRENCY)),
            datetime.fromisoformat(created) if created else change.answered_at,
            fields.get("ticket_id"), fields.get("customer_id"), str(fields.get("reason", "")),
            change.reason or change.code))
    return found
