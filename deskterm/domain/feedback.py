"""Customer feedback on a ticket: overall satisfaction (CSAT 1-5) and the quality drivers.

The seven drivers are the ones contact-centre research finds behind satisfaction:
reliability, empathy, customer focus, customer knowledge, waiting time, accessibility
and the phone menu. Each is optional (a survey may ask only some); the overall score is
required. Insert-only, like contacts.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from deskterm.domain.ids import uuid7
from deskterm.domain.types import UtcDateTime, utcnow

#: The drivers of contact-centre quality, in the order surveys usually ask them.
DRIVERS = ("reliability", "empathy", "customer_focus", "customer_knowledge", "waiting_time",
           "accessibility", "phone_menu")


class Feedback(SQLModel, table=True):
    __tablename__ = "feedback"

    id: str = Field(default_factory=uuid7, primary_key=True)
    ticket_id: str = Field(foreign_key="ticket.id")
    customer_id: str = Field(foreign_key="customer.id")
    #: The ticket's owner when the feedback came in (feedback is about the desk's work).
    agent_id: str | None = Field(default=None, foreign_key="agent.id")
    csat: int
    reliability: int | None = None
    empathy: int | None = None
    customer_focus: int | None = None
    customer_knowledge: int | None = None
    waiting_time: int | None = None
    accessibility: int | None = None
    phone_menu: int | None = None
    comment: str | None = None
    #: Where it came from: "import" (a CSV file), "api" (the server's intake), "demo".
    source: str = "import"
    received_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    author_id: str | None = Field(default=None, foreign_key="agent.id")
