"""The sync indicator: synced, N pending, offline (retrying), error, signed out, local only.

Every screen shows it (the workspace's top bar, each people screen's title line through
`ui.widgets.title_bar`), so no screen looks live while the server is away: away, it says
how old what is shown may be (`synced 14:02`, the last time a round reached the server).
"""

from __future__ import annotations

import time

from rich.text import Text
from textual.widgets import Static

from deskterm.i18n import _
from deskterm.i18n.formats import number
from deskterm.i18n.formats import time as clock_time
from deskterm.ui.messages import LanguageChanged
from deskterm.ui.syncing import SyncState
from deskterm.ui.syncing.state import state_message
from deskterm.ui.typed import desk_app

#: The style of each state's text: calm when all is well, loud when the agent should look.
STYLES = {"local": "dim", "starting": "dim", "synced": "green", "pending": "yellow",
          "offline": "yellow", "error": "bold red", "signed_out": "bold red"}


def describe(state: SyncState, now: float | None = None) -> str:
    """One short line: `● synced 14:02`, `↑ 3 pending`, `offline · retrying in 8s` …

    `now` is `time.monotonic()` (the retry countdown is counted on it).
    """
    # TRANSLATORS: the sync indicator: changes made here, not yet on the server.
    pending = _("↑ {count} pending").format(count=number(state.pending))
    if state.kind == "local":
        return _("local only")
    if state.kind == "starting":
        return _("◌ connecting…")
    if state.kind == "synced":
        if state.last_synced is None:
            return _("● synced")
        # TRANSLATORS: the sync indicator: the last time a round reached the server.
        return _("● synced {time}").format(time=clock_time(state.last_synced.astimezone()))
    if state.kind == "pending":
        return pending
    parts = [{"offline": _("○ offline"), "signed_out": _("⊘ signed out")}.get(
        state.kind, _("⚠ sync error"))]
    if state.last_synced is not None:  # how old what is shown may be
        parts.append(_("synced {time}").format(
            time=clock_time(state.last_synced.astimezone())))
    if state.pending:
        parts.append(pending)
    if state.retry_at is not None:
        left = max(0, round(state.retry_at - (time.monotonic() if now is None else now)))
        parts.append(_("retrying in {seconds}s").format(seconds=left) if left
                     else _("retrying…"))
    return " · ".join(parts)


def explain(state: SyncState) -> str:
    """The tooltip: what the state means, and why when something is wrong."""
    if state.kind == "signed_out":
        return _("{message}\nctrl+r re-reads this store.").format(message=state.message)
    if state.kind in ("offline", "error"):
        return _("{message}\nLocal work is kept and sent when the server answers.\n"
                 "ctrl+r tries again now.").format(message=state.message)
    if state.kind == "pending":
        return _("Local changes on their way to the server.")
    if state.kind == "synced":
        return _("Everything local is on the server, and the desk's changes are here.")
    return state_message(state) or _("Starting to sync.")


class SyncStatus(Static):
    """Follows the app's `sync_state` signal; counts down the retry while offline."""

    DEFAULT_CSS = """
    SyncStatus { width: auto; height: 1; margin-left: 2; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.state: SyncState | None = None

    def on_mount(self) -> None:
        desk_app(self).sync_state.subscribe(self, self.show_state)
        self.show_state(desk_app(self).sync_status)
        # The countdown moves on its own; a second is as fine as it reads.
        self.set_interval(1.0, self._tick)

    def on_unmount(self) -> None:
        desk_app(self).sync_state.unsubscribe(self)  # else the signal keeps it (letting_go.py)

    def show_state(self, state: SyncState) -> None:
        self.state = state
        self.tooltip = explain(state)
        self._draw()

    def on_language_changed(self, event: LanguageChanged) -> None:
        if self.state is not None:
            self.show_state(self.state)

    def _tick(self) -> None:
        if self.state is not None and self.state.retry_at is not None:
            self._draw()

    def _draw(self) -> None:
        assert self.state is not None
        self.update(Text(describe(self.state), style=STYLES[self.state.kind]))

    @property
    def text(self) -> str:
        """What the indicator says now (tests read it)."""
        return describe(self.state) if self.state is not None else ""
