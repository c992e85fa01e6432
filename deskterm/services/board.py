"""The lead's escalation board: every open escalation of the team, and nudging its owner.

An escalated ticket stays owned by the desk agent who took it (ownership): the board
shows that owner beside the line working on it, how long it has been escalated, how
long since anyone spoke to the customer, and how often the customer came back lately.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func
from sqlmodel import col, select

from deskterm.domain import Agent, Contact, Customer, Department, Ticket, TicketEvent
from deskterm.domain.clock import utcnow
from deskterm.domain.enums import Direction, Priority, TicketEventKind, TicketStatus, Tier
from deskterm.i18n import _
from deskterm.services.contacts import REPEAT_WINDOW
from deskterm.services.context import ServiceContext, clean_text
from deskterm.services.lookup import find_department, find_ticket
from deskterm.services.tickets import log_event
from deskterm.store import Store

#: Hours without a customer contact after which an escalation is stale (config overrides).
DEFAULT_STALE_HOURS = 24
BOARD_LIMIT = 500


class BoardSort(StrEnum):
    AGE = "age"
    PRIORITY = "priority"
    TIER = "tier"


@dataclass(frozen=True)
class BoardRow:
    ticket_id: str
    key: str
    subject: str
    customer: str
    priority: Priority
    tier: Tier | None
    resolver_group: str | None
    owner_handle: str | None
    owner_name: str | None
    department: str | None
    reason: str | None
    escalated_at: datetime | None
    last_contact_at: datetime | None
    repeat_contacts: int  # the customer's inbound contacts in the last 7 days
    stale: bool


def escalation_board(store: Store, *, team_id: str | None, department: str | None = None,
                     sort: BoardSort | str = BoardSort.AGE, stale_hours: float =
                     DEFAULT_STALE_HOURS, now: datetime | None = None) -> list[BoardRow]:
    """Open escalations whose owner is in `team_id` (None: every team), sorted.

    Age sorts oldest escalation first; priority P1 first; tier 3rd line first. Ties go
    to the longer-waiting one.
    """
    now = now or utcnow()
    sort = BoardSort(sort)
    with store.reading() as session:
        recent = (select(func.count()).select_from(Contact)
                  .where(Contact.customer_id == Ticket.customer_id)
                  .where(Contact.direction == Direction.INBOUND)
                  .where(Contact.occurred_at >= now - REPEAT_WINDOW)
                  .correlate(Ticket).scalar_subquery())
        # sqlmodel types select() for at most four columns; it takes any number.
        query = (select(Ticket, Customer.name, Agent.handle, Agent.name,  # type: ignore[call-overload]
                        Department.code, recent)
                 .join(Customer, col(Customer.id) == Ticket.customer_id)
                 .outerjoin(Agent, col(Agent.id) == Ticket.owner_id)
                 .outerjoin(Department, col(Department.id) == Ticket.department_id)
                 .where(Ticket.status == TicketStatus.ESCALATED)
                 .where(col(Ticket.deleted).is_(False)))
        if team_id is not None:
            query = query.where(Agent.team_id == team_id)
        if department:
            query = query.where(Ticket.department_id == find_department(session, department).id)
        found = session.exec(query.limit(BOARD_LIMIT)).all()
    stale_after = timedelta(hours=stale_hours)
    rows = [BoardRow(
        ticket.id, ticket.key, ticket.subject, customer, ticket.priority, ticket.resolver_tier,
        ticket.resolver_group, handle, name, code, ticket.escalation_reason,
        ticket.escalated_at, ticket.last_contact_at, int(repeats),
        stale=now - (ticket.last_contact_at or ticket.escalated_at or ticket.created_at)
        > stale_after,
    ) for ticket, customer, handle, name, code, repeats in found]
    waited = _since_escalated(now)
    if sort is BoardSort.PRIORITY:
        rows.sort(key=lambda r: (r.priority, -waited(r)))
    elif sort is BoardSort.TIER:
        rows.sort(key=lambda r: (-(r.tier or 0), -waited(r)))
    else:
        rows.sort(key=lambda r: -waited(r))
    return rows


def _since_escalated(now: datetime) -> Callable[[BoardRow], float]:
    def seconds(row: BoardRow) -> float:
        return (now - row.escalated_at).total_seconds() if row.escalated_at else 0.0

    return seconds


def nudge(ctx: ServiceContext, ref: str, message: str) -> TicketEvent:
    """A lead's note to a ticket's owner: on the ticket's trail and on the owner's screen."""
    ctx.require_lead(_("only a team lead or admin may nudge a ticket's owner"))
    message = clean_text(message, _("message"), limit=500)
    with ctx.store.transaction() as session:
        ticket = find_ticket(session, ref)
        return log_event(ctx, session, ticket, TicketEventKind.NUDGE, message)


@dataclass(frozen=True)
class Nudge:
    ticket_id: str
    key: str
    subject: str
    message: str
    from_name: str
    at: datetime


def nudges_for(store: Store, agent_id: str, *, since: datetime, limit: int = 20) -> list[Nudge]:
    """Nudges on tickets `agent_id` owns, newer than `since`, oldest first."""
    with store.reading() as session:
        found = session.exec(
            select(TicketEvent, Ticket, Agent.name)
            .join(Ticket, col(Ticket.id) == TicketEvent.ticket_id)
            .outerjoin(Agent, col(Agent.id) == TicketEvent.agent_id)
            .where(TicketEvent.kind == TicketEventKind.NUDGE)
            .where(Ticket.owner_id == agent_id)
            .where(TicketEvent.created_at > since)
            .order_by(col(TicketEvent.created_at)).limit(limit)).all()
    return [Nudge(ticket.id, ticket.key, ticket.subject, event.detail, name or _("your lead"),
                  event.created_at) for event, ticket, name in found]
