"""Sending the desk's answers over SMTP: which mails are due, one attempt each, every
outcome recorded and synced.

The runner calls `send_pending(db, mailbox)` for each mailbox, every round. It sends the
outbound email contacts of that mailbox's department that have no final delivery yet
and are due, and records each outcome as a `MailDelivery` row (`write_as_server`'s way:
applied, logged, pulled by every replica) together with the server's own bookkeeping,
`mail_sending`, in one transaction:

- `sent` when the mail server accepted it (250 after DATA);
- `retrying` with the server's reply for a 4xx or a connection error, tried again after
  `BACKOFF` (1, 5, 15, 60 minutes, then doubling), `failed` after `MAX_ATTEMPTS`;
- `failed` with the reply for a 5xx, a refused address, or a mail that cannot be made
  (compose.ComposeError: no valid address, a line break in a header).

Two instances never send one mail at once: a mail is claimed (`mail_sending.claimed_by`,
until `claimed_until`) in a transaction of its own before it is sent, by a conditional
update that only one claimer can win, and the claim ends with its outcome.

Sent once, at least: the one window in which a mail can go twice is between the mail
server's 250 and the commit of its `sent`, a few milliseconds, since each mail's outcome
is committed before the next mail is sent. A crash inside it leaves the claim, which
runs out after `CLAIM_FOR`; the mail is then sent again, with the same Message-ID, by
which the customer's mail program shows it once.

smtplib, not aiosmtplib: the runner's rounds run on a worker thread beside blocking
database calls (SQLAlchemy's sync engine), and a desk's answers are a few a minute; an
event loop would buy nothing, and smtplib is the standard library's, with no dependency.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from ipaddress import ip_address
from typing import Literal, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Integer,
    String,
    Table,
    and_,
    exists,
    false,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session
from sqlmodel import select as select_rows

from deskterm.domain.clock import utcnow
from deskterm.domain.contacts import Contact
from deskterm.domain.enums import Channel, Direction
from deskterm.domain.errors import DeskError
from deskterm.domain.ids import uuid7
from deskterm.domain.mail import DeliveryStatus, MailDelivery
from deskterm.domain.tickets import Ticket
from deskterm.domain.types import UtcDateTime
from deskterm.i18n import _, ngettext
from deskterm.i18n.formats import number
from deskterm.server.changelog import LogWriter
from deskterm.server.database import Database, lock_log, server_metadata
from deskterm.server.mail.compose import ComposeError, compose_reply
from deskterm.sync.codec import DecodedChange

#: How long to wait before the next attempt after the 1st, 2nd, ... transient failure.
BACKOFF = tuple(timedelta(minutes=m) for m in (1, 5, 15, 60, 120, 240, 480))
#: Attempts before a mail that keeps failing transiently is given up (`failed`).
MAX_ATTEMPTS = len(BACKOFF) + 1
#: How long a claim holds: longer than any one send can take (SMTP_TIMEOUT per command).
CLAIM_FOR = timedelta(minutes=10)
#: Mails one round sends at most, per mailbox.
BATCH = 50
#: Seconds smtplib waits for the mail server at each step.
SMTP_TIMEOUT = 30.0
#: The longest detail a delivery keeps (its field's limit).
DETAIL_LIMIT = 500
#: Mail a host on this list may be sent to without TLS (the tests' sink; a local relay).
LOOPBACK_NAMES = frozenset({"localhost"})

#: The sender's bookkeeping between rounds, one row per outbound mail it has claimed once
#: (server-only: not a synced entity; the outcomes themselves are `mail_delivery` rows).
mail_sending = Table(
    "mail_sending", server_metadata,
    Column("contact_id", String(64), primary_key=True),
    #: Attempts made so far.
    Column("attempts", Integer, nullable=False),
    #: When it may be tried again (None: now).
    Column("next_try_at", UtcDateTime),
    #: The round holding it, and until when (None: nobody).
    Column("claimed_by", String(64)),
    Column("claimed_until", UtcDateTime),
    #: Whether its outcome is final (sent or failed): it is never tried again.
    Column("final", Boolean, nullable=False),
)


class MailboxLike(Protocol):
    """What sending needs of a mailbox (mailboxes.Mailbox is one)."""

    @property
    def name(self) -> str: ...
    @property
    def address(self) -> str: ...
    @property
    def smtp_url(self) -> str: ...
    @property
    def department_id(self) -> str | None: ...
    @property
    def password(self) -> str | None: ...


class MailboxUnusable(DeskError):
    """A mailbox's SMTP settings cannot be used as they stand (nothing was sent)."""

    code = "mailbox_unusable"


@dataclass(frozen=True)
class SmtpTarget:
    """Where and how to reach a mailbox's SMTP server, read from its `smtp_url`."""

    host: str
    port: int
    security: Literal["tls", "starttls", "plain"]
    user: str | None


@dataclass(frozen=True)
class SendRound:
    """What one round did: mails sent, to be retried, failed for good; `head` the change
    log's newest sequence number after it (None: nothing recorded), for the runner to
    poke the streams with."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    head: int | None = None


#: Opens a logged-in SMTP connection for a mailbox (`connect` unless a caller gives one).
Connect = Callable[[MailboxLike], smtplib.SMTP]


def parse_smtp_url(url: str) -> SmtpTarget:
    """`smtps://[user@]host[:465]` (TLS), `smtp://[user@]host[:587]?starttls=1`, or
    `smtp://host:port` without TLS, which only a loopback host may be. MailboxUnusable
    otherwise."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise MailboxUnusable(_("'{url}' is not an SMTP URL").format(url=url)) from None
    host = parts.hostname
    if parts.scheme not in ("smtp", "smtps") or not host:
        raise MailboxUnusable(_("'{url}' is not an SMTP URL: use smtps://HOST, "
                                "smtp://HOST?starttls=1 or smtp://127.0.0.1:PORT")
                              .format(url=url))
    starttls = parse_qs(parts.query).get("starttls", ["0"])[-1].lower() in ("1", "true",
                                                                              "yes")
    security: Literal["tls", "starttls", "plain"] = (
        "tls" if parts.scheme == "smtps" else "starttls" if starttls else "plain")
    if security == "plain" and not _loopback(host):
        raise MailboxUnusable(_("mail to {host} would travel unencrypted: use smtps:// or "
                                "add ?starttls=1").format(host=host))
    default_port = {"tls": 465, "starttls": 587, "plain": 25}[security]
    return SmtpTarget(host, port or default_port, security,
                      unquote(parts.username) if parts.username else None)


def _loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def connect(mailbox: MailboxLike) -> smtplib.SMTP:
    """An SMTP connection to the mailbox's server, over TLS unless on loopback, logged in
    when the mailbox has a password (as the URL's user, else as its address). A mailbox
    whose SMTP URL names no user shares its password with IMAP: it logs in only where the
    SMTP server offers AUTH (a relay on the desk's own network may take mail without)."""
    target = parse_smtp_url(mailbox.smtp_url)
    context = ssl.create_default_context()
    client = (smtplib.SMTP_SSL(target.host, target.port, timeout=SMTP_TIMEOUT,
                               context=context) if target.security == "tls"
              else smtplib.SMTP(target.host, target.port, timeout=SMTP_TIMEOUT))
    try:
        client.ehlo()
        if target.security == "starttls":
            client.starttls(context=context)
            client.ehlo()
        if mailbox.password and (target.user or client.has_extn("auth")):
            client.login(target.user or mailbox.address, mailbox.password)
    except BaseException:
        client.close()
        raise
    return client


def send_pending(db: Database, mailbox: MailboxLike, *, now: datetime | None = None,
                 smtp: Connect | None = None,
                 departments_elsewhere: Collection[str] = ()) -> SendRound:
    """Send what is due for `mailbox` and record each outcome; the round's counts.

    A mailbox with a department sends its department's tickets' mails; one without (the
    default) sends every other mail: those of tickets without a department or of a
    department none of `departments_elsewhere` (the other mailboxes' departments) names.
    MailboxUnusable, before anything is claimed, when its SMTP URL cannot be used.
    """
    now = now or utcnow()
    parse_smtp_url(mailbox.smtp_url)
    claimer = uuid7()
    claimed = _claim(db, mailbox, now, claimer, departments_elsewhere)
    round_ = _Round(db, now)
    try:
        mails: list[tuple[str, int, EmailMessage, str]] = []
        for contact_id, attempt in claimed:
            try:
                mail, address = _compose(db, contact_id, mailbox, now)
            except ComposeError as refusal:
                round_.record(contact_id, attempt, DeliveryStatus.FAILED, str(refusal))
                continue
            mails.append((contact_id, attempt, mail, address))
        if mails:
            _send_all(round_, mailbox, mails, smtp or connect)
    finally:
        _release(db, claimer)
    return round_.result()


def _send_all(round_: _Round, mailbox: MailboxLike,
              mails: list[tuple[str, int, EmailMessage, str]], open_connection: Connect
              ) -> None:
    client: smtplib.SMTP | None = None
    try:
        for contact_id, attempt, mail, address in mails:
            if client is None:
                try:
                    client = open_connection(mailbox)
                except (OSError, smtplib.SMTPException) as error:
                    round_.transient(contact_id, attempt, _unreachable(error))
                    continue
            try:
                client.send_message(mail, from_addr=mailbox.address, to_addrs=[address])
            except smtplib.SMTPRecipientsRefused as refused:
                code, reply = next(iter(refused.recipients.values()))
                round_.answered(contact_id, attempt, code, reply)
            except smtplib.SMTPNotSupportedError as error:
                round_.record(contact_id, attempt, DeliveryStatus.FAILED, str(error))
            except smtplib.SMTPResponseException as error:
                round_.answered(contact_id, attempt, error.smtp_code, error.smtp_error)
            except (OSError, smtplib.SMTPException) as error:
                # The connection broke (SMTPServerDisconnected, a timeout): it is not
                # known whether the mail arrived, and not likely; the next mail connects anew.
                round_.transient(contact_id, attempt, _unreachable(error))
                _quit(client)
                client = None
            else:
                round_.record(contact_id, attempt, DeliveryStatus.SENT, None)
    finally:
        if client is not None:
            _quit(client)


def _unreachable(error: BaseException) -> str:
    """Why a connection could not be had, or broke, as a delivery's detail."""
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return _("the mail server refused the desk's login: {reply}").format(
            reply=_reply(error.smtp_code, error.smtp_error))
    if isinstance(error, smtplib.SMTPResponseException):
        return _("the mail server refused the connection: {reply}").format(
            reply=_reply(error.smtp_code, error.smtp_error))
    return _("cannot reach the mail server: {error}").format(
        error=str(error) or type(error).__name__)


def _reply(code: int, reply: bytes | str) -> str:
    """A mail server's reply on one line: `451 4.3.0 Try again later`."""
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return f"{code} {' '.join(text.split())}".strip()


def _quit(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except (OSError, smtplib.SMTPException):
        client.close()


class _Round:
    """The outcomes of one round, each recorded as it happens (see the module)."""

    def __init__(self, db: Database, now: datetime) -> None:
        self.db = db
        self.now = now
        self.counts = {status: 0 for status in DeliveryStatus}
        self.head: int | None = None

    def answered(self, contact_id: str, attempt: int, code: int, reply: bytes | str) -> None:
        """The mail server's answer to this mail: a 4xx is transient, any other refusal
        final."""
        detail = _reply(code, reply)
        if 400 <= code < 500:
            self.transient(contact_id, attempt, detail)
        else:
            self.record(contact_id, attempt, DeliveryStatus.FAILED, detail)

    def transient(self, contact_id: str, attempt: int, detail: str) -> None:
        if attempt < MAX_ATTEMPTS:
            self.record(contact_id, attempt, DeliveryStatus.RETRYING, detail)
            return
        self.record(contact_id, attempt, DeliveryStatus.FAILED, ngettext(
            "gave up after {count} attempt: {reason}",
            "gave up after {count} attempts: {reason}", attempt).format(
                count=number(attempt), reason=detail))

    def record(self, contact_id: str, attempt: int, status: DeliveryStatus,
               detail: str | None) -> None:
        """The outcome as a MailDelivery row, logged for every replica, and the sender's
        bookkeeping, in one transaction."""
        if detail is not None and len(detail) > DETAIL_LIMIT:
            detail = detail[:DETAIL_LIMIT - 1] + "…"
        final = status != DeliveryStatus.RETRYING
        next_try = None if final else self.now + BACKOFF[min(attempt, len(BACKOFF)) - 1]
        delivery = DecodedChange("mail_delivery", uuid7(), "insert", {
            "contact_id": contact_id, "status": status, "detail": detail,
            "attempt": attempt, "at": self.now})
        with self.db.writing() as connection:
            writer = LogWriter(connection, lock_log(connection), utcnow())
            writer.write_as_server(delivery)
            connection.execute(update(mail_sending)
                               .where(mail_sending.c.contact_id == contact_id)
                               .values(attempts=attempt, next_try_at=next_try, final=final,
                                       claimed_by=None, claimed_until=None))
            writer.finish()
            self.head = writer.head
        self.counts[status] += 1

    def result(self) -> SendRound:
        return SendRound(sent=self.counts[DeliveryStatus.SENT],
                         retrying=self.counts[DeliveryStatus.RETRYING],
                         failed=self.counts[DeliveryStatus.FAILED], head=self.head)


def _claim(db: Database, mailbox: MailboxLike, now: datetime, claimer: str,
           departments_elsewhere: Collection[str]) -> list[tuple[str, int]]:
    """Claim the mails due for `mailbox`; each claimed one with the attempt it is about to
    make. A mail another instance claimed first is left to it."""
    contacts, tickets = Contact.__table__, Ticket.__table__  # type: ignore[attr-defined]
    deliveries = MailDelivery.__table__  # type: ignore[attr-defined]
    final_delivery = exists().where(
        deliveries.c.contact_id == contacts.c.id,
        deliveries.c.status.in_([DeliveryStatus.SENT, DeliveryStatus.FAILED]))
    free = and_(mail_sending.c.final == false(),
                or_(mail_sending.c.next_try_at.is_(None), mail_sending.c.next_try_at <= now),
                or_(mail_sending.c.claimed_until.is_(None),
                    mail_sending.c.claimed_until < now))
    if mailbox.department_id is not None:
        department = tickets.c.department_id == mailbox.department_id
    elif departments_elsewhere:
        department = or_(tickets.c.department_id.is_(None),
                         tickets.c.department_id.not_in(list(departments_elsewhere)))
    else:
        department = true()
    query = (
        select(contacts.c.id, mail_sending.c.attempts)
        .select_from(contacts.outerjoin(tickets, tickets.c.id == contacts.c.ticket_id)
                     .outerjoin(mail_sending, mail_sending.c.contact_id == contacts.c.id))
        .where(contacts.c.channel == Channel.EMAIL,
               contacts.c.direction == Direction.OUTBOUND,
               # A mail to send names its address: an outbound email contact without one
               # records a mail sent outside deskterm (as every one logged before
               # deskterm sent mail), or one whose customer was erased.
               contacts.c.address.is_not(None),
               ~final_delivery, department,
               or_(mail_sending.c.contact_id.is_(None), free))
        .order_by(contacts.c.occurred_at, contacts.c.id)
        .limit(BATCH))
    until = now + CLAIM_FOR
    claimed: list[tuple[str, int]] = []
    with db.writing() as connection:
        for contact_id, attempts in connection.execute(query).all():
            if _claim_one(connection, contact_id, attempts, claimer, now, until):
                claimed.append((contact_id, (attempts or 0) + 1))
    return claimed


def _claim_one(connection: Connection, contact_id: str, attempts: int | None, claimer: str,
               now: datetime, until: datetime) -> bool:
    if attempts is None:  # never claimed: its row is made claimed
        try:
            with connection.begin_nested():
                connection.execute(mail_sending.insert().values(
                    contact_id=contact_id, attempts=0, next_try_at=None,
                    claimed_by=claimer, claimed_until=until, final=False))
            return True
        except IntegrityError:  # another instance made it first
            return False
    # Only one claimer's update finds the row free (PostgreSQL re-reads a row another
    # transaction changed before it updates it): the others update nothing.
    won = connection.execute(
        update(mail_sending)
        .where(mail_sending.c.contact_id == contact_id, mail_sending.c.final == false(),
               or_(mail_sending.c.claimed_until.is_(None),
                   mail_sending.c.claimed_until < now),
               or_(mail_sending.c.next_try_at.is_(None), mail_sending.c.next_try_at <= now))
        .values(claimed_by=claimer, claimed_until=until))
    return bool(won.rowcount)


def _release(db: Database, claimer: str) -> None:
    """Let go of whatever this round still holds (a round cut short by an error)."""
    with db.writing() as connection:
        connection.execute(update(mail_sending).where(mail_sending.c.claimed_by == claimer)
                           .values(claimed_by=None, claimed_until=None))


def _compose(db: Database, contact_id: str, mailbox: MailboxLike, now: datetime
             ) -> tuple[EmailMessage, str]:
    """The mail of a contact and the address it goes to; ComposeError when it cannot be
    made."""
    with Session(db.engine) as session:
        contact = session.get(Contact, contact_id)
        if contact is None or not contact.address:
            raise ComposeError(_("the mail has no address to send it to"))
        ticket = session.get(Ticket, contact.ticket_id) if contact.ticket_id else None
        thread = list(session.exec(
            select_rows(Contact)
            .where(Contact.ticket_id == contact.ticket_id, Contact.channel == Channel.EMAIL)
            .order_by(Contact.occurred_at, Contact.id)  # type: ignore[arg-type]
        ).all()) if ticket is not None else []
        mail = compose_reply(contact, ticket=ticket, desk_address=mailbox.address,
                             desk_name=mailbox.name, thread=thread, now=now)
    return mail, str(mail["To"])
