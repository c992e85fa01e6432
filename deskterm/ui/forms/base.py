"""The base of every modal form: fields, inline errors, a service call in a worker.

A form stays open, with everything typed kept, when the service refuses: the refusal's
message shows inline under the fields. On success it dismisses with the service's
result, tells the app what changed (so panes reload) and notifies the agent.

Typed text is never thrown away unasked. Escape (or Cancel) closes a form at once when
none of its text fields holds other text than when it opened (filled in, or read in by
`DeskForm.load`); otherwise it asks "Discard what you typed?", where Escape (or "Keep
editing") goes back to the form with the text as it was, and only "Discard" (or `d`)
closes it. Every form follows this one rule.

A form fits the terminal it opens in: its title and its buttons always show, and when
the fields need more lines than the screen has (80x24, a laptop's terminal), only the
fields scroll, and a field scrolls into view as it takes focus (`_fit`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, cast

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Static, TextArea
from textual.worker import Worker, WorkerState

from deskterm.domain.errors import DeskError
from deskterm.i18n import N_, _
from deskterm.ui.forms.discard import DiscardQuestion
from deskterm.ui.language import TranslatedBindings
from deskterm.ui.typed import desk_app

ResultT = TypeVar("ResultT")
#: The most of the screen's height a form takes, in percent.
FORM_HEIGHT = 90


class FormScreen(TranslatedBindings, ModalScreen[ResultT | None], Generic[ResultT]):
    """Subclasses set TITLE and SUBMIT_LABEL (marked with `N_`: shown translated, and the
    footer's key for saving says the button's word), compose `fields()`, and implement
    `submit()`.

    `submit()` reads the widgets (on the UI thread) and returns a zero-argument callable
    that does the service call (run in a worker), or raises DeskError for input that
    is wrong before any call. `CHANGES` names the entities the call writes, and
    `success_message(result)` what the notification says.

    Escape follows the module's rule: it asks before discarding typed text. A form
    that fills its fields after it opens calls `remember_opening()` once they are
    filled, so what it filled in is not taken for typing.
    """

    TITLE = N_("Form")
    SUBMIT_LABEL = N_("Save")
    CHANGES: tuple[str, ...] = ()

    DEFAULT_CSS = f"""
    FormScreen {{ align: center middle; }}
    FormScreen > #form {{
        width: 72; max-width: 95%; height: auto; max-height: {FORM_HEIGHT}%;
        border: round $accent; background: $surface; padding: 0 1;
    }}
    FormScreen #form-title {{ text-style: bold; color: $accent; padding: 0 0 1 0; }}
    FormScreen #form-fields {{ height: auto; max-height: 30; }}
    /* More fields than lines: the fields take the lines left, and scroll. */
    FormScreen #form-fields.-scrolls {{ height: 1fr; }}
    FormScreen #form-fields > Label {{ color: $text-muted; margin-top: 1; }}
    FormScreen #form-error {{ color: $error; height: auto; padding: 1 0 0 0; display: none; }}
    FormScreen #form-error.-shown {{ display: block; }}
    FormScreen #form-buttons {{ height: auto; align-horizontal: right; padding-top: 1; }}
    FormScreen #form-buttons Button {{ margin-left: 1; }}
    """

    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="form.cancel"),
        Binding("ctrl+o", "submit", N_("Save"), id="form.submit"),
    ]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # The footer's key for saving says what the button says ("Spend", not "Save").
        if "SUBMIT_LABEL" in cls.__dict__:
            cls.BINDINGS = [*cls.__dict__.get("BINDINGS", []),
                            Binding("ctrl+o", "submit", cls.SUBMIT_LABEL, id="form.submit")]
        super().__init_subclass__(**kwargs)

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            # May hold a subject: plain text, not markup
            yield Static(Content(self.form_title()), id="form-title")
            with VerticalScroll(id="form-fields"):
                yield from self.fields()
            yield Static("", id="form-error")
            with Horizontal(id="form-buttons"):
                yield Button(_("Cancel"), id="form-cancel")
                yield Button(_(self.SUBMIT_LABEL), variant="primary", id="form-submit")
        yield Footer()  # the form's own keys, over the workspace's (a dialog's rule)

    def __init__(self) -> None:
        super().__init__()
        self._opening: list[str] = []

    def form_title(self) -> str:
        """The title line: TITLE in the current language, unless another is set on the form."""
        return _(self.TITLE) if self.title == self.TITLE else self.title or ""

    def fields(self) -> ComposeResult:
        yield Label("")

    def submit(self) -> Callable[[], ResultT]:
        raise NotImplementedError

    def success_message(self, result: ResultT) -> str:
        return _("Saved")

    def succeeded(self, result: ResultT) -> None:
        """What follows a successful save, once the form is dismissed (another form)."""

    # -- flow ----------------------------------------------------------------------------

    def show_error(self, message: str) -> None:
        error = self.query_one("#form-error", Static)
        error.update(Content(message))  # may quote what was typed
        error.add_class("-shown")

        self.call_after_refresh(self._fit)

    def clear_error(self) -> None:
        self.query_one("#form-error", Static).remove_class("-shown")
        self.call_after_refresh(self._fit)

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        """Let the fields scroll, between a title and buttons that stay, when they need
        more lines than the screen leaves them (focus scrolls its field into view)."""
        if not self.is_attached:
            return
        form, fields = self.query_one("#form"), self.query_one("#form-fields")
        chrome = form.styles.gutter.height + sum(
            child.outer_size.height for child in form.children
            if child is not fields and child.display)
        room = self.size.height * FORM_HEIGHT // 100 - chrome
        fields.set_class(fields.virtual_size.height > room, "-scrolls")

    def on_mount(self) -> None:
        # Textual runs every class's on_mount, this base's last: after the subclasses'
        # have filled in what they fill in.
        self.remember_opening()

    def _texts(self) -> list[str]:
        return [widget.value if isinstance(widget, Input) else widget.text
                for widget in self.query("#form-fields Input, #form-fields TextArea")
                if isinstance(widget, Input | TextArea)]

    def remember_opening(self) -> None:
        """The text fields as they are now are what the form opened with, not typing."""
        self._opening = self._texts()

    @property
    def typed(self) -> bool:
        """Whether a text field holds other text than the form opened with."""
        return self._texts() != self._opening

    @on(Button.Pressed, "#form-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    def action_cancel(self) -> None:
        """Close; with typed text, only once the agent said to discard it."""
        if not self.typed:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(DiscardQuestion(), answered)

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
    def _run(self, call: Callable[[], ResultT]) -> ResultT:
        return call()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "form":
            return
        event.stop()  # this form shows its own errors, inline
        if event.state == WorkerState.SUCCESS:
            # The "form" worker is `_run`, which returns a ResultT (the event's is Worker[Any]).
            result = cast(ResultT, event.worker.result)
            if self.CHANGES:
                desk_app(self).changed(*self.CHANGES)
            self.app.notify(self.success_message(result))
            self.dismiss(result)
            self.succeeded(result)
        elif event.state == WorkerState.ERROR:
            self.query_one("#form-submit", Button).disabled = False
            error = event.worker.error
            if isinstance(error, DeskError):
                self.show_error(error.message)
            else:
                self.show_error(_("something went wrong: {kind}: {error}").format(
                    kind=type(error).__name__, error=error))
