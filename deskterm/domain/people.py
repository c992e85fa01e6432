"""The people and the shape of the desk: teams, departments served, agents."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from deskterm.domain.actor import Actor
from deskterm.domain.enums import Role, Tier
from deskterm.domain.ids import uuid7
from deskterm.domain.types import EnumInt, EnumText, UtcDateTime, utcnow


class Team(SQLModel, table=True):
    __tablename__ = "team"

    id: str = Field(default_factory=uuid7, primary_key=True)
    name: str = Field(unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class Department(SQLModel, table=True):
    """A part of the organisation the shared desk serves: IT, HR, Facilities, ..."""

    __tablename__ = "department"

    id: str = Field(default_factory=uuid7, primary_key=True)
    code: str = Field(unique=True)
    name: str = Field(unique=True)


class Agent(SQLModel, table=True):
    __tablename__ = "agent"

    id: str = Field(default_factory=uuid7, primary_key=True)
    handle: str = Field(unique=True)
    name: str
    email: str | None = None
    role: Role = Field(default=Role.AGENT, sa_type=EnumText(Role))
    tier: Tier = Field(default=Tier.FIRST, sa_type=EnumInt(Tier))
    team_id: str | None = Field(default=None, foreign_key="team.id")
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


__all__ = ["Actor", "Agent", "Department", "Team"]
