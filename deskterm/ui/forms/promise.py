"""Promise forms: make a promise on a ticket (what, by when), and keep or move one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Input, Label, RadioButton, RadioSet, Select, Static

from deskterm.domain.errors import InvalidInput
from deskterm.domain.promises import WHEN_HELP, Promise
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

    TITLE = "Make a promise"
    SUBMIT_LABEL = "Promise"
    CHANGES = ("promise_event",)

    DEFAULT_CSS = "PromiseForm .form-note { color: $text-muted; }"

    def fields(self) -> ComposeResult:
        ticket = self.ticket
        assert ticket is not None
        yield Label(Content(f"{ticket.key} · {ticket.subject}"))
        yield Label("What")
        yield Input(id="promise-what", placeholder="e.g. call back, send the new laptop")
        yield Label("By when (your local time)")
        yield Input(id="promise-by", placeholder="e.g. tomorrow, fri 12:00, today 16:00")
        yield Static(f"Understood: {WHEN_HELP}. A day alone means 17:00.",
                     classes="form-note")

    def on_mount(self) -> None:
        self.query_one("#promise-what", Input).focus()

    def submit(self) -> Callable[[], Promise]:
        what = self.query_one("#promise-what", Input).value
        by = self.query_one("#promise-by", Input).value
        ctx, ref = self.ctx, self.ticket_ref
        return lambda: make_promise(ctx, ref, what=what, by=by)

    def success_message(self, result: Promise) -> str:
        return f"Promised {result.what} by {local_time(result.due_at)}"


class KeepPromiseForm(DeskForm[Promise]):
    """Keep an open promise of the ticket, or move it to a new time with a reason."""

    TITLE = "Keep or move a promise"
    SUBMIT_LABEL = "Save"
    CHANGES = ("promise_event",)
    LOADS = True

    def fields(self) -> ComposeResult:
        ticket = self.ticket
        assert ticket is not None
        yield Label(Content(f"{ticket.key} · {ticket.subject}"))
        yield Label("Promise")
        yield Select[str]([], id="keep-promise", prompt="reading…")
        with RadioSet(id="keep-how"):
            yield RadioButton("kept", value=True, id="keep-kept")
            yield RadioButton("move it", id="keep-move")
        yield Label("New time (to move it)")
        yield Input(id="keep-by", placeholder="e.g. fri 12:00")
        yield Label("Reason (to move it)")
        yield Input(id="keep-reason", placeholder="why the promise moves")

    def load(self) -> Any:
        return [p for p in ticket_promises(self.session.store, self.ticket_ref) if not p.kept]

    def loaded(self, data: Any) -> None:
        select = self.query_one("#keep-promise", Select)
        options = [(f"{p.what} · by {local_time(p.due_at)} · {short_id(p.id)}", p.id)
                   for p in data]
        select.set_options(options)
        select.prompt = "choose a promise" if options else "no open promises on this ticket"
        if options:
            select.value = options[0][1]

    def submit(self) -> Callable[[], Promise]:
        chosen = self.query_one("#keep-promise", Select).value
        if not isinstance(chosen, str):
            raise InvalidInput("choose the promise to keep or move")
        ctx = self.ctx
        if self.query_one("#keep-kept", RadioButton).value:
            return lambda: keep_promise(ctx, chosen)
        by = self.query_one("#keep-by", Input).value
        reason = self.query_one("#keep-reason", Input).value
        return lambda: move_promise(ctx, chosen, by=by, reason=reason)

    def success_message(self, result: Promise) -> str:
        if result.kept:
            return f"Kept: {result.what}"
        return f"Moved {result.what} to {local_time(result.due_at)}"
