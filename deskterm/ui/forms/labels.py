"""The words the forms and the ticket screen show for stored values (status, kind, priority,
channel, direction), in the current language; the values themselves never change."""

from __future__ import annotations

from deskterm.domain.enums import (
    Channel,
    Direction,
    LedgerKind,
    Priority,
    Role,
    TicketEventKind,
    TicketKind,
    TicketStatus,
)
from deskterm.i18n import pgettext


def status_label(status: TicketStatus) -> str:
    """`open`, `waiting`… / `open`, `wacht`…"""
    return {
        TicketStatus.NEW: pgettext("ticket status", "new"),
        TicketStatus.OPEN: pgettext("ticket status", "open"),
        TicketStatus.WAITING: pgettext("ticket status", "waiting"),
        TicketStatus.ESCALATED: pgettext("ticket status", "escalated"),
        TicketStatus.RESOLVED: pgettext("ticket status", "resolved"),
        TicketStatus.CLOSED: pgettext("ticket status", "closed"),
    }[status]


def kind_label(kind: TicketKind) -> str:
    """`Incident`, `Request`… as a choice shows it (capitalized)."""
    return {
        TicketKind.INCIDENT: pgettext("ticket kind", "Incident"),
        TicketKind.REQUEST: pgettext("ticket kind", "Request"),
        TicketKind.QUESTION: pgettext("ticket kind", "Question"),
        TicketKind.COMPLAINT: pgettext("ticket kind", "Complaint"),
    }[kind]


def priority_label(priority: Priority | int) -> str:
    """`urgent`, `high`, `normal`, `low` / `urgent`, `hoog`, `normaal`, `laag`."""
    return {
        1: pgettext("priority", "urgent"),
        2: pgettext("priority", "high"),
        3: pgettext("priority", "normal"),
        4: pgettext("priority", "low"),
    }[int(priority)]


def channel_label(channel: Channel) -> str:
    """`phone`, `email`… / `telefoon`, `e-mail`…"""
    return {
        Channel.PHONE: pgettext("contact channel", "phone"),
        Channel.EMAIL: pgettext("contact channel", "email"),
        Channel.CHAT: pgettext("contact channel", "chat"),
        Channel.WALK_IN: pgettext("contact channel", "walk-in"),
        Channel.SOCIAL: pgettext("contact channel", "social"),
    }[channel]


def direction_label(direction: Direction) -> str:
    """`inbound`, `outbound` / `inkomend`, `uitgaand`."""
    return {
        Direction.INBOUND: pgettext("contact direction", "inbound"),
        Direction.OUTBOUND: pgettext("contact direction", "outbound"),
    }[direction]


def ledger_kind_label(kind: LedgerKind) -> str:
    """`allocation`, `spend`, `reversal` / `toekenning`, `uitgave`, `terugboeking`."""
    return {
        LedgerKind.ALLOCATION: pgettext("ledger entry", "allocation"),
        LedgerKind.SPEND: pgettext("ledger entry", "spend"),
        LedgerKind.REVERSAL: pgettext("ledger entry", "reversal"),
    }[kind]


def event_label(kind: TicketEventKind) -> str:
    """What happened to a ticket, as its trail lists it: `escalated`, `article linked`…"""
    return {
        TicketEventKind.CREATED: pgettext("ticket event", "created"),
        TicketEventKind.UPDATED: pgettext("ticket event", "updated"),
        TicketEventKind.ASSIGNED: pgettext("ticket event", "assigned"),
        TicketEventKind.ESCALATED: pgettext("ticket event", "escalated"),
        TicketEventKind.RESOLVED: pgettext("ticket event", "resolved"),
        TicketEventKind.REOPENED: pgettext("ticket event", "reopened"),
        TicketEventKind.ARTICLE_LINKED: pgettext("ticket event", "article linked"),
        TicketEventKind.NOTE: pgettext("ticket event", "note"),
        TicketEventKind.NUDGE: pgettext("ticket event", "nudge"),
        TicketEventKind.RETURNED: pgettext("ticket event", "returned"),
        TicketEventKind.INFORMED: pgettext("ticket event", "informed"),
        TicketEventKind.CHASE: pgettext("ticket event", "chase"),
        TicketEventKind.TAKEN_OVER: pgettext("ticket event", "taken over"),
    }.get(kind, kind.value.replace("_", " "))


def role_label(role: Role) -> str:
    """`agent`, `lead`, `admin` / `medewerker`, `teamleider`, `beheerder`."""
    return {
        Role.AGENT: pgettext("role", "agent"),
        Role.LEAD: pgettext("role", "lead"),
        Role.ADMIN: pgettext("role", "admin"),
    }[role]


def kind_options() -> list[tuple[str, str]]:
    """The ticket kinds as a Select offers them: (label, stored value)."""
    return [(kind_label(kind), kind.value) for kind in TicketKind]


def priority_options() -> list[tuple[str, int]]:
    """`P1 urgent` … `P4 low`, as a Select offers them: (label, stored value)."""
    return [(f"{p} {priority_label(p)}", int(p)) for p in Priority]


def channel_options() -> list[tuple[str, str]]:
    return [(channel_label(channel), channel.value) for channel in Channel]
