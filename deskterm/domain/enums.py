"""Enumerations of the desk: roles, tiers, ticket kinds and states, channels, ledger kinds."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Role(StrEnum):
    AGENT = "agent"
    LEAD = "lead"
    ADMIN = "admin"


class Tier(IntEnum):
    """Support line: 1 is the desk, 2 and 3 the specialist lines tickets escalate to."""

    FIRST = 1
    SECOND = 2
    THIRD = 3


class TicketKind(StrEnum):
    INCIDENT = "incident"
    REQUEST = "request"
    QUESTION = "question"
    COMPLAINT = "complaint"


class TicketStatus(StrEnum):
    NEW = "new"
    OPEN = "open"
    WAITING = "waiting"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def is_open(self) -> bool:
        return self not in (TicketStatus.RESOLVED, TicketStatus.CLOSED)


OPEN_STATUSES = tuple(s for s in TicketStatus if s.is_open)


class Priority(IntEnum):
    """P1 is the most urgent."""

    P1 = 1
    P2 = 2
    P3 = 3
    P4 = 4

    def __str__(self) -> str:
        return self.name


class Channel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    CHAT = "chat"
    WALK_IN = "walk-in"
    SOCIAL = "social"


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class LedgerKind(StrEnum):
    ALLOCATION = "allocation"
    SPEND = "spend"
    REVERSAL = "reversal"


class KudosSource(StrEnum):
    CUSTOMER = "customer"
    LEAD = "lead"
    #: A colleague thanking a colleague, in their own name.
    PEER = "peer"


class TicketEventKind(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    ASSIGNED = "assigned"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    REOPENED = "reopened"
    ARTICLE_LINKED = "article_linked"
    NOTE = "note"
    #: A lead's nudge to the owner of an escalated ticket.
    NUDGE = "nudge"
    #: The resolver solved an escalation and handed it back to its owner (the solution).
    RETURNED = "returned"
    #: The owner closed a returned ticket with a reason instead of a logged contact.
    INFORMED = "informed"
    #: The owner chases the resolver group of an escalated ticket.
    CHASE = "chase"
    #: A lead took a complaint over from its owner.
    TAKEN_OVER = "taken_over"
