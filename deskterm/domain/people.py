"""The people and the shape of the desk: teams, departments served, agents."""

from __future__ import annotations

import re
from datetime import datetime

from sqlmodel import Field, SQLModel

from deskterm.domain.actor import Actor
from deskterm.domain.clock import utcnow
from deskterm.domain.enums import Role, Tier
from deskterm.domain.errors import InvalidInput
from deskterm.domain.types import EnumInt, EnumText, UtcDateTime, identifier, matching, reference
from deskterm.i18n import _


class Team(SQLModel, table=True):
    __tablename__ = "team"

    id: str = identifier()
    name: str = Field(unique=True, max_length=100)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class Department(SQLModel, table=True):
    """A part of the organisation the shared desk serves: IT, HR, Facilities, ..."""

    __tablename__ = "department"

    id: str = identifier()
    code: str = Field(unique=True, max_length=10)
    name: str = Field(unique=True, max_length=100)


#: What a handle may be: 2-32 lowercase letters, digits, '.', '_' or '-', starting with a
#: letter. The desk's own accounts (services.org) and the server's (server.accounts) both
#: go by it, so a person's handle is the same on every replica and in every token.
HANDLE = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")


def plain_handle(text: str) -> str:
    """A handle as people type it (`@Alex`, ` alex `) in the form it is stored: `alex`."""
    return text.strip().lstrip("@").lower()


def parse_handle(text: str) -> str:
    """A new handle in its stored form; InvalidInput saying what a handle may be."""
    handle = plain_handle(text)
    if not HANDLE.match(handle):
        raise InvalidInput(_("'{handle}' is not a handle: 2-32 lowercase letters, digits, "
                             "'.', '_' or '-', starting with a letter").format(handle=handle))
    return handle


def manages(role: Role, own_team_id: str | None, their_team_id: str | None) -> bool:
    """Whether someone of `role` in team `own_team_id` manages a person in `their_team_id`
    (allocates and reverses their goodwill, sees their budget): an admin everyone, a lead
    the people of their own team, an agent nobody."""
    if role == Role.ADMIN:
        return True
    return role == Role.LEAD and own_team_id is not None and their_team_id == own_team_id


class Agent(SQLModel, table=True):
    __tablename__ = "agent"

    id: str = identifier()
    #: HANDLE declared on the field: sync.codec refuses a handle it does not match on the
    #: server and on every replica, as parse_handle refuses it in services.org.
    handle: str = matching(HANDLE.pattern, unique=True, max_length=32)
    name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=254)
    role: Role = Field(default=Role.AGENT, sa_type=EnumText(Role))
    tier: Tier = Field(default=Tier.FIRST, sa_type=EnumInt(Tier))
    team_id: str | None = reference("team.id", default=None)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


__all__ = ["HANDLE", "Actor", "Agent", "Department", "Team", "manages", "parse_handle",
           "plain_handle"]
