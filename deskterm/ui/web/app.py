"""The workspace as a browser session runs it: the sign-in screen first, then the agent's
own store (deskterm.ui.web.replica), then the workspace as in a terminal."""

from __future__ import annotations

from pathlib import Path

from textual import events, on

from deskterm.config import Config
from deskterm.ui.app import DesktermApp, StartScreen
from deskterm.ui.screens.sign_in import SignInScreen
from deskterm.ui.web.replica import SignedIn


class WebDeskApp(DesktermApp):
    """The workspace for one browser session, signed in with the token typed into it.

    Many agents share the machine that serves the sessions, so a session writes nothing
    to its config file (the theme picked is not remembered) and acts only as the agent
    whose token it was given: the store it opens is that agent's alone.
    """

    def __init__(self, config: Config, server: str) -> None:
        # No store yet: signing in decides which one (`_signed_in`).
        super().__init__(config, Path(), None, remember_theme=False)
        self.server = server

    @on(events.Mount)
    def _sign_in_first(self, event: events.Mount) -> None:
        event.prevent_default()  # not DesktermApp.on_mount: it would open a store now
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        self.push_screen(SignInScreen(self.server), self._signed_in)

    def _signed_in(self, signed_in: SignedIn | None) -> None:
        if signed_in is None:
            self.exit()
            return
        self.db_path, self.handle = signed_in.path, signed_in.handle
        self.push_screen(StartScreen())
        self._open()
