"""An agent's follow-up of a customer's feedback response: the mark that it was handled.

Insert-only and synced, one per response: the agent whose ticket it was (or a lead)
contacted the customer about what they said; the contact itself is in the customer's
history. A response is "followed up" when such a row exists (state derived from it).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from deskterm.domain import contacts as _contacts  # noqa: F401  contact_id needs its table
from deskterm.domain import feedback as _feedback  # noqa: F401  feedback_id needs its table
from deskterm.domain import people as _people  # noqa: F401  agent_id needs its table
from deskterm.domain.clock import utcnow
from deskterm.domain.types import UtcDateTime, identifier, reference
from deskterm.i18n import _


class FeedbackFollowUp(SQLModel, table=True):
    __tablename__ = "feedback_follow_up"

    id: str = identifier()
    feedback_id: str = reference("feedback.id", index=True)
    #: Who followed it up (the writer).
    agent_id: str = reference("agent.id")
    #: The contact with the customer that followed it up.
    contact_id: str = reference("contact.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


def follow_up_refusal(*, actor_id: str, actor_is_lead: bool,
                      feedback_agent_id: str | None) -> str | None:
    """Why `actor` may not follow up a response about `feedback_agent_id`'s ticket, or None.

    The agent whose ticket it was follows it up; a lead may step in (the agent left, or
    the ticket had no owner). The service and the server both ask this.
    """
    if actor_is_lead or (feedback_agent_id is not None and feedback_agent_id == actor_id):
        return None
    return _("only the agent whose ticket it was (or a lead) follows up a customer's feedback")
