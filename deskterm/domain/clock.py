"""The one clock: every "now" in deskterm, in every process, reads the wall clock through here.

`DESKTERM_CLOCK_SHIFT` (seconds, may be negative) moves this clock away from the system's
while it keeps running at the system's pace. The tests set it so that every process they
start (the app, a CLI command, a server) stands on the same calendar day, whatever day the
suite runs; it also lets a person replay the demo desk "as of" another moment.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

SHIFT_VARIABLE = "DESKTERM_CLOCK_SHIFT"


def _shift_from_environment() -> timedelta:
    raw = os.environ.get(SHIFT_VARIABLE, "").strip()
    try:
        return timedelta(seconds=float(raw)) if raw else timedelta(0)
    except (ValueError, OverflowError):
        return timedelta(0)


_shift = _shift_from_environment()


def utcnow() -> datetime:
    """Now, in UTC, to the microsecond, shifted by the clock's setting."""
    return datetime.now(UTC) + _shift


def shift_to(moment: datetime) -> timedelta:
    """Set the clock so that it reads `moment` now, in this process and in the processes it
    starts from here on (through the environment). Returns the shift it set."""
    global _shift
    _shift = moment - datetime.now(UTC)
    os.environ[SHIFT_VARIABLE] = repr(_shift.total_seconds())
    return _shift


def reset() -> None:
    """Back to the system clock, here and for child processes."""
    global _shift
    _shift = timedelta(0)
    os.environ.pop(SHIFT_VARIABLE, None)
