"""The hand-back: an escalation comes back to its desk owner, who tells the customer.

- A resolver (anyone but the owner) resolving an escalated ticket does not close it: it
  returns to its owner, marked returned (`Ticket.returned_at`), the solution on its
  trail (`hand_back`, called by `tickets.resolve_ticket`).
- The owner closes a returned ticket only once the customer has been told: a contact
  with the customer logged after the return, or an explicit reason, which goes on the
  trail (`require_told`).
- The owner chases the resolver group (`chase`); a lead takes a complaint over (`take_over`).
- What the owner's and the group's screens announce: `returns_for`, `chases_for`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from deskterm.domain import Agent, Contact, Customer, Ticket, TicketEvent
from deskterm.domain.clock import utcnow
from deskterm.domain.enums import OPEN_STATUSES, TicketEventKind, TicketKind, TicketStatus, Tier
from deskterm.domain.errors import Conflict, CustomerNotTold, Forbidden
from deskterm.i18n import _
from deskterm.services.context import ServiceContext, clean_text
from deskterm.services.groups import groups_of
from deskterm.services.lookup import find_ticket
from deskterm.services.trail import log_event, touch
from deskterm.store import Store

INFORMED_LIMIT = 500
CHASE_LIMIT = 500


def is_returned(ticket: Ticket) -> bool:
    """Handed back by the resolver and not yet closed by its owner."""
    return ticket.returned_at is not None and ticket.status.is_open


def hand_back(ctx: ServiceContext, session: Session, ticket: Ticket, solution: str) -> None:
    """The resolver's resolve of an escalated ticket: back to the owner, not closed."""
    ticket.status = TicketStatus.OPEN
    ticket.resolution = solution
    ticket.returned_at = ctx.now()
    touch(ctx, session, ticket, ["status", "resolution", "returned_at"])
    # The solution alone: the trail names who returned it (its agent), the ticket its group,
    # and an article written from the ticket takes the text as it stands (kb_origin).
    log_event(ctx, session, ticket, TicketEventKind.RETURNED, solution)


def customer_told(session: Session, ticket: Ticket) -> bool:
    """Whether a contact with the ticket's customer was logged since it was returned."""
    if ticket.returned_at is None:
        return True
    found = session.exec(select(Contact.id).where(Contact.customer_id == ticket.customer_id)
                         .where(Contact.occurred_at >= ticket.returned_at).limit(1)).first()
    return found is not None


def require_told(ctx: ServiceContext, session: Session, ticket: Ticket,
                 informed: str | None) -> None:
    """Refuse to close a returned ticket whose customer was not told; an explicit reason
    (`informed`) stands in for the contact and goes on the trail."""
    if not is_returned(ticket) or customer_told(session, ticket):
        return
    reason = clean_text(informed, _("reason"), required=False, limit=INFORMED_LIMIT)
    if not reason:
        raise CustomerNotTold(_(
            "{key} came back from {group}: tell the customer first. Log a contact with them, "
            "or say how they were told (e.g. \"customer already informed by phone\")").format(
            key=ticket.key, group=ticket.resolver_group or Tier.SECOND.label))
    log_event(ctx, session, ticket, TicketEventKind.INFORMED, reason)


def chase(ctx: ServiceContext, ref: str, message: str) -> TicketEvent:
    """The owner asks the resolver group of an escalated ticket how it is going."""
    message = clean_text(message, _("message"), limit=CHASE_LIMIT)
    with ctx.store.transaction() as session:
        ticket = find_ticket(session, ref)
        if ticket.status != TicketStatus.ESCALATED:
            raise Conflict(_("{key} is {status}, not escalated: there is no resolver group "
                             "to chase").format(key=ticket.key, status=ticket.status.label))
        if ticket.owner_id != ctx.actor.id:
            raise Forbidden(_("only the owner of {key} chases its resolver group").format(
                key=ticket.key))
        return log_event(ctx, session, ticket, TicketEventKind.CHASE,
                         f"to {ticket.resolver_group}: {message}")


def take_over(ctx: ServiceContext, ref: str) -> Ticket:
    """A lead makes a complaint their own; the trail says from whom."""
    ctx.require_lead(_("only a team lead or admin may take a complaint over"))
    with ctx.store.transaction() as session:
        ticket = find_ticket(session, ref)
        if ticket.kind != TicketKind.COMPLAINT:
            # TRANSLATORS: {kind} is a ticket's kind: "incident", "request", "question".
            raise Conflict(_("{key} is a {kind}; a lead takes over complaints only (assign it "
                             "instead)").format(key=ticket.key, kind=ticket.kind.label))
        if not ticket.status.is_open:
            raise Conflict(_("{key} is {status}; reopen it first").format(
                key=ticket.key, status=ticket.status.label))
        if ticket.owner_id == ctx.actor.id:
            raise Conflict(_("{key} is already yours").format(key=ticket.key))
        before = session.get(Agent, ticket.owner_id) if ticket.owner_id else None
        ticket.owner_id = ctx.actor.id
        fields = ["owner_id"]
        if ticket.status == TicketStatus.NEW:
            ticket.status = TicketStatus.OPEN
            fields.append("status")
        touch(ctx, session, ticket, fields)
        log_event(ctx, session, ticket, TicketEventKind.TAKEN_OVER,
                  f"{ctx.actor.handle} took the complaint over from "
                  f"{before.handle if before else 'nobody'}")
    return ticket


@dataclass(frozen=True)
class TicketNotice:
    """A trail event someone's screen announces: a return to the owner, a chase to a group."""

    event_id: str
    ticket_id: str
    key: str
    subject: str
    detail: str
    from_handle: str
    at: datetime


def returns_for(store: Store, agent_id: str, *, since: datetime, limit: int = 20
                ) -> list[TicketNotice]:
    """Returns of tickets `agent_id` owns, newer than `since`, oldest first."""
    with store.reading() as session:
        return _notices(session, TicketEventKind.RETURNED, since, limit,
                        col(Ticket.owner_id) == agent_id)


def chases_for(store: Store, agent_id: str, *, since: datetime, limit: int = 20
               ) -> list[TicketNotice]:
    """Chases on escalations to the groups `agent_id` is in, newer than `since`."""
    with store.reading() as session:
        groups = groups_of(session, agent_id)
        if not groups:
            return []
        return _notices(session, TicketEventKind.CHASE, since, limit,
                        col(Ticket.resolver_group_id).in_(groups))


def _notices(session: Session, kind: TicketEventKind, since: datetime, limit: int,
             whose: ColumnElement[bool]) -> list[TicketNotice]:
    found = session.exec(
        select(TicketEvent, Ticket, Agent.handle)
        .join(Ticket, col(Ticket.id) == TicketEvent.ticket_id)
        .outerjoin(Agent, col(Agent.id) == TicketEvent.agent_id)
        .where(TicketEvent.kind == kind).where(whose)
        .where(TicketEvent.created_at > since)
        .order_by(col(TicketEvent.created_at)).limit(limit)).all()
    return [TicketNotice(event.id, ticket.id, ticket.key, ticket.subject, event.detail,
                         handle or "someone", event.created_at)
            for event, ticket, handle in found]


@dataclass(frozen=True)
class ReturnedRow:
    """A returned ticket whose customer has not been told yet, for the lead's board."""

    ticket_id: str
    key: str
    subject: str
    customer: str
    owner_handle: str | None
    resolver_group: str | None
    returned_at: datetime
    waited: timedelta


def returned_untold(store: Store, *, team_id: str | None, now: datetime | None = None,
                    limit: int = 200) -> list[ReturnedRow]:
    """Returned tickets of the team's owners (None: every team) whose customer has not
    heard since the return, longest waiting first."""
    now = now or utcnow()
    with store.reading() as session:
        query = (select(Ticket, Customer.name, Agent.handle)
                 .join(Customer, col(Customer.id) == Ticket.customer_id)
                 .outerjoin(Agent, col(Agent.id) == Ticket.owner_id)
                 .where(col(Ticket.returned_at).is_not(None))
                 .where(col(Ticket.status).in_(OPEN_STATUSES))
                 .where(col(Ticket.deleted).is_(False))
                 .order_by(col(Ticket.returned_at)))
        if team_id is not None:
            query = query.where(Agent.team_id == team_id)
        found = [(t, name, handle) for t, name, handle in session.exec(query.limit(limit)).all()
                 if not customer_told(session, t)]
    return [ReturnedRow(t.id, t.key, t.subject, name, handle, t.resolver_group,
                        t.returned_at, now - t.returned_at)
            for t, name, handle in found if t.returned_at is not None]
