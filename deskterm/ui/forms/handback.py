"""The hand-back's forms: the owner chases the resolver group; a lead takes a complaint over."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Label, Static, TextArea

from deskterm.domain import Ticket, TicketEvent
from deskterm.services.handback import chase, take_over
from deskterm.ui.forms.common import DeskForm


class ChaseForm(DeskForm[TicketEvent]):
    """A message to the resolver group of one's escalation: on its trail and its screens."""

    TITLE = "Chase the resolver group"
    SUBMIT_LABEL = "Chase"
    CHANGES = ("ticket_event",)

    DEFAULT_CSS = "ChaseForm .form-note { color: $text-muted; }"

    def fields(self) -> ComposeResult:
        ticket = self.ticket
        assert ticket is not None
        yield Label(Content(f"{ticket.key} · {ticket.subject}"))
        group = ticket.resolver_group or "the resolver group"
        yield Static(Content(f"To {group}: the message goes on the ticket's trail and shows "
                             "on the group members' screens."),
                     classes="form-note")
        yield Label("Message")
        yield TextArea(id="chase-message")

    def submit(self) -> Callable[[], TicketEvent]:
        message = self.query_one("#chase-message", TextArea).text
        return lambda: chase(self.ctx, self.ticket_ref, message)

    def success_message(self, result: TicketEvent) -> str:
        return f"Chased {self.ticket.resolver_group if self.ticket else 'the group'}"


class TakeOverForm(DeskForm[Ticket]):
    """A lead makes a complaint their own; the trail says from whom."""

    TITLE = "Take the complaint over"
    SUBMIT_LABEL = "Take over"
    CHANGES = ("ticket",)

    def fields(self) -> ComposeResult:
        ticket = self.ticket
        assert ticket is not None
        owner = f"@{ticket.owner}" if ticket.owner else "nobody"
        yield Label(Content(f"{ticket.key} · {ticket.subject}"))
        yield Static(Content(f"You become its owner instead of {owner}; the trail says so."),
                     id="take-over-note")

    def submit(self) -> Callable[[], Ticket]:
        return lambda: take_over(self.ctx, self.ticket_ref)

    def success_message(self, result: Ticket) -> str:
        return f"{result.key} is yours now"
