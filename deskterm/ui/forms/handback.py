"""The hand-back's forms: the owner chases the resolver group; a lead takes a complaint over."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Label, Static, TextArea

from deskterm.domain import Ticket, TicketEvent
from deskterm.i18n import N_, _
from deskterm.services.handback import chase, take_over
from deskterm.ui.forms.common import DeskForm


class ChaseForm(DeskForm[TicketEvent]):
    """A message to the resolver group of one's escalation: on its trail and its screens."""

    TITLE = N_("Chase the resolver group")
    SUBMIT_LABEL = N_("Chase")
    CHANGES = ("ticket_event",)

    DEFAULT_CSS = "ChaseForm .form-note { color: $text-muted; }"

    def fields(self) -> ComposeResult:
        ticket = self.ticket
        assert ticket is not None
        yield Label(Content(f"{ticket.key} · {ticket.subject}"))
        if ticket.resolver_group:
            note = _("To {group}: the message goes on the ticket's trail and shows on the "
                     "group members' screens.").format(group=ticket.resolver_group)
        else:
            note = _("To the resolver group: the message goes on the ticket's trail and shows "
                     "on the group members' screens.")
        yield Static(Content(note), classes="form-note")
        yield Label(_("Message"))
        yield TextArea(id="chase-message")

    def submit(self) -> Callable[[], TicketEvent]:
        message = self.query_one("#chase-message", TextArea).text
        return lambda: chase(self.ctx, self.ticket_ref, message)

    def success_message(self, result: TicketEvent) -> str:
        if self.ticket and self.ticket.resolver_group:
            return _("Chased {group}").format(group=self.ticket.resolver_group)
        return _("Chased the resolver group")


class TakeOverForm(DeskForm[Ticket]):
    """A lead makes a complaint their own; the trail says from whom."""

    TITLE = N_("Take the complaint over")
    SUBMIT_LABEL = N_("Take over")
    CHANGES = ("ticket",)

    def fields(self) -> ComposeResult:
        ticket = self.ticket
        assert ticket is not None
        yield Label(Content(f"{ticket.key} · {ticket.subject}"))
        if ticket.owner:
            note = _("You become its owner instead of @{owner}; the trail says so.").format(
                owner=ticket.owner)
        else:
            note = _("You become its owner (it has none yet); the trail says so.")
        yield Static(Content(note), id="take-over-note")

    def submit(self) -> Callable[[], Ticket]:
        return lambda: take_over(self.ctx, self.ticket_ref)

    def success_message(self, result: Ticket) -> str:
        return _("{key} is yours now").format(key=result.key)
