"""The deskterm Textual app: opens the store off the UI thread, then the workspace."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.markup import escape
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.signal import Signal
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from deskterm.config import Config, save_settings
from deskterm.domain.actor import NoActor
from deskterm.domain.errors import DeskError
from deskterm.i18n import N_, _
from deskterm.ui import stack
from deskterm.ui.commands import DeskCommands
from deskterm.ui.language import TranslatedBindings, switch_help, switch_language, switch_title
from deskterm.ui.language import system_commands as translated_system_commands
from deskterm.ui.messages import DataChanged
from deskterm.ui.opening import open_desk
from deskterm.ui.screens import people_navigation as people
from deskterm.ui.session import DeskSession
from deskterm.ui.syncing import LOCAL_ONLY, Syncer, SyncState
from deskterm.ui.syncing.state import state_message
from deskterm.ui.typed import worker_result

if TYPE_CHECKING:
    from deskterm.domain import MoodEntry
    from deskterm.ui.announcer import Announcer
    from deskterm.ui.syncing.watcher import StoreWatcher

# The services (and SQLModel under them) load in the panes' workers after the first
# frame: importing them was half of a cold start.


#: Garbage collection is on again this long (seconds) after start, at the latest.
COLLECTOR_OFF_AT_MOST = 5.0
#: The workspace screen's CSS_PATH, as Textual resolves it (so it is read once).
WORKSPACE_CSS = (Path(__file__).parent / "screens" / "workspace.tcss").resolve()

#: What the start screen says when nobody was named to act as (`NoActor`).
WHO_ARE_YOU = N_("who are you? start deskterm with --as HANDLE, set DESKTERM_AGENT, or put "
                 "agent = \"HANDLE\" in the config file")


def error_message(error: BaseException | None) -> str:
    """A domain error's own message; anything else named as what it is."""
    if isinstance(error, NoActor):
        return _(WHO_ARE_YOU)
    if isinstance(error, DeskError):
        return error.message
    from deskterm.store.files import is_damage

    if error is not None and is_damage(error):
        return _("the store is damaged ({error}): restore it from a backup, or log in with "
                 "a new store and sync").format(error=getattr(error, "orig", None) or error)
    return _("something went wrong: {kind}: {error}").format(kind=type(error).__name__,
                                                             error=error)


class StartScreen(TranslatedBindings, Screen[None]):
    """What shows for the moment the store takes to open, or why it could not."""

    DEFAULT_CSS = """
    StartScreen { align: center middle; }
    StartScreen #start-message { width: auto; max-width: 90%; padding: 1 2;
                                 border: round $panel-lighten-2; }
    """

    def compose(self) -> ComposeResult:
        yield Static(_("Opening the desk…"), id="start-message")

    def show_error(self, message: str) -> None:
        self.query_one("#start-message", Static).update(
            "[b $error]{title}[/]\n\n{message}\n\n[dim]{quit}[/]".format(
                title=_("Cannot open the desk"), message=escape(message),
                quit=_("Press q to quit.")))


class DesktermApp(App[None]):
    """The agent's workspace.

    `remember_theme=False` keeps the app from writing the theme picked in the palette to
    the config file: tests run that way. The palette's language switch is remembered
    there always: the agent asked for it in so many words (ui/language.py).
    """

    TITLE = "deskterm"
    #: The workspace's stylesheet (its screen's CSS_PATH), read with the app's own at
    #: start: Textual parses every stylesheet read so far again when a screen brings a
    #: new file, which the first frame would otherwise wait for.
    CSS_PATH = [WORKSPACE_CSS]
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {DeskCommands}

    BINDINGS = [
        Binding("q", "quit", N_("Quit"), id="app.quit"),
        Binding("question_mark", "help", N_("Keys"), id="app.help"),
        Binding("ctrl+c", "quit", N_("Quit"), show=False, priority=True, id="app.ctrl_c"),
        *people.BINDINGS,  # the people screens: board, quality, mood, kudos, goodwill oversight
        Binding("ctrl+r", "sync_now", N_("Sync now"), show=False, id="app.sync_now"),
    ]

    def __init__(self, config: Config, db_path: Path, handle: str | None, *,
                 remember_theme: bool = True) -> None:
        super().__init__()
        self.config = config
        self.db_path = db_path
        self.handle = handle
        self.session: DeskSession | None = None
        self.announcer: Announcer | None = None
        self.data_changed: Signal[DataChanged] = Signal(self, "data_changed")
        #: Published whenever the background sync's state changes (see `sync_status`).
        self.sync_state: Signal[SyncState] = Signal(self, "sync_state")
        self.syncer: Syncer | None = None
        #: Re-reads the panes when another window writes to the store (ui.syncing.watcher).
        self.watcher: StoreWatcher | None = None
        self._remember_theme = remember_theme
        self._theme_saved = config.theme
        self._asking_mood = False
        if config.theme and config.theme in self.available_themes:
            self.theme = config.theme

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Every notification shows its text as typed (issue 13): never as markup.

        Notifications carry what people typed (subjects, reasons, kudos), in which `[red]`
        or `[PRN-5C-02]` is text. Widgets' `notify` asks for markup by default; this is
        the one place that says no, for all of them.
        """
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    #: Input that may reach code importing the database stack (see ui.stack).
    _GATED_INPUT = (events.Key, events.MouseDown, events.MouseUp, events.Click, events.Paste)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, self._GATED_INPUT) and stack.armed() and not stack.loaded():
            stack.load()  # a key right after the first frame waits for the worker loading it
        await super().on_event(event)

    def on_mount(self) -> None:
        # Thread workers once the first frame is up load the database stack one at a time.
        asyncio.get_running_loop().set_default_executor(
            stack.GatedPool(thread_name_prefix="deskterm-worker"))
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        self.push_screen(StartScreen())
        self._open()
        self.call_after_refresh(self._load_workspace)
        # The launch turns garbage collection off until the first frame; should the
        # queue never show (the store could not be opened, or not read), not for long.
        self.set_timer(COLLECTOR_OFF_AT_MOST, lambda: gc.enable())

    @staticmethod
    def _load_workspace() -> None:
        """The workspace's modules, loaded while the store opens in its worker (SQLite
        works beside the interpreter) rather than after it."""
        import deskterm.ui.screens.workspace  # noqa: F401

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def _open(self) -> DeskSession:
        return open_desk(self.db_path, self.handle, self.config)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The app's own workers: opening the store, and the mood check when quitting."""
        worker = event.worker
        if worker.group == "theme" and event.state == WorkerState.ERROR:
            self.notify(_("could not remember the theme: {error}").format(
                error=error_message(worker.error)), severity="warning")
            return
        if worker.group == "language" and event.state == WorkerState.ERROR:
            self.notify(_("could not remember the language: {error}").format(
                error=error_message(worker.error)), severity="warning")
            return
        if worker.group == "mood-check":
            if event.state == WorkerState.SUCCESS:
                self._mood_checked(bool(worker.result))
            elif event.state == WorkerState.ERROR:
                self.exit()  # a store that cannot answer must not keep anyone from leaving
            return
        if event.state == WorkerState.SUCCESS and worker.group == "open":
            from deskterm.ui.screens.workspace import WorkspaceScreen

            self.session = worker_result(worker, DeskSession)

            # The announcer, the watch and sync begin after the first frame: `workspace_shown`.
            self.switch_screen(WorkspaceScreen(self.session))
            return
        if event.state != WorkerState.ERROR:
            return
        if worker.group == "open" and isinstance(self.screen, StartScreen):
            self.screen.show_error(error_message(worker.error))
        else:
            self.report(worker.error)

    def report(self, error: BaseException | None) -> None:
        """The one place a failed background job becomes what a person sees.

        Worker state changes do not bubble, so screens and widgets pass their workers'
        errors here (forms show refusals inline instead).
        """
        self.notify(error_message(error), severity="error", timeout=8)

    # -- app-wide ------------------------------------------------------------------------

    def changed(self, *entities: str, pulled: bool = False) -> None:
        """Tell every pane the store changed: after a local write (which sync then pushes
        soon) or, with `pulled`, after sync brought others' changes (nothing to push)."""
        self.data_changed.publish(DataChanged(frozenset(entities)))
        if not pulled and self.syncer is not None:
            self.syncer.local_change()

    def workspace_shown(self, session: DeskSession) -> None:
        """The workspace has painted its first rows: start what runs beside it (once)."""
        if self.announcer is None:
            self._start_announcer(session)
        if self.watcher is None:
            self._start_watch(session)
        self._start_sync(session)

    # -- sync with the desk's server, and with other windows on the store ------------------

    def _start_watch(self, session: DeskSession) -> None:
        from deskterm.ui.syncing.watcher import StoreWatcher

        self.watcher = StoreWatcher(self, session)
        self.watcher.start()

    def _start_sync(self, session: DeskSession) -> None:
        login = session.login
        if login is not None and self.syncer is None:
            self.syncer = Syncer(self, session, login.server, login.token)
            self.syncer.start()

    @property
    def sync_status(self) -> SyncState:
        """What the background sync is doing now ("local only" without a server)."""
        return self.syncer.state if self.syncer is not None else LOCAL_ONLY

    def action_sync_now(self) -> None:
        """Sync now; without a server (or signed out), re-read the store: another window
        on it may have written, and what is shown must be what it holds."""
        if self.syncer is None or self.syncer.state.kind == "signed_out":
            self.changed(pulled=True)
            why = state_message(LOCAL_ONLY if self.syncer is None else self.syncer.state)
            self.notify(_("re-read the local store · {why}").format(why=why),
                        title=_("Sync"), severity="warning", markup=False)
        else:
            self.syncer.sync_now()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from translated_system_commands(super().get_system_commands(screen))
        yield SystemCommand(_("Sync now"), _("push local changes and pull the desk's (ctrl+r)"),
                            self.action_sync_now)
        yield SystemCommand(switch_title(), switch_help(), self.action_switch_language)
        yield from people.people_commands(self)

    def action_switch_language(self) -> None:
        """The palette's language switch: the other language, now and from the next start."""
        from deskterm.ui.language import other_language

        switch_language(self, other_language(), remember=self._remember_language)

    @staticmethod
    def _remember_language(language: str) -> None:
        # Asked for in so many words, so written even when themes are not remembered.
        save_settings({"language": language})

    # -- the people screens and the announcer (ui/screens/people_*.py, ui/announcer.py) ----

    def action_people(self, name: str) -> None:
        people.open_people(self, name)

    def _start_announcer(self, session: DeskSession) -> None:
        from deskterm.ui.announcer import Announcer

        self.announcer = Announcer(self, session)
        self.announcer.start()

    def open_ticket(self, ticket_id: str) -> None:
        from deskterm.ui.screens.ticket import TicketScreen

        if self.session is not None:
            self.push_screen(TicketScreen(self.session, ticket_id))

    def watch_theme(self, theme: str) -> None:
        # A theme picked while running (the palette's) is remembered. It once asked
        # `self.is_mounted(self)`, always False (the app is not in its own registry of
        # widgets), so no pick was ever saved.
        if self._remember_theme and self.is_running and theme != self._theme_saved:
            self._theme_saved = theme
            self._save_theme(theme)

    @work(thread=True, exclusive=True, group="theme", exit_on_error=False)
    def _save_theme(self, theme: str) -> None:
        save_settings({"theme": theme})

    # -- leaving: the mood question ------------------------------------------------------

    async def action_quit(self) -> None:
        """Quit; first, once a day per agent, ask how the day was (Escape skips)."""
        if self._asking_mood:  # quit again while asked: that is a skip
            self._mood_answered(None)
            return
        if self.session is None:
            self.exit()
            return
        self._asking_mood = True
        self._check_mood(self.session)

    @work(thread=True, exclusive=True, group="mood-check", exit_on_error=False)
    def _check_mood(self, session: DeskSession) -> bool:
        from deskterm.services.wellbeing import mood_question_due

        return mood_question_due(session.ctx)

    def _mood_checked(self, due: bool) -> None:
        if not due or self.session is None:
            self.exit()
            return
        from deskterm.ui.screens.mood import MoodScreen

        self.push_screen(MoodScreen(self.session), self._mood_answered)

    def _mood_answered(self, entry: MoodEntry | None) -> None:
        if entry is None and self.session is not None:
            from deskterm.services.wellbeing import remember_mood_skipped

            # Kept in the agent's store, for them alone (another agent on this machine
            # is still asked). On the UI thread, and that is fine: the app is about to
            # exit. No failure may keep anyone from leaving: the next quit asks again.
            with suppress(Exception):
                remember_mood_skipped(self.session.ctx)
        self.exit()

    def action_help(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def action_show_help_panel(self) -> None:
        """The keys of where you are first, grouped (`ui/widgets/keys_help.py`)."""
        from deskterm.ui.widgets.keys_help import KeysHelp

        if not self.screen.query("HelpPanel"):
            self.screen.mount(KeysHelp())

    def on_unmount(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
        if self.syncer is not None:
            self.syncer.stop()  # before the store closes under its threads
        if self.session is not None:
            self.session.close()


def run_app(config: Config, db_path: Path, handle: str | None) -> None:
    DesktermApp(config, db_path, handle).run()
