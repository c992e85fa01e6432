"""The goodwill ledger's lines as table cells, and the line under the balance."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text

from deskterm.domain.enums import LedgerKind
from deskterm.i18n import N_, _

if TYPE_CHECKING:
    from deskterm.domain import GoodwillEntry
    from deskterm.services.goodwill import Budget
    from deskterm.ui.widgets.goodwill.loader import LoadedLedger, RejectedEntry

#: The ledger's columns, as (label, key).
COLUMNS = ((N_("When"), "when"), (N_("Amount"), "amount"), (N_("Kind"), "kind"),
           (N_("Ticket"), "ticket"), (N_("Customer"), "customer"), (N_("Reason"), "reason"))
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
    from deskterm.services.lookup import short_id
    from deskterm.ui.widgets.goodwill.loader import kind_word

    reversed_ = entry.id in view.reversed_ids
    dim = "dim" if reversed_ else ""
    kind = Text(kind_word(entry.kind), style=KIND_STYLES[entry.kind])
    if reversed_:
        kind.append(" " + _("↺ reversed"), style="dim")
    if entry.id in view.pending_ids:
        kind.append(" " + _("↑ pending"), style="yellow")
    reason = entry.reason
    if entry.reverses_id:
        original = view.entry(entry.reverses_id)
        what = view.headline(original) if original else _("entry {id}").format(
            id=short_id(entry.reverses_id))
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
    from deskterm.ui.widgets.goodwill.loader import kind_word

    gone = "dim strike"
    when = view.when_at(entry.created_at) if entry.created_at else ""
    reason = Text(_("rejected: {reason}").format(reason=entry.rejection), style="red")
    reason.append(f" · {entry.reason}", style=gone)
    return [
        Text(when, style=gone),
        Text(str(entry.amount), style=gone, justify="right"),
        Text.assemble((kind_word(entry.kind), gone), (" " + _("✗ rejected"), "bold red")),
        Text(view.names.tickets.get(entry.ticket_id or "", ""), style=gone),
        Text(view.names.customers.get(entry.customer_id or "", ""), style=gone),
        reason,
    ]


def summary(budget: Budget, *, lead: bool) -> str:
    """The line under the balance: allocated, spent, the period (and whose, for leads)."""
    if lead:
        return _("of {allocated} allocated · {spent} spent · period {period} · budget of "
                 "@{agent} (yours)").format(allocated=budget.allocated, spent=budget.spent,
                                            period=budget.period, agent=budget.agent.handle)
    return _("of {allocated} allocated · {spent} spent · period {period}").format(
        allocated=budget.allocated, spent=budget.spent, period=budget.period)
