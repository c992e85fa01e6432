"""What the goodwill pane shows: this period's budget and its ledger, read off the UI thread.

The ledger lists the same period as the balance above it (the entries that make it up),
newest first, at most LEDGER_LIMIT. A reversal always falls in the period of the entry
it reverses, so both stand in the same list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from rich.text import Text

from deskterm.domain import GoodwillEntry
from deskterm.domain.enums import LedgerKind
from deskterm.domain.goodwill import period_of
from deskterm.services import goodwill
from deskterm.services.contacts import Names, names_for
from deskterm.services.goodwill import Budget
from deskterm.services.lookup import short_id
from deskterm.ui.session import DeskSession
from deskterm.ui.widgets.history.view import short_time

LEDGER_LIMIT = 200
#: The ledger's columns, as (label, key).
COLUMNS = (("When", "when"), ("Amount", "amount"), ("Kind", "kind"), ("Ticket", "ticket"),
           ("Customer", "customer"), ("Reason", "reason"))
KIND_STYLES = {LedgerKind.ALLOCATION: "green", LedgerKind.SPEND: "", LedgerKind.REVERSAL: "cyan"}


@dataclass(frozen=True)
class LedgerView:
    """A budget, the entries that make it up (newest first) and the names they refer to."""

    budget: Budget
    entries: list[GoodwillEntry]
    names: Names
    now: datetime

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
        return f"{entry.kind.value} of {entry.amount} on {self.when(entry)}"

    def when(self, entry: GoodwillEntry) -> str:
        return short_time(entry.created_at, self.now)

    def describe(self, entry: GoodwillEntry) -> str:
        """One line a person recognises an entry by: kind, amount, when, what for, why."""
        parts = [self.headline(entry)]
        key = self.names.tickets.get(entry.ticket_id or "")
        customer = self.names.customers.get(entry.customer_id or "")
        parts += [p for p in (key, customer) if p]
        author = self.names.agents.get(entry.author_id)
        if author:
            parts.append(f"by {author}")
        return " · ".join(parts) + f": {entry.reason}"


def load_ledger(session: DeskSession) -> LedgerView:
    """The acting agent's budget for this period. Reads the store: call in a worker."""
    store, ctx = session.store, session.ctx
    now = ctx.now()
    period = period_of(now)
    budget = goodwill.balance(store, ctx.actor.handle, period=period, currency=ctx.currency)
    entries = goodwill.ledger(store, ctx.actor.handle, period=period, limit=LEDGER_LIMIT)
    names = names_for(store, agents=[e.author_id for e in entries],
                      tickets=[e.ticket_id for e in entries],
                      customers=[e.customer_id for e in entries])
    return LedgerView(budget, entries, names, now)


def ledger_row(view: LedgerView, entry: GoodwillEntry) -> list[Text]:
    """The cells of one entry. Reversed entries dim; a reversal says what it reverses."""
    reversed_ = entry.id in view.reversed_ids
    dim = "dim" if reversed_ else ""
    kind = Text(entry.kind.value, style=KIND_STYLES[entry.kind])
    if reversed_:
        kind.append(" ↺ reversed", style="dim")
    reason = entry.reason
    if entry.reverses_id:
        original = view.entry(entry.reverses_id)
        what = view.headline(original) if original else f"entry {short_id(entry.reverses_id)}"
        reason = f"↺ {what}: {entry.reason}"
    amount_style = "green" if entry.amount_cents > 0 else ""
    return [
        Text(view.when(entry), style="dim"),
        Text(str(entry.amount), style=f"{amount_style} {dim}".strip(), justify="right"),
        kind,
        Text(view.names.tickets.get(entry.ticket_id or "", ""), style=dim),
        Text(view.names.customers.get(entry.customer_id or "", ""), style=dim),
        Text(reason, style=dim),
    ]


def summary(budget: Budget, *, lead: bool) -> str:
    """The line under the balance: allocated, spent, the period (and whose, for leads)."""
    line = (f"of {budget.allocated} allocated · {budget.spent} spent · "
            f"period {budget.period}")
    return f"{line} · budget of @{budget.agent.handle} (yours)" if lead else line
