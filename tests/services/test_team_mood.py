"""Team mood for leads: aggregates of 3+ other agents only (5+ for a distribution), no
figure that gives a hidden one away, and the early warning."""

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
LEAD = "the-lead"


def rows(day: date, *scores: int, prefix: str = "a") -> list[MoodRow]:
    return [MoodRow(f"{prefix}{n}", day, score) for n, score in enumerate(scores)]


def test_two_agents_show_nothing_but_the_message() -> None:
    result = team_mood.team_mood(rows(TODAY, 1, 5), TODAY, viewer_id=LEAD)
    day = result.days[-1]
    assert (day.shown, day.contributors, day.mean, day.distribution) == (False, None, None, None)
    wire = to_wire(result)
    assert wire["days"][-1] == {"label": "2026-11-23", "start": "2026-11-23", "shown": False,
                                "message": NOT_ENOUGH}


def test_8_three_agents_show_the_mean_and_five_the_distribution() -> None:
    day = team_mood.team_mood(rows(TODAY, 1, 4, 4), TODAY, viewer_id=LEAD).days[-1]
    assert (day.shown, day.contributors, day.mean, day.distribution) == (True, 3, 3.0, None)
    assert to_wire(team_mood.team_mood(rows(TODAY, 1, 4, 4), TODAY, viewer_id=LEAD)
                   )["days"][-1]["distribution"] is None
    day = team_mood.team_mood(rows(TODAY, 1, 4, 4, 5, 5), TODAY, viewer_id=LEAD).days[-1]
    assert (day.shown, day.contributors, day.mean, day.distribution) == \
        (True, 5, 3.8, (1, 0, 0, 2, 2))


def test_8_the_viewer_never_counts() -> None:
    """One agent at 1, another at 4, the lead at 5: the lead must not read both scores."""
    entries = [MoodRow("agent-a", TODAY, 1), MoodRow("agent-b", TODAY, 4),
               MoodRow(LEAD, TODAY, 5)]
    result = team_mood.team_mood(entries, TODAY, viewer_id=LEAD)
    assert not result.days[-1].shown and not result.weeks[-1].shown
    # Seen by someone else, the lead's entry counts like anyone's.
    assert team_mood.team_mood(entries, TODAY, viewer_id="admin").days[-1].shown


def test_8_a_week_that_would_give_a_hidden_day_away_is_hidden() -> None:
    """Monday and Tuesday have 5 people each, Wednesday 2: the week minus the shown days
    would be Wednesday's two scores, so the week is not shown either."""
    monday = TODAY - timedelta(days=TODAY.weekday())
    wednesday = monday + timedelta(days=2)
    today = monday + timedelta(days=3)
    entries = rows(monday, 3, 3, 4, 4, 5) + rows(monday + timedelta(days=1), 3, 3, 4, 4, 5)
    entries += rows(wednesday, 1, 1, prefix="w")
    result = team_mood.team_mood(entries, today, viewer_id=LEAD)
    shown = {d.start: d.shown for d in result.days}
    assert (shown[monday], shown[wednesday]) == (True, False)
    assert not result.weeks[-1].shown
    # With three people on Wednesday it is shown, mean and all; its spread is hidden on
    # the day (3 < 5), so the week keeps its mean but hides its spread too.
    entries += rows(wednesday, 2, prefix="x")
    result = team_mood.team_mood(entries, today, viewer_id=LEAD)
    week = result.weeks[-1]
    assert week.shown and week.mean is not None and week.distribution is None


def test_8_the_warning_carries_no_figures() -> None:
    baseline = [MoodRow(f"a{n % 4}", TODAY - timedelta(days=8 + n), 4 + (n % 2))
                for n in range(28)]
    clearly = [MoodRow(f"a{n % 4}", TODAY - timedelta(days=n), 2 + (n % 2)) for n in range(7)]
    wire = to_wire(team_mood.team_mood(baseline + clearly, TODAY, viewer_id=LEAD))
    assert wire["warning"] == {"message": "the team's mood over the last 7 days is clearly "
                               "below its 4-week baseline: time for a check-in"}


def test_a_week_counts_people_not_entries() -> None:
    # One agent every day of the week is still one person: not enough.
    monday = TODAY - timedelta(days=TODAY.weekday())
    entries = [MoodRow("solo", monday + timedelta(days=n), 4) for n in range(5)]
    entries += rows(monday, 3, prefix="b")
    week = team_mood.team_mood(entries, TODAY, viewer_id=LEAD).weeks[-1]
    assert not week.shown


def test_the_warning_needs_a_clear_drop() -> None:
    baseline = [MoodRow(f"a{n % 4}", TODAY - timedelta(days=8 + n), 4 + (n % 2))
                for n in range(28)]
    slightly = [MoodRow(f"a{n % 4}", TODAY - timedelta(days=n), 4) for n in range(7)]
    assert early_warning(baseline + slightly, TODAY) is None
    clearly = [MoodRow(f"a{n % 4}", TODAY - timedelta(days=n), 2 + (n % 2)) for n in range(7)]
    warning = early_warning(baseline + clearly, TODAY)
    assert warning is not None and "clearly below" in warning.message


def test_no_warning_from_too_few_people() -> None:
    baseline = [MoodRow(f"a{n % 2}", TODAY - timedelta(days=8 + n), 5) for n in range(28)]
    recent = [MoodRow(f"a{n % 2}", TODAY - timedelta(days=n), 1) for n in range(7)]
    assert early_warning(baseline + recent, TODAY) is None


def test_a_lead_sees_only_aggregates_of_the_own_team(desk: Desk) -> None:
    for handle in ("alex", "blake", "root", "morgan"):  # the lead's own is left out
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
