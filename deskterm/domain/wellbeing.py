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
from deskterm.i18n import _

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
    """A compliment from a customer, a lead or a colleague, about one agent or the team.

    `author_id` is who entered it: the colleague or lead it is from, or, for a
    customer's compliment, the lead who entered it or imported the feedback it came in.
    """

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


def kudos_refusal(*, source: KudosSource, about_agent_id: str | None, author_id: str,
                  feedback_id: str | None, author_is_lead: bool) -> str | None:
    """Why these kudos may not be sent by `author_id`, or None. The service and the server
    both ask this.

    Nobody sends kudos about themselves. A colleague thanks in their own name (`peer`);
    a customer's compliment comes only from their feedback response or is entered by a
    lead (the feed says who entered it); lead kudos come from a lead. A compliment in a
    response about the ticket of the lead who imports it is the customer's, not theirs.
    """
    if about_agent_id is not None and about_agent_id == author_id and feedback_id is None:
        return _("nobody sends kudos about themselves; thank a colleague instead")
    if source == KudosSource.LEAD and not author_is_lead:
        return _("only a team lead gives kudos as a lead; thank a colleague in your own name")
    if source == KudosSource.CUSTOMER and not author_is_lead:
        return _("a customer's compliment comes from their feedback response or is entered "
                 "by a lead; thank a colleague in your own name")
    return None
