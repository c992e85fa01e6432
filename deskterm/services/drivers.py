"""What really drives satisfaction: each survey driver's share of the explained CSAT.

Over the team's feedback of the last `DEFAULT_WEEKS` weeks, overall satisfaction (CSAT) is
regressed on the drivers, standardized, and the model's R² is split among them by
Johnson's relative weights (services.relative_weights). A driver's share says how much of
what the drivers explain of CSAT is its own: a driver that merely moves together with
one that matters gets little, where plain correlation would rank it nearly as high.

- Missing answers: a survey asks each customer only some drivers. The correlations are
  pairwise-complete (each from the responses that answered both), so no answered score
  is thrown away; each driver shows its own response count.
- A driver is left out of the model ("too few to tell") with fewer than `MIN_RESPONSES`
  answers, when its scores do not vary, or when it was answered together with a
  driver in the model fewer than `MIN_TOGETHER` times (the driver with fewer answers
  goes).
- The interval is a 95% percentile bootstrap over `RESAMPLES` resamples of the responses
  with a fixed seed, so the same data always shows the same interval.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from deskterm.domain.clock import utcnow
from deskterm.domain.feedback import DRIVERS, driver_label
from deskterm.domain.types import stored_time
from deskterm.i18n import _
from deskterm.services.relative_weights import Row, importance
from deskterm.store import Store

DEFAULT_WEEKS = 12
#: The fewest answers of a driver for it to enter the model.
MIN_RESPONSES = 30
#: The fewest responses answering two drivers together for both to be in the model.
MIN_TOGETHER = 10
RESAMPLES = 500
SEED = 20_26
LEVEL = 0.95


@dataclass(frozen=True)
class DriverWeight:
    """One driver's share of the explained satisfaction (0-1) and its 95% interval;
    None for a driver left out of the model (`note` says why)."""

    driver: str
    share: float | None
    low: float | None
    high: float | None
    #: Responses that answered this driver (with their CSAT).
    responses: int
    mean: float | None
    note: str = ""


@dataclass(frozen=True)
class DriverAnalysis:
    """The drivers, largest share first (those left out last), and the model's fit."""

    drivers: list[DriverWeight]
    #: How much of CSAT's variance the drivers in the model explain together (0-1).
    r_squared: float | None
    #: The responses in the window.
    responses: int
    weeks: int


def driver_importance(store: Store, *, team_id: str | None, weeks: int = DEFAULT_WEEKS,
                      now: datetime | None = None) -> DriverAnalysis:
    """The team's (None: the whole desk's) drivers of satisfaction over recent feedback."""
    now = now or utcnow()
    team = "" if team_id is None else "AND a.team_id = :team"
    columns = ", ".join(f"f.{d}" for d in DRIVERS)
    with store.raw() as connection:
        rows: list[Row] = [tuple(row) for row in connection.execute(f"""
            SELECT f.csat, {columns} FROM feedback f LEFT JOIN agent a ON a.id = f.agent_id
            WHERE f.received_at >= :since {team}""",
            {"since": stored_time(now - timedelta(weeks=weeks)), "team": team_id})]
    return analyse(rows, weeks=weeks)


def analyse(rows: list[Row], *, weeks: int = DEFAULT_WEEKS) -> DriverAnalysis:
    """The analysis of rows of (csat, *driver scores in DRIVERS order)."""
    answered = {d: [row[n] for row in rows if row[n] is not None]
                for n, d in enumerate(DRIVERS, start=1)}
    notes: dict[str, str] = {}
    for driver, scores in answered.items():
        if len(scores) < MIN_RESPONSES:
            notes[driver] = _("too few to tell (fewer than {count} answers)").format(
                count=MIN_RESPONSES)
        elif len(set(scores)) < 2:
            notes[driver] = _("too few to tell (every answer the same)")
    model = [d for d in DRIVERS if d not in notes]
    _drop_rarely_together(rows, model, answered, notes)
    found = None
    if model and len({row[0] for row in rows}) > 1:
        columns = [DRIVERS.index(d) + 1 for d in model]
        found = importance([(row[0], *(row[c] for c in columns)) for row in rows],
                           resamples=RESAMPLES, seed=SEED, level=LEVEL)
    result = []
    for driver in DRIVERS:
        scores = answered[driver]
        mean = sum(s for s in scores if s is not None) / len(scores) if scores else None
        if found is not None and driver in model:
            n = model.index(driver)
            result.append(DriverWeight(driver, found.shares[n], found.low[n], found.high[n],
                                       len(scores), mean))
        else:
            note = notes.get(driver) or _("too few to tell (CSAT does not vary)")
            result.append(DriverWeight(driver, None, None, None, len(scores), mean, note))
    result.sort(key=lambda d: (d.share is None, -(d.share or 0), -d.responses))
    return DriverAnalysis(result, found.r_squared if found else None, len(rows), weeks)


def _drop_rarely_together(rows: list[Row], model: list[str],
                          answered: dict[str, list[float | None]],
                          notes: dict[str, str]) -> None:
    """Leave out of `model` a driver answered too rarely together with another in it."""
    while True:
        for first in model:
            for second in model[model.index(first) + 1:]:
                a, b = DRIVERS.index(first) + 1, DRIVERS.index(second) + 1
                together = sum(1 for row in rows if row[a] is not None and row[b] is not None)
                if together < MIN_TOGETHER:
                    gone = min((first, second), key=lambda d: len(answered[d]))
                    model.remove(gone)
                    other = second if gone == first else first
                    # TRANSLATORS: {driver} is a driver's name, e.g. "waiting time".
                    notes[gone] = _("too few to tell (answered with {driver} only {count} "
                                    "times)").format(driver=driver_label(other),
                                                     count=together)
                    break
            else:
                continue
            break
        else:
            return
