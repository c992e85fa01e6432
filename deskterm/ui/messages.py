"""Messages the panes send up, and the app-wide signals."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from deskterm.store.queries import TicketRow


class TicketSelected(Message):
    """The queue's cursor rests on a ticket (or on nothing, when the list is empty)."""

    def __init__(self, ticket: TicketRow | None) -> None:
        super().__init__()
        self.ticket = ticket


class TicketOpened(Message):
    """The agent asked to see a ticket in full."""

    def __init__(self, ticket_id: str) -> None:
        super().__init__()
        self.ticket_id = ticket_id


class LanguageChanged(Message, bubble=False):
    """The desk now speaks `language` (ui/language.py's switch sends it to every screen
    and widget): whoever shows texts of its own redraws them."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language


@dataclass(frozen=True)
class DataChanged:
    """Published on the app's `data_changed` signal after any write (local or synced).

    `entities` names what changed ("ticket", "contact", "goodwill_entry", ...), so a pane
    can skip a reload that does not concern it; empty means "anything may have changed".
    """

    entities: frozenset[str] = frozenset()

    def touches(self, *names: str) -> bool:
        return not self.entities or bool(self.entities & set(names))
