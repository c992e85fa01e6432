"""The lead's nudge: a note to an escalated ticket's owner, on its trail and their screen."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Label, Static, TextArea

from deskterm.domain import TicketEvent
from deskterm.domain.errors import InvalidInput
from deskterm.i18n import N_, _
from deskterm.services.board import BoardRow, nudge
from deskterm.ui.forms.common import DeskForm
from deskterm.ui.session import DeskSession


class NudgeForm(DeskForm[TicketEvent]):
    """A short message to the owner of one board row."""

    TITLE = N_("Nudge the owner")
    SUBMIT_LABEL = N_("Nudge")
    CHANGES = ("ticket_event",)

    DEFAULT_CSS = """
    NudgeForm #nudge-about { padding-bottom: 1; }
    NudgeForm .form-note { color: $text-muted; }
    """

    def __init__(self, session: DeskSession, row: BoardRow) -> None:
        super().__init__(session)
        self.row = row

    def fields(self) -> ComposeResult:
        row = self.row
        owner = f"@{row.owner_handle}" if row.owner_handle else _("nobody (unassigned)")
        yield Static(Content.assemble((row.key, "bold"), f" · {row.subject}\n",
                                      _("owner"), " ", (owner, "bold"), f" · {row.customer}"),
                     id="nudge-about")
        yield Static(_("The note goes on the ticket's trail and shows on the owner's screen."),
                     classes="form-note")
        yield Label(_("Message"))
        yield TextArea(id="nudge-message")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#nudge-message", TextArea))

    def submit(self) -> Callable[[], TicketEvent]:
        message = self.query_one("#nudge-message", TextArea).text.strip()
        if not message:
            self.query_one("#nudge-message", TextArea).focus()
            raise InvalidInput(_("write the note: what should the owner do or know?"))
        ctx, ticket_id = self.ctx, self.row.ticket_id
        return lambda: nudge(ctx, ticket_id, message)

    def success_message(self, result: TicketEvent) -> str:
        if self.row.owner_handle:
            return _("Nudged @{owner} on {key}").format(owner=self.row.owner_handle,
                                                        key=self.row.key)
        return _("Nudged the owner on {key}").format(key=self.row.key)
