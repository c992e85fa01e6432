"""The lead's quality screen: the team's weekly quality figures, and what drives satisfaction.

Quality, not stopwatches: first-contact resolution, repeat contacts, reopens, customer
satisfaction and the agents' own interaction ratings, per week for the last 8, each
with the count it comes from and a small chart. There is no handling time and no
per-agent figure on this screen, by design (services/quality.py computes none).

Below: each quality driver's share of the satisfaction the drivers explain (relative
weights, services/drivers.py) with its 95% interval and its number of responses, largest
first, so a lead sees where improvement pays.
Then the escalations of the same weeks by resolver group and kind, with how many have an
article by now: what 1st line could take on next (services/knowledge_gaps.py).

Narrow (screens/narrow.py), the week columns stay whole: the names give up room, a week's
date reads `23.11`, the promises run four weeks a line, the drivers' lines shorten.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Grid, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from deskterm.domain.feedback import driver_label
from deskterm.i18n import N_, _, ngettext, pgettext
from deskterm.i18n.formats import day_month, number, percent
from deskterm.services.drivers import DriverAnalysis, DriverWeight, driver_importance
from deskterm.services.knowledge_gaps import KnowledgeGaps, escalation_topics
from deskterm.services.promise_quality import promises_kept_on_time
from deskterm.services.quality import DEFAULT_WEEKS, QualityWeek, Rate
from deskterm.ui.language import split_at
from deskterm.ui.messages import DataChanged, LanguageChanged
from deskterm.ui.screens.narrow import fit_to
from deskterm.ui.screens.people_screen import PeopleScreen
from deskterm.ui.session import DeskSession
from deskterm.ui.typed import worker_result
from deskterm.ui.widgets.title_bar import TitleBar

BLOCKS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class Metric:
    key: str
    #: The figure's name, marked `N_()`: shown as `_(title)`.
    title: str
    #: Under its title: what the figure is, and what each cell's `n` counts (a share's
    #: denominator on most rows; on the reopen rate, the reopenings); marked `N_()`.
    of: str
    field: str
    percent: bool  # a share shown as %; otherwise a mean out of 5
    higher_is_better: bool


METRICS = (
    # TRANSLATORS: under each quality figure's name, "n" is the count a cell's figure
    # comes from (written "n=12" in the cells); keep the "n =".
    Metric("fcr", N_("First-contact resolution"), N_("at first contact · n = resolved"),
           "first_contact_resolution", True, True),
    Metric("repeat", N_("Repeat contacts"), N_("back within 7 days · n = contacts"),
           "repeat_contacts", True, False),
    Metric("reopen", N_("Reopen rate"), N_("per resolved · n = reopenings"), "reopen", True,
           False),
    Metric("csat", N_("Customer satisfaction"), N_("mean 1-5 · n = answers"), "satisfaction",
           False, True),
    Metric("self", N_("Self-rating, team average"), N_("own 1-5 · n = rated contacts"),
           "self_rating", False, True),
)


def week_label(week: QualityWeek) -> str:
    """A week by its ISO number: `W47` / `wk 47`."""
    # TRANSLATORS: a week by its ISO week number, as a column head: "W47".
    return pgettext("week number", "W{week}").format(week=week.label[-2:])


def quality_title(partial: QualityWeek | None) -> str:
    """The screen's title; the week not over yet named first, so it reads as partial."""
    if partial is None:
        return _("Quality · per week, for the team · no handling times, no per-agent figures")
    # TRANSLATORS: {week} is the current week, as a column head names it ("W47").
    return _("Quality · per week, for the team · {week} so far: a partial week · no handling "
             "times, no per-agent figures").format(week=week_label(partial))


#: Under the current week's label: it is not over, so its dip is no drop.
# TRANSLATORS: under the current week's column head ("W47"): the week is not over yet.
PARTIAL = N_("so far")
#: The same where a week's column is five cells wide (narrow, as `23.11` is): this week.
# TRANSLATORS: "so far" where only five cells are free: the current week.
PARTIAL_NARROW = N_("now")
#: Entities whose change moves a figure.
FIGURES_FROM = ("ticket", "ticket_event", "contact", "feedback", "promise_event",
                "ticket_article", "kb_article")


def rate_text(metric: Metric, rate: Rate) -> str:
    """The figure as the cell shows it: `83%`, `4.2` (`4,2` in Dutch), or `—` when there
    is nothing."""
    if rate.value is None:
        return "—"
    return percent(rate.value) if metric.percent else number(rate.value, 1)


def counted(count: int) -> str:
    """How many a figure comes from, as a cell's second line: `n=12`."""
    return f"n={number(count)}"


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
    drivers: DriverAnalysis
    #: Promises kept on time per week (services.promise_quality), oldest first.
    promises: list[Rate]
    topics: KnowledgeGaps | None = None


class QualityScreen(PeopleScreen):
    """Eight weeks of the team's quality in a grid; the drivers of satisfaction below."""

    CSS_PATH = "quality.tcss"

    def __init__(self, session: DeskSession) -> None:
        super().__init__(session)
        self.view: QualityView | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar(Static(quality_title(None), id="quality-title"))
        with VerticalScroll(id="quality-body"):
            yield Static("", id="quality-follow-ups")
            with Grid(id="quality-grid"):
                yield Static("", classes="q-head")
                yield Static(trend_head(), id="q-trend", classes="q-head q-chart")
                for index in range(DEFAULT_WEEKS):
                    yield Static("", id=f"q-week-{index}", classes="q-head q-cell")
                for metric in METRICS:
                    yield Static(metric_name(metric), id=f"q-{metric.key}-name",
                                 classes="q-name")
                    yield Static("", id=f"q-{metric.key}-chart", classes="q-chart")
                    for index in range(DEFAULT_WEEKS):
                        yield Static("", id=f"q-{metric.key}-{index}", classes="q-cell")
            yield Static(_("reading…"), id="quality-promises")
            yield Static(_("reading…"), id="quality-drivers")
            yield Static(_("reading…"), id="quality-topics")
        yield Footer()

    def on_mount(self) -> None:
        self._box_titles()
        self.query_one("#quality-body").focus()
        self._load()
        self._load_follow_ups()

    def _box_titles(self) -> None:
        """The texts that do not come from the figures, in the current language."""
        self.query_one("#quality-promises", Static).border_title = \
            _("Promises kept on time · the team's share, per week they fell due")
        self.query_one("#quality-drivers", Static).border_title = _(DRIVERS_TITLE)
        self.query_one("#quality-topics", Static).border_title = _(
            "What 1st line could take on next · escalations of the last {weeks} weeks by "
            "group and kind").format(weeks=number(DEFAULT_WEEKS))

    def on_language_changed(self, event: LanguageChanged) -> None:
        """The names and titles in the new language (the figures are read again, by
        PeopleScreen's handler)."""
        self._box_titles()
        self.query_one("#q-trend", Static).update(trend_head())
        for metric in METRICS:
            self.query_one(f"#q-{metric.key}-name", Static).update(metric_name(metric))
        partial = next((w for w in self.view.weeks if w.partial), None) if self.view else None
        self.query_one("#quality-title", Static).update(quality_title(partial))

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
                                  follow_up_line(waiting))

    def on_resize(self, event: events.Resize) -> None:
        narrow = self.has_class("-narrow")
        fit_to(self, event.size)
        if self.view is not None and narrow != self.has_class("-narrow"):
            self._show(self.view)

    @work(thread=True, exclusive=True, group="quality", exit_on_error=False)
    def _load(self) -> QualityView:
        from deskterm.sync.figures import quality_weeks

        session = self.session
        team_id = session.actor.team_id
        return QualityView(quality_weeks(session.ctx, session.login, team_id=team_id,
                                         weeks=DEFAULT_WEEKS),
                           driver_importance(session.store, team_id=team_id),
                           promises_kept_on_time(session.store, team_id=team_id,
                                                 now=session.ctx.now()),
                           escalation_topics(session.store, team_id=team_id,
                                             weeks=DEFAULT_WEEKS))

    @on(Worker.StateChanged)
    def _loaded(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "quality" and event.state == WorkerState.SUCCESS:
            self.view = event.worker.result
            self._show(worker_result(event.worker, QualityView))

    def _show(self, view: QualityView) -> None:
        narrow = self.has_class("-narrow")
        for index, week in enumerate(view.weeks[-DEFAULT_WEEKS:]):
            self.query_one(f"#q-week-{index}", Static).update(Content.assemble(
                (week_label(week), "bold"), "\n",
                (_(PARTIAL_NARROW if narrow else PARTIAL), "$text-warning") if week.partial
                else (week_start(week, narrow=narrow), "$text-muted")))
        partial = next((week for week in view.weeks if week.partial), None)
        self.query_one("#quality-title", Static).update(quality_title(partial))
        for metric in METRICS:
            rates: list[Rate] = [getattr(week, metric.field) for week in view.weeks]
            chart = self.query_one(f"#q-{metric.key}-chart", Static)
            drawn = bars([r.value for r in rates])
            # The partial week's block is dimmed: it is not a week's figure yet.
            shown = [(block, "$text-muted" if week.partial else "$accent")
                     for block, week in zip(drawn, view.weeks, strict=True)]
            chart.update(Content.assemble(*shown, "\n",
                                          (_("better ↑") if metric.higher_is_better
                                           else _("better ↓"), "$text-muted")))
            for index, rate in enumerate(rates):
                self.query_one(f"#q-{metric.key}-{index}", Static).update(Content.assemble(
                    (rate_text(metric, rate), "bold"), "\n", (counted(rate.count), "$text-muted")))
        self.query_one("#quality-promises", Static).update(
            promise_line(view, per_line=4 if narrow else DEFAULT_WEEKS))
        drivers = self.query_one("#quality-drivers", Static)
        drivers.update(driver_table(view.drivers.drivers, narrow=narrow))
        drivers.border_subtitle = drivers_subtitle(view.drivers)
        if view.topics is not None:
            self.query_one("#quality-topics", Static).update(topic_table(view.topics))


def trend_head() -> str:
    # TRANSLATORS: the quality grid's head over the small charts of eight weeks.
    return pgettext("quality chart", "trend")


def metric_name(metric: Metric) -> Content:
    """A figure's name, and under it what it is and what its `n` counts."""
    return Content.assemble((_(metric.title), "bold"), "\n", (_(metric.of), "$text-muted"))


def week_start(week: QualityWeek, *, narrow: bool = False) -> str:
    """The day a week starts, under its label: `23 Nov` / `23 nov`; narrow `23.11`, a
    form both languages read."""
    if narrow:
        return week.start.strftime("%d.%m")  # untranslated: digits, the same in both
    return day_month(week.start, weekday=False)


def follow_up_line(waiting: int) -> Content:
    """`Unhappy responses still without a follow-up: 3`, the count in colour."""
    before, after = split_at(_("Unhappy responses still without a follow-up: {count}"),
                             "count")
    return Content.assemble(before, (number(waiting), "bold $text-warning" if waiting
                                     else "bold $text-success"), after)


def promise_line(view: QualityView, per_line: int = DEFAULT_WEEKS) -> Content:
    """The weeks' shares of promises kept on time under the weeks' labels: in one row,
    or (narrow) `per_line` weeks a row, each week whole and the rows aligned."""
    weeks = view.weeks[-DEFAULT_WEEKS:]
    rows = per_line < DEFAULT_WEEKS
    cells = [Content.assemble((f"{week_label(week)} {_(PARTIAL)} " if week.partial
                               else f"{week_label(week)} ",
                               "$text-warning" if week.partial else "$text-muted"),
                              (percent(rate.value) if rate.value is not None else "—",
                               "bold"), (f" {counted(rate.count)}", "$text-muted"))
             for week, rate in zip(weeks, view.promises[-DEFAULT_WEEKS:], strict=False)]
    if rows:
        widest = max((cell.cell_length for cell in cells), default=0)
        cells = [cell.pad_right(widest - cell.cell_length) for cell in cells]
    return Content("\n").join(Content("   ").join(cells[start:start + per_line])
                              for start in range(0, len(cells), per_line))


DRIVERS_TITLE = N_("What drives satisfaction · share of the CSAT the drivers explain, "
                    "95% interval, last 12 weeks")


def responses(count: int) -> str:
    """`12 responses` / `12 reacties`."""
    return ngettext("{count} response", "{count} responses", count).format(
        count=number(count))


def drivers_subtitle(analysis: DriverAnalysis) -> str:
    """How well the drivers explain CSAT together, from how many responses."""
    if analysis.r_squared is None:
        return responses(analysis.responses)
    # TRANSLATORS: {share} is a percentage ("62%"), {responses} a count ("120 responses").
    return _("together they explain {share} of CSAT · {responses}").format(
        share=percent(analysis.r_squared), responses=responses(analysis.responses))


def share_text(driver: DriverWeight) -> str:
    """` 34%  [28–41%]`: the share and its interval, as the line shows them."""
    if driver.share is None or driver.low is None or driver.high is None:
        return "—"
    return f"{percent(driver.share):>4}  [{number(driver.low * 100, 0)}–{percent(driver.high)}]"


def driver_table(drivers: list[DriverWeight], *, narrow: bool = False) -> Content:
    """One line per driver: its share as a bar, the interval, the responses, the mean
    (narrow: a shorter bar, and the responses as `n=`)."""
    bar = 10 if narrow else 20
    if not any(d.responses for d in drivers):
        return Content.styled(_("No customer feedback with driver scores in the last 12 "
                                "weeks."), "$text-muted")
    lines = []
    for driver in drivers:
        name = f"{driver_label(driver.driver):<20}"
        # TRANSLATORS: a driver's mean score, 1 to 5: "mean 4.2".
        mean = _("mean {score}").format(score=number(driver.mean, 1)) \
            if driver.mean is not None else ""
        how_many = f"  {counted(driver.responses):<7} {mean}" if narrow \
            else f"  {responses(driver.responses):>15}  {mean}"
        if driver.share is None:
            lines.append(Content.assemble((name, "bold"), (f"{'—':<16}", "$text-muted"),
                                          (" " * bar, ""),
                                          (f"{how_many}  {driver.note}", "$text-muted")))
            continue
        width = round(driver.share * bar)
        lines.append(Content.assemble(
            (name, "bold"), f"{share_text(driver):<16}",
            ("█" * width + " " * (bar - width), "$accent"), (how_many, "$text-muted")))
    return Content("\n").join(lines)


#: At most this many escalation topics on the screen (`deskterm quality` lists them all).
SHOWN_TOPICS = 12


def topic_table(gaps: KnowledgeGaps) -> Content:
    """A summary line, then one line per topic: group, kind, escalations, with an article."""
    if not gaps.topics:
        return Content.styled(ngettext("No escalations in the last {weeks} week.",
                                       "No escalations in the last {weeks} weeks.",
                                       gaps.weeks).format(weeks=number(gaps.weeks)),
                              "$text-muted")
    lines = [Content.styled(ngettext(
        "{covered} of {count} topic has an article; most escalations without one first",
        "{covered} of {count} topics have an article; most escalations without one first",
        len(gaps.topics)).format(covered=number(gaps.covered), count=number(len(gaps.topics))),
        "$text-muted")]
    for topic in gaps.topics[:SHOWN_TOPICS]:
        width = round(topic.with_article / topic.escalations * 10)
        lines.append(Content.assemble(
            (f"{topic.group[:28]:<29}", "bold"), f"{topic.kind.label:<10}",
            # TRANSLATORS: how many tickets of a topic were escalated: "  12 escalated".
            _("{count} escalated").format(count=f"{number(topic.escalations):>4}") + "  ",
            ("█" * width, "$accent"), ("░" * (10 - width), "$text-muted"),
            "  " + _("{count} with an article").format(
                count=f"{number(topic.with_article):>3}"),
            ("" if topic.without_article else "  ✓", "$success")))
    return Content("\n").join(lines)
