"""The goodwill ledger's lines as table cells, and the line under the balance."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from deskterm.domain import GoodwillEntry
from deskterm.domain.enums import LedgerKind
from deskterm.services.goodwill import Budget
from deskterm.services.lookup import short_id
from deskterm.ui.widgets.goodwill.loader import LoadedLedger, RejectedEntry

#: The ledger's columns, as (label, key).
COLUMNS = (("When", "when"), ("Amount", "amount"), ("Kind", "kind"), ("Ticket", "ticket"),
           ("Customer", "customer"), ("Reason", "reason"))
KIND_STYLES = {LedgerKind.ALLOCATION: "green", LedgerKind.SPEND: "", LedgerKind.REVERSAL: "cyan"}


def ledger_lines(view: LoadedLedger) -> list[tuple[str, list[Text]]]:
    """(table key, cells) of every line, newest first: entries and rejected entries."""
    dated: list[tuple[datetime | None, str, list[Text]]] = [
        (e.created_at, e.id, ledger_row(view, e)) for e in view.entries]
    dated += [(r.created_at, r.key, rejected_row(view, r)) for r in view.rejected]
    # Stable: entries keep the service's order among equal times.
    dated.sort(key=lambda line: line[0].timestamp() if line[0] else 0.0, reverse=True)
    return [(key, cells) for _, key, cells in dated]


def ledger_row(view: LoadedLedger, entry: GoodwillEntry) -> list[Text]:
    """The cells of one entry. Reversed entries dim; a reversal says what it reverses."""
    reversed_ = entry.id in view.reversed_ids
    dim = "dim" if reversed_ else ""
    kind = Text(entry.kind.value, style=KIND_STYLES[entry.kind])
    if reversed_:
        kind.append(" ↺ reversed", style="dim")
    if entry.id in view.pending_ids:
        kind.append(" ↑ pending", style="yellow")
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


def rejected_row(view: LoadedLedger, entry: RejectedEntry) -> list[Text]:
    """A refused entry: struck through, with the server's reason first."""
    gone = "dim strike"
    when = view.when_at(entry.created_at) if entry.created_at else ""
    reason = Text(f"rejected: {entry.rejection}", style="red")
    reason.append(f" · {entry.reason}", style=gone)
    return [
        Text(when, style=gone),
        Text(str(entry.amount), style=gone, justify="right"),
        Text.assemble((entry.kind, gone), (" ✗ rejected", "bold red")),
        Text(view.names.tickets.get(entry.ticket_id or "", ""), style=gone),
        Text(view.names.customers.get(entry.customer_id or "", ""), style=gone),
        reason,
    ]


def summary(budget: Budget, *, lead: bool) -> str:
    """The line under the balance: allocated, spent, the period (and whose, for leads)."""
    line = (f"of {budget.allocated} allocated · {budget.spent} spent · "
            f"period {budget.period}")
    return f"{line} · budget of @{budget.agent.handle} (yours)" if lead else line
