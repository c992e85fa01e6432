"""The ticket action keys, shared by the workspace (selected ticket) and the ticket screen."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module
from typing import TYPE_CHECKING, Any

from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from deskterm.i18n import N_, _
from deskterm.store.queries import TicketRow
from deskterm.ui.commands import ActionEntry
from deskterm.ui.language import TranslatedBindings
from deskterm.ui.typed import desk_app

if TYPE_CHECKING:
    from deskterm.ui.forms.common import DeskForm
    from deskterm.ui.session import DeskSession

# The forms are imported when their key is pressed, not with the screen: they bring the
# services and SQLModel, which the workspace's first frame does without.

#: key, action name, footer label, palette title, what it does, shown in the footer
_ACTIONS = (
    ("n", "new", N_("New"), N_("New ticket"), N_("for this customer or another"), True),
    ("e", "edit", N_("Edit"), N_("Edit ticket"), N_("subject, description, priority, status…"),
     False),
    ("a", "assign", N_("Assign"), N_("Assign ticket"), N_("to another desk agent"), False),
    ("x", "escalate", N_("Escalate"), N_("Escalate ticket"),
     N_("to tier 2/3 and a resolver group; the owner stays the customer's contact"), True),
    ("r", "resolve", N_("Resolve"), N_("Resolve ticket"),
     N_("with a resolution; first contact or not"), True),
    ("o", "reopen", N_("Reopen"), N_("Reopen ticket"), N_("a resolved or closed one, saying why"),
     False),
    ("c", "contact", N_("Contact"), N_("Log contact"),
     N_("a call, email or chat with the customer"), True),
    ("dollar_sign", "goodwill", N_("Goodwill"), N_("Spend goodwill"),
     N_("a gesture from your budget"), False),
    ("K", "kudos", N_("Kudos"), N_("Add kudos"), N_("a compliment for an agent or the team"),
     False),
    ("C", "chase", N_("Chase"), N_("Chase the resolver group"),
     N_("of your escalation: on its trail and its members' screens"), False),
    ("T", "take_over", N_("Take over"), N_("Take the complaint over"),
     N_("a lead makes a complaint their own"), False),
    ("p", "promise", N_("Promise"), N_("Make a promise"),
     N_("what the customer gets, and by when"), False),
    ("P", "keep_promise", N_("Keep promise"), N_("Keep or move a promise"),
     N_("mark a promise on this ticket kept, or move it with a reason"), False),
)

TICKET_BINDINGS: list[BindingType] = [
    Binding(key, f"ticket_{name}", label, show=show, tooltip=help_text, id=f"ticket.{name}",
            key_display="$" if key == "dollar_sign" else None)
    for key, name, label, _title, help_text, show in _ACTIONS
]
#: The ticket actions as the command palette lists them: (binding id, title, help), marked
#: for translation (`translated` gives them in the current language).
TICKET_ACTIONS = tuple((f"ticket.{name}", title, help_text)
                       for _key, name, _label, title, help_text, _show in _ACTIONS)

#: What a key says when no ticket is selected for it, by action (one whole sentence each).
_NO_TICKET = {
    "edit": N_("Select a ticket to edit it"),
    "assign": N_("Select a ticket to assign it"),
    "escalate": N_("Select a ticket to escalate it"),
    "resolve": N_("Select a ticket to resolve it"),
    "reopen": N_("Select a ticket to reopen it"),
    "contact": N_("Select a ticket to log a contact"),
    "chase": N_("Select a ticket to chase its resolver group"),
    "take_over": N_("Select a ticket to take it over"),
    "promise": N_("Select a ticket to make a promise"),
    "keep_promise": N_("Select a ticket to keep or move a promise"),
}


def translated(entries: Iterable[ActionEntry]) -> list[ActionEntry]:
    """Palette entries marked with `N_`, with their title and help in the current language."""
    return [(binding_id, _(title), _(help_text)) for binding_id, title, help_text in entries]


class TicketActionScreen(TranslatedBindings, Screen[None]):
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
        """The ticket to act on, or None after telling the agent why not (`doing` is the
        action's name in _NO_TICKET).

        `open_` asks for an open (True) or a resolved/closed (False) ticket; the service
        still decides, this only spares filling in a form that cannot succeed.
        """
        ticket = self.current_ticket()
        if ticket is None:
            self.notify(_(_NO_TICKET[doing]), severity="warning")
        elif open_ is True and not ticket.status.is_open:
            # TRANSLATORS: o is the key that reopens a ticket; it stays as it is.
            self.notify(_("{key} is {status}; reopen it (o) first").format(
                key=ticket.key, status=ticket.status.label), severity="warning")
        elif open_ is False and ticket.status.is_open:
            self.notify(_("{key} is {status}, not resolved").format(
                key=ticket.key, status=ticket.status.label), severity="warning")
        else:
            return ticket
        return None

    def _push(self, form: type[DeskForm[Any]], doing: str, *, open_: bool | None = None
              ) -> None:
        """Open `form` on the ticket, when there is one it can work on."""
        if ticket := self._ticket(doing, open_=open_):
            self.app.push_screen(form(self.session, ticket))

    def action_ticket_new(self) -> None:
        from deskterm.ui.forms.ticket import NewTicketForm

        self.app.push_screen(NewTicketForm(self.session, self.current_ticket()))

    def action_ticket_edit(self) -> None:
        from deskterm.ui.forms.ticket import EditTicketForm

        self._push(EditTicketForm, "edit")

    def action_ticket_assign(self) -> None:
        from deskterm.ui.forms.ticket import AssignForm

        self._push(AssignForm, "assign", open_=True)

    def action_ticket_escalate(self) -> None:
        from deskterm.ui.forms.ticket_state import EscalateForm

        self._push(EscalateForm, "escalate", open_=True)

    def action_ticket_resolve(self) -> None:
        from deskterm.ui.forms.ticket_state import ResolveForm

        self._push(ResolveForm, "resolve", open_=True)

    def action_ticket_reopen(self) -> None:
        from deskterm.ui.forms.ticket_state import ReopenForm

        self._push(ReopenForm, "reopen", open_=False)

    def action_ticket_contact(self) -> None:
        if ticket := self._ticket("contact"):
            self._open_form("deskterm.ui.forms.contact", "LogContactForm", ticket)

    def action_ticket_goodwill(self) -> None:
        self._open_form("deskterm.ui.forms.goodwill", "SpendForm", self.current_ticket())

    def action_ticket_chase(self) -> None:
        from deskterm.ui.forms.handback import ChaseForm

        self._push(ChaseForm, "chase", open_=True)

    def action_ticket_take_over(self) -> None:
        from deskterm.ui.forms.handback import TakeOverForm

        self._push(TakeOverForm, "take_over", open_=True)

    def action_ticket_kudos(self) -> None:
        from deskterm.ui.forms.kudos import KudosForm

        self.app.push_screen(KudosForm(self.session, self.current_ticket()))

    def action_ticket_promise(self) -> None:
        from deskterm.ui.forms.promise import PromiseForm

        self._push(PromiseForm, "promise", open_=True)

    def action_ticket_keep_promise(self) -> None:
        from deskterm.ui.forms.promise import KeepPromiseForm

        self._push(KeepPromiseForm, "keep_promise")

    def _open_form(self, module: str, name: str, ticket: TicketRow | None) -> None:
        """A form another pane provides, imported only when used (it may not exist yet)."""
        try:
            form = getattr(import_module(module), name)
        except (ModuleNotFoundError, AttributeError) as error:
            if isinstance(error, AttributeError) or error.name == module:
                self.notify(_("This form is not available yet"), severity="warning")
            else:
                self.notify(_("This form cannot open: {error}").format(error=error),
                            severity="error")
            return
        self.app.push_screen(form(self.session, ticket))
