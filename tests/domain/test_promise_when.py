"""parse_when: a promise's time as a person types it, read in their local zone, stored UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from deskterm.domain.errors import InvalidInput
from deskterm.domain.promises import (
    PromiseEvent,
    PromiseEventKind,
    PromiseStatus,
    event_refusal,
    parse_when,
    promises_from,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NEW_YORK = ZoneInfo("America/New_York")
#: Monday 2026-11-23 14:30 UTC, 15:30 in Amsterdam (CET, UTC+1).
NOW = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)


def local(*parts: int, zone: ZoneInfo = AMSTERDAM) -> datetime:
    return datetime(*parts, tzinfo=zone).astimezone(UTC)  # type: ignore[misc]


@pytest.mark.parametrize(("said", "meant"), [
    ("today 16:00", local(2026, 11, 23, 16, 0)),
    ("Today at 16:00", local(2026, 11, 23, 16, 0)),
    ("16:00", local(2026, 11, 23, 16, 0)),
    ("16.45", local(2026, 11, 23, 16, 45)),
    ("4pm", local(2026, 11, 23, 16, 0)),
    ("4:30 pm", local(2026, 11, 23, 16, 30)),
    ("tomorrow", local(2026, 11, 24, 17, 0)),  # a day alone: 17:00 local
    ("tomorrow 9:30", local(2026, 11, 24, 9, 30)),
    ("tomorrow 9", local(2026, 11, 24, 9, 0)),
    ("tomorrow noon", local(2026, 11, 24, 12, 0)),
    ("fri 12:00", local(2026, 11, 27, 12, 0)),
    ("Friday", local(2026, 11, 27, 17, 0)),
    ("thu 12:00", local(2026, 11, 26, 12, 0)),
    ("mon 16:00", local(2026, 11, 30, 16, 0)),  # a weekday is never today
    ("2026-11-27", local(2026, 11, 27, 17, 0)),
    ("2026-11-27 12:00", local(2026, 11, 27, 12, 0)),
    ("2026-11-27T12:00", local(2026, 11, 27, 12, 0)),
    ("2026-11-27T12:00Z", datetime(2026, 11, 27, 12, 0, tzinfo=UTC)),
    ("2026-11-27T12:00+05:00", datetime(2026, 11, 27, 7, 0, tzinfo=UTC)),
    ("in 2 hours", NOW + timedelta(hours=2)),
    ("in 30 min", NOW + timedelta(minutes=30)),
    ("in 3 days", NOW + timedelta(days=3)),
])
def test_phrasings(said: str, meant: datetime) -> None:
    found = parse_when(said, NOW, AMSTERDAM)
    assert found == meant
    assert found.tzinfo is UTC


def test_the_zone_decides_the_day_and_the_hour() -> None:
    # 14:30 UTC is 09:30 in New York: "today 12:00" there is still to come.
    assert parse_when("today 12:00", NOW, NEW_YORK) == datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
    assert parse_when("today 12:00", NOW - timedelta(hours=4), AMSTERDAM) \
        == datetime(2026, 11, 23, 11, 0, tzinfo=UTC)


@pytest.mark.parametrize("said", ["today 9:00", "15:00", "2026-11-20", "2026-11-23 15:29",
                                  "in 0 min"])
def test_a_time_already_past_is_refused(said: str) -> None:
    with pytest.raises(InvalidInput, match="already passed"):
        parse_when(said, NOW, AMSTERDAM)


@pytest.mark.parametrize("said", ["", "  ", "soonish", "tomorrow 25:00", "fri 12:75", "13pm",
                                  "next week", "2026-02-30", "2026-13-01 10:00"])
def test_what_cannot_be_read_is_refused_with_the_forms_it_can(said: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_when(said, NOW, AMSTERDAM)
    assert "2026-11-27" in refused.value.message


def test_dst_the_skipped_hour_is_refused_and_the_doubled_hour_is_its_first() -> None:
    spring = datetime(2027, 3, 27, 12, 0, tzinfo=UTC)
    with pytest.raises(InvalidInput, match="does not exist"):
        parse_when("tomorrow 2:30", spring, AMSTERDAM)
    # The day after the clocks go forward, 17:00 is UTC+2, not +1.
    assert parse_when("tomorrow", spring, AMSTERDAM) == datetime(2027, 3, 28, 15, 0, tzinfo=UTC)
    autumn = datetime(2027, 10, 30, 12, 0, tzinfo=UTC)
    assert parse_when("tomorrow 2:30", autumn, AMSTERDAM) \
        == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)  # the first 02:30, still summer time
    assert parse_when("tomorrow", autumn, AMSTERDAM) == datetime(2027, 10, 31, 16, 0, tzinfo=UTC)


def test_dst_in_the_machines_own_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "Europe/Amsterdam")
    time.tzset()
    try:
        spring = datetime(2027, 3, 27, 12, 0, tzinfo=UTC)
        assert parse_when("tomorrow", spring) == datetime(2027, 3, 28, 15, 0, tzinfo=UTC)
        with pytest.raises(InvalidInput, match="does not exist"):
            parse_when("tomorrow 2:30", spring)
    finally:
        monkeypatch.undo()
        time.tzset()


def _event(kind: PromiseEventKind, at: datetime, promise_id: str = "p", **fields: object
           ) -> PromiseEvent:
    row_id = promise_id if kind is PromiseEventKind.MADE else f"{kind}-{at.isoformat()}"
    return PromiseEvent(id=row_id, promise_id=promise_id, ticket_id="t", kind=kind,
                        agent_id="a", occurred_at=at, **fields)


def test_state_is_derived_from_the_events_broken_is_never_stored() -> None:
    made = _event(PromiseEventKind.MADE, NOW, what="call back",
                  due_at=NOW + timedelta(hours=3))
    [promise] = promises_from([made])
    assert promise.status_at(NOW) is PromiseStatus.OPEN
    assert promise.status_at(NOW + timedelta(hours=1, minutes=30)) is PromiseStatus.DUE_SOON
    assert promise.status_at(NOW + timedelta(hours=3)) is PromiseStatus.BROKEN
    moved = _event(PromiseEventKind.MOVED, NOW + timedelta(hours=1),
                   due_at=NOW + timedelta(days=1), reason="customer asked")
    kept = _event(PromiseEventKind.KEPT, NOW + timedelta(hours=5))
    [promise] = promises_from([kept, moved, made])  # any order: by their time
    assert promise.due_at == NOW + timedelta(days=1)
    assert promise.first_due_at == NOW + timedelta(hours=3)
    assert promise.status_at(NOW + timedelta(days=2)) is PromiseStatus.KEPT
    assert promise.kept_on_time
    [late] = promises_from([made, _event(PromiseEventKind.KEPT, NOW + timedelta(hours=4))])
    assert late.kept and not late.kept_on_time


def test_event_rules() -> None:
    due = NOW + timedelta(hours=1)
    assert event_refusal("made", "p", "p", "call back", due, None, NOW) is None
    assert "by when" in (event_refusal("made", "p", "p", " ", due, None, NOW) or "")
    assert "reason" in (event_refusal("moved", "p", "m", None, due, " ", NOW) or "")
    assert "still to come" in (event_refusal("made", "p", "p", "x", NOW, None, NOW) or "")
    assert event_refusal("kept", "p", "k", None, None, None, NOW) is None
    assert event_refusal("kept", "p", "p", None, None, None, NOW) is not None
