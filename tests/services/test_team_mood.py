"""Team mood for leads: aggregates only where 3+ agents took part, and the early warning."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from deskterm.domain.errors import Forbidden
from deskterm.services import team_mood
from deskterm.services.team_mood import (
    NOT_ENOUGH,
    MoodRow,
    early_warning,
    local_team_mood,
    to_wire,
)
from deskterm.services.wellbeing import local_today, record_mood
from tests.conftest import Desk

TODAY = date(2026, 11, 23)


def rows(day: date, *scores: int, prefix: str = "a") -> list[MoodRow]:
    return [MoodRow(f"{prefix}{n}", day, score) for n, score in enumerate(scores)]


def test_two_agents_show_nothing_but_the_message() -> None:
    result = team_mood.team_mood(rows(TODAY, 1, 5), TODAY)
    day = result.days[-1]
    assert (day.shown, day.contributors, day.mean, day.distribution) == (False, None, None, None)
    wire = to_wire(result)
    assert wire["days"][-1] == {"label": "2026-11-23", "start": "2026-11-23", "shown": False,
                                "message": NOT_ENOUGH}


def test_three_agents_show_the_distribution_and_mean() -> None:
    result = team_mood.team_mood(rows(TODAY, 1, 4, 4), TODAY)
    day = result.days[-1]
    assert (day.shown, day.contributors, day.mean, day.distribution) == \
        (True, 3, 3.0, (1, 0, 0, 2, 0))


def test_a_week_counts_people_not_entries() -> None:
    # One agent every day of the week is still one person: not enough.
    monday = TODAY - timedelta(days=TODAY.weekday())
    entries = [MoodRow("solo", monday + timedelta(days=n), 4) for n in range(5)]
    entries += rows(monday, 3, prefix="b")
    week = team_mood.team_mood(entries, TODAY).weeks[-1]
    assert not week.shown


def test_the_warning_needs_a_clear_drop() -> None:
    baseline = [MoodRow(f"a{n % 4}", TODAY - timedelta(days=8 + n), 4 + (n % 2))
                for n in range(28)]
    slightly = [MoodRow(f"a{n % 4}", TODAY - timedelta(days=n), 4) for n in range(7)]
    assert early_warning(baseline + slightly, TODAY) is None
    clearly = [MoodRow(f"a{n % 4}", TODAY - timedelta(days=n), 2 + (n % 2)) for n in range(7)]
    warning = early_warning(baseline + clearly, TODAY)
    assert warning is not None and warning.drop >= 1.5
    assert "clearly below" in warning.message


def test_no_warning_from_too_few_people() -> None:
    baseline = [MoodRow(f"a{n % 2}", TODAY - timedelta(days=8 + n), 5) for n in range(28)]
    recent = [MoodRow(f"a{n % 2}", TODAY - timedelta(days=n), 1) for n in range(7)]
    assert early_warning(baseline + recent, TODAY) is None


def test_a_lead_sees_only_aggregates_of_the_own_team(desk: Desk) -> None:
    for handle in ("alex", "blake", "morgan"):
        record_mood(desk.as_(handle), 2)
    today = local_today(desk.lead).isoformat()
    day = next(d for d in local_team_mood(desk.lead).days if d.label == today)
    assert (day.shown, day.contributors, day.mean) == (True, 3, 2.0)


def test_with_two_entries_the_lead_sees_nothing(desk: Desk) -> None:
    record_mood(desk.alex, 1)
    record_mood(desk.blake, 5)
    today = local_today(desk.lead).isoformat()
    day = next(d for d in local_team_mood(desk.lead).days if d.label == today)
    assert not day.shown and day.mean is None


def test_agents_and_other_teams_are_refused(desk: Desk) -> None:
    with pytest.raises(Forbidden):
        local_team_mood(desk.alex)
    south = desk.casey.actor.team_id
    with pytest.raises(Forbidden):
        local_team_mood(desk.lead, south)
    assert not local_team_mood(desk.admin, south).days[-1].shown
