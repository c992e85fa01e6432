"""The base of the four panes: a titled box that shows focus, activates and maximizes."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from deskterm.i18n import N_, _
from deskterm.ui.messages import LanguageChanged
from deskterm.ui.typed import desk_app


def focus_now(widget: Widget) -> None:
    """Focus `widget` before the next key is routed (`Widget.focus` waits a turn, and
    keys already queued, a paste's, would go to the widget focused before)."""
    widget.screen.set_focus(widget)


class Pane(Vertical, can_focus=False):
    """One of the workspace's panes, and the rules its keys follow.

    Subclasses set `PANE_TITLE` (marked `N_()`) and `PANE_KEY` (the digit that jumps to
    them), override `primary` to name the widget that takes focus when the pane is
    activated, and `language_changed` to redraw their own texts in a new language.

    The key rules (README's key table says the same, by where you are):

    - A key means one thing wherever focus is. Outside a text box, the focused pane's
      keys, the workspace's (`1`-`4`, `tab`, `z`, the ticket keys) and the app's (`?`,
      `q`, the people screens) all work; a pane's key wins over a workspace key on the
      same letter (`n` in the KB is a new article, elsewhere a new ticket).
    - A search box is entered only by `/`: never by `tab`, a pane key or activating the
      pane (`primary` is never the box), so letters after `3` or `tab` are keys.
      It is left by Escape or `↓` (into the results). Inside it, every printable key
      is text.
    - `/` goes to the focused pane's own search (`search_box`); a pane without one
      sends it to the desk's search, the pane with `DESK_SEARCH` (the queue's filter),
      so what is typed after `/` is text, never a command.
    - `/` is a priority binding and moves focus at once (not a frame later): keys that
      arrive together with it, as a fast paste brings them, go into the box.
    - Escape in a form closes it when nothing was typed, else asks first
      (`ui/forms/base.py`); in a screen over the workspace it goes back.

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
    #: This pane's search is the workspace's: `/` in a pane without a search comes here.
    DESK_SEARCH = False

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
        Binding("slash", "search", N_("Search"), id="pane.search", show=False, priority=True),
    ]

    def on_mount(self) -> None:
        self.show_title()

    def show_title(self) -> None:
        title = _(self.PANE_TITLE)
        self.border_title = f"{self.PANE_KEY} {title}" if self.PANE_KEY else title

    def on_language_changed(self, event: LanguageChanged) -> None:
        self.show_title()
        self.language_changed()

    def language_changed(self) -> None:
        """The desk speaks another language now: redraw what the pane wrote itself (its
        title is redrawn already)."""

    @property
    def primary(self) -> Widget | None:
        """The widget that takes focus when the pane is activated."""
        for widget in self.query("*"):
            if widget.focusable:
                return widget
        return None

    @property
    def search_box(self) -> Input | None:
        """The pane's own search box, entered by `/` (None: the pane has none)."""
        return None

    def activate(self) -> None:
        target = self.primary
        if target is not None:
            focus_now(target)

    def action_search(self) -> None:
        """`/`: into this pane's search box; without one, into the desk's search."""
        box = self.search_box
        if box is not None:
            focus_now(box)
            return
        for pane in self.screen.query(Pane):
            if pane.DESK_SEARCH and pane is not self:
                if self.screen.maximized is not None:
                    self.screen.minimize()
                pane.action_search()
                return

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed read in this pane becomes a notification, never a silent gap."""
        if event.state == WorkerState.ERROR:
            desk_app(self).report(event.worker.error)

    def set_subtitle(self, text: str) -> None:
        self.border_subtitle = text
