"""Replying by mail: the outbound email contact, its subject and refusals, and mails' states."""

from __future__ import annotations

from datetime import timedelta

import pytest

from deskterm.domain import Contact, Ticket
from deskterm.domain.enums import Channel, Direction
from deskterm.domain.errors import InvalidInput, NotFound
from deskterm.domain.mail import (
    BODY_LIMIT,
    SUBJECT_LIMIT,
    DeliveryStatus,
    MailAttachment,
    MailDelivery,
)
from deskterm.i18n import using
from deskterm.services import contacts, customers, kb, replies, tickets
from deskterm.store import Store
from tests.conftest import FIXED_NOW, Desk
from tests.services.conftest import Outbox, Refuse, fixed, set_ticket_number


@pytest.fixture
def ticket(desk: Desk) -> Ticket:
    made = tickets.create_ticket(fixed(desk, "alex", -60), customer="jo@example.com",
                                 subject="Printer jams on every page")
    set_ticket_number(desk.store, made.id, 1042)
    return made


def inbound_mail(store: Store, ticket: Ticket, subject: str, body: str, minutes: float
                 ) -> Contact:
    """A mail from the customer, as the server's intake writes it and a pull brings it."""
    mail = Contact(customer_id=ticket.customer_id, ticket_id=ticket.id, channel=Channel.EMAIL,
                   direction=Direction.INBOUND, summary=replies.summary_of(body),
                   occurred_at=FIXED_NOW + timedelta(minutes=minutes), subject=subject,
                   body=body, address="jo@example.com", message_id=f"<{minutes}@example.com>")
    with store.transaction() as session:
        session.add(mail)
    return mail


def server_writes(store: Store, *rows: MailDelivery | MailAttachment) -> None:
    with store.transaction() as session:
        session.add_all(rows)


def test_a_reply_is_an_outbound_mail_on_the_ticket(desk: Desk, ticket: Ticket, outbox: Outbox
                                                    ) -> None:
    alex = fixed(desk, "alex")
    outbox.mark()
    sent = replies.reply(alex, "SD-1042", "Hello Jo,\n\nplease try the new driver.\n\nAlex")
    with desk.store.reading() as session:
        stored = session.get(Contact, sent.id)
        assert stored is not None
        ticket_now = session.get(Ticket, ticket.id)
    assert (stored.channel, stored.direction) == (Channel.EMAIL, Direction.OUTBOUND)
    assert stored.agent_id == alex.actor.id
    assert stored.customer_id == desk.customer.id and stored.ticket_id == ticket.id
    assert stored.address == "jo@example.com"
    assert stored.subject == "Printer jams on every page [SD-1042]"
    assert stored.body == "Hello Jo,\n\nplease try the new driver.\n\nAlex"
    assert stored.summary == "Hello Jo,\nplease try the new driver.\nAlex"
    assert stored.message_id is None  # the server's sender makes it
    assert stored.occurred_at == FIXED_NOW
    assert ticket_now is not None and ticket_now.last_contact_at == FIXED_NOW
    changes = outbox.new()
    assert [(c.entity, c.op) for c in changes] == [("contact", "insert"), ("ticket", "update")]
    fields = changes[0].fields
    assert (fields["channel"], fields["direction"]) == ("email", "outbound")
    assert fields["subject"] == "Printer jams on every page [SD-1042]"
    assert fields["address"] == "jo@example.com"
    assert changes[0].state == "pending"


def test_the_subject_answers_the_latest_inbound_mail(desk: Desk, ticket: Ticket) -> None:
    inbound_mail(desk.store, ticket, "Printer jams", "It jams.", -30)
    inbound_mail(desk.store, ticket, "Still jamming [SD-1042]", "Still.", -10)
    sent = replies.reply(fixed(desk, "alex"), ticket.id, "On my way.")
    assert sent.subject == "Re: Still jamming [SD-1042]"
    inbound_mail(desk.store, ticket, "RE: Re: Printer", "Again.", -5)
    again = replies.reply(fixed(desk, "alex"), ticket.id, "Fixed.")
    assert again.subject == "RE: Re: Printer [SD-1042]"


def test_a_given_subject_gets_the_key_and_a_provisional_key_is_left_out(desk: Desk) -> None:
    alex = fixed(desk, "alex")
    fresh = tickets.create_ticket(alex, customer="jo@example.com", subject="New one")
    sent = replies.reply(alex, fresh.id, "Hi", subject="  About your laptop ")
    assert sent.subject == "About your laptop"  # the server's sender adds the real key
    set_ticket_number(desk.store, fresh.id, 7)
    long = replies.reply(alex, fresh.id, "Hi", subject="x" * SUBJECT_LIMIT)
    assert long.subject is not None and len(long.subject) == SUBJECT_LIMIT
    assert long.subject.endswith(" [SD-7]")
    kept = replies.reply(alex, fresh.id, "Hi", subject="re [sd-7] laptop")
    assert kept.subject == "re [sd-7] laptop"


def test_a_long_body_has_a_short_summary_of_its_own_lines(desk: Desk, ticket: Ticket) -> None:
    body = "Thanks!\n\n" + "word " * 200 + "\n> quoted old text"
    sent = replies.reply(fixed(desk, "alex"), ticket.id, body)
    assert len(sent.summary) == replies.SUMMARY_LIMIT and sent.summary.endswith("…")
    assert sent.summary.startswith("Thanks!\nword word")
    assert "quoted" not in sent.summary


def test_refusals_write_nothing(desk: Desk, ticket: Ticket, refuse: Refuse) -> None:
    alex = fixed(desk, "alex")
    refuse(InvalidInput, lambda: replies.reply(alex, ticket.id, "  \n "), "reply text",
           "required")
    refuse(InvalidInput, lambda: replies.reply(alex, ticket.id, "x" * (BODY_LIMIT + 1)),
           "too long")
    refuse(InvalidInput, lambda: replies.reply(alex, ticket.id, "Hi",
                                               subject="Hi\r\nBcc: evil@example.com"),
           "line break")
    refuse(InvalidInput, lambda: replies.reply(alex, ticket.id, "Hi", subject="Hi\nthere"),
           "line break")
    refuse(InvalidInput, lambda: replies.reply(alex, ticket.id, "Hi", self_rating=6), "1 to 5")
    refuse(NotFound, lambda: replies.reply(alex, "SD-99999", "Hi"))
    nomail = customers.create_customer(desk.admin, name="Nel Zonder", phone="+31 6 1234 5678")
    other = tickets.create_ticket(alex, customer=nomail.id, subject="Call me")
    error = refuse(InvalidInput, lambda: replies.reply(alex, other.id, "Hi"),
                   "Nel Zonder has no email address")
    with using("nl"):
        error = refuse(InvalidInput, lambda: replies.reply(alex, other.id, "Hi"),
                       "Nel Zonder")
        assert "e-mailadres" in error.message


def test_an_erased_customer_gets_no_mail(desk: Desk, ticket: Ticket, refuse: Refuse) -> None:
    customers.erase_customer(desk.lead, desk.customer.id, reason="asked to")
    refuse(InvalidInput, lambda: replies.reply(fixed(desk, "alex"), ticket.id, "Hi"),
           "no email address")


def test_the_draft_quotes_the_last_inbound_mail(desk: Desk, ticket: Ticket) -> None:
    inbound_mail(desk.store, ticket, "Printer jams", "It jams.\n\nOn every page.", -30)
    draft = replies.reply_draft(desk.store, "SD-1042")
    assert (draft.address, draft.customer) == ("jo@example.com", "Jo Jansen")
    assert draft.subject == "Re: Printer jams [SD-1042]"
    heading, *lines = draft.quoted.splitlines()
    assert heading.startswith("On ") and heading.endswith(", Jo Jansen wrote:")
    assert "2026" in heading
    assert lines == ["> It jams.", ">", "> On every page."]
    with using("nl"):
        dutch = replies.reply_draft(desk.store, ticket.id)
    assert dutch.quoted.splitlines()[0].startswith("Op ")
    assert dutch.quoted.splitlines()[0].endswith(" schreef Jo Jansen:")


def test_a_draft_without_mail_has_the_ticket_subject_and_no_quote(desk: Desk, ticket: Ticket
                                                                 ) -> None:
    draft = replies.reply_draft(desk.store, ticket.id)
    assert draft.subject == "Printer jams on every page [SD-1042]"
    assert draft.quoted == ""


def test_canned_answers_are_the_kb_reply_templates(desk: Desk) -> None:
    alex = fixed(desk, "alex")
    kb.create_article(alex, title="Thanks, solved", body="# Thanks, solved\n\nGlad it works!",
                      tags=["reply-template"])
    kb.create_article(alex, title="A howto", body="Steps", tags=["printer"])
    kb.create_article(alex, title="Almost", body="No", tags=["reply-templates"])
    kb.create_article(alex, title="Asking for details", body="Could you send a photo?",
                      tags=["vpn", "reply-template"])
    kb.create_article(alex, title="Card payments", tags=["reply-template"],
                      body="# Card payments\n\nFor mail or chat.\n\n## Message\n\n---\n\n"
                           "Dear [name],\n\nHere is how.\n\n---\n\n## Before you send\n\n- Check")
    found = replies.canned_answers(desk.store)
    assert [(a.title, a.text) for a in found] == [
        ("Asking for details", "Could you send a photo?"),
        ("Card payments", "Dear [name],\n\nHere is how."), ("Thanks, solved", "Glad it works!")]


def test_mail_states_say_queued_then_the_latest_outcome(desk: Desk, ticket: Ticket) -> None:
    sent = replies.reply(fixed(desk, "alex"), ticket.id, "Hi")
    phone = contacts.log_contact(fixed(desk, "alex"), channel="phone", summary="rang",
                                 ticket=ticket.id)
    states = replies.mail_states(desk.store, [sent, phone])
    assert set(states) == {sent.id} and states[sent.id].status is None
    server_writes(desk.store,
                  MailDelivery(contact_id=sent.id, status=DeliveryStatus.RETRYING,
                               detail="451 try later", attempt=1, at=FIXED_NOW),
                  MailDelivery(contact_id=sent.id, status=DeliveryStatus.FAILED,
                               detail="550 no such user", attempt=2,
                               at=FIXED_NOW + timedelta(minutes=5)))
    state = replies.mail_states(desk.store, [sent])[sent.id]
    assert state.status is DeliveryStatus.FAILED
    assert state.delivery is not None and state.delivery.detail == "550 no such user"
    failed = replies.failed_deliveries_for(desk.store, fixed(desk, "alex").actor.id,
                                           since=FIXED_NOW)
    assert [(f.ticket_key, f.address, f.detail) for f in failed] == [
        ("SD-1042", "jo@example.com", "550 no such user")]
    assert replies.failed_deliveries_for(desk.store, fixed(desk, "blake").actor.id,
                                         since=FIXED_NOW) == []


def test_attachments_are_listed_with_their_mail(desk: Desk, ticket: Ticket) -> None:
    mail = inbound_mail(desk.store, ticket, "Photo", "See attached", -5)
    server_writes(desk.store, MailAttachment(contact_id=mail.id, filename="jam.jpg",
                                             content_type="image/jpeg", size=123_456,
                                             sha256="a" * 64))
    state = replies.mail_states(desk.store, [mail])[mail.id]
    assert [(a.filename, a.size) for a in state.attachments] == [("jam.jpg", 123_456)]


# --- the repeat-contact rule --------------------------------------------------------------


def test_only_inbound_contacts_make_a_repeat_contact(desk: Desk, ticket: Ticket) -> None:
    alex = fixed(desk, "alex")
    inbound_mail(desk.store, ticket, "Printer jams", "It jams.", -30)
    replies.reply(alex, ticket.id, "We are on it.")
    replies.reply(alex, ticket.id, "Fixed?")
    contacts.log_contact(alex, channel="phone", summary="called them back",
                         direction="outbound", ticket=ticket.id)
    found = contacts.customer_history(desk.store, desk.customer.id, now=FIXED_NOW)
    assert found.total_contacts == 4
    assert found.contacts_last_7_days == 1
    assert not found.is_repeat
    inbound_mail(desk.store, ticket, "Re: Fixed?", "No, still jams.", -1)
    found = contacts.customer_history(desk.store, desk.customer.id, now=FIXED_NOW)
    assert found.contacts_last_7_days == 2
    assert found.is_repeat
