"""The agent's own mood of the last 30 days as a one-line sparkline, blank where none was left."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from rich.text import Text
from textual import work
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from deskterm.domain import MoodEntry
from deskterm.services.wellbeing import local_today, my_moods
from deskterm.ui.session import DeskSession

DAYS = 30
#: One block per score, 1 (bad) to 5 (great).
BLOCKS = "▁▃▄▆█"
FACES = ("", "awful", "bad", "so-so", "good", "great")


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
    """`mood ▃▆ █▄…` in the top bar: only the agent's own moods, never anyone else's."""

    DEFAULT_CSS = "MoodTrend { width: auto; height: 1; color: $text-muted; }"

    def __init__(self, session: DeskSession, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.session = session

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        self._read()

    @work(thread=True, exclusive=True, group="mood-trend", exit_on_error=False)
    def _read(self) -> None:
        ctx = self.session.ctx
        entries = my_moods(ctx, days=DAYS)
        self.app.call_from_thread(self._show, entries, local_today(ctx))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.app.report(event.worker.error)  # type: ignore[attr-defined]

    def _show(self, entries: list[MoodEntry], today: date) -> None:
        if not self.is_attached:
            return
        if not entries:
            self.update("")
            self.tooltip = None
            return
        line = sparkline(((entry.local_date, entry.score) for entry in entries), today)
        self.update(Text.assemble(("mood ", "dim"), (line, "bold")))
        latest = entries[-1]
        self.tooltip = (f"Your mood, last {DAYS} days: only you see it.\n"
                        f"Latest: {FACES[latest.score]} ({latest.score}/5) on "
                        f"{latest.local_date}")
