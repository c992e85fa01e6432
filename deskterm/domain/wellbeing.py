"""The people side of the desk: daily mood smileys (private) and kudos (shared)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from deskterm.domain.clock import utcnow
from deskterm.domain.enums import KudosSource
from deskterm.domain.feedback import KUDOS_LIMIT  # also loads the table feedback_id names
from deskterm.domain.types import (
    HIGHEST_SCORE,
    LOWEST_SCORE,
    EnumText,
    UtcDateTime,
    calendar_date,
    identifier,
    reference,
)

SMILEYS = {1: "😞", 2: "🙁", 3: "😐", 4: "🙂", 5: "😄"}


class MoodEntry(SQLModel, table=True):
    """One agent's mood on one local date; at most one per day. Only its author sees it."""

    __tablename__ = "mood_entry"

    id: str = identifier()
    agent_id: str = reference("agent.id")
    #: The date in the agent's own time zone, as ISO 8601 (YYYY-MM-DD).
    local_date: str = calendar_date()
    score: int = Field(ge=LOWEST_SCORE, le=HIGHEST_SCORE)
    note: str | None = Field(default=None, max_length=1000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class Kudos(SQLModel, table=True):
    """A compliment from a customer or a lead, about one agent or the whole team."""

    __tablename__ = "kudos"

    id: str = identifier()
    source: KudosSource = Field(sa_type=EnumText(KudosSource))
    from_name: str = Field(max_length=200)
    message: str = Field(max_length=KUDOS_LIMIT)
    about_agent_id: str | None = reference("agent.id", default=None)
    team_id: str | None = reference("team.id", default=None)
    customer_id: str | None = reference("customer.id", default=None)
    ticket_id: str | None = reference("ticket.id", default=None)
    contact_id: str | None = reference("contact.id", default=None)
    #: A compliment written in a feedback response.
    feedback_id: str | None = reference("feedback.id", default=None)
    author_id: str = reference("agent.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
