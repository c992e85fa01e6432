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
#: A moment the clock stands still at (`freeze`), in this process only; None: it runs.
_frozen: datetime | None = None


def utcnow() -> datetime:
    """Now, in UTC, to the microsecond, shifted by the clock's setting (or where it stands)."""
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC) + _shift


def shift_to(moment: datetime) -> timedelta:
    """Set the clock so that it reads `moment` now, in this process and in the processes it
    starts from here on (through the environment). Returns the shift it set."""
    global _shift
    _shift = moment - datetime.now(UTC)
    os.environ[SHIFT_VARIABLE] = repr(_shift.total_seconds())
    return _shift


def freeze(moment: datetime) -> None:
    """Stop the clock at `moment` in this process, until `reset`: for pictures of the
    screens (snapshot tests, screenshots) that must not change while they are taken."""
    global _frozen
    _frozen = moment.astimezone(UTC)


def reset() -> None:
    """Back to the system clock, running, here and for child processes."""
    global _shift, _frozen
    _shift = timedelta(0)
    _frozen = None
    os.environ.pop(SHIFT_VARIABLE, None)
