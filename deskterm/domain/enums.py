"""Enumerations of the desk: roles, tiers, ticket kinds and states, channels, ledger kinds.

Each enum a person sees has a `label`: its name in the current language (`open` / `open`,
`waiting` / `wacht`), the one home of those words. The values are what is stored and sent,
and never change with the language.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum

from deskterm.i18n import _, pgettext


class Role(StrEnum):
    AGENT = "agent"
    LEAD = "lead"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        """`agent` / `medewerker`."""
        return {Role.AGENT: pgettext("role", "agent"), Role.LEAD: pgettext("role", "lead"),
                Role.ADMIN: pgettext("role", "admin")}[self]


class Tier(IntEnum):
    """Support line: 1 is the desk, 2 and 3 the specialist lines tickets escalate to."""

    FIRST = 1
    SECOND = 2
    THIRD = 3

    @property
    def label(self) -> str:
        """`1st line` / `1e lijn`."""
        return {Tier.FIRST: _("1st line"), Tier.SECOND: _("2nd line"),
                Tier.THIRD: _("3rd line")}[self]


class TicketKind(StrEnum):
    INCIDENT = "incident"
    REQUEST = "request"
    QUESTION = "question"
    COMPLAINT = "complaint"

    @property
    def label(self) -> str:
        """`complaint` / `klacht`."""
        return {TicketKind.INCIDENT: pgettext("ticket kind", "incident"),
                TicketKind.REQUEST: pgettext("ticket kind", "request"),
                TicketKind.QUESTION: pgettext("ticket kind", "question"),
                TicketKind.COMPLAINT: pgettext("ticket kind", "complaint")}[self]


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

    @property
    def label(self) -> str:
        """`waiting` / `wacht`."""
        return {TicketStatus.NEW: pgettext("ticket status", "new"),
                TicketStatus.OPEN: pgettext("ticket status", "open"),
                TicketStatus.WAITING: pgettext("ticket status", "waiting"),
                TicketStatus.ESCALATED: pgettext("ticket status", "escalated"),
                TicketStatus.RESOLVED: pgettext("ticket status", "resolved"),
                TicketStatus.CLOSED: pgettext("ticket status", "closed")}[self]


OPEN_STATUSES = tuple(s for s in TicketStatus if s.is_open)


class Priority(IntEnum):
    """P1 is the most urgent."""

    P1 = 1
    P2 = 2
    P3 = 3
    P4 = 4

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The priority's word (its code, `P1`, is the same in both languages):
        `high` / `hoog`."""
        return {Priority.P1: pgettext("priority", "urgent"),
                Priority.P2: pgettext("priority", "high"),
                Priority.P3: pgettext("priority", "normal"),
                Priority.P4: pgettext("priority", "low")}[self]


class Channel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    CHAT = "chat"
    WALK_IN = "walk-in"
    SOCIAL = "social"

    @property
    def label(self) -> str:
        """`walk-in` / `balie`."""
        return {Channel.PHONE: pgettext("channel", "phone"),
                Channel.EMAIL: pgettext("channel", "email"),
                Channel.CHAT: pgettext("channel", "chat"),
                Channel.WALK_IN: pgettext("channel", "walk-in"),
                Channel.SOCIAL: pgettext("channel", "social")}[self]


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"

    @property
    def label(self) -> str:
        """`inbound` / `inkomend`."""
        return {Direction.INBOUND: pgettext("contact direction", "inbound"),
                Direction.OUTBOUND: pgettext("contact direction", "outbound")}[self]


class LedgerKind(StrEnum):
    ALLOCATION = "allocation"
    SPEND = "spend"
    REVERSAL = "reversal"

    @property
    def label(self) -> str:
        """`allocation` / `toekenning`."""
        return {LedgerKind.ALLOCATION: pgettext("ledger entry", "allocation"),
                LedgerKind.SPEND: pgettext("ledger entry", "spend"),
                LedgerKind.REVERSAL: pgettext("ledger entry", "reversal")}[self]


class KudosSource(StrEnum):
    CUSTOMER = "customer"
    LEAD = "lead"
    #: A colleague thanking a colleague, in their own name.
    PEER = "peer"

    @property
    def label(self) -> str:
        """Who the kudos are from: `customer` / `klant`."""
        return {KudosSource.CUSTOMER: pgettext("kudos from", "customer"),
                KudosSource.LEAD: pgettext("kudos from", "lead"),
                KudosSource.PEER: pgettext("kudos from", "peer")}[self]


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

    @property
    def label(self) -> str:
        """`article linked` / `artikel gekoppeld`."""
        return {TicketEventKind.CREATED: pgettext("ticket event", "created"),
                TicketEventKind.UPDATED: pgettext("ticket event", "updated"),
                TicketEventKind.ASSIGNED: pgettext("ticket event", "assigned"),
                TicketEventKind.ESCALATED: pgettext("ticket event", "escalated"),
                TicketEventKind.RESOLVED: pgettext("ticket event", "resolved"),
                TicketEventKind.REOPENED: pgettext("ticket event", "reopened"),
                TicketEventKind.ARTICLE_LINKED: pgettext("ticket event", "article linked"),
                TicketEventKind.NOTE: pgettext("ticket event", "note"),
                TicketEventKind.NUDGE: pgettext("ticket event", "nudge"),
                TicketEventKind.RETURNED: pgettext("ticket event", "returned"),
                TicketEventKind.INFORMED: pgettext("ticket event", "customer informed"),
                TicketEventKind.CHASE: pgettext("ticket event", "chased"),
                TicketEventKind.TAKEN_OVER: pgettext("ticket event", "taken over")}[self]
