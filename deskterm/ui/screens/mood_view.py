"""The mood view: everyone's own 30-day trend; for leads, the team's mood as aggregates only.

A lead sees, per ISO week and per day, how many times each smiley was picked and the
mean, and only where at least three agents contributed; anywhere else the one text "not
enough entries to show" (services/team_mood.py holds the rule, and the server applies it
when the desk syncs: then the aggregates come from the server, which alone has everyone's
entries). Nobody's single entry is shown here except one's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from deskterm.domain import MoodEntry
from deskterm.i18n import _, ngettext, pgettext
from deskterm.i18n.formats import day_month, number
from deskterm.services.team_mood import NOT_ENOUGH, MoodAggregate, TeamMood
from deskterm.services.wellbeing import local_today, my_moods
from deskterm.ui.messages import DataChanged
from deskterm.ui.screens.mood import SMILEYS, WORDS
from deskterm.ui.screens.people_screen import PeopleScreen
from deskterm.ui.session import DeskSession
from deskterm.ui.typed import worker_result
from deskterm.ui.widgets.mood_trend import sparkline
from deskterm.ui.widgets.title_bar import TitleBar

OWN_DAYS = 30
#: One block per share of the row's largest count, for the little distribution bars.
LEVELS = " ▁▂▃▄▅▆▇█"


def read_team_mood(session: DeskSession) -> TeamMood:
    """The team's mood as the lead may see it: from the server when the desk syncs.

    Reads the store or the network: call in a worker.
    """
    from deskterm.sync.figures import team_mood

    return team_mood(session.ctx, session.login)


@dataclass(frozen=True)
class MoodView:
    own: list[MoodEntry]
    today: date
    team: TeamMood | None  # None: not a lead


class MoodViewScreen(PeopleScreen):
    """Your own trend; the team's aggregates below it for leads."""

    CSS_PATH = "mood_view.tcss"

    def __init__(self, session: DeskSession) -> None:
        super().__init__(session)
        self.view: MoodView | None = None

    def compose(self) -> ComposeResult:
        lead = self.session.actor.is_lead
        yield TitleBar(Static(_("Mood · your own and the team's") if lead else
                              _("Mood · your own"), id="mood-title"))
        with VerticalScroll(id="mood-body"):
            own = Static(_("reading…"), id="mood-own")
            own.border_title = _("Your mood, last {days} days · only you see it").format(
                days=number(OWN_DAYS))
            yield own
            if lead:
                yield Static("", id="mood-warning")
                weeks = Static("", id="mood-weeks", classes="mood-team")
                weeks.border_title = _("The team per week")
                yield weeks
                days = Static("", id="mood-days", classes="mood-team")
                days.border_title = _("The team per day")
                yield days
        yield Footer()

    def on_mount(self) -> None:
        if self.session.actor.is_lead:
            self.query_one("#mood-warning").display = False
        self.query_one("#mood-body").focus()
        self._load()

    def data_changed(self, change: DataChanged) -> None:
        if change.touches("mood_entry"):
            self._load()

    @work(thread=True, exclusive=True, group="mood-view", exit_on_error=False)
    def _load(self) -> MoodView:
        session = self.session
        ctx = session.ctx
        team = read_team_mood(session) if session.actor.is_lead else None
        return MoodView(my_moods(ctx, days=OWN_DAYS), local_today(ctx), team)

    @on(Worker.StateChanged)
    def _loaded(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "mood-view" and event.state == WorkerState.SUCCESS:
            self.view = event.worker.result
            self._show(worker_result(event.worker, MoodView))

    def _show(self, view: MoodView) -> None:
        self.query_one("#mood-own", Static).update(own_trend(view.own, view.today))
        if view.team is None:
            return
        warning = self.query_one("#mood-warning", Static)
        warning.display = view.team.warning is not None
        if view.team.warning is not None:
            warning.update(Content.assemble((_("⚠ Early warning: "), "bold"),
                                            view.team.warning.message))
        self.query_one("#mood-weeks", Static).update(
            team_lines(view.team.weeks, pgettext("mood table", "week")))
        self.query_one("#mood-days", Static).update(
            team_lines(view.team.days, pgettext("mood table", "day")))


def own_trend(entries: list[MoodEntry], today: date) -> Content:
    """One cell per day (oldest left), then how often each face was picked and the mean."""
    if not entries:
        return Content.styled(_("You have not logged a mood in the last {days} days. The app "
                                "asks once a day when you quit.").format(days=number(OWN_DAYS)),
                              "$text-muted")
    line = sparkline(((e.local_date, e.score) for e in entries), today, OWN_DAYS)
    counts = [0] * 5
    for entry in entries:
        counts[entry.score - 1] += 1
    mean = sum(e.score for e in entries) / len(entries)
    latest = entries[-1]
    logged = ngettext("{count} day logged", "{count} days logged", len(entries)).format(
        count=number(len(entries)))
    # TRANSLATORS: e.g. "latest 🙂 good on Fri 5 Dec".
    newest = _("latest {smiley} {word} on {day}").format(
        smiley=SMILEYS[latest.score - 1], word=_(WORDS[latest.score - 1]),
        day=day_month(date.fromisoformat(latest.local_date)))
    return Content("\n").join([
        Content.assemble(("▕", "$text-muted"), (line, "bold $accent"), ("▏", "$text-muted"),
                         f"  {logged} · {newest}"),
        header("", agents=False),
        Content.assemble(pgettext("mood table", "you").ljust(LABEL), mean_cells(mean),
                         distribution(tuple(counts))),
    ])


#: Width of the label column (a date or an ISO week).
LABEL = 12
#: Each face's column: a little bar and the count.
FACE_COLUMN = 8


def header(first: str, *, agents: bool = True) -> Content:
    """The column names and the faces over their columns.

    Each face is two cells wide and sits over the last two digits of its count. Names and
    spaces are segments of their own, so an SVG export places each one by its cell.
    """
    mean = pgettext("mood table", "mean")
    parts: list[str | tuple[str, str]] = [(first, "bold"), " " * (LABEL - len(first)),
                                          (mean, "bold"), " " * max(1, 11 - len(mean))]
    for face in SMILEYS:
        parts += [" " * (FACE_COLUMN - 3), (face, "not dim"), " "]
    if agents:
        parts += ["  ", (pgettext("mood table", "agents"), "bold")]
    return Content.assemble(*parts)


def team_lines(items: list[MoodAggregate], first: str) -> Content:
    """A header with the five faces, then one line per day or week, newest first."""
    return Content("\n").join([header(first),
                               *(aggregate_line(item) for item in reversed(items))])


def aggregate_line(item: MoodAggregate) -> Content:
    """`2026-W47    3.8 ███▊   ▁  2  …  10`, or the label and "not enough entries to show"."""
    label = Content.styled(f"{item.label:<{LABEL}}", "bold")
    if not item.shown or item.mean is None:
        return Content.assemble(label, (_(NOT_ENOUGH), "$text-muted italic"))
    if item.distribution is None:  # a mean of 3-4 people: their spread would say too much
        spread = Content.styled(_("too few to show the spread").ljust(FACE_COLUMN * 5),
                                "$text-muted italic")
    else:
        spread = distribution(item.distribution)
    return Content.assemble(label, mean_cells(item.mean), spread,
                            (f"  {item.contributors:>6}", "$text-muted"))


def mean_cells(mean: float) -> Content:
    """`3.8 ███▊ `: the mean, and a bar of five cells for a mean of 5."""
    eighths = round(mean / 5 * 5 * 8)
    bar = "█" * (eighths // 8) + (LEVELS_H[eighths % 8] if eighths % 8 else "")
    shown = number(round(mean, 1), 1)  # rounded as Python rounds it, written the language's way
    return Content.assemble((f"{shown} ", "bold"), (f"{bar:<6}", "$accent"), " ")


#: Partial blocks, left to right, for a horizontal bar in eighths.
LEVELS_H = " ▏▎▍▌▋▊▉"


def distribution(counts: Sequence[int]) -> Content:
    """Under each face, a little bar scaled to the row's largest count, and the count."""
    top = max(counts) or 1
    parts: list[Content | str | tuple[str, str]] = []
    for count in counts:
        bar = LEVELS[max(1, round(count / top * 8))] if count else " "
        parts += [(f"{bar:>{FACE_COLUMN - 4}}", "$accent"), f"{count:>3} "]
    return Content.assemble(*parts)
