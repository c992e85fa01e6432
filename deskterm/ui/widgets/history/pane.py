"""The customer pane: card, repeat-contact banner, contacts, open tickets, goodwill given."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from deskterm.store.queries import TicketRow
from deskterm.ui.messages import DataChanged
from deskterm.ui.session import DeskSession
from deskterm.ui.widgets.pane import Pane


class HistoryPane(Pane):
    PANE_TITLE = "Customer"
    PANE_KEY = "2"

    def __init__(self, session: DeskSession, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.ticket: TicketRow | None = None

    def compose(self) -> ComposeResult:
        yield Static("Select a ticket to see its customer.", id="history-body")

    def show_ticket(self, ticket: TicketRow | None) -> None:
        self.ticket = ticket
        text = f"{ticket.customer}" if ticket else "Select a ticket to see its customer."
        self.query_one("#history-body", Static).update(text)

    def data_changed(self, change: DataChanged) -> None:
        self.show_ticket(self.ticket)
