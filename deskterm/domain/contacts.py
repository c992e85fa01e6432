"""Contacts: one interaction with a customer, on any channel. Insert-only."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from deskterm.domain.clock import utcnow
from deskterm.domain.enums import Channel, Direction
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
