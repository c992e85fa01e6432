"""The lead's allocation form: a goodwill budget for one agent, or the same for the whole team."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Label, Select, Static

from deskterm.domain import Agent, GoodwillEntry
from deskterm.domain.enums import LedgerKind
from deskterm.domain.errors import DeskError, InvalidInput
from deskterm.domain.goodwill import amount_refusal, short_reason
from deskterm.domain.money import Money
from deskterm.i18n import N_, _, ngettext
from deskterm.i18n.formats import convention, number
from deskterm.services import goodwill
from deskterm.services.goodwill_team import allocate_team
from deskterm.ui.forms.common import DeskForm, field_row
from deskterm.ui.session import DeskSession

#: The "to" choice that means every active agent of the team.
WHOLE_TEAM = "-"


class AllocateForm(DeskForm[list[GoodwillEntry]]):
    """Allocate to `chosen` (a handle) or, with WHOLE_TEAM, to every agent of the team at once.

    The whole-team allocation is one transaction: everybody gets it, or nobody does.
    """

    TITLE = N_("Allocate goodwill budget")
    SUBMIT_LABEL = N_("Allocate")
    CHANGES = ("goodwill_entry",)

    DEFAULT_CSS = """
    AllocateForm .form-note { color: $text-muted; }
    """

    def __init__(self, session: DeskSession, members: list[Agent], *, chosen: str | None,
                 period: str) -> None:
        super().__init__(session)
        self.members = members
        self.chosen = chosen or WHOLE_TEAM
        self.period = period

    def fields(self) -> ComposeResult:
        options = [(_("the whole team (each agent the same)"), WHOLE_TEAM),
                   *((f"@{a.handle} · {a.name}", a.handle) for a in self.members)]
        handles = {a.handle for a in self.members}
        yield Label(_("To"))
        yield Select[str](options, allow_blank=False, id="allocate-to",
                          value=self.chosen if self.chosen in handles else WHOLE_TEAM)
        amount = Input(placeholder=f"50{convention().decimal}00", id="allocate-amount")
        yield field_row((_("Amount ({currency})").format(currency=self.ctx.currency), amount),
                        # TRANSLATORS: the form a period is typed in (2026-11); JJJJ-MM in Dutch.
                        (_("Period"), Input(self.period, placeholder=_("YYYY-MM"),
                                            id="allocate-period")))
        yield Label(_("Reason"))
        yield Input(_("Goodwill budget"), id="allocate-reason")
        yield Static(_("An allocation is a ledger entry like any other: it can be reversed, "
                       "never edited."), classes="form-note")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#allocate-amount", Input))

    @on(Input.Changed)
    def _edited(self, event: Input.Changed) -> None:
        event.input.remove_class("-invalid")

    def _refuse(self, field: Input, message: str) -> InvalidInput:
        field.add_class("-invalid")
        field.focus()
        return InvalidInput(message)

    def submit(self) -> Callable[[], list[GoodwillEntry]]:
        field = self.query_one("#allocate-amount", Input)
        try:
            amount = Money.parse(field.value, self.ctx.currency)
        except DeskError as error:
            raise self._refuse(field, error.message) from None
        refusal = amount_refusal(amount, self.ctx.currency)
        if refusal:
            raise self._refuse(field, refusal)
        reason_field = self.query_one("#allocate-reason", Input)
        reason = reason_field.value.strip()
        refusal = short_reason(LedgerKind.ALLOCATION, reason)
        if refusal:
            raise self._refuse(reason_field, refusal)
        period = self.query_one("#allocate-period", Input).value.strip()
        to = str(self.query_one("#allocate-to", Select).value)
        ctx = self.ctx
        if to == WHOLE_TEAM:
            return lambda: allocate_team(ctx, amount, period=period, reason=reason)
        return lambda: [goodwill.allocate(ctx, to, amount, period=period, reason=reason)]

    def success_message(self, result: list[GoodwillEntry]) -> str:
        if not result:
            return _("Nothing allocated")
        first = result[0]
        if len(result) == 1:
            handle = next((a.handle for a in self.members if a.id == first.budget_agent_id),
                          None)
            if handle is None:
                return _("Allocated {amount} to the agent for {period}").format(
                    amount=first.amount, period=first.period)
            return _("Allocated {amount} to @{handle} for {period}").format(
                amount=first.amount, handle=handle, period=first.period)
        return ngettext("Allocated {amount} to each of {count} agent for {period}",
                        "Allocated {amount} to each of {count} agents for {period}",
                        len(result)).format(amount=first.amount, count=number(len(result)),
                                            period=first.period)
