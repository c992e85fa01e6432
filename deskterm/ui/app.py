"""The deskterm Textual app: opens the store off the UI thread, then the workspace."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.signal import Signal
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from deskterm.config import Config, save_settings
from deskterm.domain.errors import DeskError
from deskterm.ui.messages import DataChanged
from deskterm.ui.session import DeskSession, open_session


class StartScreen(Screen[None]):
    """What shows for the moment the store takes to open, or why it could not."""

    DEFAULT_CSS = """
    StartScreen { align: center middle; }
    StartScreen #start-message { width: auto; max-width: 90%; padding: 1 2;
                                 border: round $panel-lighten-2; }
    """

    def compose(self) -> ComposeResult:
        yield Static("Opening the desk…", id="start-message")

    def show_error(self, message: str) -> None:
        self.query_one("#start-message", Static).update(
            f"[b $error]Cannot open the desk[/]\n\n{message}\n\n[dim]Press q to quit.[/]"
        )


class DesktermApp(App[None]):
    """The agent's workspace."""

    TITLE = "deskterm"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Keys", id="app.help"),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True, id="app.ctrl_c"),
    ]

    def __init__(self, config: Config, db_path: Path, handle: str | None, *,
                 remember_theme: bool = True) -> None:
        super().__init__()
        self.config = config
        self.db_path = db_path
        self.handle = handle
        self.session: DeskSession | None = None
        self.data_changed: Signal[DataChanged] = Signal(self, "data_changed")
        self._remember_theme = remember_theme
        if config.theme and config.theme in self.available_themes:
            self.theme = config.theme

    def on_mount(self) -> None:
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        self.push_screen(StartScreen())
        self._open()

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def _open(self) -> DeskSession:
        return open_session(self.db_path, self.handle, self.config)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place worker failures become what a person sees."""
        worker = event.worker
        if event.state == WorkerState.SUCCESS and worker.group == "open":
            self.session = worker.result
            from deskterm.ui.screens.workspace import WorkspaceScreen

            self.switch_screen(WorkspaceScreen(self.session))
            return
        if event.state != WorkerState.ERROR:
            return
        error = worker.error
        message = error.message if isinstance(error, DeskError) else \
            f"something went wrong: {type(error).__name__}: {error}"
        if worker.group == "open" and isinstance(self.screen, StartScreen):
            self.screen.show_error(message)
        else:
            self.notify(message, severity="error", timeout=8)

    # -- app-wide ------------------------------------------------------------------------

    def changed(self, *entities: str) -> None:
        """Tell every pane the store changed (after a local write or a sync)."""
        self.data_changed.publish(DataChanged(frozenset(entities)))

    def open_ticket(self, ticket_id: str) -> None:
        from deskterm.ui.screens.ticket import TicketScreen

        if self.session is not None:
            self.push_screen(TicketScreen(self.session, ticket_id))

    def watch_theme(self, theme: str) -> None:
        if self._remember_theme and self.is_mounted(self) and theme != self.config.theme:
            try:
                save_settings({"theme": theme})
            except (OSError, DeskError) as error:
                self.notify(f"could not remember the theme: {error}", severity="warning")

    def action_help(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def on_unmount(self) -> None:
        if self.session is not None:
            self.session.store.close()


def run_app(config: Config, db_path: Path, handle: str | None) -> None:
    DesktermApp(config, db_path, handle).run()
