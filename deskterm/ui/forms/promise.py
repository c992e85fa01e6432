"""Promise forms: make a promise on a ticket (what, by when), and keep or move one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Input, Label, RadioButton, RadioSet, Select, Static

from deskterm.domain.errors import InvalidInput
from deskterm.domain.promises import WHEN_HELP, Promise
from deskterm.i18n import N_, _, pgettext
from deskterm.present import local_time
from deskterm.services.lookup import short_id
from deskterm.services.promises import (
    keep_promise,
    make_promise,
    move_promise,
    ticket_promises,
)
from deskterm.ui.forms.common import DeskForm


class PromiseForm(DeskForm[Promise]):
    """Promise the customer something by a time, as the agent would say it."""

    TITLE = N_("Make a promise")
    SUBMIT_LABEL = N_("Promise")
    CHANGES = ("promise_event",)

    DEFAULT_CSS = "PromiseForm .form-note { color: $text-muted; }"

    def fields(self) -> ComposeResult:
        ticket = self.ticket
        assert ticket is not None
        yield Label(Content(f"{ticket.key} · {ticket.subject}"))
        yield Label(_("What"))
        yield Input(id="promise-what", placeholder=_("e.g. call back, send the new laptop"))
        yield Label(_("By when (your local time)"))
        # TRANSLATORS: what a person may type for the time; the words the promise parser
        # reads in the current language.
        yield Input(id="promise-by", placeholder=_("e.g. tomorrow, fri 12:00, today 16:00"))
        yield Static(_("Understood: {forms}. A day alone means 17:00.").format(
            forms=_(WHEN_HELP)), classes="form-note")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#promise-what", Input))

    def submit(self) -> Callable[[], Promise]:
        what = self.query_one("#promise-what", Input).value
        by = self.query_one("#promise-by", Input).value
        ctx, ref = self.ctx, self.ticket_ref
        return lambda: make_promise(ctx, ref, what=what, by=by)

    def success_message(self, result: Promise) -> str:
        return _("Promised {what} by {when}").format(what=result.what,
                                                     when=local_time(result.due_at))


class KeepPromiseForm(DeskForm[Promise]):
    """Keep an open promise of the ticket, or move it to a new time with a reason."""

    TITLE = N_("Keep or move a promise")
    SUBMIT_LABEL = N_("Save")
    CHANGES = ("promise_event",)
    LOADS = True

    def fields(self) -> ComposeResult:
        ticket = self.ticket
        assert ticket is not None
        yield Label(Content(f"{ticket.key} · {ticket.subject}"))
        yield Label(_("Promise"))
        yield Select[str]([], id="keep-promise", prompt=_("reading…"))
        with RadioSet(id="keep-how"):
            yield RadioButton(pgettext("promise", "kept"), value=True, id="keep-kept")
            yield RadioButton(_("move it"), id="keep-move")
        yield Label(_("New time (to move it)"))
        yield Input(id="keep-by", placeholder=_("e.g. fri 12:00"))
        yield Label(_("Reason (to move it)"))
        yield Input(id="keep-reason", placeholder=_("why the promise moves"))

    def load(self) -> Any:
        return [p for p in ticket_promises(self.session.store, self.ticket_ref) if not p.kept]

    def loaded(self, data: Any) -> None:
        select = self.query_one("#keep-promise", Select)
        options = [(_("{what} · by {when} · {id}").format(what=p.what,
                                                            when=local_time(p.due_at),
                                                            id=short_id(p.id)), p.id)
                   for p in data]
        select.set_options(options)
        select.prompt = _("choose a promise") if options else \
            _("no open promises on this ticket")
        if options:
            select.value = options[0][1]

    def submit(self) -> Callable[[], Promise]:
        chosen = self.query_one("#keep-promise", Select).value
        if not isinstance(chosen, str):
            raise InvalidInput(_("choose the promise to keep or move"))
        ctx = self.ctx
        if self.query_one("#keep-kept", RadioButton).value:
            return lambda: keep_promise(ctx, chosen)
        by = self.query_one("#keep-by", Input).value
        reason = self.query_one("#keep-reason", Input).value
        return lambda: move_promise(ctx, chosen, by=by, reason=reason)

    def success_message(self, result: Promise) -> str:
        if result.kept:
            return _("Kept: {what}").format(what=result.what)
        return _("Moved {what} to {when}").format(what=result.what,
                                                  when=local_time(result.due_at))
