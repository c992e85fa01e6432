"""The team's mood as leads may see it: aggregates only, of enough other people.

No function here returns one person's entry, and no figure lets one be worked out:

- the viewer never counts: their own entries are left out of every figure they see
  (they know their own score, and could subtract it);
- a mean needs at least `MIN_CONTRIBUTORS` (3) other agents, a distribution (how many
  gave each smiley) at least `MIN_FOR_DISTRIBUTION` (5); below that a day or week says
  "not enough entries to show" and nothing else, not even how many entries there were;
- complementary cells are suppressed, as statistical offices do: a week is shown only
  when the days of it that are hidden, together, come from none or enough people;
  otherwise the week minus its shown days would give the hidden days away. The early
  warning says only that the mood dropped, with no figures to subtract.

The same pure functions run on the server (which never sends anyone another agent's
mood entry) and on a local store (the demo desk).

Early warning: the team's mean over the last 7 days is *clearly below* its own
baseline, the mean of the 28 days before those 7, when both periods have at least 3
contributors and the drop is at least `WARNING_DROP` (half a smiley) and at least twice
its standard error (Welch), so a week of noise on a small team does not raise alarms.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlmodel import col, select

from deskterm.domain import Agent, MoodEntry
from deskterm.domain.errors import Forbidden
from deskterm.i18n import N_, _
from deskterm.services.context import ServiceContext
from deskterm.services.wellbeing import local_today

#: The fewest different agents (the viewer not counted) a shown mean may come from.
MIN_CONTRIBUTORS = 3
#: The fewest a shown distribution may come from: with fewer, counts of 1..5 say too much.
MIN_FOR_DISTRIBUTION = 5
#: The smallest drop of the 7-day mean below the 4-week baseline that warns.
WARNING_DROP = 0.5
RECENT_DAYS = 7
BASELINE_DAYS = 28
#: What a figure too few entries make says instead (marked: `_()` it where it is shown).
NOT_ENOUGH = N_("not enough entries to show")
#: How far back team_mood reads: the warning's two periods and the 8 weeks shown.
HISTORY_DAYS = RECENT_DAYS + BASELINE_DAYS + 7 * 8


@dataclass(frozen=True)
class MoodRow:
    """One entry as the aggregation reads it: whose (for counting people), when, how."""

    agent_id: str
    local_date: date
    score: int


@dataclass(frozen=True)
class MoodAggregate:
    """One day or ISO week. `shown` False: every other field is None; `distribution` is
    None too when too few took part for it (see MIN_FOR_DISTRIBUTION)."""

    label: str
    start: date
    shown: bool
    contributors: int | None = None
    mean: float | None = None
    distribution: tuple[int, int, int, int, int] | None = None  # counts of 1..5


@dataclass(frozen=True)
class MoodWarning:
    message: str


@dataclass(frozen=True)
class TeamMood:
    days: list[MoodAggregate]
    weeks: list[MoodAggregate]
    warning: MoodWarning | None


def _five(counts: Sequence[int]) -> tuple[int, int, int, int, int]:
    """Counts of scores 1..5 (a ValueError if there are not five)."""
    one, two, three, four, five = counts
    return one, two, three, four, five


def aggregate(rows: Iterable[MoodRow], label: str, start: date, *,
              with_distribution: bool = True) -> MoodAggregate:
    rows = list(rows)
    contributors = len({row.agent_id for row in rows})
    if contributors < MIN_CONTRIBUTORS:
        return MoodAggregate(label, start, shown=False)
    counts = [0] * 5
    for row in rows:
        counts[row.score - 1] += 1
    mean = sum(row.score for row in rows) / len(rows)
    spread = _five(counts) if with_distribution and contributors >= MIN_FOR_DISTRIBUTION \
        else None
    return MoodAggregate(label, start, True, contributors, round(mean, 2),
                         spread)


def team_mood(rows: Iterable[MoodRow], today: date, *, viewer_id: str | None,
              days: int = 14, weeks: int = 8) -> TeamMood:
    """Per day (the last `days`), per ISO week (the last `weeks`), and the early warning,
    as `viewer_id` may see them (see the module's doc)."""
    rows = [row for row in rows if row.agent_id != viewer_id]
    by_day: dict[date, list[MoodRow]] = {}
    by_week: dict[date, list[MoodRow]] = {}
    for row in rows:
        by_day.setdefault(row.local_date, []).append(row)
        by_week.setdefault(_monday(row.local_date), []).append(row)
    day_list = [aggregate(by_day.get(day, []), day.isoformat(), day)
                for day in (today - timedelta(days=n) for n in range(days - 1, -1, -1))]
    this_monday = _monday(today)
    week_list = []
    for n in range(weeks - 1, -1, -1):
        monday = this_monday - timedelta(weeks=n)
        year, week, _weekday = monday.isocalendar()
        week_list.append(_week(by_week.get(monday, []), f"{year}-W{week:02d}", monday,
                               day_list, by_day))
    return TeamMood(day_list, week_list, early_warning(rows, today))


def _week(rows: list[MoodRow], label: str, monday: date, days: list[MoodAggregate],
          by_day: dict[date, list[MoodRow]]) -> MoodAggregate:
    """A week's aggregate, suppressed where it and its shown days would reveal hidden ones.

    The week's mean minus its shown days leaves the hidden days' mean: it may be shown
    only when the hidden days' people are none or at least MIN_CONTRIBUTORS; likewise
    the distribution, with MIN_FOR_DISTRIBUTION and the days whose distribution is hidden.
    """
    in_week = [d for d in days if monday <= d.start < monday + timedelta(days=7)]

    def people(hidden: list[MoodAggregate]) -> int:
        return len({row.agent_id for d in hidden for row in by_day.get(d.start, [])})

    hidden_means = people([d for d in in_week if not d.shown])
    if 0 < hidden_means < MIN_CONTRIBUTORS:
        return MoodAggregate(label, monday, shown=False)
    hidden_spreads = people([d for d in in_week if d.distribution is None])
    return aggregate(rows, label, monday, with_distribution=not (
        0 < hidden_spreads < MIN_FOR_DISTRIBUTION))


def early_warning(rows: Iterable[MoodRow], today: date) -> MoodWarning | None:
    """A warning when the last 7 days sit clearly below the 4 weeks before (see module doc)."""
    recent_from = today - timedelta(days=RECENT_DAYS - 1)
    baseline_from = recent_from - timedelta(days=BASELINE_DAYS)
    recent = [r for r in rows if recent_from <= r.local_date <= today]
    baseline = [r for r in rows if baseline_from <= r.local_date < recent_from]
    if min(len({r.agent_id for r in recent}), len({r.agent_id for r in baseline})) \
            < MIN_CONTRIBUTORS:
        return None
    recent_mean, recent_var = _mean_var([r.score for r in recent])
    base_mean, base_var = _mean_var([r.score for r in baseline])
    drop = base_mean - recent_mean
    error = math.sqrt(recent_var / len(recent) + base_var / len(baseline))
    if drop < WARNING_DROP or drop < 2 * error:
        return None
    # No figures: the last 7 days' mean beside the days shown one by one would give
    # hidden days away.
    return MoodWarning(_("the team's mood over the last 7 days is clearly below its 4-week "
                         "baseline: time for a check-in"))


def _mean_var(scores: list[int]) -> tuple[float, float]:
    mean = sum(scores) / len(scores)
    if len(scores) < 2:
        return mean, 0.0
    return mean, sum((s - mean) ** 2 for s in scores) / (len(scores) - 1)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def to_wire(mood: TeamMood) -> dict[str, object]:
    """The JSON form the server sends and the CLI prints: aggregates, never entries."""

    def one(item: MoodAggregate) -> dict[str, object]:
        if not item.shown:
            return {"label": item.label, "start": item.start.isoformat(), "shown": False,
                    "message": NOT_ENOUGH}
        return {"label": item.label, "start": item.start.isoformat(), "shown": True,
                "contributors": item.contributors, "mean": item.mean,
                "distribution": list(item.distribution) if item.distribution else None}

    warning = mood.warning
    return {
        "min_contributors": MIN_CONTRIBUTORS,
        "min_for_distribution": MIN_FOR_DISTRIBUTION,
        "days": [one(d) for d in mood.days],
        "weeks": [one(w) for w in mood.weeks],
        "warning": None if warning is None else {"message": warning.message},
    }


def from_wire(data: dict[str, Any]) -> TeamMood:
    def one(item: dict[str, Any]) -> MoodAggregate:
        start = date.fromisoformat(str(item["start"]))
        if not item.get("shown"):
            return MoodAggregate(str(item["label"]), start, False)
        spread = item.get("distribution")
        return MoodAggregate(str(item["label"]), start, True, int(item["contributors"]),
                             float(item["mean"]),
                             _five(spread) if spread else None)

    warning = data.get("warning")
    return TeamMood([one(d) for d in data["days"]], [one(w) for w in data["weeks"]],
                    None if not warning else MoodWarning(str(warning["message"])))


def local_team_mood(ctx: ServiceContext, team_id: str | None = None) -> TeamMood:
    """The team's mood from the local store (a desk without a server: the demo).

    Leads see their own team, admins any team; agents are refused. With a server, leads
    ask the server instead (it alone holds everyone's entries).
    """
    ctx.require_lead(_("only a team lead or admin may see the team's mood"))
    team_id = team_id or ctx.actor.team_id
    if team_id != ctx.actor.team_id and ctx.actor.role.value != "admin":
        raise Forbidden(_("a lead sees the mood of their own team only"))
    today = local_today(ctx)
    since = (today - timedelta(days=HISTORY_DAYS)).isoformat()
    with ctx.store.reading() as session:
        found = session.exec(
            select(MoodEntry.agent_id, MoodEntry.local_date, MoodEntry.score)
            .join(Agent, col(Agent.id) == MoodEntry.agent_id)
            .where(Agent.team_id == team_id, MoodEntry.local_date >= since)).all()
    return team_mood((MoodRow(a, date.fromisoformat(d), s) for a, d, s in found), today,
                     viewer_id=ctx.actor.id)
