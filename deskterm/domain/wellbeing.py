"""The people side of the desk: daily mood smileys (private) and kudos (shared)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from deskterm.domain import feedback as _feedback  # noqa: F401  kudos.feedback_id needs its table
from deskterm.domain.enums import KudosSource
from deskterm.domain.ids import uuid7
from deskterm.domain.types import EnumText, UtcDateTime, utcnow

SMILEYS = {1: "😞", 2: "🙁", 3: "😐", 4: "🙂", 5: "😄"}


class MoodEntry(SQLModel, table=True):
    """One agent's mood on one local date; at most one per day. Only its author sees it."""

    __tablename__ = "mood_entry"

    id: str = Field(default_factory=uuid7, primary_key=True)
    agent_id: str = Field(foreign_key="agent.id")
    local_date: str  # ISO date in the agent's own time zone
    score: int
    note: str | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class Kudos(SQLModel, table=True):
    """A compliment from a customer or a lead, about one agent or the whole team."""

    __tablename__ = "kudos"

    id: str = Field(default_factory=uuid7, primary_key=True)
    source: KudosSource = Field(sa_type=EnumText(KudosSource))
    from_name: str
    message: str
    about_agent_id: str | None = Field(default=None, foreign_key="agent.id")
    team_id: str | None = Field(default=None, foreign_key="team.id")
    customer_id: str | None = Field(default=None, foreign_key="customer.id")
    ticket_id: str | None = Field(default=None, foreign_key="ticket.id")
    contact_id: str | None = Field(default=None, foreign_key="contact.id")
    #: A compliment written in a feedback response.
    feedback_id: str | None = Field(default=None, foreign_key="feedback.id")
    author_id: str = Field(foreign_key="agent.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
