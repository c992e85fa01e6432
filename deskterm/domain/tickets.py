"""Tickets, their event trail and the KB articles used on them."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from deskterm.domain.clock import utcnow
from deskterm.domain.enums import Priority, TicketEventKind, TicketKind, TicketStatus, Tier
from deskterm.domain.keys import ticket_key
from deskterm.domain.types import MAX_INT, EnumInt, EnumText, UtcDateTime, identifier, reference


class Ticket(SQLModel, table=True):
    __tablename__ = "ticket"

    id: str = identifier()
    number: int | None = Field(default=None, unique=True, ge=1, le=MAX_INT)
    subject: str = Field(max_length=200)
    description: str = Field(default="", max_length=10_000)
    kind: TicketKind = Field(default=TicketKind.INCIDENT, sa_type=EnumText(TicketKind))
    status: TicketStatus = Field(default=TicketStatus.NEW, sa_type=EnumText(TicketStatus))
    priority: Priority = Field(default=Priority.P3, sa_type=EnumInt(Priority))
    department_id: str | None = reference("department.id", default=None)
    customer_id: str = reference("customer.id")
    #: The desk agent who stays the customer's contact, escalated or not.
    owner_id: str | None = reference("agent.id", default=None)
    #: While escalated: the line and the group working on it.
    resolver_tier: Tier | None = Field(default=None, sa_type=EnumInt(Tier))
    #: The group's name as it was when escalated (the text before groups were rows).
    resolver_group: str | None = Field(default=None, max_length=100)
    resolver_group_id: str | None = reference("resolver_group.id", default=None)
    escalation_reason: str | None = Field(default=None, max_length=2000)
    escalated_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    resolution: str | None = Field(default=None, max_length=5000)
    first_contact_resolution: bool | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_contact_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    #: When the resolver handed it back to its owner, who then tells the customer.
    returned_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    deleted: bool = False

    @property
    def key(self) -> str:
        return ticket_key(self.number, self.id)


class TicketEvent(SQLModel, table=True):
    """One line of a ticket's trail (created, escalated, resolved, ...). Insert-only."""

    __tablename__ = "ticket_event"

    id: str = identifier()
    ticket_id: str = reference("ticket.id")
    agent_id: str | None = reference("agent.id", default=None)
    kind: TicketEventKind = Field(sa_type=EnumText(TicketEventKind))
    #: What happened, in words: a note, a nudge, an escalation's reason with its group.
    detail: str = Field(default="", max_length=6000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class TicketArticle(SQLModel, table=True):
    """A KB article that was used on a ticket. Insert-only."""

    __tablename__ = "ticket_article"

    id: str = identifier()
    ticket_id: str = reference("ticket.id")
    article_id: str = reference("kb_article.id")
    agent_id: str | None = reference("agent.id", default=None)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
