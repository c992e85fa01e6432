"""What leads ask of the server alone: the team's mood and self-rating as aggregates of
enough other people (never an entry, never one person's figure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query

from deskterm.domain.clock import utcnow
from deskterm.domain.errors import Forbidden
from deskterm.i18n import _
from deskterm.server.deps import DatabaseDep, LeadDep
from deskterm.server.routes.problems import AUTHENTICATED, problems
from deskterm.server.teams import team_moods, team_self_ratings, team_to_show
from deskterm.services.quality import DEFAULT_WEEKS, MIN_RATERS, first_monday_of, team_self_rating
from deskterm.services.team_mood import HISTORY_DAYS, team_mood, to_wire

router = APIRouter(prefix="/api/v1/team", tags=["team"])


@router.get("/mood", summary="The team's mood: aggregates of 3+ other agents only",
            responses=problems(*AUTHENTICATED, 403, 404, 422))
def mood(caller: LeadDep, db: DatabaseDep,
         team: Annotated[str | None, Query(max_length=100, description="team name "
                                           "(admins; leads get their own)")] = None,
         today: Annotated[date | None, Query(description="the lead's local date")] = None,
         ) -> dict[str, Any]:
    """Per day and per ISO week: the mean where at least 3 agents other than the caller
    contributed, the distribution where at least 5 did, otherwise only "not enough entries
    to show"; a week is hidden where it would give its hidden days away; and the early
    warning, without figures."""
    team_id, team_name = team_to_show(db, caller, team)
    today = today or utcnow().date()
    if abs((today - utcnow().date()).days) > 1:
        raise Forbidden(_("today must be today"))
    rows = team_moods(db, team_id, today - timedelta(days=HISTORY_DAYS))
    return {"team": team_name, **to_wire(team_mood(rows, today, viewer_id=caller.agent_id))}


@router.get("/self-rating", summary="The team's weekly self-rating: 3+ other raters only",
            responses=problems(*AUTHENTICATED, 403, 404, 422))
def self_rating(caller: LeadDep, db: DatabaseDep,
                team: Annotated[str | None, Query(max_length=100, description="team name "
                                                  "(admins; leads get their own)")] = None,
                weeks: Annotated[int, Query(ge=1, le=52)] = DEFAULT_WEEKS,
                ) -> dict[str, Any]:
    """Per ISO week, oldest first: the mean of the agents' ratings of their own contacts
    where at least 3 agents other than the caller rated, else no figure. The ratings are
    private to their agents; this is the only way they leave the server."""
    team_id, team_name = team_to_show(db, caller, team)
    first_monday = first_monday_of(weeks, utcnow())
    since = datetime.combine(first_monday, time.min, tzinfo=UTC)
    rates = team_self_rating(team_self_ratings(db, team_id, since), first_monday, weeks,
                             viewer_id=caller.agent_id)
    return {"team": team_name, "min_raters": MIN_RATERS, "weeks": [
        {"start": (first_monday + timedelta(weeks=n)).isoformat(), "mean": rate.value,
         "count": rate.count} for n, rate in enumerate(rates)]}
