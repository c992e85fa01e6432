"""Demo time: millisecond clocks, the SQLite text format of UTC times, and desk hours.

Rows are made by the hundred thousand, so times stay plain integers (Unix milliseconds)
until the moment they are written, and are turned into text with lookup tables rather
than datetime objects (about four times faster per value).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from deskterm.domain.clock import utcnow
from deskterm.domain.types import stored_time

MINUTE = 60_000
HOUR = 60 * MINUTE
DAY = 24 * HOUR
_EPOCH = date(1970, 1, 1)

#: Relative ticket volume per UTC hour: the desk's customers work roughly 08:00-18:00 CET.
HOUR_WEIGHTS = (0.02, 0.02, 0.02, 0.02, 0.02, 0.08, 0.5, 1.2, 1.5, 1.4, 1.2, 1.0,
                1.2, 1.3, 1.1, 0.8, 0.35, 0.2, 0.12, 0.08, 0.04, 0.04, 0.04, 0.02)
#: Relative volume per weekday, Monday first: Monday mornings are the busiest.
WEEKDAY_WEIGHTS = (1.25, 1.1, 1.0, 1.0, 0.8, 0.1, 0.07)


def to_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def default_anchor() -> datetime:
    """Today at 00:00 UTC: the same seed gives the same data all day long."""
    today = utcnow().date()
    return datetime(today.year, today.month, today.day, tzinfo=UTC)


def weekday_of(ms: int) -> int:
    """Monday is 0. The Unix epoch fell on a Thursday."""
    return (ms // DAY + 3) % 7


def make_stamp(anchor_ms: int, days_back: int = 4000) -> Callable[[int], str]:
    """A function turning Unix milliseconds into SQLAlchemy's SQLite DateTime text.

    The format is exactly what the ORM writes for a UTC value,
    `YYYY-MM-DD HH:MM:SS.ffffff`, so the app reads demo rows back like its own.
    Covers `days_back` days before the anchor up to a year after it.
    """
    first_day = anchor_ms // DAY - days_back
    days = [(_EPOCH + timedelta(days=first_day + i)).isoformat() + " "
            for i in range(days_back + 366)]
    clock = [f"{h:02d}:{m:02d}:{s:02d}." for h in range(24) for m in range(60)
             for s in range(60)]

    def stamp(ms: int) -> str:
        day, rest = divmod(ms, DAY)
        second, milli = divmod(rest, 1000)
        return f"{days[day - first_day]}{clock[second]}{milli:03d}000"

    return stamp


def from_stamp(text: str) -> int:
    """The Unix milliseconds of a stored UTC time (the inverse of make_stamp)."""
    return to_ms(datetime.fromisoformat(text).replace(tzinfo=UTC))


def stamp_slow(ms: int) -> str:
    """The reference for make_stamp, through datetime (used by tests and odd corners)."""
    return stored_time(datetime.fromtimestamp(ms / 1000, UTC))


def desk_hours(ms: int, jitter: float) -> int:
    """The moment itself if the desk is working then, else the next morning's start.

    `jitter` (0..1) spreads the next-morning moments over 07:00-09:00 UTC.
    """
    day_start = ms - ms % DAY
    hour = (ms - day_start) // HOUR
    weekday = (ms // DAY + 3) % 7
    if weekday < 5 and 6 <= hour < 17:
        return ms
    if hour >= 17 or weekday >= 5:
        day_start += DAY
        weekday = (weekday + 1) % 7
    while weekday >= 5:
        day_start += DAY
        weekday = (weekday + 1) % 7
    return day_start + 7 * HOUR + int(jitter * 2 * HOUR)


def hourly_slots(start_ms: int, end_ms: int) -> tuple[list[float], list[float]]:
    """Cumulative weights per hour between two whole-hour moments, and each hour's weight.

    Tickets are spread over the window by walking this cumulative table, which gives
    office-hour peaks, quiet weekends and a slowly growing volume.
    """
    cumulative: list[float] = []
    weights: list[float] = []
    total = 0.0
    count = (end_ms - start_ms) // HOUR
    for k in range(count):
        ms = start_ms + k * HOUR
        growth = 0.9 + 0.2 * k / max(count, 1)
        weight = HOUR_WEIGHTS[(ms % DAY) // HOUR] * WEEKDAY_WEIGHTS[weekday_of(ms)] * growth
        total += weight
        weights.append(weight)
        cumulative.append(total)
    return cumulative, weights
