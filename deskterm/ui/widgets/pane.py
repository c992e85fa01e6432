"""The base of the four panes: a titled box that shows focus, activates and maximizes."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import Vertical
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from deskterm.ui.typed import desk_app


class Pane(Vertical, can_focus=False):
    """One of the workspace's panes.

    Subclasses set `PANE_TITLE` and `PANE_KEY` (the digit that jumps to them) and
    override `primary` to name the widget that takes focus when the pane is activated.

    How a pane narrows (the workspace's rule, screens/narrow.py; README "Small
    terminals"): under 100 columns the side panes stack, one shown at a time at full
    width (the workspace gives the others `-aside`, `display: none`), and under 32
    lines the queue takes more of the height. A pane itself drops nothing: it narrows
    its columns (fr widths with a least width), shortens its labels and scrolls what
    does not fit; `z` maximizes it whatever the size.
    """

    PANE_TITLE = "pane"
    PANE_KEY = ""
    ALLOW_MAXIMIZE = True

    DEFAULT_CSS = """
    Pane {
        border: round $panel-lighten-2;
        border-title-color: $text-muted;
        border-title-style: bold;
        padding: 0 1;
        height: 1fr;
        background: $surface;
    }
    Pane:focus-within {
        border: round $accent;
        border-title-color: $accent;
    }
    Pane.-maximized { border: round $accent; }
    """

    BINDINGS = [
        Binding("slash", "search", "Search", id="pane.search", show=False),
    ]

    def on_mount(self) -> None:
        self.border_title = f"{self.PANE_KEY} {self.PANE_TITLE}" if self.PANE_KEY \
            else self.PANE_TITLE

    @property
    def primary(self) -> Widget | None:
        """The widget that takes focus when the pane is activated."""
        for widget in self.query("*"):
            if widget.focusable:
                return widget
        return None

    def activate(self) -> None:
        target = self.primary
        if target is not None:
            target.focus()

    def action_search(self) -> None:
        """`/`: panes with a search box focus it; others ignore the key."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed read in this pane becomes a notification, never a silent gap."""
        if event.state == WorkerState.ERROR:
            desk_app(self).report(event.worker.error)

    def set_subtitle(self, text: str) -> None:
        self.border_subtitle = text
