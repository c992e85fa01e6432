"""Writing a ticket: stamping a changed ticket and adding a line to its trail."""

from __future__ import annotations

from sqlmodel import Session

from deskterm.domain import Ticket, TicketEvent
from deskterm.domain.enums import TicketEventKind
from deskterm.services.context import ServiceContext
from deskterm.store.outbox import record


def touch(ctx: ServiceContext, session: Session, ticket: Ticket, fields: list[str]) -> None:
    """Record the ticket's changed `fields` (and its updated_at)."""
    ticket.updated_at = ctx.now()
    session.add(ticket)
    record(session, "ticket", ticket, op="update", fields=[*fields, "updated_at"],
           author_id=ctx.actor.id)


def log_event(
    ctx: ServiceContext, session: Session, ticket: Ticket, kind: TicketEventKind, detail: str
) -> TicketEvent:
    event = TicketEvent(ticket_id=ticket.id, agent_id=ctx.actor.id, kind=kind, detail=detail,
                        created_at=ctx.now())
    session.add(event)
    session.flush()
    record(session, "ticket_event", event, author_id=ctx.actor.id)
    return event
