"""Answering a ticket by mail, and what the desk knows of the mails on a ticket.

A reply is an outbound email contact: it is written to the store and the outbox like any
contact, waits there while offline, and the server's sender mails it once pushed (its
outcomes come back as `MailDelivery` rows). The reply editor reads its draft, the KB's
canned answers and the mails' delivery states from here too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, func, select

from deskterm.domain import Contact, Customer, KbArticle, Ticket
from deskterm.domain.enums import Channel, Direction
from deskterm.domain.errors import InvalidInput
from deskterm.domain.keys import PROVISIONAL_PREFIX
from deskterm.domain.mail import (
    BODY_LIMIT,
    SUBJECT_LIMIT,
    DeliveryStatus,
    MailAttachment,
    MailDelivery,
)
from deskterm.domain.types import HIGHEST_SCORE, LOWEST_SCORE
from deskterm.i18n import _
from deskterm.i18n.formats import date_time
from deskterm.services.contacts import write_contact
from deskterm.services.context import ServiceContext, clean_text
from deskterm.services.lookup import find_ticket
from deskterm.store import Store

#: The KB tag that makes an article a canned answer in the reply editor.
REPLY_TEMPLATE_TAG = "reply-template"
#: A mail's summary: its first lines, at most this long.
SUMMARY_LIMIT = 300
#: At most this many canned answers are offered.
TEMPLATE_LIMIT = 200
#: What an answer's subject already starts with ("Re:", "RE:", Dutch "Antw:"), so no
#: second "Re: " goes in front.
_ANSWER_PREFIX = re.compile(r"^\s*(re|antw|aw|sv)\s*:", re.IGNORECASE)


def reply(ctx: ServiceContext, ticket_ref: str, body: str, *, subject: str | None = None,
          self_rating: int | None = None) -> Contact:
    """Queue a mail to the ticket's customer, as an outbound email contact by the actor.

    The subject is `subject`, else "Re: " and the latest inbound mail's subject, else the
    ticket's subject; the ticket's key goes in as `[SD-1042]` when it is not there yet.
    Refused (nothing written) when the customer has no address, the text is empty or
    too long, or the subject holds a line break."""
    text = clean_text(body, _("reply text"), limit=BODY_LIMIT)
    if subject is not None:
        subject = _checked_subject(subject)
    if self_rating is not None and not LOWEST_SCORE <= int(self_rating) <= HIGHEST_SCORE:
        raise InvalidInput(_("self-rating {score} is out of range; use 1 to 5").format(
            score=self_rating))
    with ctx.store.transaction() as session:
        ticket = find_ticket(session, ticket_ref)
        customer = session.get(Customer, ticket.customer_id)
        assert customer is not None  # enforced by the foreign key
        if not customer.email:
            raise InvalidInput(_("{customer} has no email address: add one to the customer "
                                 "before replying by mail").format(customer=customer.name))
        chosen = subject or default_subject(session, ticket)
        contact = Contact(
            customer_id=customer.id, agent_id=ctx.actor.id, ticket_id=ticket.id,
            channel=Channel.EMAIL, direction=Direction.OUTBOUND, summary=summary_of(text),
            occurred_at=ctx.now(), subject=with_key(chosen, ticket.key), body=text,
            address=customer.email,
            self_rating=int(self_rating) if self_rating is not None else None,
        )
        write_contact(session, ctx, contact, ticket)
    return contact


def _checked_subject(subject: str) -> str:
    if "\r" in subject or "\n" in subject:
        raise InvalidInput(_("a mail's subject is one line: it cannot hold a line break"))
    return clean_text(subject, _("subject"), limit=SUBJECT_LIMIT)


def default_subject(session: Session, ticket: Ticket) -> str:
    """"Re: " and the latest inbound mail's subject on the ticket, else the ticket's."""
    latest = latest_inbound_mail(session, ticket.id)
    if latest is not None and latest.subject:
        return latest.subject if _ANSWER_PREFIX.match(latest.subject) \
            else f"Re: {latest.subject}"
    return ticket.subject


def with_key(subject: str, key: str) -> str:
    """The subject with ` [SD-1042]` added when the key is not in it, cut to fit the limit.

    A provisional key (`new-3f9a2c`) is not added: the server's sender puts the real
    one in once it has numbered the ticket."""
    subject = " ".join(subject.split())
    if key.startswith(PROVISIONAL_PREFIX) or key.upper() in subject.upper():
        return subject[:SUBJECT_LIMIT]
    tag = f" [{key}]"
    return subject[:SUBJECT_LIMIT - len(tag)].rstrip() + tag


def summary_of(text: str) -> str:
    """A mail's first lines, quoted lines left out, on at most SUMMARY_LIMIT characters."""
    lines = [line.strip() for line in text.splitlines()]
    own = [line for line in lines if line and not line.startswith(">")]
    summary = "\n".join(own or [line for line in lines if line])
    if len(summary) <= SUMMARY_LIMIT:
        return summary
    return summary[:SUMMARY_LIMIT - 1].rstrip() + "…"


def latest_inbound_mail(session: Session, ticket_id: str) -> Contact | None:
    return session.exec(
        select(Contact).where(Contact.ticket_id == ticket_id)
        .where(Contact.channel == Channel.EMAIL).where(Contact.direction == Direction.INBOUND)
        .order_by(col(Contact.occurred_at).desc()).limit(1)
    ).first()


# -- the reply editor's draft ------------------------------------------------------------


@dataclass(frozen=True)
class ReplyDraft:
    """What the reply editor opens with."""

    ticket_key: str
    customer: str
    #: The customer's address; None: a reply cannot be sent (the editor says so).
    address: str | None
    subject: str
    #: The latest inbound mail, quoted (`> ` lines under "On …, … wrote:"); "" if none.
    quoted: str


def reply_draft(store: Store, ticket_ref: str) -> ReplyDraft:
    """The address, subject and quoted last mail a reply on the ticket starts from."""
    with store.reading() as session:
        ticket = find_ticket(session, ticket_ref)
        customer = session.get(Customer, ticket.customer_id)
        assert customer is not None  # enforced by the foreign key
        latest = latest_inbound_mail(session, ticket.id)
        subject = with_key(default_subject(session, ticket), ticket.key)
    return ReplyDraft(ticket.key, customer.name, customer.email, subject,
                      quote(latest, customer.name) if latest else "")


def quote(mail: Contact, name: str) -> str:
    """The mail's text as `> ` lines, under the line saying who wrote it and when."""
    when = date_time(mail.occurred_at.astimezone(), year=True, weekday=False)
    # TRANSLATORS: the line above a quoted mail in a reply: "On 21 Nov 2026 14:05, Jo
    # Jansen wrote:" (Dutch: "Op {date} schreef {name}:").
    heading = _("On {date}, {name} wrote:").format(date=when, name=name or mail.address)
    text = mail.body if mail.body is not None else mail.summary
    lines = [f"> {line}".rstrip() for line in text.splitlines()] or [">"]
    return "\n".join([heading, *lines])


@dataclass(frozen=True)
class CannedAnswer:
    """A KB article tagged `reply-template`: its title, and the text it puts in a reply."""

    id: str
    title: str
    text: str


def canned_answers(store: Store) -> list[CannedAnswer]:
    """The KB's reply templates, by title."""
    with store.reading() as session:
        found = session.exec(
            select(KbArticle).where(col(KbArticle.deleted).is_(False))
            # Tags are a JSON array in one column: a cheap narrowing, checked exactly below.
            .where(func.instr(KbArticle.tags, f'"{REPLY_TEMPLATE_TAG}"') > 0)
            .order_by(col(KbArticle.title)).limit(TEMPLATE_LIMIT)
        ).all()
    return [CannedAnswer(article.id, article.title, _template_text(article))
            for article in found if REPLY_TEMPLATE_TAG in article.tags]


def _template_text(article: KbArticle) -> str:
    """The text an article puts in a reply. A template that sets its message apart between
    Markdown rules (`---`, after a heading such as "## Message" and an introduction for
    the agent) gives that message; otherwise its body, without a leading `# Title`."""
    lines = article.body.strip().splitlines()
    rules = [index for index, line in enumerate(lines) if line.strip() == "---"]
    if rules:
        end = rules[1] if len(rules) > 1 else len(lines)
        return "\n".join(lines[rules[0] + 1:end]).strip()
    if lines and lines[0].startswith("#") \
            and lines[0].lstrip("#").strip() == article.title.strip():
        lines = lines[1:]
    return "\n".join(lines).strip()


# -- mails as the history and the ticket show them ---------------------------------------


@dataclass(frozen=True)
class MailState:
    """What became of a mail: its latest delivery (None: queued) and its attachments."""

    delivery: MailDelivery | None = None
    attachments: tuple[MailAttachment, ...] = field(default=())

    @property
    def status(self) -> DeliveryStatus | None:
        """None while queued (no outcome yet)."""
        return self.delivery.status if self.delivery else None


def mail_states(store: Store, contacts: Iterable[Contact]) -> dict[str, MailState]:
    """Each email contact's state, by contact id (other channels are left out)."""
    ids = [c.id for c in contacts if c.channel == Channel.EMAIL]
    if not ids:
        return {}
    with store.reading() as session:
        deliveries = session.exec(
            select(MailDelivery).where(col(MailDelivery.contact_id).in_(ids))
            .order_by(col(MailDelivery.at), col(MailDelivery.attempt), col(MailDelivery.id))
        ).all()
        attachments = session.exec(
            select(MailAttachment).where(col(MailAttachment.contact_id).in_(ids))
            .order_by(col(MailAttachment.filename), col(MailAttachment.id))
        ).all()
    latest: dict[str, MailDelivery] = {}
    for delivery in deliveries:  # oldest first: the last one seen is the latest
        latest[delivery.contact_id] = delivery
    files: dict[str, list[MailAttachment]] = {}
    for attachment in attachments:
        files.setdefault(attachment.contact_id, []).append(attachment)
    return {contact_id: MailState(latest.get(contact_id), tuple(files.get(contact_id, ())))
            for contact_id in ids}


@dataclass(frozen=True)
class FailedDelivery:
    """A mail of the agent's that the server could not deliver."""

    delivery_id: str
    contact_id: str
    ticket_key: str | None
    subject: str
    address: str
    detail: str
    at: datetime


def failed_deliveries_for(store: Store, agent_id: str, *, since: datetime, limit: int = 50
                          ) -> list[FailedDelivery]:
    """The agent's mails that failed for good at or after `since`, oldest first."""
    with store.reading() as session:
        found = session.exec(
            select(MailDelivery, Contact, Ticket)
            .join(Contact, col(Contact.id) == MailDelivery.contact_id)
            .outerjoin(Ticket, col(Ticket.id) == Contact.ticket_id)
            .where(MailDelivery.status == DeliveryStatus.FAILED)
            .where(Contact.agent_id == agent_id).where(MailDelivery.at >= since)
            .order_by(col(MailDelivery.at)).limit(limit)
        ).all()
    # An outer join: a contact on no ticket comes with None (the typing cannot say so).
    return [FailedDelivery(delivery.id, contact.id, ticket.key if ticket is not None else None,
                           contact.subject or "", contact.address or "",
                           delivery.detail or "", delivery.at)
            for delivery, contact, ticket in found]
