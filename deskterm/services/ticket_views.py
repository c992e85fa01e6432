"""Read views of tickets: the queue filter from the names people type, and one ticket in full."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import col, select

from deskterm.domain import (
    Agent,
    Contact,
    Customer,
    Department,
    KbArticle,
    Ticket,
    TicketArticle,
    TicketEvent,
)
from deskterm.domain.enums import TicketStatus
from deskterm.i18n import _
from deskterm.services.lookup import (
    find_agent_by_handle,
    find_customer,
    find_department,
    find_ticket,
    parse_choice,
)
from deskterm.store import Store
from deskterm.store.queries import TicketFilter, TicketRow, list_tickets

#: Bound on the trail and contacts one ticket view loads.
DETAIL_LIMIT = 500


def queue_filter(
    store: Store,
    *,
    statuses: Iterable[str | TicketStatus] = (),
    owner: str | None = None,
    unassigned: bool = False,
    department: str | None = None,
    customer: str | None = None,
    text: str = "",
) -> TicketFilter:
    """A TicketFilter from handles, department codes and customer ids or emails.

    Raises InvalidInput for an unknown status and NotFound for a name that matches nothing,
    so a typo is a message instead of an empty list.
    """
    parsed = tuple(dict.fromkeys(parse_choice(TicketStatus, s, _("status")) for s in statuses))
    with store.reading() as session:
        owner_id = find_agent_by_handle(session, owner).id if owner else None
        department_id = find_department(session, department).id if department else None
        customer_id = find_customer(session, customer).id if customer else None
    return TicketFilter(statuses=parsed, owner_id=owner_id, unassigned=unassigned,
                        department_id=department_id, customer_id=customer_id, text=text)


def filtered_tickets(store: Store, flt: TicketFilter, *, limit: int) -> list[TicketRow]:
    """The tickets `flt` lets through, newest first, at most `limit` of them."""
    with store.raw() as connection:
        return list_tickets(connection, flt, limit=limit)


@dataclass(frozen=True)
class TicketDetail:
    """A ticket with what a person reads beside it: people, trail, articles used, contacts."""

    ticket: Ticket
    customer: Customer
    owner: Agent | None
    department: Department | None
    events: list[TicketEvent]  # oldest first
    articles: list[KbArticle]  # in the order they were linked
    contacts: list[Contact]  # newest first


def ticket_detail(store: Store, ref: str) -> TicketDetail:
    """One ticket in full, by key, provisional key or id, from one consistent snapshot."""
    with store.reading() as session:
        ticket = find_ticket(session, ref)
        customer = session.get(Customer, ticket.customer_id)
        assert customer is not None  # enforced by the foreign key
        owner = session.get(Agent, ticket.owner_id) if ticket.owner_id else None
        department = session.get(Department, ticket.department_id) if ticket.department_id \
            else None
        events = session.exec(
            select(TicketEvent).where(TicketEvent.ticket_id == ticket.id)
            .order_by(col(TicketEvent.created_at), col(TicketEvent.id)).limit(DETAIL_LIMIT)
        ).all()
        articles = session.exec(
            select(KbArticle).join(TicketArticle, col(TicketArticle.article_id) == KbArticle.id)
            .where(TicketArticle.ticket_id == ticket.id)
            .order_by(col(TicketArticle.created_at)).limit(DETAIL_LIMIT)
        ).all()
        contacts = session.exec(
            select(Contact).where(Contact.ticket_id == ticket.id)
            .order_by(col(Contact.occurred_at).desc()).limit(DETAIL_LIMIT)
        ).all()
    return TicketDetail(ticket, customer, owner, department, list(events), list(articles),
                        list(contacts))
