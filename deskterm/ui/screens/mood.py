"""At logout, once a day: "How was your day?" with five smileys and a private note."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, Input, Label, Static

from deskterm.domain import MoodEntry
from deskterm.domain.errors import InvalidInput
from deskterm.i18n import N_, _
from deskterm.services.wellbeing import record_mood
from deskterm.ui.forms.common import DeskForm

SMILEYS = ("😞", "🙁", "😐", "🙂", "😄")
#: Each smiley's word (marked: shown with `_()`).
WORDS = (N_("awful"), N_("bad"), N_("so-so"), N_("good"), N_("great"))


class Smiley(Button, can_focus=False):
    """One face; clicking picks it (the keys 1-5 do the same)."""


class MoodPicker(Horizontal, can_focus=True):
    """Five smileys: 1-5 or left/right pick one, Enter (on the screen) saves."""

    DEFAULT_CSS = """
    MoodPicker { height: 3; width: auto; }
    MoodPicker Smiley { min-width: 9; margin-right: 1; }
    MoodPicker Smiley.-picked { background: $accent; color: $text; text-style: bold; }
    MoodPicker:focus Smiley.-picked { background: $accent-lighten-1; }
    """

    BINDINGS = [
        *(Binding(str(score), f"pick({score})", WORDS[score - 1], show=False,
                  id=f"mood.pick_{score}") for score in range(1, 6)),
        Binding("left", "step(-1)", N_("Worse"), show=False, id="mood.worse"),
        Binding("right", "step(1)", N_("Better"), show=False, id="mood.better"),
    ]

    score: reactive[int | None] = reactive(None)

    class Picked(Message):
        def __init__(self, score: int) -> None:
            super().__init__()
            self.score = score

    def compose(self) -> ComposeResult:
        for score, face in enumerate(SMILEYS, 1):
            yield Smiley(f"{face} {score}", id=f"mood-{score}", tooltip=_(WORDS[score - 1]))

    def watch_score(self, score: int | None) -> None:
        for index, smiley in enumerate(self.query(Smiley), 1):
            smiley.set_class(index == score, "-picked")
        if score is not None:
            self.post_message(self.Picked(score))

    def action_pick(self, score: int) -> None:
        self.score = score

    def action_step(self, delta: int) -> None:
        self.score = 3 if self.score is None else min(5, max(1, self.score + delta))

    @on(Smiley.Pressed)
    def _pressed(self, event: Smiley.Pressed) -> None:
        event.stop()
        self.focus()
        self.score = int(str(event.button.id).removeprefix("mood-"))


class MoodScreen(DeskForm[MoodEntry]):
    """Dismisses with the saved entry, or None when skipped (Escape)."""

    TITLE = N_("How was your day?")
    SUBMIT_LABEL = N_("Save")
    CHANGES = ("mood_entry",)

    DEFAULT_CSS = """
    MoodScreen > #form { width: 60; }
    MoodScreen #mood-word { height: 1; color: $text-muted; margin-top: 1; }
    """

    BINDINGS = [
        Binding("enter", "submit", N_("Save"), id="mood.save"),
        Binding("escape", "cancel", N_("Skip"), id="mood.skip"),
    ]

    def fields(self) -> ComposeResult:
        yield MoodPicker(id="mood-picker")
        yield Static(_("pick a smiley: 1 ({worst}) to 5 ({best})").format(
            worst=_(WORDS[0]), best=_(WORDS[-1])), id="mood-word")
        yield Label(_("A note for yourself (optional; only you ever see your moods)"))
        yield Input(id="mood-note", placeholder=_("what made it so"))

    def on_mount(self) -> None:
        self.query_one("#form-cancel", Button).label = _("Skip")
        self.set_focus(self.query_one(MoodPicker))

    @on(MoodPicker.Picked)
    def _picked(self, event: MoodPicker.Picked) -> None:
        self.query_one("#mood-word", Static).update(
            f"{SMILEYS[event.score - 1]}  {_(WORDS[event.score - 1])}")

    def submit(self) -> Callable[[], MoodEntry]:
        score = self.query_one(MoodPicker).score
        if score is None:
            raise InvalidInput(_("pick a smiley (1 to 5), or press Escape to skip"))
        note = self.query_one("#mood-note", Input).value
        return lambda: record_mood(self.ctx, score, note=note or None)

    def success_message(self, result: MoodEntry) -> str:
        return _("Thanks. See you next time.")
