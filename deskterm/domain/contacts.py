"""Contacts: one interaction with a customer, on any channel. Insert-only."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from deskterm.domain.clock import utcnow
from deskterm.domain.enums import Channel, Direction
from deskterm.domain.mail import ADDRESS_LIMIT, BODY_LIMIT, MESSAGE_ID_LIMIT, SUBJECT_LIMIT
from deskterm.domain.types import (
    HIGHEST_SCORE,
    LOWEST_SCORE,
    EnumText,
    UtcDateTime,
    identifier,
    reference,
)


class Contact(SQLModel, table=True):
    __tablename__ = "contact"

    id: str = identifier()
    customer_id: str = reference("customer.id")
    agent_id: str | None = reference("agent.id", default=None)
    ticket_id: str | None = reference("ticket.id", default=None)
    channel: Channel = Field(sa_type=EnumText(Channel))
    direction: Direction = Field(default=Direction.INBOUND, sa_type=EnumText(Direction))
    summary: str = Field(max_length=5000)
    occurred_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    #: The agent's own 1-5 rating of how the interaction went; private to quality figures.
    self_rating: int | None = Field(default=None, ge=LOWEST_SCORE, le=HIGHEST_SCORE)
    # A mail (channel email): what it said, to or from whom, and its Message-ID, by which
    # an answer finds its ticket and a reply threads. None on other channels. An inbound
    # mail is written by the server's intake; an outbound one by the agent who replied,
    # sent by the server (its deliveries: domain.mail.MailDelivery).
    #: The mail's subject, as received or sent.
    subject: str | None = Field(default=None, max_length=SUBJECT_LIMIT)
    #: The mail's text (HTML-only mail as readable text), the summary its first lines.
    body: str | None = Field(default=None, max_length=BODY_LIMIT)
    #: The customer's address the mail came from or goes to.
    address: str | None = Field(default=None, max_length=ADDRESS_LIMIT)
    #: The RFC 5322 Message-ID, with its angle brackets.
    message_id: str | None = Field(default=None, max_length=MESSAGE_ID_LIMIT)
