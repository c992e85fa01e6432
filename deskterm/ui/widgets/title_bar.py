"""A screen's title line with the sync indicator at its end: every screen says how fresh
what it shows is (synced, offline since, signed out), not only the workspace."""

from __future__ import annotations

from textual.containers import Horizontal
from textual.widget import Widget

from deskterm.ui.widgets.sync_status import SyncStatus


class TitleBar(Horizontal):
    """`TitleBar(Static("Escalation board", id="board-title"))`: the title, then the
    indicator, on the title's panel colour."""

    DEFAULT_CSS = """
    TitleBar { height: auto; background: $panel; }
    TitleBar > .-title { width: 1fr; }
    TitleBar > SyncStatus { margin: 0 1 0 2; }
    """

    def __init__(self, title: Widget) -> None:
        title.add_class("-title")
        super().__init__(title, SyncStatus())
