"""The goodwill pane: this period's balance in large type, the ledger, the spend form."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from deskterm.store.queries import TicketRow
from deskterm.ui.messages import DataChanged
from deskterm.ui.session import DeskSession
from deskterm.ui.widgets.pane import Pane


class GoodwillPane(Pane):
    PANE_TITLE = "Goodwill"
    PANE_KEY = "4"

    def __init__(self, session: DeskSession, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.ticket: TicketRow | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="goodwill-body")

    def show_ticket(self, ticket: TicketRow | None) -> None:
        self.ticket = ticket

    def data_changed(self, change: DataChanged) -> None:
        """Ledger changed: re-read the balance."""
