"""Contacts: one interaction with a customer, on any channel. Insert-only."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from deskterm.domain.enums import Channel, Direction
from deskterm.domain.ids import uuid7
from deskterm.domain.types import EnumText, UtcDateTime, utcnow


class Contact(SQLModel, table=True):
    __tablename__ = "contact"

    id: str = Field(default_factory=uuid7, primary_key=True)
    customer_id: str = Field(foreign_key="customer.id")
    agent_id: str | None = Field(default=None, foreign_key="agent.id")
    ticket_id: str | None = Field(default=None, foreign_key="ticket.id")
    channel: Channel = Field(sa_type=EnumText(Channel))
    direction: Direction = Field(default=Direction.INBOUND, sa_type=EnumText(Direction))
    summary: str
    occurred_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    #: The agent's own 1-5 rating of how the interaction went; private to quality figures.
    self_rating: int | None = None
