"""What the server answers about a team: its name, and the rows its figures are made of.

The figures themselves (means of 3+ others, distributions of 5+) are computed by the
services the clients share (`services.team_mood`, `services.quality`); here is only the
reading of the team's rows, and which team a caller may ask about.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from deskterm.domain import ENTITIES
from deskterm.domain.errors import Forbidden, NotFound
from deskterm.i18n import _
from deskterm.server.database import Database
from deskterm.server.rules import Caller
from deskterm.services.quality import RatingRow
from deskterm.services.team_mood import MoodRow

_teams = ENTITIES["team"].__table__
_agents = ENTITIES["agent"].__table__


def team_name(db: Database, team_id: str | None) -> str | None:
    """The name of the team with this id (None for no team)."""
    if team_id is None:
        return None
    with db.reading() as connection:
        name: str | None = connection.execute(
            select(_teams.c.name).where(_teams.c.id == team_id)).scalar()
        return name


def team_to_show(db: Database, caller: Caller, name: str | None) -> tuple[str, str]:
    """(id, name) of the team a lead or admin asks about: a lead their own, an admin any.

    Without a name, the caller's own team.
    """
    with db.reading() as connection:
        if name is None:
            if caller.team_id is None:
                raise NotFound(_("you are in no team; name one with ?team="))
            found = connection.execute(select(_teams.c.id, _teams.c.name)
                                       .where(_teams.c.id == caller.team_id)).first()
        else:
            found = connection.execute(select(_teams.c.id, _teams.c.name)
                                       .where(_teams.c.name == name)).first()
    if found is None:
        raise NotFound(_("no team '{name}'").format(name=name))
    if not caller.is_admin and found.id != caller.team_id:
        raise Forbidden(_("a lead sees their own team's figures only"))
    return found.id, found.name


def team_moods(db: Database, team_id: str, since: date) -> list[MoodRow]:
    """Every mood the team's agents logged from `since` on."""
    moods = ENTITIES["mood_entry"].__table__
    with db.reading() as connection:
        found = connection.execute(
            select(moods.c.agent_id, moods.c.local_date, moods.c.score)
            .join(_agents, _agents.c.id == moods.c.agent_id)
            .where(_agents.c.team_id == team_id,
                   moods.c.local_date >= since.isoformat())).all()
    return [MoodRow(a, date.fromisoformat(d), s) for a, d, s in found]


def team_self_ratings(db: Database, team_id: str, since: datetime) -> list[RatingRow]:
    """Every self-rating the team's agents gave their contacts from `since` on."""
    contacts = ENTITIES["contact"].__table__
    with db.reading() as connection:
        found = connection.execute(
            select(contacts.c.agent_id, contacts.c.occurred_at, contacts.c.self_rating)
            .join(_agents, _agents.c.id == contacts.c.agent_id)
            .where(_agents.c.team_id == team_id, contacts.c.self_rating.is_not(None),
                   contacts.c.occurred_at >= since)).all()
    return [RatingRow(*row) for row in found]
