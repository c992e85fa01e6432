"""The browser session's first screen: the agent signs in with their own token.

The token is typed (or pasted) here, in the app, so it travels only inside the session's
own connection: never in a URL, a command line or a log. The box hides what is typed.
A session gives up after a few refused tokens; every refusal also takes a moment
(`ui.web.replica`), so guessing tokens through a session is slow.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Input, Static
from textual.worker import Worker, WorkerState

from deskterm.domain.errors import DeskError
from deskterm.i18n import _, ngettext
from deskterm.i18n.formats import number
from deskterm.ui.language import TranslatedBindings
from deskterm.ui.typed import worker_result
from deskterm.ui.web.replica import SignedIn, TokenRefused, sign_in

#: Refused tokens a session takes before it ends.
MAX_REFUSALS = 5


class SignInScreen(TranslatedBindings, Screen[SignedIn]):
    """Asks for the token, checks it with `server`; dismisses with the agent's store."""

    DEFAULT_CSS = """
    SignInScreen { align: center middle; }
    SignInScreen #sign-in-box { width: 72; max-width: 95%; height: auto; padding: 1 2;
                                border: round $accent; }
    SignInScreen #sign-in-title { text-style: bold; margin-bottom: 1; }
    SignInScreen #sign-in-help { color: $text-muted; margin-bottom: 1; }
    SignInScreen #sign-in-error { color: $error; margin-top: 1; height: auto; }
    SignInScreen #sign-in { margin-top: 1; }
    """

    def __init__(self, server: str) -> None:
        super().__init__()
        self.server = server
        self.refusals = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="sign-in-box"):
            yield Static(Content(_("Sign in to {server}").format(server=self.server)),
                         id="sign-in-title")
            yield Static(Content(_("Paste your token: the one `deskterm server user add` "
                                   "printed for you (the same as for `deskterm login`). "
                                   "The workspace opens on your own copy of the desk.")),
                         id="sign-in-help")
            yield Input(password=True, placeholder=_("your token"), id="token")
            yield Button(_("Sign in"), variant="primary", id="sign-in")
            yield Static("", id="sign-in-error")

    def on_mount(self) -> None:
        self.query_one("#token", Input).focus()

    @on(Input.Submitted, "#token")
    @on(Button.Pressed, "#sign-in")
    def _submit(self) -> None:
        box = self.query_one("#token", Input)
        if box.disabled:
            return
        box.disabled = True
        self.query_one("#sign-in", Button).disabled = True
        self._show(_("Checking your token and syncing your copy of the desk…"))
        self._check(box.value)

    @work(thread=True, exclusive=True, group="sign-in", exit_on_error=False)
    def _check(self, typed: str) -> SignedIn:
        return sign_in(self.server, typed)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "sign-in":
            return
        if event.state == WorkerState.SUCCESS:
            self.dismiss(worker_result(worker, SignedIn))
        elif event.state == WorkerState.ERROR:
            self._refused(worker.error)

    def _refused(self, error: BaseException | None) -> None:
        box = self.query_one("#token", Input)
        box.value = ""
        if isinstance(error, TokenRefused):
            self.refusals += 1
            left = MAX_REFUSALS - self.refusals
            if left <= 0:
                self.app.exit(message=_("Too many refused tokens: this session has ended."))
                return
            self._show(ngettext("The server does not know that token. {count} try left.",
                                "The server does not know that token. {count} tries left.",
                                left).format(count=number(left)))
        elif isinstance(error, DeskError):
            self._show(error.message)
        else:
            self._show(_("Signing in failed: {error}").format(error=f"{type(error).__name__}: "
                                                                    f"{error}"))
        box.disabled = False
        self.query_one("#sign-in", Button).disabled = False
        box.focus()

    def _show(self, message: str) -> None:
        self.query_one("#sign-in-error", Static).update(Content(message))
