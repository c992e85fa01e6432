"""Tickets, their event trail and the KB articles used on them."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from deskterm.domain.enums import Priority, TicketEventKind, TicketKind, TicketStatus, Tier
from deskterm.domain.ids import uuid7
from deskterm.domain.keys import ticket_key
from deskterm.domain.types import EnumInt, EnumText, UtcDateTime, utcnow


class Ticket(SQLModel, table=True):
    __tablename__ = "ticket"

    id: str = Field(default_factory=uuid7, primary_key=True)
    number: int | None = Field(default=None, unique=True)
    subject: str
    description: str = ""
    kind: TicketKind = Field(default=TicketKind.INCIDENT, sa_type=EnumText(TicketKind))
    status: TicketStatus = Field(default=TicketStatus.NEW, sa_type=EnumText(TicketStatus))
    priority: Priority = Field(default=Priority.P3, sa_type=EnumInt(Priority))
    department_id: str | None = Field(default=None, foreign_key="department.id")
    customer_id: str = Field(foreign_key="customer.id")
    #: The desk agent who stays the customer's contact, escalated or not.
    owner_id: str | None = Field(default=None, foreign_key="agent.id")
    #: While escalated: the line and the group working on it.
    resolver_tier: Tier | None = Field(default=None, sa_type=EnumInt(Tier))
    resolver_group: str | None = None
    escalation_reason: str | None = None
    escalated_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    resolution: str | None = None
    first_contact_resolution: bool | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_contact_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    deleted: bool = False

    @property
    def key(self) -> str:
        return ticket_key(self.number, self.id)


class TicketEvent(SQLModel, table=True):
    """One line of a ticket's trail (created, escalated, resolved, ...). Insert-only."""

    __tablename__ = "ticket_event"

    id: str = Field(default_factory=uuid7, primary_key=True)
    ticket_id: str = Field(foreign_key="ticket.id")
    agent_id: str | None = Field(default=None, foreign_key="agent.id")
    kind: TicketEventKind = Field(sa_type=EnumText(TicketEventKind))
    detail: str = ""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class TicketArticle(SQLModel, table=True):
    """A KB article that was used on a ticket. Insert-only."""

    __tablename__ = "ticket_article"

    id: str = Field(default_factory=uuid7, primary_key=True)
    ticket_id: str = Field(foreign_key="ticket.id")
    article_id: str = Field(foreign_key="kb_article.id")
    agent_id: str | None = Field(default=None, foreign_key="agent.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
