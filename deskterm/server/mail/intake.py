"""Mail intake: each new message of a desk mailbox becomes a ticket or a contact, once.

One message, one database transaction: what the intake took (mailbox, UIDVALIDITY, UID,
Message-ID, outcome) is recorded in `mail_taken` together with the rows it wrote (through
the change log, as the server writes anything: replicas pull them like any push). Only
after that commit is the message flagged \\Seen (and moved, where the mailbox has a
"processed" folder). A crash between the two leaves a `mail_taken` row not yet flagged:
the next round flags it and writes nothing. A message whose transaction fails is retried
next round, and put aside (`mail_aside`, raw bytes and why) after MAX_ATTEMPTS.

What a message becomes (`parse.parse_mail` reads it):

- a normal mail that answers a ticket (In-Reply-To/References name a contact of ours,
  else the subject carries a ticket key) is an inbound email contact on that ticket;
- another normal mail is a new ticket (kind request, no owner, the mailbox's
  department) for the customer with its From address (made when none has it), with
  that contact; its attachments are listed (MailAttachment) and kept when small enough;
- an auto-reply, a bounce or a loop is recorded with that outcome and nothing else;
- an unreadable one is kept aside. Nothing is dropped.

The rows are written by the server's mail agent (`mail_agent`: one per server, handle
`mail`, a role-agent row without an account, so nobody signs in as it); a contact it
writes names no agent (`agent_id` None): nobody at the desk handled it yet.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import ssl
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Self

from imapclient import IMAPClient
from sqlalchemy import Connection, delete, func, insert, select, update
from sqlmodel import SQLModel

from deskterm.domain import Agent, Contact, Customer, MailAttachment, Ticket, TicketEvent
from deskterm.domain.clock import utcnow
from deskterm.domain.enums import Channel, Direction, Role, TicketEventKind, TicketKind, Tier
from deskterm.domain.ids import uuid7
from deskterm.domain.keys import key_number
from deskterm.domain.types import text_limit
from deskterm.domain.wire_values import wire_fields
from deskterm.server.changelog import LogWriter
from deskterm.server.database import Database, counter, lock_log, server_meta
from deskterm.server.mail.lease import LEASE_SECONDS, hold_lease, release_lease
from deskterm.server.mail.mailboxes import (
    Mailbox,
    mail_aside,
    mail_attachment_blob,
    mail_failure,
    mail_taken,
)
from deskterm.server.mail.parse import MailKind, ParsedMail, is_ours, parse_mail
from deskterm.sync.codec import DecodedChange, decode_fields

log = logging.getLogger("deskterm.server.mail")

#: A message whose taking fails this often is put aside.
MAX_ATTEMPTS = 3
#: Messages fetched per IMAP FETCH, and about the most bytes one fetch brings.
FETCH_MESSAGES = 100
FETCH_BYTES = 32 * 1024 * 1024
#: The server_meta key naming the mail agent's id.
MAIL_AGENT_KEY = "mail_agent_id"
#: What a ticket made from a mail without a subject is called (data, not translated).
NO_SUBJECT = "(no subject)"
#: The outcome recorded for a message seen before (same Message-ID, this mailbox).
DUPLICATE = "duplicate"
#: The outcome of a message put aside after failing MAX_ATTEMPTS times.
FAILED = "failed"


@dataclass
class Round:
    """What one intake round did: outcomes by kind, and the UIDs taken."""

    outcomes: dict[str, int] = field(default_factory=dict)
    taken: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    flagged_late: int = 0

    def count(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1


def connect(mailbox: Mailbox, *, timeout: float = 60.0) -> IMAPClient:
    """A logged-in IMAP connection to the mailbox's server (TLS, STARTTLS or loopback plain)."""
    server = mailbox.imap
    context = ssl.create_default_context()
    client = IMAPClient(server.host, port=server.port, ssl=server.security == "tls",
                        ssl_context=context if server.security == "tls" else None,
                        timeout=timeout)
    try:
        if server.security == "starttls":
            client.starttls(context)
        client.login(server.username, mailbox.password)
    except BaseException:
        _close(client)
        raise
    return client


def _close(client: IMAPClient) -> None:
    try:
        client.logout()
    except Exception:  # already gone: nothing to tidy but the socket
        with contextlib.suppress(Exception):
            client.shutdown()


def mail_agent(db: Database) -> str:
    """The id of the server's mail agent, made on first use (one per server database)."""
    with db.reading() as connection:
        found = _mail_agent_id(connection)
    if found:
        return found
    with db.writing() as connection:
        writer = LogWriter(connection, lock_log(connection), utcnow())
        found = _mail_agent_id(connection)  # another instance may have made it meanwhile
        if found:
            return found
        agents = Agent.__table__  # type: ignore[attr-defined]
        taken = set(connection.execute(select(agents.c.handle)).scalars())
        handle = next(h for h in ("mail", "mail-intake", *(f"mail-{n}" for n in range(2, 99)))
                      if h not in taken)
        agent_id = uuid7()
        writer.write_as_server(DecodedChange("agent", agent_id, "insert", {
            "handle": handle, "name": "Mail intake", "email": None, "role": Role.AGENT,
            "tier": Tier.FIRST, "team_id": None, "active": False, "created_at": utcnow()},
            author_id=None))
        connection.execute(insert(server_meta).values(key=MAIL_AGENT_KEY, value=agent_id))
        writer.finish()
        return agent_id


def _mail_agent_id(connection: Connection) -> str | None:
    value = connection.execute(
        select(server_meta.c.value).where(server_meta.c.key == MAIL_AGENT_KEY)).scalar()
    return str(value) if value else None


class MailIntake:
    """Takes the new messages of one mailbox into the desk; see the module docstring.

    `notify(head)` is told the change log's new head after each commit (the API's poke
    relay); `after_commit(uids)` runs between the commits of a batch and its flagging
    (tests make it raise, to stand for a crash there).
    """

    def __init__(self, db: Database, mailbox: Mailbox, *,
                 notify: Callable[[int], None] | None = None,
                 after_commit: Callable[[list[int]], None] | None = None,
                 our_addresses: Iterable[str] = ()) -> None:
        self.db = db
        self.mailbox = mailbox
        self.notify = notify
        self.after_commit = after_commit
        self.our_addresses = {mailbox.address, *(a.lower() for a in our_addresses)}
        self.author_id = mail_agent(db)

    # -- one round ------------------------------------------------------------------------

    def run_round(self, client: IMAPClient) -> Round:
        """Take every message not taken yet; flag what earlier rounds took but did not flag."""
        result = Round()
        info = client.select_folder(self.mailbox.imap.folder)
        uidvalidity = int(info[b"UIDVALIDITY"])
        result.flagged_late = self._flag_pending(client, uidvalidity)
        floor = self._floor(uidvalidity)
        found = [uid for uid in client.search(["UID", f"{floor}:*"]) if uid >= floor]
        done = self._taken_uids(uidvalidity, floor)
        todo = [uid for uid in found if uid not in done]
        for chunk in _chunks(client, todo):
            fetched = client.fetch(chunk, ["BODY.PEEK[]"])
            recorded = []
            for uid in chunk:
                raw = fetched.get(uid, {}).get(b"BODY[]")
                if raw is None:
                    continue  # expunged meanwhile: nothing to take
                outcome = self.take(uidvalidity, uid, bytes(raw))
                if outcome is None:
                    result.failed.append(uid)
                    continue
                result.count(outcome)
                recorded.append(uid)
            result.taken.extend(recorded)
            if recorded:
                if self.after_commit is not None:
                    self.after_commit(recorded)
                self._flag(client, uidvalidity, recorded)
        return result

    def _floor(self, uidvalidity: int) -> int:
        """The lowest UID that may still need taking: above the newest taken, or a failed one."""
        with self.db.reading() as connection:
            newest = connection.execute(select(func.max(mail_taken.c.uid)).where(
                mail_taken.c.mailbox == self.mailbox.name,
                mail_taken.c.uidvalidity == uidvalidity)).scalar()
            failing = connection.execute(select(func.min(mail_failure.c.uid)).where(
                mail_failure.c.mailbox == self.mailbox.name,
                mail_failure.c.uidvalidity == uidvalidity)).scalar()
        floor = int(newest or 0) + 1
        return min(floor, int(failing)) if failing is not None else floor

    def _taken_uids(self, uidvalidity: int, floor: int) -> set[int]:
        with self.db.reading() as connection:
            return {int(uid) for uid in connection.execute(select(mail_taken.c.uid).where(
                mail_taken.c.mailbox == self.mailbox.name,
                mail_taken.c.uidvalidity == uidvalidity, mail_taken.c.uid >= floor)).scalars()}

    def _flag_pending(self, client: IMAPClient, uidvalidity: int) -> int:
        """Flag what was taken (committed) but not flagged: a crash came in between."""
        with self.db.reading() as connection:
            pending = [int(uid) for uid in connection.execute(select(mail_taken.c.uid).where(
                mail_taken.c.mailbox == self.mailbox.name,
                mail_taken.c.uidvalidity == uidvalidity,
                mail_taken.c.flagged.is_(False))).scalars()]
        if pending:
            self._flag(client, uidvalidity, pending)
        return len(pending)

    def _flag(self, client: IMAPClient, uidvalidity: int, uids: list[int]) -> None:
        client.add_flags(uids, [b"\\Seen"], silent=True)
        folder = self.mailbox.processed_folder
        if folder:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            if client.has_capability("MOVE"):
                client.move(uids, folder)
            else:
                client.copy(uids, folder)
                client.delete_messages(uids, silent=True)
                if client.has_capability("UIDPLUS"):
                    client.uid_expunge(uids)
                else:
                    client.expunge()
        with self.db.writing() as connection:
            connection.execute(update(mail_taken).where(
                mail_taken.c.mailbox == self.mailbox.name,
                mail_taken.c.uidvalidity == uidvalidity, mail_taken.c.uid.in_(uids))
                .values(flagged=True))

    # -- one message ----------------------------------------------------------------------

    def take(self, uidvalidity: int, uid: int, raw: bytes) -> str | None:
        """Take one message in one transaction; its outcome, or None when that failed
        (retried next round; put aside, outcome `failed`, after MAX_ATTEMPTS)."""
        mail = parse_mail(raw)
        try:
            with self.db.writing() as connection:
                writer = LogWriter(connection, lock_log(connection), utcnow())
                if self._already_taken(connection, uidvalidity, uid):
                    return DUPLICATE
                outcome, contact_id = self._write(connection, writer, mail, raw,
                                                  uidvalidity, uid)
                self._record(connection, uidvalidity, uid, mail.message_id, outcome,
                             contact_id)
                writer.finish()
        except Exception as error:
            log.warning("mailbox %s: message %s failed: %s", self.mailbox.name, uid, error,
                        exc_info=log.isEnabledFor(logging.DEBUG))
            return self._failed(uidvalidity, uid, raw, f"{type(error).__name__}: {error}")
        if self.notify is not None and writer.head:
            self.notify(writer.head)
        return outcome

    def _already_taken(self, connection: Connection, uidvalidity: int, uid: int) -> bool:
        return connection.execute(select(mail_taken.c.id).where(
            mail_taken.c.mailbox == self.mailbox.name, mail_taken.c.uidvalidity == uidvalidity,
            mail_taken.c.uid == uid)).first() is not None

    def _record(self, connection: Connection, uidvalidity: int, uid: int,
                message_id: str | None, outcome: str, contact_id: str | None) -> None:
        connection.execute(insert(mail_taken).values(
            mailbox=self.mailbox.name, uidvalidity=uidvalidity, uid=uid,
            message_id=message_id, outcome=outcome, contact_id=contact_id, flagged=False,
            taken_at=utcnow()))
        connection.execute(delete(mail_failure).where(
            mail_failure.c.mailbox == self.mailbox.name,
            mail_failure.c.uidvalidity == uidvalidity, mail_failure.c.uid == uid))

    def _failed(self, uidvalidity: int, uid: int, raw: bytes, reason: str) -> str | None:
        """Count a failure; at MAX_ATTEMPTS put the message aside (then it is taken)."""
        where = (mail_failure.c.mailbox == self.mailbox.name,
                 mail_failure.c.uidvalidity == uidvalidity, mail_failure.c.uid == uid)
        with self.db.writing() as connection:
            attempts = connection.execute(select(mail_failure.c.attempts).where(*where)).scalar()
            if attempts is None:
                connection.execute(insert(mail_failure).values(
                    mailbox=self.mailbox.name, uidvalidity=uidvalidity, uid=uid, attempts=1,
                    reason=reason, at=utcnow()))
                attempts = 1
            else:
                attempts += 1
                connection.execute(update(mail_failure).where(*where).values(
                    attempts=attempts, reason=reason, at=utcnow()))
            if attempts < MAX_ATTEMPTS:
                return None
            self._aside(connection, uidvalidity, uid, raw,
                        f"failed {attempts} times; last: {reason}")
            self._record(connection, uidvalidity, uid, None, FAILED, None)
        return FAILED

    def _aside(self, connection: Connection, uidvalidity: int, uid: int, raw: bytes,
               reason: str) -> None:
        connection.execute(insert(mail_aside).values(
            id=uuid7(), mailbox=self.mailbox.name, uidvalidity=uidvalidity, uid=uid,
            reason=reason[:5000], raw=raw, at=utcnow()))

    def _write(self, connection: Connection, writer: LogWriter, mail: ParsedMail, raw: bytes,
               uidvalidity: int, uid: int) -> tuple[str, str | None]:
        """The rows a message becomes, written through `writer`; (outcome, contact id)."""
        if mail.kind is MailKind.UNREADABLE:
            self._aside(connection, uidvalidity, uid, raw, mail.problem or "unreadable")
            return MailKind.UNREADABLE.value, None
        if mail.kind is MailKind.NORMAL and is_ours(mail, self.our_addresses):
            return MailKind.LOOP.value, None
        if mail.kind is not MailKind.NORMAL:
            return mail.kind.value, None
        if mail.message_id and connection.execute(select(mail_taken.c.id).where(
                mail_taken.c.mailbox == self.mailbox.name,
                mail_taken.c.message_id == mail.message_id)).first():
            return DUPLICATE, None
        if not mail.from_address:
            self._aside(connection, uidvalidity, uid, raw, "no sender address")
            return MailKind.UNREADABLE.value, None
        changes = _Changes(self.author_id)
        now = writer.now
        ticket = _answered_ticket(connection, mail)
        if ticket is None:
            customer_id = _customer_for(connection, changes, mail, now)
            ticket_id = uuid7()
            changes.add(Ticket(
                id=ticket_id, number=_next_ticket_number(connection),
                subject=_cut(mail.subject.strip() or NO_SUBJECT, Ticket, "subject"),
                description=_cut(mail.text, Ticket, "description"), kind=TicketKind.REQUEST,
                department_id=self.mailbox.department_id, customer_id=customer_id,
                owner_id=None, created_at=now, updated_at=now, last_contact_at=now))
            changes.add(TicketEvent(ticket_id=ticket_id, agent_id=self.author_id,
                                    kind=TicketEventKind.CREATED,
                                    detail=_cut(f"by email from {mail.from_address}",
                                                TicketEvent, "detail"), created_at=now))
        else:
            ticket_id, customer_id = ticket
            changes.update("ticket", ticket_id, {"last_contact_at": now, "updated_at": now})
        contact_id = uuid7()
        occurred = min(mail.sent_at, now) if mail.sent_at else now
        changes.add(Contact(
            id=contact_id, customer_id=customer_id, agent_id=None, ticket_id=ticket_id,
            channel=Channel.EMAIL, direction=Direction.INBOUND,
            summary=_cut(mail.summary or mail.subject or NO_SUBJECT, Contact, "summary"),
            occurred_at=occurred, subject=_cut(mail.subject, Contact, "subject") or None,
            body=_cut(mail.text, Contact, "body"), address=_cut(mail.from_address, Contact,
                                                                 "address"),
            message_id=_cut(mail.message_id, Contact, "message_id") or None))
        for attachment in mail.attachments:
            attachment_id = uuid7()
            changes.add(MailAttachment(
                id=attachment_id, contact_id=contact_id,
                filename=_cut(attachment.filename or "attachment", MailAttachment, "filename"),
                content_type=_cut(attachment.content_type or "application/octet-stream",
                                  MailAttachment, "content_type"),
                size=attachment.size, sha256=attachment.sha256))
            if attachment.data is not None:
                if hashlib.sha256(attachment.data).hexdigest() != attachment.sha256:
                    raise ValueError("an attachment's bytes do not match its sha256")
                connection.execute(insert(mail_attachment_blob).values(
                    attachment_id=attachment_id, data=attachment.data))
        for change in changes.checked():
            writer.write_as_server(change)
        return MailKind.NORMAL.value, contact_id


class _Changes:
    """The changes one message makes, checked against the field rules before any is written
    (a replica would refuse a value that breaks them)."""

    def __init__(self, author_id: str) -> None:
        self.author_id = author_id
        self.changes: list[DecodedChange] = []

    def add(self, row: SQLModel) -> None:
        model = type(row)
        values = {name: getattr(row, name) for name in model.model_fields if name != "id"}
        row_id: str = row.id  # type: ignore[attr-defined]
        self.changes.append(DecodedChange(str(model.__tablename__), row_id, "insert", values,
                                          author_id=self.author_id))

    def update(self, entity: str, row_id: str, values: dict[str, Any]) -> None:
        self.changes.append(DecodedChange(entity, row_id, "update", values,
                                          author_id=self.author_id))

    def checked(self) -> list[DecodedChange]:
        for change in self.changes:
            decode_fields(change.entity, wire_fields(change.fields),
                          insert=change.op == "insert", op=change.op)
        return self.changes


def _cut(value: str | None, model: type[SQLModel], name: str) -> str:
    if not value:
        return ""
    return value[:text_limit(model, name)]


def _answered_ticket(connection: Connection, mail: ParsedMail) -> tuple[str, str] | None:
    """(ticket id, its customer id) of the ticket a mail answers, or None."""
    tickets = Ticket.__table__  # type: ignore[attr-defined]
    contacts = Contact.__table__  # type: ignore[attr-defined]
    if mail.contact_ids:
        rows = connection.execute(
            select(contacts.c.id, tickets.c.id, tickets.c.customer_id)
            .join(tickets, tickets.c.id == contacts.c.ticket_id)
            .where(contacts.c.id.in_(mail.contact_ids), tickets.c.deleted.is_(False))).all()
        found = {row[0]: (row[1], row[2]) for row in rows}
        for contact_id in mail.contact_ids:  # most recent first
            if contact_id in found:
                return found[contact_id]
    number = key_number(mail.ticket_key) if mail.ticket_key else None
    if number is not None:
        row = connection.execute(select(tickets.c.id, tickets.c.customer_id).where(
            tickets.c.number == number, tickets.c.deleted.is_(False))).first()
        if row is not None:
            return row[0], row[1]
    return None


def _customer_for(connection: Connection, changes: _Changes, mail: ParsedMail,
                  now: datetime) -> str:
    """The customer with the sender's address (case-insensitive), or a new one."""
    customers = Customer.__table__  # type: ignore[attr-defined]
    address = mail.from_address or ""
    found = connection.execute(
        select(customers.c.id).where(func.lower(customers.c.email) == address.lower(),
                                     customers.c.deleted.is_(False),
                                     customers.c.erased_at.is_(None))
        .order_by(customers.c.created_at).limit(1)).scalar()
    if found:
        return str(found)
    customer_id = uuid7()
    email = address if len(address) <= text_limit(Customer, "email") else None
    changes.add(Customer(id=customer_id, name=_cut(mail.from_name or address, Customer, "name"),
                         email=email, created_at=now, updated_at=now))
    return customer_id


def _next_ticket_number(connection: Connection) -> int:
    """The next ticket number, as the change log hands them out to pushed tickets."""
    return int(connection.execute(
        update(counter).where(counter.c.name == "ticket_number")
        .values(value=counter.c.value + 1).returning(counter.c.value)).scalar_one())


def _chunks(client: IMAPClient, uids: list[int]) -> Iterable[list[int]]:
    """The UIDs in fetch-sized groups: at most FETCH_MESSAGES, about FETCH_BYTES."""
    if not uids:
        return
    sizes = client.fetch(uids, ["RFC822.SIZE"])
    chunk: list[int] = []
    total = 0
    for uid in uids:
        size = int(sizes.get(uid, {}).get(b"RFC822.SIZE", 0))
        if chunk and (len(chunk) >= FETCH_MESSAGES or total + size > FETCH_BYTES):
            yield chunk
            chunk, total = [], 0
        chunk.append(uid)
        total += size
    if chunk:
        yield chunk


# -- running beside the API ---------------------------------------------------------------


class _LeasedWorker:
    """A mailbox's thread that works while this instance holds the lease named `kind`
    and the mailbox's name (one holder per mailbox across instances), and gives the lease
    back when stopped."""

    def __init__(self, kind: str, db: Database, mailbox: Mailbox,
                 notify: Callable[[int], None] | None) -> None:
        self.db = db
        self.mailbox = mailbox
        self.notify = notify
        self.stopping = threading.Event()
        self.lease = f"{kind}:{mailbox.name}"
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name=f"deskterm-{kind}-{mailbox.name}")

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self.stopping.set()
        self._thread.join(timeout=timeout)

    def _run(self) -> None:
        raise NotImplementedError

    def _release(self) -> None:
        try:
            release_lease(self.db, self.lease)
        except Exception as error:  # the database is away: the lease runs out by itself
            log.debug("mailbox %s: lease not released: %s", self.mailbox.name, error)


class MailboxWorker(_LeasedWorker):
    """One mailbox's intake on a thread: rounds while this instance holds its lease,
    waiting between them on IDLE where the server offers it, else polling."""

    def __init__(self, db: Database, mailbox: Mailbox, *,
                 notify: Callable[[int], None] | None = None,
                 our_addresses: Iterable[str] = ()) -> None:
        self.our_addresses = tuple(our_addresses)
        self.rounds = 0
        super().__init__("intake", db, mailbox, notify)

    def _run(self) -> None:
        backoff = 1.0
        while not self.stopping.is_set():
            if not hold_lease(self.db, self.lease):
                self.stopping.wait(LEASE_SECONDS / 3)
                continue
            try:
                intake = MailIntake(self.db, self.mailbox, notify=self.notify,
                                    our_addresses=self.our_addresses)
                client = connect(self.mailbox)
                try:
                    while not self.stopping.is_set() and hold_lease(self.db, self.lease):
                        done = intake.run_round(client)
                        self.rounds += 1
                        if done.taken or done.failed:
                            log.info("mailbox %s: took %d, %d failed", self.mailbox.name,
                                     len(done.taken), len(done.failed))
                        backoff = 1.0
                        self._wait(client)
                finally:
                    _close(client)
            except Exception as error:
                log.warning("mailbox %s: intake paused (%s); retrying in %.0f s",
                            self.mailbox.name, error, backoff)
                self.stopping.wait(backoff)
                backoff = min(backoff * 2, 60.0)
        self._release()

    def _wait(self, client: IMAPClient) -> None:
        """Until new mail may be there: IDLE (renewing the lease meanwhile) or a poll."""
        poll = self.mailbox.poll_seconds
        if not client.has_capability("IDLE"):
            self.stopping.wait(poll)
            return
        client.idle()
        try:
            waited = 0.0
            # Also look every poll interval, whatever IDLE says (a server may drop it).
            while not self.stopping.is_set() and waited < min(poll, LEASE_SECONDS / 3):
                if any(len(r) > 1 and r[1] in (b"EXISTS", b"RECENT")
                       for r in client.idle_check(timeout=1)):
                    break
                waited += 1
        finally:
            client.idle_done()


class SenderWorker(_LeasedWorker):
    """One mailbox's sending on a thread: a round of `send.send_pending` every
    SEND_SECONDS while this instance holds the mailbox's sending lease (the claim in
    send.py keeps two instances from sending one mail even without it)."""

    SEND_SECONDS = 5.0

    def __init__(self, db: Database, mailbox: Mailbox, *,
                 notify: Callable[[int], None] | None = None,
                 departments_elsewhere: Iterable[str] = ()) -> None:
        self.departments_elsewhere = tuple(departments_elsewhere)
        super().__init__("send", db, mailbox, notify)

    def _run(self) -> None:
        from deskterm.server.mail.send import send_pending

        while not self.stopping.is_set():
            try:
                if hold_lease(self.db, self.lease):
                    done = send_pending(self.db, self.mailbox,
                                        departments_elsewhere=self.departments_elsewhere)
                    if done.head is not None and self.notify is not None:
                        self.notify(done.head)
            except Exception as error:
                log.warning("mailbox %s: sending paused (%s)", self.mailbox.name, error)
            self.stopping.wait(self.SEND_SECONDS)
        self._release()


class MailService:
    """Every mailbox's intake and sending workers, for `deskterm serve`; mailboxes are read
    when it starts and again every RELOAD_SECONDS (one added or removed meanwhile starts
    or stops)."""

    RELOAD_SECONDS = 60.0

    def __init__(self, db: Database, *, notify: Callable[[int], None] | None = None) -> None:
        self.db = db
        self.notify = notify
        self.workers: dict[str, MailboxWorker] = {}
        self.senders: dict[str, SenderWorker] = {}
        self.stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name="deskterm-mail-service")

    def start(self) -> MailService:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._thread.join(timeout=15)
        for worker in self.workers.values():
            worker.stop()
        for sender in self.senders.values():
            sender.stop()

    def _run(self) -> None:
        from deskterm.server.mail.mailboxes import load_mailboxes

        while not self.stopping.is_set():
            try:
                with self.db.reading() as connection:
                    wanted = {m.name: m for m in load_mailboxes(connection)}
                addresses = [m.address for m in wanted.values()]
                for name in list(self.workers):
                    if self.workers[name].mailbox != wanted.get(name):
                        self.workers.pop(name).stop()
                elsewhere = {name: tuple(sorted(m.department_id for m in wanted.values()
                                                if m.name != name and m.department_id))
                             for name in wanted}
                for name in list(self.senders):
                    sender = self.senders[name]
                    if sender.mailbox != wanted.get(name) \
                            or sender.departments_elsewhere != elsewhere.get(name):
                        self.senders.pop(name).stop()
                for name, mailbox in wanted.items():
                    if name not in self.workers:
                        self.workers[name] = MailboxWorker(
                            self.db, mailbox, notify=self.notify,
                            our_addresses=addresses).start()
                    if name not in self.senders:
                        self.senders[name] = SenderWorker(
                            self.db, mailbox, notify=self.notify,
                            departments_elsewhere=elsewhere[name]).start()
            except Exception as error:
                log.warning("mailboxes not loaded: %s", error)
            self.stopping.wait(self.RELOAD_SECONDS)


def taken_rows(db: Database, mailbox: str) -> list[dict[str, Any]]:
    """What the intake took from a mailbox, oldest first (for tests and `mailbox list`)."""
    with db.reading() as connection:
        return [dict(row._mapping) for row in connection.execute(
            select(mail_taken).where(mail_taken.c.mailbox == mailbox)
            .order_by(mail_taken.c.id))]


__all__ = ["MAX_ATTEMPTS", "MailIntake", "MailService", "MailboxWorker", "Round", "connect",
           "mail_agent", "taken_rows"]
