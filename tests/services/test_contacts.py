"""Logging contacts, and the customer history that shows who called before."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from deskterm.domain import Ticket
from deskterm.domain.enums import Channel, Direction
from deskterm.domain.errors import InvalidInput, NotFound
from deskterm.domain.money import Money
from deskterm.services import contacts, goodwill, tickets
from deskterm.services.lookup import short_id
from tests.conftest import FIXED_NOW, Desk
from tests.services.conftest import Outbox, Refuse, fixed, mark_deleted


def ago(**delta: float) -> datetime:
    return FIXED_NOW - timedelta(**delta)


def stored_ticket(desk: Desk, ticket_id: str) -> Ticket:
    with desk.store.reading() as session:
        found = session.get(Ticket, ticket_id)
    assert found is not None
    return found


@pytest.fixture
def ticket(desk: Desk) -> Ticket:
    return tickets.create_ticket(fixed(desk, "alex", minutes=-60 * 24 * 40),
                                 customer="jo@example.com", subject="Invoice is wrong")


# --- logging ---------------------------------------------------------------------------


def test_log_a_contact_with_a_customer(desk: Desk, outbox: Outbox) -> None:
    alex = fixed(desk, "alex")
    contact = contacts.log_contact(alex, channel="phone", summary="  Asked about invoice  ",
                                   customer="Jo@Example.com")
    assert contact.customer_id == desk.customer.id
    assert contact.agent_id == alex.actor.id
    assert contact.ticket_id is None
    assert contact.channel is Channel.PHONE
    assert contact.direction is Direction.INBOUND
    assert contact.summary == "Asked about invoice"
    assert contact.occurred_at == FIXED_NOW
    assert contact.self_rating is None
    [change] = outbox.new()
    assert (change.entity, change.op, change.row_id) == ("contact", "insert", contact.id)
    assert change.fields["channel"] == "phone"
    assert change.fields["occurred_at"] == FIXED_NOW.isoformat()


def test_a_contact_on_a_ticket_moves_its_last_contact(desk: Desk, ticket: Ticket,
                                                      outbox: Outbox) -> None:
    outbox.mark()
    contact = contacts.log_contact(fixed(desk, "blake"), channel="Walk-In", direction="OUTBOUND",
                                   summary="Explained the credit note", ticket=ticket.key,
                                   self_rating=5)
    assert contact.customer_id == desk.customer.id
    assert contact.ticket_id == ticket.id
    assert contact.channel is Channel.WALK_IN
    assert contact.direction is Direction.OUTBOUND
    assert contact.self_rating == 5
    assert stored_ticket(desk, ticket.id).last_contact_at == FIXED_NOW
    changes = outbox.new()
    assert [(c.entity, c.op) for c in changes] == [("contact", "insert"), ("ticket", "update")]
    assert changes[1].fields == {"last_contact_at": FIXED_NOW.isoformat()}


def test_an_older_contact_does_not_move_last_contact_back(desk: Desk, ticket: Ticket,
                                                          outbox: Outbox) -> None:
    alex = fixed(desk, "alex")
    contacts.log_contact(alex, channel="email", summary="Sent the credit note", ticket=ticket.id)
    outbox.mark()
    contacts.log_contact(alex, channel="phone", summary="Call from yesterday",
                         ticket=ticket.id, customer=desk.customer.id, occurred_at=ago(days=1))
    assert stored_ticket(desk, ticket.id).last_contact_at == FIXED_NOW
    assert outbox.summary() == [("contact", "insert")]


def test_a_contact_a_few_minutes_ahead_is_accepted(desk: Desk) -> None:
    # Clocks differ a little between machines; five minutes of grace.
    ahead = FIXED_NOW + timedelta(minutes=4)
    made = contacts.log_contact(fixed(desk, "alex"), channel="chat", summary="Chat",
                                customer="jo@example.com", occurred_at=ahead)
    assert made.occurred_at == ahead


def test_log_contact_refusals(desk: Desk, ticket: Ticket, refuse: Refuse) -> None:
    alex = fixed(desk, "alex")

    def log(**changes: object) -> object:
        options: dict[str, object] = {"channel": "phone", "summary": "Called",
                                      "customer": "jo@example.com"}
        options.update(changes)
        return lambda: contacts.log_contact(alex, **options)  # type: ignore[arg-type]

    refuse(InvalidInput, log(channel="fax"), "'fax' is not a channel",
           "phone, email, chat, walk-in, social")
    refuse(InvalidInput, log(direction="sideways"), "'sideways' is not a direction",
           "inbound, outbound")
    refuse(InvalidInput, log(summary="  "), "summary is required")
    refuse(InvalidInput, log(summary="x" * 5001), "summary is too long", "at most 5,000")
    refuse(InvalidInput, log(self_rating=0), "self-rating 0 is out of range", "1 to 5")
    refuse(InvalidInput, log(self_rating=6), "self-rating 6 is out of range")
    refuse(InvalidInput, log(customer=None), "name the customer or the ticket")
    refuse(InvalidInput, log(occurred_at=FIXED_NOW + timedelta(minutes=6)),
           "cannot be logged in the future")
    refuse(InvalidInput, log(ticket=ticket.id, customer="kim@example.com"),
           f"{ticket.key} belongs to another customer")
    refuse(NotFound, log(ticket="SD-5", customer=None), "no ticket 'SD-5'")
    refuse(NotFound, log(customer="ghost@example.com"), "no customer 'ghost@example.com'")
    mark_deleted(desk.store, "customer", desk.other_customer.id)
    refuse(NotFound, log(customer="kim@example.com"), "no customer 'kim@example.com'")


# --- history ---------------------------------------------------------------------------


def test_history_lists_contacts_newest_first(desk: Desk) -> None:
    alex = fixed(desk, "alex")
    for days, summary in [(3, "third"), (10, "second"), (1, "fourth"), (40, "first")]:
        contacts.log_contact(alex, channel="phone", summary=summary, customer="jo@example.com",
                             occurred_at=ago(days=days))
    contacts.log_contact(alex, channel="phone", summary="Kim's", customer="kim@example.com")
    history = contacts.customer_history(desk.store, "jo@example.com", now=FIXED_NOW)
    assert [c.summary for c in history.contacts] == ["fourth", "third", "second", "first"]
    assert history.total_contacts == 4
    assert history.last_contact is not None and history.last_contact.summary == "fourth"
    limited = contacts.customer_history(desk.store, "jo@example.com", limit=2, now=FIXED_NOW)
    assert [c.summary for c in limited.contacts] == ["fourth", "third"]
    assert limited.total_contacts == 4


def test_contacts_of_the_last_seven_days_make_a_repeat(desk: Desk) -> None:
    alex = fixed(desk, "alex")
    for moment in [ago(hours=1), ago(days=6, hours=23), ago(days=7, minutes=1), ago(days=30)]:
        contacts.log_contact(alex, channel="email", summary="Mail", customer="jo@example.com",
                             occurred_at=moment)
    history = contacts.customer_history(desk.store, "jo@example.com", now=FIXED_NOW)
    assert history.total_contacts == 4
    assert history.contacts_last_7_days == 2
    assert history.is_repeat is True
    # Seen from a week later, only the newest one is within seven days.
    later = contacts.customer_history(desk.store, "jo@example.com",
                                      now=FIXED_NOW + timedelta(days=6, hours=22))
    assert later.contacts_last_7_days == 1
    assert later.is_repeat is False


def test_a_customer_without_contacts(desk: Desk) -> None:
    history = contacts.customer_history(desk.store, desk.customer.id, now=FIXED_NOW)
    assert history.customer.id == desk.customer.id
    assert (history.contacts, history.total_contacts, history.contacts_last_7_days) == ([], 0, 0)
    assert history.last_contact is None
    assert history.is_repeat is False
    assert history.open_tickets == []
    assert history.goodwill_given == Money(0)
    assert history.goodwill_entries == []


def test_history_lists_open_tickets_only(desk: Desk) -> None:
    alex = desk.alex
    jo = "jo@example.com"
    open_one = tickets.create_ticket(alex, customer=jo, subject="Open one")
    waiting = tickets.create_ticket(alex, customer=jo, subject="Waiting one")
    tickets.update_ticket(alex, waiting.id, status="waiting")
    escalated = tickets.create_ticket(alex, customer=jo, subject="Escalated one")
    tickets.escalate_ticket(alex, escalated.id, tier=2, group="Billing", reason="Refund")
    fresh = tickets.create_ticket(alex, customer=jo, subject="New one", unassigned=True)
    resolved = tickets.create_ticket(alex, customer=jo, subject="Resolved one")
    tickets.resolve_ticket(alex, resolved.id, resolution="Done")
    deleted = tickets.create_ticket(alex, customer=jo, subject="Deleted one")
    mark_deleted(desk.store, "ticket", deleted.id)
    tickets.create_ticket(alex, customer="kim@example.com", subject="Kim's ticket")
    history = contacts.customer_history(desk.store, jo)
    assert {t.id for t in history.open_tickets} == {open_one.id, waiting.id, escalated.id,
                                                    fresh.id}


def test_goodwill_given_by_anyone_net_of_reversals(desk: Desk, ticket: Ticket) -> None:
    lead = fixed(desk, "morgan")
    for handle in ("alex", "blake"):
        goodwill.allocate(lead, handle, Money(10000))
    alex, blake = fixed(desk, "alex", minutes=1), fixed(desk, "blake", minutes=2)
    goodwill.spend(alex, Money(1500), reason="Voucher", ticket=ticket.id)
    wrong = goodwill.spend(blake, Money(2000), reason="Flowers", customer="jo@example.com")
    goodwill.spend(blake, Money(700), reason="Coffee", customer="kim@example.com")
    reversal = goodwill.reverse(fixed(desk, "morgan", minutes=3), wrong.id, reason="Duplicate")
    history = contacts.customer_history(desk.store, "jo@example.com")
    assert history.goodwill_given == Money(1500)
    assert history.goodwill_entries[0].id == reversal.id  # newest first
    assert {e.reason for e in history.goodwill_entries} == {"Voucher", "Flowers", "Duplicate"}
    kim = contacts.customer_history(desk.store, "kim@example.com")
    assert kim.goodwill_given == Money(700)


def test_history_finds_the_customer_by_what_people_type(desk: Desk) -> None:
    customer_id = desk.customer.id
    for typed in [customer_id, customer_id.upper(), short_id(customer_id), "jo@example.com",
                  " JO@EXAMPLE.COM "]:
        assert contacts.customer_history(desk.store, typed).customer.id == customer_id, typed


def test_history_of_an_unknown_customer(desk: Desk, refuse: Refuse) -> None:
    for typed in ["nobody@example.com", "Jo Jansen", "abc", "", "%@%", "ffffffffffff",
                  "12345", "%%%%%%%%"]:
        refuse(NotFound, lambda t=typed: contacts.customer_history(desk.store, t),
               f"no customer '{typed}'")


def test_an_empty_ticket_names_nothing(desk: Desk, refuse: Refuse) -> None:
    """An empty name is no name: refused as one, not a crash (found by mypy)."""
    refuse(InvalidInput, lambda: contacts.log_contact(desk.alex, channel=Channel.PHONE,
                                                      summary="Called", ticket=""),
           "name the customer or the ticket")
