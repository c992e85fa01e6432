"""Goodwill forms: spend for the selected ticket's customer, and a lead's reversal.

Amounts are typed as people write them (`12.50`, `12,5`, `€12`; `1.234,50` in Dutch) and
read with `Money.parse` in the agent's currency; one that could be read two ways (`1,234`)
is refused, with its message inline. A refused spend (a typo, an overspend) shows its
message inline and keeps everything typed, so the agent corrects instead of retyping.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on, work
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Input, Label, Static
from textual.worker import Worker, WorkerState

from deskterm.domain import GoodwillEntry
from deskterm.domain.enums import LedgerKind
from deskterm.domain.errors import DeskError, InsufficientBudget, InvalidInput
from deskterm.domain.goodwill import amount_refusal, refuse_overspend, short_reason
from deskterm.domain.money import Money
from deskterm.i18n import N_, _
from deskterm.i18n.formats import convention
from deskterm.services import goodwill
from deskterm.store.queries import TicketRow
from deskterm.ui.forms.common import DeskForm
from deskterm.ui.session import DeskSession
from deskterm.ui.typed import worker_result
from deskterm.ui.widgets.history.lines import goodwill_given
from deskterm.ui.widgets.history.loader import LoadedHistory, load_history


class GoodwillForm(DeskForm[GoodwillEntry]):
    """What both goodwill forms share: a required reason, and the field to fix marked."""

    CHANGES = ("goodwill_entry",)

    DEFAULT_CSS = """
    GoodwillForm .form-note { color: $text-muted; }
    GoodwillForm #spend-given { color: $text-warning; padding-top: 1; display: none; }
    GoodwillForm #spend-given.-shown { display: block; }
    """

    @on(Input.Changed)
    def _edited(self, event: Input.Changed) -> None:
        event.input.remove_class("-invalid")

    def mark(self, field: Input) -> None:
        """Show `field` as the one to fix, and put the cursor in it."""
        field.add_class("-invalid")
        field.focus()

    def refuse(self, field: Input, message: str) -> InvalidInput:
        """Mark `field` and return the error for the caller to raise."""
        self.mark(field)
        return InvalidInput(message)

    def reason(self, field_id: str, kind: LedgerKind) -> str:
        """The reason typed in `field_id`; the ledger's own rule for `kind`, checked here
        too so that its message comes at once, beside the field."""
        field = self.query_one(field_id, Input)
        text = field.value.strip()
        refusal = short_reason(kind, text)
        if refusal:
            raise self.refuse(field, refusal)
        return text


class SpendForm(GoodwillForm):
    """Spend from the agent's own budget for `ticket` and its customer."""

    TITLE = N_("Spend goodwill")
    SUBMIT_LABEL = N_("Spend")

    def __init__(self, session: DeskSession, ticket: TicketRow | None) -> None:
        super().__init__(session, ticket)

    def fields(self) -> ComposeResult:
        ticket = self.ticket
        if ticket is None:
            yield Static(Content.styled(_("No ticket selected: a spend is always for a ticket "
                                          "and its customer. Select one in the queue first."),
                                        "$text-warning"), id="spend-for")
        else:
            # TRANSLATORS: before a ticket's key and its customer: "for SD-1042 · Mei Wang".
            yield Static(Content.assemble(_("for"), " ", (ticket.key, "bold"), " · ",
                                          (ticket.customer, "bold")), id="spend-for")
        yield Static(id="spend-given")
        yield Label(_("Amount ({currency})").format(currency=self.ctx.currency))
        yield Input(placeholder=f"12{convention().decimal}50", id="spend-amount")
        yield Static("", id="spend-balance", classes="form-note")
        yield Label(_("Reason"))
        yield Input(placeholder=_("what the goodwill is for, e.g. flowers after the outage"),
                    id="spend-reason")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#spend-amount", Input))
        self.budget: goodwill.Budget | None = None
        self._read_budget()
        if self.ticket is not None:
            self._read_given(self.ticket.customer_id)

    # -- what is left, from the start; the amount judged against it as it is typed -------

    @work(thread=True, exclusive=True, group="spend-budget", exit_on_error=False)
    def _read_budget(self) -> goodwill.Budget:
        return goodwill.balance(self.session.store, self.ctx.actor.handle,
                                currency=self.ctx.currency)

    @on(Worker.StateChanged)
    def _budget_read(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "spend-budget":
            return
        event.stop()  # a hint: without it the service still judges the spend
        if event.state == WorkerState.SUCCESS:
            self.budget = worker_result(event.worker, goodwill.Budget)
            self.query_one("#spend-balance", Static).update(
                _("Available for {period}: {balance}").format(period=self.budget.period,
                                                              balance=self.budget.balance))
            self._judge_amount()

    @on(Input.Changed, "#spend-amount")
    def _amount_changed(self) -> None:
        # After GoodwillForm._edited has unmarked the field, which it does for every edit.
        self.call_after_refresh(self._judge_amount)

    def _judge_amount(self) -> None:
        """Say at once what the service would refuse about the amount (the domain's own
        rules: amount_refusal, refuse_overspend), and drop a message that no longer holds."""
        field = self.query_one("#spend-amount", Input)
        self.clear_error()
        field.remove_class("-invalid")
        if not field.value.strip():
            return
        try:
            amount = Money.parse(field.value, self.ctx.currency)
            refusal = amount_refusal(amount, self.ctx.currency)
            if refusal is None and self.budget is not None:
                refuse_overspend(self.budget.balance, -amount, self.budget.period)
        except DeskError as error:
            refusal = error.message
        if refusal:
            field.add_class("-invalid")
            self.show_error(refusal)

    # -- "already given to this customer", so nobody compensates twice unknowingly ---------

    @work(thread=True, exclusive=True, group="spend-given", exit_on_error=False)
    def _read_given(self, customer_id: str) -> LoadedHistory:
        return load_history(self.session, customer_id, limit=1)

    @on(Worker.StateChanged)
    def _given_read(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "spend-given":
            return
        event.stop()  # a hint only: if it cannot be read, the form works without it
        if event.state == WorkerState.SUCCESS:
            text = goodwill_given(worker_result(event.worker, LoadedHistory))
            if text:
                given = self.query_one("#spend-given", Static)
                given.update(Content(f"⚠ {text}"))
                given.add_class("-shown")

    # -- submitting ----------------------------------------------------------------------

    @on(Worker.StateChanged)
    def _refused(self, event: Worker.StateChanged) -> None:
        """An overspend: the base form shows the message; point at the amount to change."""
        if event.worker.group == "form" and isinstance(event.worker.error, InsufficientBudget):
            self.mark(self.query_one("#spend-amount", Input))

    def submit(self) -> Callable[[], GoodwillEntry]:
        ticket = self.ticket
        if ticket is None:
            raise InvalidInput(_("select a ticket in the queue first: a spend is always for "
                                 "a ticket and its customer"))
        field = self.query_one("#spend-amount", Input)
        try:
            amount = Money.parse(field.value, self.ctx.currency)
        except DeskError as error:
            raise self.refuse(field, error.message) from None
        refusal = amount_refusal(amount, self.ctx.currency)
        if refusal:
            raise self.refuse(field, refusal)
        reason = self.reason("#spend-reason", LedgerKind.SPEND)
        ctx = self.ctx
        return lambda: goodwill.spend(ctx, amount, reason=reason, ticket=ticket.id,
                                      customer=ticket.customer_id)

    def success_message(self, result: GoodwillEntry) -> str:
        if self.ticket:
            return _("Spent {amount} on {key}: {reason}").format(
                amount=-result.amount, key=self.ticket.key, reason=result.reason)
        return _("Spent {amount}: {reason}").format(amount=-result.amount,
                                                    reason=result.reason)


class ReverseForm(GoodwillForm):
    """Cancel a ledger entry with a reversal that points at it (leads and admins)."""

    TITLE = N_("Reverse ledger entry")
    SUBMIT_LABEL = N_("Reverse")

    def __init__(self, session: DeskSession, entry: GoodwillEntry, *, about: str = "") -> None:
        super().__init__(session)
        self.entry = entry
        self.about = about

    def fields(self) -> ComposeResult:
        entry = self.entry
        about = self.about or _("{kind} of {amount}: {reason}").format(
            kind=entry.kind.label, amount=entry.amount, reason=entry.reason)
        # TRANSLATORS: before what is reversed: "Reverse spend of €12.50: flowers".
        yield Static(Content.assemble(_("Reverse"), " ", (about, "bold")), id="reverse-about")
        yield Static(_("A reversal of {amount} is booked against the same budget and period; "
                       "the entry itself stays in the ledger.").format(amount=-entry.amount),
                     classes="form-note", markup=False)
        yield Label(_("Reason"))
        yield Input(placeholder=_("why it is reversed"), id="reverse-reason")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#reverse-reason", Input))

    def submit(self) -> Callable[[], GoodwillEntry]:
        reason = self.reason("#reverse-reason", LedgerKind.REVERSAL)
        ctx, entry_id = self.ctx, self.entry.id
        return lambda: goodwill.reverse(ctx, entry_id, reason=reason)

    def success_message(self, result: GoodwillEntry) -> str:
        return _("Reversed with {amount}: {reason}").format(amount=result.amount,
                                                            reason=result.reason)
