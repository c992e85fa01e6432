"""The knowledge-base pane: search as you type, suggestions, the article, linking."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from deskterm.store.queries import TicketRow
from deskterm.ui.messages import DataChanged
from deskterm.ui.session import DeskSession
from deskterm.ui.widgets.pane import Pane


class KbPane(Pane):
    PANE_TITLE = "Knowledge base"
    PANE_KEY = "3"

    def __init__(self, session: DeskSession, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.ticket: TicketRow | None = None

    def compose(self) -> ComposeResult:
        yield Static("Search the knowledge base with /", id="kb-body")

    def show_ticket(self, ticket: TicketRow | None) -> None:
        self.ticket = ticket

    def data_changed(self, change: DataChanged) -> None:
        """Articles changed: re-run the search."""
