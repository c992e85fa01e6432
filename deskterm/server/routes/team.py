"""What leads ask of the server alone: the team's mood and self-rating as aggregates of
enough other people (never an entry, never one person's figure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import select

from deskterm.domain import ENTITIES
from deskterm.domain.clock import utcnow
from deskterm.domain.errors import Forbidden, NotFound
from deskterm.server.database import Database
from deskterm.server.deps import CallerDep, DatabaseDep
from deskterm.server.routes.problems import AUTHENTICATED, problems
from deskterm.server.rules import Caller
from deskterm.services.quality import (
    DEFAULT_WEEKS,
    MIN_RATERS,
    RatingRow,
    first_monday_of,
    team_self_rating,
)
from deskterm.services.team_mood import HISTORY_DAYS, MoodRow, team_mood, to_wire

router = APIRouter(prefix="/api/v1/team", tags=["team"])


@router.get("/mood", summary="The team's mood: aggregates of 3+ other agents only",
            responses=problems(*AUTHENTICATED, 403, 404, 422))
def mood(caller: CallerDep, db: DatabaseDep,
         team: Annotated[str | None, Query(max_length=100, description="team name "
                                           "(admins; leads get their own)")] = None,
         today: Annotated[date | None, Query(description="the lead's local date")] = None,
         ) -> dict[str, Any]:
    """Per day and per ISO week: the mean where at least 3 agents other than the caller
    contributed, the distribution where at least 5 did, otherwise only "not enough entries
    to show"; a week is hidden where it would give its hidden days away; and the early
    warning, without figures."""
    if not caller.is_lead:
        raise Forbidden("only a lead or admin sees the team's mood, and only as aggregates")
    team_id, team_name = _team(db, caller, team)
    today = today or utcnow().date()
    if abs((today - utcnow().date()).days) > 1:
        raise Forbidden("today must be today")
    rows = _rows(db, team_id, today - timedelta(days=HISTORY_DAYS))
    return {"team": team_name, **to_wire(team_mood(rows, today, viewer_id=caller.agent_id))}


@router.get("/self-rating", summary="The team's weekly self-rating: 3+ other raters only",
            responses=problems(*AUTHENTICATED, 403, 404, 422))
def self_rating(caller: CallerDep, db: DatabaseDep,
                team: Annotated[str | None, Query(max_length=100, description="team name "
                                                  "(admins; leads get their own)")] = None,
                weeks: Annotated[int, Query(ge=1, le=52)] = DEFAULT_WEEKS,
                ) -> dict[str, Any]:
    """Per ISO week, oldest first: the mean of the agents' ratings of their own contacts
    where at least 3 agents other than the caller rated, else no figure. The ratings are
    private to their agents; this is the only way they leave the server."""
    if not caller.is_lead:
        raise Forbidden("only a lead or admin sees the team's self-rating, and only as a "
                        "team figure")
    team_id, team_name = _team(db, caller, team)
    first_monday = first_monday_of(weeks, utcnow())
    since = datetime.combine(first_monday, time.min, tzinfo=UTC)
    contacts = ENTITIES["contact"].__table__
    agents = ENTITIES["agent"].__table__
    with db.reading() as connection:
        found = connection.execute(
            select(contacts.c.agent_id, contacts.c.occurred_at, contacts.c.self_rating)
            .join(agents, agents.c.id == contacts.c.agent_id)
            .where(agents.c.team_id == team_id, contacts.c.self_rating.is_not(None),
                   contacts.c.occurred_at >= since)).all()
    rates = team_self_rating((RatingRow(*row) for row in found), first_monday, weeks,
                             viewer_id=caller.agent_id)
    return {"team": team_name, "min_raters": MIN_RATERS, "weeks": [
        {"start": (first_monday + timedelta(weeks=n)).isoformat(), "mean": rate.value,
         "count": rate.count} for n, rate in enumerate(rates)]}


def _team(db: Database, caller: Caller, name: str | None) -> tuple[str, str]:
    teams = ENTITIES["team"].__table__
    with db.reading() as connection:
        if name is None:
            if caller.team_id is None:
                raise NotFound("you are in no team; name one with ?team=")
            found = connection.execute(select(teams.c.id, teams.c.name)
                                       .where(teams.c.id == caller.team_id)).first()
        else:
            found = connection.execute(select(teams.c.id, teams.c.name)
                                       .where(teams.c.name == name)).first()
    if found is None:
        raise NotFound(f"no team '{name}'")
    if not caller.is_admin and found.id != caller.team_id:
        raise Forbidden("a lead sees their own team's figures only")
    return found.id, found.name


def _rows(db: Database, team_id: str, since: date) -> list[MoodRow]:
    moods = ENTITIES["mood_entry"].__table__
    agents = ENTITIES["agent"].__table__
    with db.reading() as connection:
        found = connection.execute(
            select(moods.c.agent_id, moods.c.local_date, moods.c.score)
            .join(agents, agents.c.id == moods.c.agent_id)
            .where(agents.c.team_id == team_id, moods.c.local_date >= since.isoformat())).all()
    return [MoodRow(a, date.fromisoformat(d), s) for a, d, s in found]
