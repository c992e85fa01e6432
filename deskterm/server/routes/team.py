"""What leads ask of the server alone: the team's mood as aggregates (never an entry)."""

from __future__ import annotations

from datetime import date, timedelta
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
from deskterm.services.team_mood import HISTORY_DAYS, MoodRow, team_mood, to_wire

router = APIRouter(prefix="/api/v1/team", tags=["team"])


@router.get("/mood", summary="The team's mood: aggregates of 3+ agents only",
            responses=problems(*AUTHENTICATED, 403, 404, 422))
def mood(caller: CallerDep, db: DatabaseDep,
         team: Annotated[str | None, Query(max_length=100, description="team name "
                                           "(admins; leads get their own)")] = None,
         today: Annotated[date | None, Query(description="the lead's local date")] = None,
         ) -> dict[str, Any]:
    """Per day and per ISO week: distribution and mean where at least 3 agents contributed,
    otherwise only "not enough entries to show"; and the early warning."""
    if not caller.is_lead:
        raise Forbidden("only a lead or admin sees the team's mood, and only as aggregates")
    team_id, team_name = _team(db, caller, team)
    today = today or utcnow().date()
    if abs((today - utcnow().date()).days) > 1:
        raise Forbidden("today must be today")
    rows = _rows(db, team_id, today - timedelta(days=HISTORY_DAYS))
    return {"team": team_name, **to_wire(team_mood(rows, today))}


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
        raise Forbidden("a lead sees the mood of their own team only")
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
