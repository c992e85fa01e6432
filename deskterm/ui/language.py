"""The UI's language: key help that follows it, Textual's own words in it, and the live switch.

Bindings, column titles and other texts written at import time are marked `N_()` and
translated where they are shown. For the footer and the `?` panel that place is a screen's
`active_bindings` (both read nothing else): `TranslatedBindings` gives each binding there
its description and tooltip in the current language.

The switch (`switch_language`, the palette's "Language: Nederlands" / "Taal: English")
sets the language, remembers it in the config file as the theme is remembered, and sends
`LanguageChanged` to every screen on the stack and every widget in them: each redraws its
own texts (a pane its title, a table its column headers) and the panes re-read what they
show, so the desk speaks the new language at once, without a restart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import App, SystemCommand
from textual.binding import ActiveBinding, Binding
from textual.screen import Screen
from textual.widgets import DataTable

from deskterm.i18n import LANGUAGE_NAMES, LANGUAGES, N_, _, language, set_language
from deskterm.ui.messages import LanguageChanged

if TYPE_CHECKING:
    _ScreenBase = Screen[Any]
else:
    _ScreenBase = object

__all__ = ["LanguageChanged", "TranslatedBindings", "relabel_columns", "split_at",
           "switch_language", "translated_binding"]

#: Textual's own words that reach a person (its bindings' descriptions and tooltips, the
#: palette's system commands), marked here for the catalog: Textual writes them in English.
TEXTUAL_WORDS = frozenset((
    N_("Quit"),
    N_("Quit the app and return to the command prompt."),
    N_("palette"),
    N_("Open the command palette"),
    N_("Focus Next"),
    N_("Focus Previous"),
    N_("Copy selected text"),
    N_("Exit the command palette"),
    N_("Go to bottom"),
    N_("Go to top"),
    N_("Next command"),
    N_("Previous command"),
    N_("Next page"),
    N_("Previous page"),
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
))


def shown(text: str) -> str:
    """A text marked `N_()` (ours or Textual's), in the current language; "" stays ""
    (gettext would answer the catalog's header)."""
    return _(text) if text else text


def translated_binding(binding: Binding) -> Binding:
    """`binding` with its description and tooltip in the current language."""
    return replace(binding, description=shown(binding.description),
                   tooltip=shown(binding.tooltip))


class TranslatedBindings(_ScreenBase):
    """A mixin for every Screen and ModalScreen of the app (put it first among the bases:
    `class TicketScreen(TranslatedBindings, Screen[None])`): the footer and the `?` panel
    show its keys in the current language, and a language switch redraws them.

    A screen with texts of its own to redraw on a switch handles `LanguageChanged`
    (`on_language_changed`); this mixin's handler runs as well (Textual calls each
    class's handler along the MRO).
    """

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return {key: ActiveBinding(active.node, translated_binding(active.binding),
                                   active.enabled, shown(active.tooltip))
                for key, active in super().active_bindings.items()}

    def on_language_changed(self, event: LanguageChanged) -> None:
        self.refresh_bindings()


def split_at(message: str, field: str, **values: object) -> tuple[str, str]:
    """A translated `message`'s text before and after its `{field}`, its other fields
    filled with `values` (on either side: a translation may order them differently), so
    that the field's value can be drawn in a style of its own:
    `split_at(_("waiting {waited}"), "waited")` → `("waiting ", "")`."""
    before, __, after = message.partition("{" + field + "}")
    return before.format(**values), after.format(**values)


def relabel_columns(table: DataTable[Any], labels: dict[str, str]) -> None:
    """Give `table`'s columns (by key) their labels (marked `N_()`) in the current language."""
    for key, column in table.columns.items():
        if key.value in labels:
            column.label = Text(_(labels[key.value]))
    table.refresh(layout=True)


# -- the switch ----------------------------------------------------------------------------


def other_language() -> str:
    """The language the switch offers: the one not spoken now."""
    return next(code for code in LANGUAGES if code != language())


def switch_title() -> str:
    """The palette's switch, in the language spoken now, naming the other one as its
    speakers write it: "Language: Nederlands" / "Taal: English"."""
    # TRANSLATORS: the command palette's language switch; {language} is the other
    # language's own name ("English", "Nederlands").
    return _("Language: {language}").format(language=LANGUAGE_NAMES[other_language()])


def switch_help() -> str:
    return _("show deskterm in {language} (remembered in the config file)").format(
        language=LANGUAGE_NAMES[other_language()])


def switch_language(app: App[Any], to: str, *,
                    remember: Callable[[str], object] | None = None) -> None:
    """Speak `to` from now on: every screen on the stack and every widget in it is told
    (`LanguageChanged`), so each redraws its texts; `remember` (run in a worker) keeps the
    choice for the next start."""
    set_language(to)
    for screen in app.screen_stack:
        for node in screen.walk_children(with_self=True):
            node.post_message(LanguageChanged(to))
            node.refresh(layout=True)
    if remember is not None:
        app.run_worker(lambda: remember(to), thread=True, group="language",
                       exclusive=True, exit_on_error=False)


def system_commands(commands: Iterable[SystemCommand]) -> Iterator[SystemCommand]:
    """Textual's system commands (Theme, Quit, Keys, Screenshot, ...) in the current
    language."""
    for command in commands:
        yield command._replace(title=textual_word(command.title),
                               help=textual_word(command.help))


def textual_word(text: str) -> str:
    """One of Textual's texts in the current language, when it is one we translate."""
    return shown(text) if text in TEXTUAL_WORDS else text
