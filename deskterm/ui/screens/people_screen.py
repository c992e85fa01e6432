"""What the people screens share: the session, keys that lead back, reloads on data changes."""

from __future__ import annotations

from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from deskterm.i18n import N_
from deskterm.ui.commands import ActionEntry, PaletteCommand, binding_commands
from deskterm.ui.language import TranslatedBindings
from deskterm.ui.messages import DataChanged, LanguageChanged
from deskterm.ui.session import DeskSession
from deskterm.ui.typed import desk_app

BACK: tuple[ActionEntry, ...] = (("people.back", N_("Back to the workspace"),
                                   N_("close this view")),)


class PeopleScreen(TranslatedBindings, Screen[None]):
    """A full screen over the workspace; Escape or q closes it.

    Subclasses list their own keys in `ACTIONS` (for the command palette) and react to
    store changes in `data_changed` (the app's signal, subscribed while the screen lives).
    A language switch is a change of everything shown: `data_changed` reloads it all.
    """

    ACTIONS: tuple[ActionEntry, ...] = ()

    BINDINGS = [
        Binding("escape", "back", N_("Back"), tooltip=N_("to the workspace"),
                id="people.back"),
        Binding("q", "back", N_("Back"), show=False, id="people.close"),
    ]

    def __init__(self, session: DeskSession) -> None:
        super().__init__()
        self.session = session

    def on_mount(self) -> None:
        desk_app(self).data_changed.subscribe(self, self.data_changed)

    def on_unmount(self) -> None:
        desk_app(self).data_changed.unsubscribe(self)  # else the signal keeps it (letting_go.py)

    def data_changed(self, change: DataChanged) -> None:
        """The store changed (a local write or a sync pull): reload what it touches."""

    def on_language_changed(self, event: LanguageChanged) -> None:
        self.data_changed(DataChanged())

    def action_back(self) -> None:
        self.dismiss()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed read becomes a notification (the app's one place for errors)."""
        if event.state == WorkerState.ERROR:
            desk_app(self).report(event.worker.error)

    def palette_commands(self) -> list[PaletteCommand]:
        return [*binding_commands(self, self.ACTIONS), *binding_commands(self, BACK)]
