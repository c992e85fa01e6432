"""The base of every modal form: fields, inline errors, a service call in a worker.

A form stays open, with everything typed kept, when the service refuses: the refusal's
message shows inline under the fields. On success it dismisses with the service's
result, tells the app what changed (so panes reload) and notifies the agent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static
from textual.worker import Worker, WorkerState

from deskterm.domain.errors import DeskError

ResultT = TypeVar("ResultT")


class FormScreen(ModalScreen[ResultT | None], Generic[ResultT]):
    """Subclasses set TITLE and SUBMIT_LABEL, compose `fields()`, and implement `submit()`.

    `submit()` reads the widgets (on the UI thread) and returns a zero-argument callable
    that does the service call (run in a worker), or raises DeskError for input that
    is wrong before any call. `CHANGES` names the entities the call writes, and
    `success_message(result)` what the notification says.
    """

    TITLE = "Form"
    SUBMIT_LABEL = "Save"
    CHANGES: tuple[str, ...] = ()

    DEFAULT_CSS = """
    FormScreen { align: center middle; }
    FormScreen > #form {
        width: 72; max-width: 95%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    FormScreen #form-title { text-style: bold; color: $accent; padding: 0 0 1 0; }
    FormScreen #form-fields { height: auto; max-height: 30; }
    FormScreen #form-fields > Label { color: $text-muted; margin-top: 1; }
    FormScreen #form-error { color: $error; height: auto; padding: 1 0 0 0; display: none; }
    FormScreen #form-error.-shown { display: block; }
    FormScreen #form-buttons { height: auto; align-horizontal: right; padding-top: 1; }
    FormScreen #form-buttons Button { margin-left: 1; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+o", "submit", "Save", id="form.submit"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static(self.TITLE, id="form-title")
            with VerticalScroll(id="form-fields"):
                yield from self.fields()
            yield Static("", id="form-error")
            with Horizontal(id="form-buttons"):
                yield Button("Cancel", id="form-cancel")
                yield Button(self.SUBMIT_LABEL, variant="primary", id="form-submit")

    def fields(self) -> ComposeResult:
        yield Label("")

    def submit(self) -> Callable[[], ResultT]:
        raise NotImplementedError

    def success_message(self, result: ResultT) -> str:
        return "Saved"

    # -- flow ----------------------------------------------------------------------------

    def show_error(self, message: str) -> None:
        error = self.query_one("#form-error", Static)
        error.update(message)
        error.add_class("-shown")

    def clear_error(self) -> None:
        self.query_one("#form-error", Static).remove_class("-shown")

    @on(Button.Pressed, "#form-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#form-submit")
    def action_submit(self) -> None:
        if self.query_one("#form-submit", Button).disabled:
            return  # a save is running: a second one could write twice
        self.clear_error()
        try:
            call = self.submit()
        except DeskError as error:
            self.show_error(error.message)
            return
        self.query_one("#form-submit", Button).disabled = True
        self._run(call)

    @work(thread=True, exclusive=True, group="form", exit_on_error=False)
    def _run(self, call: Callable[[], Any]) -> Any:
        return call()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "form":
            return
        event.stop()  # this form shows its own errors, inline
        if event.state == WorkerState.SUCCESS:
            result = event.worker.result
            if self.CHANGES:
                self.app.changed(*self.CHANGES)  # type: ignore[attr-defined]
            self.app.notify(self.success_message(result))
            self.dismiss(result)
        elif event.state == WorkerState.ERROR:
            self.query_one("#form-submit", Button).disabled = False
            error = event.worker.error
            if isinstance(error, DeskError):
                self.show_error(error.message)
            else:
                self.show_error(f"something went wrong: {type(error).__name__}: {error}")
