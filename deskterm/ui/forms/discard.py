""""Discard what you typed?": the question a form asks before Escape throws text away."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from deskterm.i18n import N_, _
from deskterm.ui.language import TranslatedBindings


class DiscardQuestion(TranslatedBindings, ModalScreen[bool]):
    """Dismisses with True to discard, False to keep editing (Escape, and the default)."""

    AUTO_FOCUS = "#discard-keep"

    DEFAULT_CSS = """
    DiscardQuestion { align: center middle; }
    DiscardQuestion > #discard {
        width: 48; max-width: 95%; height: auto;
        border: round $warning; background: $surface; padding: 0 1;
    }
    DiscardQuestion #discard-title { text-style: bold; padding-bottom: 1; }
    DiscardQuestion #discard-hint { color: $text-muted; }
    DiscardQuestion #discard-buttons { height: auto; align-horizontal: right; padding-top: 1; }
    DiscardQuestion #discard-buttons Button { margin-left: 1; }
    """

    BINDINGS = [
        Binding("escape", "keep", N_("Keep editing"), id="discard.keep"),
        Binding("d", "discard", N_("Discard"), id="discard.discard"),
        Binding("left,right", "app.focus_next", show=False, id="discard.other_button"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="discard"):
            yield Static(_("Discard what you typed?"), id="discard-title")
            # TRANSLATORS: the keys' names (esc, d) stay as they are: they are the keys.
            yield Static(_("esc keeps editing · d discards"), id="discard-hint")
            with Horizontal(id="discard-buttons"):
                yield Button(_("Keep editing"), variant="primary", id="discard-keep")
                yield Button(_("Discard"), variant="error", id="discard-yes")
        yield Footer()  # the question's own keys, not the form's below it

    @on(Button.Pressed, "#discard-keep")
    def action_keep(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#discard-yes")
    def action_discard(self) -> None:
        self.dismiss(True)
