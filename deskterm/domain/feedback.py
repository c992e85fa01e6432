"""Customer feedback on a ticket: overall satisfaction (CSAT 1-5) and the quality drivers.

The seven drivers are the ones contact-centre research finds behind satisfaction:
reliability, empathy, customer focus, customer knowledge, waiting time, accessibility
and the phone menu. Each is optional (a survey may ask only some); the overall score is
required. Insert-only, like contacts.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from deskterm.domain.clock import utcnow
from deskterm.domain.types import UtcDateTime, identifier, reference

#: The drivers of contact-centre quality, in the order surveys usually ask them.
DRIVERS = ("reliability", "empathy", "customer_focus", "customer_knowledge", "waiting_time",
           "accessibility", "phone_menu")


class Feedback(SQLModel, table=True):
    __tablename__ = "feedback"

    id: str = identifier()
    ticket_id: str = reference("ticket.id")
    customer_id: str = reference("customer.id")
    #: The ticket's owner when the feedback came in (feedback is about the desk's work).
    agent_id: str | None = reference("agent.id", default=None)
    csat: int = Field(ge=1, le=5)
    reliability: int | None = Field(default=None, ge=1, le=5)
    empathy: int | None = Field(default=None, ge=1, le=5)
    customer_focus: int | None = Field(default=None, ge=1, le=5)
    customer_knowledge: int | None = Field(default=None, ge=1, le=5)
    waiting_time: int | None = Field(default=None, ge=1, le=5)
    accessibility: int | None = Field(default=None, ge=1, le=5)
    phone_menu: int | None = Field(default=None, ge=1, le=5)
    comment: str | None = Field(default=None, max_length=4000)
    #: Where it came from: "import" (a CSV file), "api" (the server's intake), "demo".
    source: str = Field(default="import", max_length=20)
    received_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    author_id: str | None = reference("agent.id", default=None)
