"""The lead's quality screen: the team's weekly quality figures, and what drives satisfaction.

Quality, not stopwatches: first-contact resolution, repeat contacts, reopens, customer
satisfaction and the agents' own interaction ratings, per week for the last 8, each
with the count it comes from and a small chart. There is no handling time and no
per-agent figure on this screen, by design (services/quality.py computes none).

Below: each quality driver's correlation with overall satisfaction and its number of
responses, strongest first, so a lead sees where improvement pays.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from deskterm.services.quality import (
    DEFAULT_WEEKS,
    DriverImpact,
    QualityWeek,
    Rate,
    driver_impact,
)
from deskterm.ui.messages import DataChanged
from deskterm.ui.screens.people_screen import PeopleScreen
from deskterm.ui.session import DeskSession
from deskterm.ui.typed import worker_result

BLOCKS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class Metric:
    key: str
    title: str
    #: What the figure is a share or a mean of, under its title.
    of: str
    field: str
    percent: bool  # a share shown as %; otherwise a mean out of 5
    higher_is_better: bool


METRICS = (
    Metric("fcr", "First-contact resolution", "share of resolved tickets",
           "first_contact_resolution", True, True),
    Metric("repeat", "Repeat contacts", "back within 7 days, of contacts",
           "repeat_contacts", True, False),
    Metric("reopen", "Reopen rate", "reopenings per resolved ticket", "reopen", True, False),
    Metric("csat", "Customer satisfaction", "mean CSAT 1-5, of answers", "satisfaction",
           False, True),
    Metric("self", "Self-rating, team average", "agents' own 1-5, of rated contacts",
           "self_rating", False, True),
)
#: Entities whose change moves a figure.
FIGURES_FROM = ("ticket", "ticket_event", "contact", "feedback")
DRIVER_WORDS = {"customer_focus": "customer focus", "customer_knowledge": "customer knowledge",
                "waiting_time": "waiting time", "phone_menu": "phone menu"}


def rate_text(metric: Metric, rate: Rate) -> str:
    """The figure as the cell shows it: `83%`, `4.2`, or `—` when there is nothing."""
    if rate.value is None:
        return "—"
    return f"{rate.value * 100:.0f}%" if metric.percent else f"{rate.value:.1f}"


def bars(values: list[float | None]) -> str:
    """One block per week scaled between the weeks' lowest and highest; `·` for no figure."""
    known = [v for v in values if v is not None]
    if not known:
        return "·" * len(values)
    low, high = min(known), max(known)
    cells = []
    for value in values:
        if value is None:
            cells.append("·")
        elif high == low:
            cells.append(BLOCKS[3])
        else:
            cells.append(BLOCKS[round((value - low) / (high - low) * (len(BLOCKS) - 1))])
    return "".join(cells)


@dataclass(frozen=True)
class QualityView:
    weeks: list[QualityWeek]
    drivers: list[DriverImpact]


class QualityScreen(PeopleScreen):
    """Eight weeks of the team's quality in a grid; the drivers of satisfaction below."""

    CSS_PATH = "quality.tcss"

    def __init__(self, session: DeskSession) -> None:
        super().__init__(session)
        self.view: QualityView | None = None

    def compose(self) -> ComposeResult:
        yield Static("Quality · per week, for the team · no handling times, no per-agent "
                     "figures", id="quality-title")
        with VerticalScroll(id="quality-body"):
            yield Static("", id="quality-follow-ups")
            with Grid(id="quality-grid"):
                yield Static("", classes="q-head")
                yield Static("trend", classes="q-head q-chart")
                for index in range(DEFAULT_WEEKS):
                    yield Static("", id=f"q-week-{index}", classes="q-head q-cell")
                for metric in METRICS:
                    yield Static(Content.assemble((metric.title, "bold"), "\n",
                                                  (metric.of, "$text-muted")), classes="q-name")
                    yield Static("", id=f"q-{metric.key}-chart", classes="q-chart")
                    for index in range(DEFAULT_WEEKS):
                        yield Static("", id=f"q-{metric.key}-{index}", classes="q-cell")
            yield Static("reading…", id="quality-drivers")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#quality-drivers", Static).border_title = \
            "What drives satisfaction · correlation with overall CSAT, last 12 weeks"
        self.query_one("#quality-body").focus()
        self._load()
        self._load_follow_ups()

    def data_changed(self, change: DataChanged) -> None:
        if change.touches(*FIGURES_FROM):
            self._load()
        if change.touches("feedback", "feedback_follow_up"):
            self._load_follow_ups()

    @work(thread=True, exclusive=True, group="quality-follow-ups", exit_on_error=False)
    def _load_follow_ups(self) -> None:
        """The team's unhappy responses still without a follow-up: a count, never which."""
        from deskterm.services.feedback_loop import unhappy_without_follow_up

        waiting = unhappy_without_follow_up(self.session.store,
                                            team_id=self.session.actor.team_id)
        self.app.call_from_thread(self.query_one("#quality-follow-ups", Static).update,
                                  Content.assemble(
                                      ("Unhappy responses still without a follow-up: ", ""),
                                      (str(waiting), "bold $text-warning" if waiting
                                       else "bold $text-success")))

    @work(thread=True, exclusive=True, group="quality", exit_on_error=False)
    def _load(self) -> QualityView:
        from deskterm.sync.figures import quality_weeks

        session = self.session
        team_id = session.actor.team_id
        return QualityView(quality_weeks(session.ctx, session.login, team_id=team_id,
                                         weeks=DEFAULT_WEEKS),
                           driver_impact(session.store, team_id=team_id))

    @on(Worker.StateChanged)
    def _loaded(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "quality" and event.state == WorkerState.SUCCESS:
            self.view = event.worker.result
            self._show(worker_result(event.worker, QualityView))

    def _show(self, view: QualityView) -> None:
        for index, week in enumerate(view.weeks[-DEFAULT_WEEKS:]):
            self.query_one(f"#q-week-{index}", Static).update(Content.assemble(
                (f"W{week.label[-2:]}", "bold"), "\n",
                (week.start.strftime("%d %b"), "$text-muted")))
        for metric in METRICS:
            rates: list[Rate] = [getattr(week, metric.field) for week in view.weeks]
            chart = self.query_one(f"#q-{metric.key}-chart", Static)
            chart.update(Content.assemble((bars([r.value for r in rates]), "$accent"), "\n",
                                          ("better ↑" if metric.higher_is_better
                                           else "better ↓", "$text-muted")))
            for index, rate in enumerate(rates):
                self.query_one(f"#q-{metric.key}-{index}", Static).update(Content.assemble(
                    (rate_text(metric, rate), "bold"), "\n", (f"n={rate.count}", "$text-muted")))
        self.query_one("#quality-drivers", Static).update(driver_table(view.drivers))


def driver_table(drivers: list[DriverImpact]) -> Content:
    """One line per driver: its correlation as a bar, the responses, the mean score."""
    if not any(d.responses for d in drivers):
        return Content.styled("No customer feedback with driver scores in the last 12 weeks.",
                              "$text-muted")
    lines = []
    for driver in drivers:
        name = f"{DRIVER_WORDS.get(driver.driver, driver.driver):<20}"
        mean = f"mean {driver.mean:.1f}" if driver.mean is not None else ""
        if driver.correlation is None:
            lines.append(Content.assemble((name, "bold"), ("r  —    ", "$text-muted"),
                                          (" " * 20, ""),
                                          (f"  {driver.responses:>5} responses  {mean}"
                                           "  (too few to tell)", "$text-muted")))
            continue
        width = round(abs(driver.correlation) * 20)
        lines.append(Content.assemble(
            (name, "bold"), f"r {driver.correlation:+.2f} ",
            ("█" * width + " " * (20 - width),
             "$accent" if driver.correlation >= 0 else "$text-error"),
            (f"  {driver.responses:>5} responses  {mean}", "$text-muted")))
    return Content("\n").join(lines)
