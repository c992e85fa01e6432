"""The agent's own mood of the last 30 days as a one-line sparkline, blank where none was left.

In the top bar only when the agent asks for it (see MoodTrend); the mood view always has it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from deskterm.i18n import N_, _
from deskterm.i18n.formats import day_month
from deskterm.ui.messages import LanguageChanged
from deskterm.ui.typed import desk_app

if TYPE_CHECKING:
    from deskterm.domain import MoodEntry
    from deskterm.ui.session import DeskSession

DAYS = 30
#: One block per score, 1 (bad) to 5 (great).
BLOCKS = "▁▃▄▆█"
FACES = ("", N_("awful"), N_("bad"), N_("so-so"), N_("good"), N_("great"))


def sparkline(scores_by_day: Iterable[tuple[str, int]], today: date, days: int = DAYS) -> str:
    """One cell per day, oldest first, ending today; a space where no mood was logged.

    `scores_by_day` holds (ISO local date, score 1-5) pairs.
    """
    scores = dict(scores_by_day)
    cells = []
    for back in range(days - 1, -1, -1):
        score = scores.get((today - timedelta(days=back)).isoformat())
        cells.append(BLOCKS[score - 1] if score and 1 <= score <= 5 else " ")
    return "".join(cells)


class MoodTrend(Static):
    """`mood ▃▆ █▄…` in the top bar: only the agent's own moods, never anyone else's.

    Hidden, and not even read, unless the agent turned it on (`show()`, from the
    palette): a header is seen by whoever stands behind them or watches a screen share.
    The choice is the agent's own, kept in their store (services.wellbeing).
    """

    DEFAULT_CSS = """
    MoodTrend { width: auto; height: 1; color: $text-muted; display: none; }
    MoodTrend.-shown { display: block; }
    """

    def __init__(self, session: DeskSession, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.session = session

    @property
    def shown(self) -> bool:
        return self.has_class("-shown")

    def reload(self) -> None:
        self._read()

    def on_language_changed(self, event: LanguageChanged) -> None:
        self.reload()

    def show(self, shown: bool) -> None:
        """Turn the trend on or off, and remember that for the agent."""
        self._read(remember=shown)

    @work(thread=True, exclusive=True, group="mood-trend", exit_on_error=False)
    def _read(self, remember: bool | None = None) -> None:
        from deskterm.services.wellbeing import (
            local_today,
            mood_in_header,
            my_moods,
            show_mood_in_header,
        )

        ctx = self.session.ctx
        if remember is not None:
            show_mood_in_header(ctx, remember)
        if not mood_in_header(ctx):
            self.app.call_from_thread(self._show, None, local_today(ctx))
            return
        entries = my_moods(ctx, days=DAYS)
        self.app.call_from_thread(self._show, entries, local_today(ctx))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            desk_app(self).report(event.worker.error)

    def _show(self, entries: list[MoodEntry] | None, today: date) -> None:
        """Draw the trend; None: the agent keeps it out of the header."""
        if not self.is_attached:
            return
        self.set_class(entries is not None, "-shown")
        if not entries:
            self.update(_("mood: none in {days} days").format(days=DAYS)
                        if entries is not None else "")
            self.tooltip = None
            return
        line = sparkline(((entry.local_date, entry.score) for entry in entries), today)
        # TRANSLATORS: the word before the workspace's mood sparkline.
        self.update(Text.assemble((_("mood") + " ", "dim"), (line, "bold")))
        latest = entries[-1]
        self.tooltip = _("Your mood, last {days} days: only you see it.\n"
                         "Latest: {face} ({score}/5) on {day}").format(
            days=DAYS, face=_(FACES[latest.score]), score=latest.score,
            day=day_month(date.fromisoformat(latest.local_date), year=True))
