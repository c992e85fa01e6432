"""The mood view: everyone's own 30-day trend; for leads, the team's mood as aggregates only.

A lead sees, per ISO week and per day, how many times each smiley was picked and the
mean, and only where at least three agents contributed; anywhere else the one text "not
enough entries to show" (services/team_mood.py holds the rule, and the server applies it
when the desk syncs: then the aggregates come from the server, which alone has everyone's
entries). Nobody's single entry is shown here except one's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from deskterm.domain import MoodEntry
from deskterm.services.team_mood import NOT_ENOUGH, MoodAggregate, TeamMood, from_wire
from deskterm.services.wellbeing import local_today, my_moods
from deskterm.ui.messages import DataChanged
from deskterm.ui.screens.lead.base import PeopleScreen
from deskterm.ui.screens.mood import SMILEYS, WORDS
from deskterm.ui.session import DeskSession
from deskterm.ui.widgets.mood_trend import sparkline

OWN_DAYS = 30
#: One block per share of the row's largest count, for the little distribution bars.
LEVELS = " ▁▂▃▄▅▆▇█"


def read_team_mood(session: DeskSession) -> TeamMood:
    """The team's mood as the lead may see it: from the server when the desk syncs.

    Reads the store or the network: call in a worker.
    """
    from deskterm.services.team_mood import local_team_mood

    ctx = session.ctx
    config = session.config
    if config.server and config.token:
        from deskterm.sync.client import SyncClient

        with SyncClient(session.store, config.server, config.token) as client:
            return from_wire(client.team_mood(local_today(ctx).isoformat()))
    return local_team_mood(ctx)


@dataclass(frozen=True)
class MoodView:
    own: list[MoodEntry]
    today: date
    team: TeamMood | None  # None: not a lead


class MoodViewScreen(PeopleScreen):
    """Your own trend; the team's aggregates below it for leads."""

    CSS_PATH = "team_mood.tcss"

    def __init__(self, session: DeskSession) -> None:
        super().__init__(session)
        self.view: MoodView | None = None

    def compose(self) -> ComposeResult:
        lead = self.session.actor.is_lead
        yield Static("Mood" + (" · your own and the team's" if lead else " · your own"),
                     id="mood-title")
        with VerticalScroll(id="mood-body"):
            yield Static("reading…", id="mood-own")
            if lead:
                yield Static("", id="mood-warning")
                yield Static("", id="mood-weeks", classes="mood-team")
                yield Static("", id="mood-days", classes="mood-team")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#mood-own", Static).border_title = \
            f"Your mood, last {OWN_DAYS} days · only you see it"
        if self.session.actor.is_lead:
            self.query_one("#mood-warning").display = False
            self.query_one("#mood-weeks", Static).border_title = "The team per week"
            self.query_one("#mood-days", Static).border_title = "The team per day"
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
            self._show(event.worker.result)

    def _show(self, view: MoodView) -> None:
        self.query_one("#mood-own", Static).update(own_trend(view.own, view.today))
        if view.team is None:
            return
        warning = self.query_one("#mood-warning", Static)
        warning.display = view.team.warning is not None
        if view.team.warning is not None:
            warning.update(Content.assemble(("⚠ Early warning: ", "bold"),
                                            view.team.warning.message))
        self.query_one("#mood-weeks", Static).update(
            Content("\n").join(aggregate_line(item) for item in reversed(view.team.weeks)))
        self.query_one("#mood-days", Static).update(
            Content("\n").join(aggregate_line(item) for item in reversed(view.team.days)))


def own_trend(entries: list[MoodEntry], today: date) -> Content:
    """One cell per day (oldest left), then how often each face was picked and the mean."""
    if not entries:
        return Content.styled("You have not logged a mood in the last 30 days. The app asks "
                              "once a day when you quit.", "$text-muted")
    line = sparkline(((e.local_date, e.score) for e in entries), today, OWN_DAYS)
    counts = [0] * 5
    for entry in entries:
        counts[entry.score - 1] += 1
    mean = sum(e.score for e in entries) / len(entries)
    latest = entries[-1]
    return Content.assemble(
        ("▕", "$text-muted"), (line, "bold $accent"), ("▏", "$text-muted"),
        f"  {len(entries)} days logged · mean {mean:.1f}\n",
        distribution(tuple(counts)),  # type: ignore[arg-type]
        (f"\nlatest: {SMILEYS[latest.score - 1]} {WORDS[latest.score - 1]} on "
         f"{latest.local_date}", "$text-muted"))


def aggregate_line(item: MoodAggregate) -> Content:
    """`2026-W47  3.6 ▆  😞 ▁1  🙁 ▃2 …  7 agents`, or the label and "not enough entries"."""
    label = Content.styled(f"{item.label:<11}", "bold")
    if not item.shown or item.distribution is None or item.mean is None:
        return Content.assemble(label, (NOT_ENOUGH, "$text-muted italic"))
    return Content.assemble(label, (f"{item.mean:.1f} ", "bold"),
                            (LEVELS[round(item.mean / 5 * 8)], "$accent"), "  ",
                            distribution(item.distribution),
                            (f"  {item.contributors} agents", "$text-muted"))


def distribution(counts: tuple[int, int, int, int, int]) -> Content:
    """Five little bars, one per face, each scaled to the largest count, with the counts."""
    top = max(counts) or 1
    parts: list[Content | str | tuple[str, str]] = []
    for face, count in zip(SMILEYS, counts, strict=True):
        bar = LEVELS[round(count / top * 8)] if count else " "
        parts += [face, (bar, "$accent"), f"{count:>3}  "]
    return Content.assemble(*parts)
