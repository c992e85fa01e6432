"""The one clock: it runs shifted to the suite's day, and stands still when frozen."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone

from deskterm.domain import clock
from tests.conftest import FIXED_NOW


def test_the_shifted_clock_runs() -> None:
    first = clock.utcnow()
    time.sleep(0.01)
    assert first < clock.utcnow() < FIXED_NOW + timedelta(minutes=5)


def test_a_frozen_clock_stands_still_in_utc_until_reset() -> None:
    moment = datetime(2026, 11, 23, 15, 30, tzinfo=timezone(timedelta(hours=1)))
    clock.freeze(moment)
    first = clock.utcnow()
    time.sleep(0.01)
    assert clock.utcnow() == first == moment
    assert first.tzinfo == UTC
    clock.reset()
    assert abs(clock.utcnow() - datetime.now(UTC)) < timedelta(seconds=5)
