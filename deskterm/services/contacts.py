"""Logging customer contacts, and the contact history that shows who called before."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from deskterm.domain import Agent, Contact, Customer, GoodwillEntry, Ticket
from deskterm.domain.clock import utcnow
from deskterm.domain.enums import OPEN_STATUSES, Channel, Direction, LedgerKind
from deskterm.domain.errors import InvalidInput
from deskterm.domain.money import DEFAULT_CURRENCY, Money
from deskterm.domain.types import text_limit
from deskterm.i18n import _
from deskterm.services.context import ServiceContext, clean_text
from deskterm.services.lookup import find_customer, find_ticket, parse_choice
from deskterm.services.promises import keep_in, promise_ticket
from deskterm.store import Store
from deskterm.store.outbox import record

#: The window in which a customer coming back counts as a repeat contact.
REPEAT_WINDOW = timedelta(days=7)


def log_contact(
    ctx: ServiceContext,
    *,
    channel: str | Channel,
    summary: str,
    customer: str | None = None,
    ticket: str | None = None,
    direction: str | Direction = Direction.INBOUND,
    self_rating: int | None = None,
    occurred_at: datetime | None = None,
    keeps: str | None = None,
) -> Contact:
    """Record one interaction. Give the customer, the ticket, or both (they must match).

    `keeps` names a promise (its id) this contact keeps: it is marked kept by this contact,
    on the promise's ticket (services.promises.keep_in decides who may)."""
    channel = parse_choice(Channel, channel, _("channel"))
    direction = parse_choice(Direction, direction, _("direction"))
    summary = clean_text(summary, _("summary"), limit=text_limit(Contact, "summary"))
    if self_rating is not None and not 1 <= int(self_rating) <= 5:
        raise InvalidInput(_("self-rating {score} is out of range; use 1 to 5").format(
            score=self_rating))
    if keeps and not ticket:
        ticket = promise_ticket(ctx.store, keeps)
    if not customer and not ticket:  # an empty name ("") names nothing either
        raise InvalidInput(_("name the customer or the ticket the contact was about"))
    when = occurred_at or ctx.now()
    if when > ctx.now() + timedelta(minutes=5):
        raise InvalidInput(_("a contact cannot be logged in the future"))
    with ctx.store.transaction() as session:
        found_ticket = find_ticket(session, ticket) if ticket else None
        found_customer = find_customer(session, customer) if customer else None
        if found_ticket and found_customer and found_ticket.customer_id != found_customer.id:
            raise InvalidInput(_("{key} belongs to another customer").format(key=found_ticket.key))
        if found_customer is not None:
            customer_id = found_customer.id
        else:
            assert found_ticket is not None  # one of the two is named (checked above)
            customer_id = found_ticket.customer_id
        contact = Contact(
            customer_id=customer_id, agent_id=ctx.actor.id,
            ticket_id=found_ticket.id if found_ticket else None, channel=channel,
            direction=direction, summary=summary, occurred_at=when,
            self_rating=int(self_rating) if self_rating is not None else None,
        )
        write_contact(session, ctx, contact, found_ticket)
        if keeps:
            keep_in(ctx, session, keeps, contact=contact)
    return contact


def write_contact(session: Session, ctx: ServiceContext, contact: Contact,
                  ticket: Ticket | None) -> None:
    """Write a checked contact in the caller's transaction, and move its ticket's last
    contact time (for services that log a contact as part of a larger write)."""
    session.add(contact)
    session.flush()
    record(session, "contact", contact, author_id=ctx.actor.id)
    when = contact.occurred_at
    if ticket and (ticket.last_contact_at is None or ticket.last_contact_at < when):
        ticket.last_contact_at = when
        session.add(ticket)
        record(session, "ticket", ticket, op="update", fields=["last_contact_at"],
               author_id=ctx.actor.id)


@dataclass(frozen=True)
class CustomerHistory:
    """Everything the agent needs to say "I see you called us last week"."""

    customer: Customer
    contacts: list[Contact]  # newest first, at most `limit`
    total_contacts: int
    contacts_last_7_days: int  # inbound ones: the customer reaching us
    open_tickets: list[Ticket]
    goodwill_given: Money  # spends on this customer by anyone, net of reversals
    goodwill_entries: list[GoodwillEntry]

    @property
    def is_repeat(self) -> bool:
        return self.contacts_last_7_days >= 2

    @property
    def last_contact(self) -> Contact | None:
        return self.contacts[0] if self.contacts else None


def customer_history(
    store: Store, customer: str, *, limit: int = 100, now: datetime | None = None,
    currency: str = DEFAULT_CURRENCY,
) -> CustomerHistory:
    """The customer's card, contacts newest first, open tickets and goodwill received."""
    now = now or utcnow()
    with store.reading() as session:
        found = find_customer(session, customer)
        contacts = session.exec(
            select(Contact).where(Contact.customer_id == found.id)
            .order_by(col(Contact.occurred_at).desc()).limit(limit)
        ).all()
        total = session.exec(
            select(func.count()).select_from(Contact).where(Contact.customer_id == found.id)
        ).one()
        # Only the customer coming to us makes a repeat contact: the desk's own mails
        # and calls out do not.
        recent = session.exec(
            select(func.count()).select_from(Contact)
            .where(Contact.customer_id == found.id)
            .where(Contact.direction == Direction.INBOUND)
            .where(Contact.occurred_at >= now - REPEAT_WINDOW)
        ).one()
        open_tickets = session.exec(
            select(Ticket).where(Ticket.customer_id == found.id)
            .where(col(Ticket.status).in_([s.value for s in OPEN_STATUSES]))
            .where(col(Ticket.deleted).is_(False))
            .order_by(col(Ticket.created_at).desc()).limit(50)
        ).all()
        entries = _goodwill_for_customer(session, found)
    given = sum((-e.amount_cents for e in entries if e.currency == currency), 0)
    return CustomerHistory(found, list(contacts), int(total), int(recent), list(open_tickets),
                           Money(given, currency), entries)


def _goodwill_for_customer(session: Session, customer: Customer) -> list[GoodwillEntry]:
    spends = session.exec(
        select(GoodwillEntry).where(GoodwillEntry.customer_id == customer.id)
        .where(GoodwillEntry.kind == LedgerKind.SPEND)
        .order_by(col(GoodwillEntry.created_at).desc())
    ).all()
    if not spends:
        return []
    reversals = session.exec(
        select(GoodwillEntry).where(
            col(GoodwillEntry.reverses_id).in_([s.id for s in spends])
        )
    ).all()
    return sorted([*spends, *reversals], key=lambda e: e.created_at, reverse=True)


@dataclass(frozen=True)
class Names:
    """What people read instead of ids: agent handles, ticket keys, customer names."""

    agents: dict[str, str]
    tickets: dict[str, str]
    customers: dict[str, str]


def names_for(store: Store, *, agents: Iterable[str | None] = (),
              tickets: Iterable[str | None] = (), customers: Iterable[str | None] = ()
              ) -> Names:
    """The handles, keys and names of the rows with these ids (missing ids are left out).

    Each lookup is by primary key, so a list of a few hundred rows costs milliseconds
    even on a store with a million tickets.
    """
    agent_ids = {a for a in agents if a}
    ticket_ids = {t for t in tickets if t}
    customer_ids = {c for c in customers if c}
    with store.reading() as session:
        handles = {a.id: a.handle for a in session.exec(
            select(Agent).where(col(Agent.id).in_(agent_ids)))} if agent_ids else {}
        keys = {t.id: t.key for t in session.exec(
            select(Ticket).where(col(Ticket.id).in_(ticket_ids)))} if ticket_ids else {}
        names = {c.id: c.name for c in session.exec(
            select(Customer).where(col(Customer.id).in_(customer_ids)))} if customer_ids else {}
    return Names(handles, keys, names)
