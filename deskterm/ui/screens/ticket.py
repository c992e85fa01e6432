"""The ticket in full: description, trail, linked articles, escalation with its owner."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

from deskterm.ui.session import DeskSession


class TicketScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "dismiss", "Back", id="ticket.back")]

    def __init__(self, session: DeskSession, ticket_id: str) -> None:
        super().__init__()
        self.session = session
        self.ticket_id = ticket_id

    def compose(self) -> ComposeResult:
        yield Static(self.ticket_id)
