"""The ticket action keys, shared by the workspace (selected ticket) and the ticket screen."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from deskterm.store.queries import TicketRow
from deskterm.ui.forms.common import DeskForm
from deskterm.ui.forms.handback import ChaseForm, TakeOverForm
from deskterm.ui.forms.kudos import KudosForm
from deskterm.ui.forms.ticket import AssignForm, EditTicketForm, NewTicketForm
from deskterm.ui.forms.ticket_state import EscalateForm, ReopenForm, ResolveForm
from deskterm.ui.session import DeskSession
from deskterm.ui.typed import desk_app

#: key, action name, footer label, palette title, what it does, shown in the footer
_ACTIONS = (
    ("n", "new", "New", "New ticket", "for this customer or another", True),
    ("e", "edit", "Edit", "Edit ticket", "subject, description, priority, status…", False),
    ("a", "assign", "Assign", "Assign ticket", "to another desk agent", False),
    ("x", "escalate", "Escalate", "Escalate ticket",
     "to tier 2/3 and a resolver group; the owner stays the customer's contact", True),
    ("r", "resolve", "Resolve", "Resolve ticket", "with a resolution; first contact or not",
     True),
    ("o", "reopen", "Reopen", "Reopen ticket", "a resolved or closed one, saying why", False),
    ("c", "contact", "Contact", "Log contact", "a call, email or chat with the customer", True),
    ("dollar_sign", "goodwill", "Goodwill", "Spend goodwill", "a gesture from your budget",
     False),
    ("K", "kudos", "Kudos", "Add kudos", "a compliment for an agent or the team", False),
    ("C", "chase", "Chase", "Chase the resolver group",
     "of your escalation: on its trail and its members' screens", False),
    ("T", "take_over", "Take over", "Take the complaint over",
     "a lead makes a complaint their own", False),
    ("p", "promise", "Promise", "Make a promise", "what the customer gets, and by when",
     False),
    ("P", "keep_promise", "Keep promise", "Keep or move a promise",
     "mark a promise on this ticket kept, or move it with a reason", False),
)

TICKET_BINDINGS: list[BindingType] = [
    Binding(key, f"ticket_{name}", label, show=show, tooltip=help_text, id=f"ticket.{name}",
            key_display="$" if key == "dollar_sign" else None)
    for key, name, label, _title, help_text, show in _ACTIONS
]
#: The ticket actions as the command palette lists them: (binding id, title, help).
TICKET_ACTIONS = tuple((f"ticket.{name}", title, help_text)
                       for _key, name, _label, title, help_text, _show in _ACTIONS)


class TicketActionScreen(Screen[None]):
    """A screen whose ticket keys act on `current_ticket()`; forms open as modals on it."""

    BINDINGS = TICKET_BINDINGS

    def __init__(self, session: DeskSession) -> None:
        super().__init__()
        self.session = session

    def current_ticket(self) -> TicketRow | None:
        """The ticket the keys act on (None: nothing selected)."""
        raise NotImplementedError

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            desk_app(self).report(event.worker.error)

    def _ticket(self, doing: str, *, open_: bool | None = None) -> TicketRow | None:
        """The ticket to act on, or None after telling the agent why not.

        `open_` asks for an open (True) or a resolved/closed (False) ticket; the service
        still decides, this only spares filling in a form that cannot succeed.
        """
        ticket = self.current_ticket()
        if ticket is None:
            self.notify(f"Select a ticket to {doing}", severity="warning")
        elif open_ is True and not ticket.status.is_open:
            self.notify(f"{ticket.key} is {ticket.status.value}; reopen it (o) to {doing}",
                        severity="warning")
        elif open_ is False and ticket.status.is_open:
            self.notify(f"{ticket.key} is {ticket.status.value}, not resolved",
                        severity="warning")
        else:
            return ticket
        return None

    def _push(self, form: type[DeskForm[Any]], doing: str, *, open_: bool | None = None
              ) -> None:
        """Open `form` on the ticket, when there is one it can work on."""
        if ticket := self._ticket(doing, open_=open_):
            self.app.push_screen(form(self.session, ticket))

    def action_ticket_new(self) -> None:
        self.app.push_screen(NewTicketForm(self.session, self.current_ticket()))

    def action_ticket_edit(self) -> None:
        self._push(EditTicketForm, "edit it")

    def action_ticket_assign(self) -> None:
        self._push(AssignForm, "assign it", open_=True)

    def action_ticket_escalate(self) -> None:
        self._push(EscalateForm, "escalate it", open_=True)

    def action_ticket_resolve(self) -> None:
        self._push(ResolveForm, "resolve it", open_=True)

    def action_ticket_reopen(self) -> None:
        self._push(ReopenForm, "reopen it", open_=False)

    def action_ticket_contact(self) -> None:
        if ticket := self._ticket("log a contact"):
            self._open_form("deskterm.ui.forms.contact", "LogContactForm", "Logging a contact",
                            ticket)

    def action_ticket_goodwill(self) -> None:
        self._open_form("deskterm.ui.forms.goodwill", "SpendForm", "Spending goodwill",
                        self.current_ticket())

    def action_ticket_chase(self) -> None:
        self._push(ChaseForm, "chase its resolver group", open_=True)

    def action_ticket_take_over(self) -> None:
        self._push(TakeOverForm, "take it over", open_=True)

    def action_ticket_kudos(self) -> None:
        self.app.push_screen(KudosForm(self.session, self.current_ticket()))

    def action_ticket_promise(self) -> None:
        from deskterm.ui.forms.promise import PromiseForm

        self._push(PromiseForm, "make a promise", open_=True)

    def action_ticket_keep_promise(self) -> None:
        from deskterm.ui.forms.promise import KeepPromiseForm

        self._push(KeepPromiseForm, "keep or move a promise")

    def _open_form(self, module: str, name: str, what: str, ticket: TicketRow | None) -> None:
        """A form another pane provides, imported only when used (it may not exist yet)."""
        try:
            form = getattr(import_module(module), name)
        except (ModuleNotFoundError, AttributeError) as error:
            if isinstance(error, AttributeError) or error.name == module:
                self.notify(f"{what} is not available yet", severity="warning")
            else:
                self.notify(f"{what} cannot open: {error}", severity="error")
            return
        self.app.push_screen(form(self.session, ticket))
