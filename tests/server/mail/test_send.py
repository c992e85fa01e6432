"""Sending the desk's answers: a real SMTP server on loopback (aiosmtpd), the server's real
database (SQLite and PostgreSQL), and a replica that pulls what became of each mail."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from deskterm.domain.clock import utcnow
from deskterm.domain.enums import Channel, Direction
from deskterm.domain.ids import uuid7
from deskterm.domain.mail import DeliveryStatus, MailDelivery
from deskterm.server.changelog import write_as_server
from deskterm.server.database import Database
from deskterm.server.mail.send import (
    BACKOFF,
    MAX_ATTEMPTS,
    MailboxUnusable,
    SendRound,
    SmtpTarget,
    mail_sending,
    parse_smtp_url,
    send_pending,
)
from deskterm.sync.codec import DecodedChange
from tests.support.servers import RunningServer
from tests.support.smtp import SmtpSink
from tests.support.sync import Replica, snapshot_store

DESK = "desk@example.com"
CUSTOMER = "jo@customer.example"


@dataclass(frozen=True)
class DeskMailbox:
    """A mailbox as the runner hands one to send_pending (mailboxes.Mailbox's fields)."""

    smtp_url: str
    name: str = "Service desk"
    address: str = DESK
    department_id: str | None = None
    password: str | None = None


@dataclass
class Desk:
    """A customer and a ticket on the server, and the mails written on it."""

    db: Database
    customer_id: str
    ticket_id: str
    number: int
    clock: datetime

    def mail(self, direction: Direction, *, subject: str | None = "Printer offline",
             body: str = "Hello Jo,\n\nIt works again.\n", address: str | None = CUSTOMER,
             message_id: str | None = None, ticket_id: str | None = None) -> str:
        """Write a mail contact, a minute after the one before; its id."""
        self.clock += timedelta(minutes=1)
        contact_id = uuid7()
        write_as_server(self.db, [DecodedChange("contact", contact_id, "insert", {
            "customer_id": self.customer_id, "ticket_id": ticket_id or self.ticket_id,
            "channel": Channel.EMAIL, "direction": direction, "summary": body[:300],
            "occurred_at": self.clock, "subject": subject, "body": body,
            "address": address, "message_id": message_id})])
        return contact_id

    def ticket(self, *, number: int, department_id: str | None = None) -> str:
        ticket_id = uuid7()
        write_as_server(self.db, [DecodedChange("ticket", ticket_id, "insert", {
            "subject": "Printer offline", "customer_id": self.customer_id,
            "number": number, "department_id": department_id})])
        return ticket_id


def _desk(db: Database) -> Desk:
    customer_id, ticket_id = uuid7(), uuid7()
    write_as_server(db, [
        DecodedChange("customer", customer_id, "insert", {"name": "Jo Jansen",
                                                          "email": CUSTOMER}),
        DecodedChange("ticket", ticket_id, "insert", {
            "subject": "Printer offline", "customer_id": customer_id, "number": 1042})])
    return Desk(db, customer_id, ticket_id, 1042, utcnow() - timedelta(hours=1))


def _deliveries(db: Database, contact_id: str | None = None) -> list[tuple[Any, ...]]:
    table = MailDelivery.__table__  # type: ignore[attr-defined]
    query = select(table.c.contact_id, table.c.attempt, table.c.status, table.c.detail)
    if contact_id is not None:
        query = query.where(table.c.contact_id == contact_id)
    with db.reading() as connection:
        return [tuple(row) for row in connection.execute(query.order_by(table.c.attempt))]


@pytest.fixture
def desk(server: RunningServer) -> Desk:
    return _desk(server.db)


def test_a_reply_is_sent_once_with_headers_that_thread(
        server: RunningServer, desk: Desk, smtp_sink: SmtpSink,
        replica_of: Callable[..., Replica]) -> None:
    first = desk.mail(Direction.INBOUND, message_id="<first@customer.example>")
    earlier = desk.mail(Direction.OUTBOUND, subject="[SD-1042] Printer offline")
    desk.mail(Direction.INBOUND, message_id="<second@customer.example>")
    reply = desk.mail(Direction.OUTBOUND, subject="Re: Printer offline",
                      body="Hello Jo,\n\nThe printer is back. Groetjes, Alex\n")
    desk.mail(Direction.INBOUND, message_id="<later@customer.example>")  # after the reply
    mailbox = DeskMailbox(smtp_sink.url)
    write_as_server(server.db, [DecodedChange("mail_delivery", uuid7(), "insert", {
        "contact_id": earlier, "status": DeliveryStatus.SENT, "attempt": 1})])

    assert send_pending(server.db, mailbox).sent == 1
    assert [r.message["Message-ID"] for r in smtp_sink.received] == [
        f"<{reply}@example.com>"]
    got = smtp_sink.received[0]
    assert (got.mail_from, got.rcpt_tos) == (DESK, (CUSTOMER,))
    mail = got.message
    assert mail["From"] == f"Service desk <{DESK}>"
    assert mail["To"] == CUSTOMER
    assert mail["Subject"] == "[SD-1042] Re: Printer offline"
    assert mail["In-Reply-To"] == "<second@customer.example>"
    assert mail["References"].split() == [
        "<first@customer.example>", f"<{earlier}@example.com>", "<second@customer.example>"]
    assert mail["X-Deskterm-Loop"] == DESK
    assert mail["Date"] is not None and mail.get("Auto-Submitted") is None
    assert mail.get_content_type() == "text/plain"
    assert mail.get_content_charset() == "utf-8"
    assert mail.get_content().replace("\r\n", "\n") == (
        "Hello Jo,\n\nThe printer is back. Groetjes, Alex\n")
    assert first not in mail["References"]  # inbound mails go by their own ids

    # Sent once: the next rounds find nothing to send.
    assert send_pending(server.db, mailbox) == SendRound()
    assert send_pending(server.db, mailbox, now=utcnow() + timedelta(days=2)) == SendRound()
    assert len(smtp_sink.received) == 1
    assert _deliveries(server.db, reply) == [(reply, 1, DeliveryStatus.SENT, None)]

    alex = replica_of("alex")
    pulled = snapshot_store(alex.store, ["mail_delivery"])["mail_delivery"]
    assert sorted((row["contact_id"], row["status"]) for row in pulled.values()) == sorted(
        [(earlier, "sent"), (reply, "sent")])


def test_the_ticket_key_is_not_added_twice_and_a_subjectless_reply_takes_the_tickets(
        server: RunningServer, desk: Desk, smtp_sink: SmtpSink) -> None:
    desk.mail(Direction.OUTBOUND, subject="Your printer [sd-1042]")
    desk.mail(Direction.OUTBOUND, subject=None)
    assert send_pending(server.db, DeskMailbox(smtp_sink.url)).sent == 2
    assert [r.message["Subject"] for r in smtp_sink.received] == [
        "Your printer [sd-1042]", "[SD-1042] Printer offline"]


def test_a_send_that_fails_twice_then_succeeds_is_sent_exactly_once(
        server: RunningServer, desk: Desk, smtp_sink: SmtpSink,
        replica_of: Callable[..., Replica]) -> None:
    reply = desk.mail(Direction.OUTBOUND)
    mailbox = DeskMailbox(smtp_sink.url)
    smtp_sink.data_answers.extend(["451 4.3.0 Mailbox busy, try later"] * 2)
    start = utcnow()

    assert send_pending(server.db, mailbox, now=start) == SendRound(
        retrying=1, head=_head(server.db))
    assert send_pending(server.db, mailbox, now=start).retrying == 0  # not due for a minute
    assert send_pending(server.db, mailbox, now=start + BACKOFF[0]).retrying == 1
    second = start + BACKOFF[0]
    assert send_pending(server.db, mailbox, now=second + BACKOFF[1]
                        - timedelta(seconds=1)) == SendRound()  # 5 minutes not over
    assert send_pending(server.db, mailbox, now=second + BACKOFF[1]).sent == 1
    assert send_pending(server.db, mailbox, now=second + timedelta(days=1)) == SendRound()

    assert smtp_sink.attempts == 3
    assert [r.message["Message-ID"] for r in smtp_sink.received] == [
        f"<{reply}@example.com>"]
    assert _deliveries(server.db, reply) == [
        (reply, 1, DeliveryStatus.RETRYING, "451 4.3.0 Mailbox busy, try later"),
        (reply, 2, DeliveryStatus.RETRYING, "451 4.3.0 Mailbox busy, try later"),
        (reply, 3, DeliveryStatus.SENT, None)]
    pulled = snapshot_store(replica_of("alex").store, ["mail_delivery"])["mail_delivery"]
    assert sorted((row["attempt"], row["status"]) for row in pulled.values()) == [
        (1, "retrying"), (2, "retrying"), (3, "sent")]


def _head(db: Database) -> int:
    from tests.support.sync import server_head

    return server_head(db)


@pytest.mark.parametrize("where", ["rcpt", "data"])
def test_a_550_is_failed_with_the_servers_words_and_never_retried(
        server: RunningServer, desk: Desk, smtp_sink: SmtpSink, where: str) -> None:
    reply = desk.mail(Direction.OUTBOUND)
    answers = smtp_sink.rcpt_answers if where == "rcpt" else smtp_sink.data_answers
    answers.append("550 5.1.1 <jo@customer.example>: Recipient address rejected")
    mailbox = DeskMailbox(smtp_sink.url)
    assert send_pending(server.db, mailbox).failed == 1
    for later in (timedelta(minutes=1), timedelta(hours=2), timedelta(days=3)):
        assert send_pending(server.db, mailbox, now=utcnow() + later) == SendRound()
    assert smtp_sink.received == []
    assert _deliveries(server.db, reply) == [(
        reply, 1, DeliveryStatus.FAILED,
        "550 5.1.1 <jo@customer.example>: Recipient address rejected")]


def test_a_mail_that_keeps_failing_transiently_is_given_up_after_its_last_attempt(
        server: RunningServer, desk: Desk, smtp_sink: SmtpSink) -> None:
    reply = desk.mail(Direction.OUTBOUND)
    smtp_sink.data_answers.extend(["421 4.7.0 Too busy"] * 20)
    mailbox, now = DeskMailbox(smtp_sink.url), utcnow()
    for wait in (timedelta(0), *BACKOFF):
        now += wait
        send_pending(server.db, mailbox, now=now)
    assert send_pending(server.db, mailbox, now=now + timedelta(days=30)) == SendRound()
    found = _deliveries(server.db, reply)
    assert [status for _c, _a, status, _d in found] == (
        [DeliveryStatus.RETRYING] * (MAX_ATTEMPTS - 1) + [DeliveryStatus.FAILED])
    assert found[-1][3] == f"gave up after {MAX_ATTEMPTS} attempts: 421 4.7.0 Too busy"
    assert smtp_sink.attempts == MAX_ATTEMPTS and smtp_sink.received == []


@pytest.mark.parametrize(("field", "value", "said"), [
    ("subject", "Hello\r\nBcc: victim@elsewhere.example", "Subject holds a line break"),
    ("subject", "Hello\nX-Injected: yes", "Subject holds a line break"),
    ("address", f"{CUSTOMER}\r\nBcc: victim@elsewhere.example", "To holds a line break"),
    ("address", f"{CUSTOMER}, victim@elsewhere.example", "is not one valid mail address"),
    ("address", "Jo <jo@customer.example>", "is not one valid mail address"),
    ("address", "not an address", "is not one valid mail address"),
])
def test_a_header_injection_sends_nothing_and_fails_cleanly(
        server: RunningServer, desk: Desk, smtp_sink: SmtpSink, field: str, value: str,
        said: str) -> None:
    bad = desk.mail(Direction.OUTBOUND, **{field: value})
    good = desk.mail(Direction.OUTBOUND)
    assert send_pending(server.db, DeskMailbox(smtp_sink.url)) == SendRound(
        sent=1, failed=1, head=_head(server.db))
    assert [r.message["Message-ID"] for r in smtp_sink.received] == [
        f"<{good}@example.com>"]
    assert "victim" not in smtp_sink.received[0].raw.decode()
    [(_c, _a, status, detail)] = _deliveries(server.db, bad)
    assert status == DeliveryStatus.FAILED and said in detail


def test_an_outbound_mail_without_an_address_is_a_record_not_a_mail_to_send(
        server: RunningServer, desk: Desk, smtp_sink: SmtpSink) -> None:
    desk.mail(Direction.OUTBOUND, address=None)  # as logged before deskterm sent mail
    desk.mail(Direction.INBOUND, message_id="<in@customer.example>")
    assert send_pending(server.db, DeskMailbox(smtp_sink.url)) == SendRound()
    assert _deliveries(server.db) == []


def test_two_instances_sending_at_once_send_each_mail_once(
        server: RunningServer, desk: Desk, smtp_sink: SmtpSink) -> None:
    replies = [desk.mail(Direction.OUTBOUND, body=f"Answer {n}") for n in range(12)]
    other = Database(server.db.url)
    start = threading.Barrier(2)
    rounds: list[SendRound] = []
    failures: list[BaseException] = []

    def run(db: Database) -> None:
        start.wait()
        try:
            for _unused in range(3):
                rounds.append(send_pending(db, DeskMailbox(smtp_sink.url)))
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=run, args=(db,)) for db in (server.db, other)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        other.dispose()
    assert failures == []
    assert sum(r.sent for r in rounds) == 12
    assert sorted(r.message["Message-ID"] for r in smtp_sink.received) == sorted(
        f"<{reply}@example.com>" for reply in replies)
    assert sorted(row[0] for row in _deliveries(server.db)) == sorted(replies)
    with server.db.reading() as connection:
        held = connection.execute(select(mail_sending.c.claimed_by).where(
            mail_sending.c.claimed_by.is_not(None))).all()
    assert held == []


def test_a_mailbox_sends_its_departments_mails_and_the_default_the_rest(
        server: RunningServer, desk: Desk, smtp_sink: SmtpSink) -> None:
    hr, it = uuid7(), uuid7()
    write_as_server(server.db, [
        DecodedChange("department", hr, "insert", {"code": "HR", "name": "HR"}),
        DecodedChange("department", it, "insert", {"code": "IT", "name": "IT"})])
    to_hr = desk.mail(Direction.OUTBOUND, ticket_id=desk.ticket(number=2001,
                                                                department_id=hr))
    to_it = desk.mail(Direction.OUTBOUND, ticket_id=desk.ticket(number=2002,
                                                                department_id=it))
    no_department = desk.mail(Direction.OUTBOUND)
    hr_box = DeskMailbox(smtp_sink.url, address="hr@example.com", department_id=hr)
    default = DeskMailbox(smtp_sink.url)

    assert send_pending(server.db, default, departments_elsewhere=[hr]).sent == 2
    assert send_pending(server.db, hr_box).sent == 1
    sent = {r.message["Message-ID"]: r.mail_from for r in smtp_sink.received}
    assert sent == {f"<{to_it}@example.com>": DESK, f"<{no_department}@example.com>": DESK,
                    f"<{to_hr}@example.com>": "hr@example.com"}


def test_a_mail_server_that_cannot_be_reached_is_retried(
        server: RunningServer, desk: Desk) -> None:
    from deskterm.server.runner import free_port

    reply = desk.mail(Direction.OUTBOUND)
    assert send_pending(server.db, DeskMailbox(f"smtp://127.0.0.1:{free_port()}")
                        ).retrying == 1
    [(_c, attempt, status, detail)] = _deliveries(server.db, reply)
    assert (attempt, status) == (1, DeliveryStatus.RETRYING)
    assert detail.startswith("cannot reach the mail server: ")


def test_a_relay_without_auth_takes_mail_from_a_mailbox_with_an_imap_password(
        server: RunningServer, desk: Desk, smtp_sink: SmtpSink) -> None:
    """The mailbox's password is IMAP's too; an SMTP URL that names no user logs in only
    where the server offers AUTH (found by hand: a loopback relay refused every mail)."""
    reply = desk.mail(Direction.OUTBOUND)
    assert send_pending(server.db, DeskMailbox(smtp_sink.url, password="imap-secret")).sent == 1
    assert _deliveries(server.db, reply) == [(reply, 1, DeliveryStatus.SENT, None)]
    assert len(smtp_sink.received) == 1


# Without TLS on purpose: the sink is on loopback.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_the_desk_logs_in_with_the_mailboxs_password(
        server: RunningServer, desk: Desk, smtp_sink_with_auth: SmtpSink) -> None:
    sink = smtp_sink_with_auth
    good = desk.mail(Direction.OUTBOUND)
    wrong = DeskMailbox(sink.url, password="wrong")
    assert send_pending(server.db, wrong).retrying == 1
    [(_c, _a, _s, detail)] = _deliveries(server.db, good)
    assert detail == ("the mail server refused the desk's login: "
                      "535 5.7.8 Authentication credentials invalid")
    assert sink.received == []
    right = DeskMailbox(sink.url, password="secret")
    assert send_pending(server.db, right, now=utcnow() + BACKOFF[0]).sent == 1
    assert sink.logins == [DESK] and len(sink.received) == 1


def test_the_desk_sends_over_starttls_and_logs_in_once_encrypted(
        server: RunningServer, desk: Desk, smtp_sink_with_starttls: SmtpSink) -> None:
    sink = smtp_sink_with_starttls
    desk.mail(Direction.OUTBOUND)
    url = f"smtp://{DESK.replace('@', '%40')}@127.0.0.1:{sink.port}?starttls=1"
    assert send_pending(server.db, DeskMailbox(url, password="secret")).sent == 1
    assert sink.logins == [DESK] and len(sink.received) == 1


def test_mail_to_another_host_never_travels_unencrypted(
        server: RunningServer, desk: Desk) -> None:
    desk.mail(Direction.OUTBOUND)
    with pytest.raises(MailboxUnusable, match="unencrypted"):
        send_pending(server.db, DeskMailbox("smtp://mail.example.com:25"))
    with server.db.reading() as connection:
        assert connection.execute(select(mail_sending)).all() == []  # nothing claimed
    assert _deliveries(server.db) == []


def test_a_delivery_says_why_in_the_servers_language(
        server: RunningServer, desk: Desk) -> None:
    from deskterm.i18n import using
    from deskterm.server.runner import free_port

    reply = desk.mail(Direction.OUTBOUND, address="two@example.com, three@example.com")
    unreachable = desk.mail(Direction.OUTBOUND)
    with using("nl"):
        send_pending(server.db, DeskMailbox(f"smtp://127.0.0.1:{free_port()}"))
    assert _deliveries(server.db, reply)[0][3] == (
        "'two@example.com, three@example.com' is niet één geldig e-mailadres")
    assert _deliveries(server.db, unreachable)[0][3].startswith(
        "de mailserver is niet bereikbaar: ")


def test_smtp_urls_say_how_to_reach_the_mail_server() -> None:
    assert parse_smtp_url("smtps://desk%40example.com@mail.example.com") == SmtpTarget(
        "mail.example.com", 465, "tls", "desk@example.com")
    assert parse_smtp_url("smtp://mail.example.com?starttls=1") == SmtpTarget(
        "mail.example.com", 587, "starttls", None)
    assert parse_smtp_url("smtp://[::1]:2525") == SmtpTarget("::1", 2525, "plain", None)
    for wrong in ("http://mail.example.com", "smtp://", "smtp://host:notaport"):
        with pytest.raises(MailboxUnusable, match="not an SMTP URL"):
            parse_smtp_url(wrong)
