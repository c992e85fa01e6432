"""Mail intake against a real Dovecot: mail becomes tickets and contacts, once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from deskterm.domain import ENTITIES
from deskterm.server.mail.intake import MailIntake, Round, connect, taken_rows
from deskterm.server.mail.mailboxes import Mailbox, mail_aside, mail_attachment_blob
from tests.support.mail import append, flags, mail
from tests.support.servers import RunningServer


def run_round(server: RunningServer, mailbox: Mailbox, **options: Any) -> Round:
    client = connect(mailbox)
    try:
        return MailIntake(server.db, mailbox, **options).run_round(client)
    finally:
        client.logout()


def rows(server: RunningServer, entity: str) -> list[dict[str, Any]]:
    table = ENTITIES[entity].__table__
    with server.db.reading() as connection:
        return [dict(r._mapping) for r in connection.execute(select(table))]


def test_a_mail_in_becomes_a_ticket_with_an_inbound_contact(
        server: RunningServer, dovecot: Any, desk_mailbox: Callable[..., Mailbox]) -> None:
    mailbox = desk_mailbox()
    append(dovecot, mail(message_id="<first@example.com>"))
    done = run_round(server, mailbox)
    assert done.outcomes == {"normal": 1}
    [ticket] = rows(server, "ticket")
    assert ticket["subject"] == "The printer on floor 2 jams"
    assert ticket["kind"] == "request" and ticket["owner_id"] is None
    assert ticket["number"] is not None
    [customer] = rows(server, "customer")
    assert (customer["name"], customer["email"]) == ("Jo Jansen", "jo@example.com")
    [contact] = rows(server, "contact")
    assert contact["ticket_id"] == ticket["id"] and contact["customer_id"] == customer["id"]
    assert (contact["channel"], contact["direction"]) == ("email", "inbound")
    assert contact["address"] == "jo@example.com"
    assert contact["message_id"] == "<first@example.com>"
    assert "It jams every morning." in contact["body"]
    assert all(b"\\Seen" in f for f in flags(dovecot).values())
    [taken] = taken_rows(server.db, "support")
    assert (taken["outcome"], taken["flagged"]) == ("normal", True)


def test_a_known_customer_is_found_by_address_whatever_its_case(
        server: RunningServer, dovecot: Any, desk_mailbox: Callable[..., Mailbox]) -> None:
    mailbox = desk_mailbox()
    append(dovecot, mail(sender="Jo <Jo@Example.com>"))
    run_round(server, mailbox)
    append(dovecot, mail("Another thing", sender="jo@example.com"))
    run_round(server, mailbox)
    assert len(rows(server, "customer")) == 1
    assert len(rows(server, "ticket")) == 2


def test_a_reply_to_our_answer_and_a_subject_key_land_on_the_same_ticket(
        server: RunningServer, dovecot: Any, desk_mailbox: Callable[..., Mailbox]) -> None:
    mailbox = desk_mailbox()
    append(dovecot, mail(message_id="<first@example.com>"))
    run_round(server, mailbox)
    [ticket] = rows(server, "ticket")
    [first] = rows(server, "contact")
    # Our answer's Message-ID is <contact id@our domain>: the customer's reply names it.
    append(dovecot, mail("Re: your answer", headers={
        "In-Reply-To": f"<{first['id']}@example.test>",
        "References": f"<first@example.com> <{first['id']}@example.test>"}))
    append(dovecot, mail(f"Still broken [SD-{ticket['number']}]", sender="pat@example.com"))
    done = run_round(server, mailbox)
    assert done.outcomes == {"normal": 2}
    assert len(rows(server, "ticket")) == 1
    contacts = rows(server, "contact")
    assert len(contacts) == 3
    assert {c["ticket_id"] for c in contacts} == {ticket["id"]}
    assert {c["customer_id"] for c in contacts} == {ticket["customer_id"]}


def test_auto_replies_and_bounces_make_no_ticket_and_unreadable_mail_is_kept_aside(
        server: RunningServer, dovecot: Any, desk_mailbox: Callable[..., Mailbox]) -> None:
    mailbox = desk_mailbox()
    append(dovecot,
           mail("Out of office", headers={"Auto-Submitted": "auto-replied"}),
           mail("Undelivered Mail Returned to Sender",
                sender="MAILER-DAEMON@example.com"),
           b"\xff\xfe this is no mail at all")
    done = run_round(server, mailbox)
    assert done.outcomes == {"auto_reply": 1, "bounce": 1, "unreadable": 1}
    assert rows(server, "ticket") == [] and rows(server, "contact") == []
    with server.db.reading() as connection:
        [aside] = connection.execute(select(mail_aside)).all()
    assert aside.raw == b"\xff\xfe this is no mail at all" and aside.reason
    assert len(flags(dovecot)) == 3
    assert all(b"\\Seen" in f for f in flags(dovecot).values())


def test_nothing_is_read_twice_across_rounds(
        server: RunningServer, dovecot: Any, desk_mailbox: Callable[..., Mailbox]) -> None:
    mailbox = desk_mailbox()
    append(dovecot, mail("one"), mail("two"))
    assert run_round(server, mailbox).outcomes == {"normal": 2}
    assert run_round(server, mailbox).outcomes == {}
    append(dovecot, mail("three"))
    assert run_round(server, mailbox).outcomes == {"normal": 1}
    assert sorted(t["subject"] for t in rows(server, "ticket")) == ["one", "three", "two"]
    # The same mail again (a second copy, another UID): its Message-ID was taken already.
    append(dovecot, mail("one", message_id="<same@example.com>"))
    append(dovecot, mail("one", message_id="<same@example.com>"))
    assert run_round(server, mailbox).outcomes == {"normal": 1, "duplicate": 1}
    assert len(rows(server, "ticket")) == 4


def test_a_crash_between_commit_and_flag_takes_the_message_once_on_restart(
        server: RunningServer, dovecot: Any, desk_mailbox: Callable[..., Mailbox]) -> None:
    mailbox = desk_mailbox()
    append(dovecot, mail("crash course"))

    def crash(uids: list[int]) -> None:
        raise RuntimeError("the server died here")

    with pytest.raises(RuntimeError):
        run_round(server, mailbox, after_commit=crash)
    assert len(rows(server, "ticket")) == 1
    assert not any(b"\\Seen" in f for f in flags(dovecot).values())
    done = run_round(server, mailbox)  # "restarted"
    assert done.outcomes == {} and done.flagged_late == 1
    assert len(rows(server, "ticket")) == 1 and len(rows(server, "contact")) == 1
    assert all(b"\\Seen" in f for f in flags(dovecot).values())


def test_a_processed_folder_receives_what_was_taken(
        server: RunningServer, dovecot: Any, desk_mailbox: Callable[..., Mailbox]) -> None:
    mailbox = desk_mailbox(processed_folder="Processed")
    append(dovecot, mail("one"), mail("two"))
    run_round(server, mailbox)
    assert flags(dovecot) == {}
    assert len(flags(dovecot, "Processed")) == 2


def test_attachments_are_listed_and_kept_up_to_the_limit(
        server: RunningServer, dovecot: Any, desk_mailbox: Callable[..., Mailbox]) -> None:
    mailbox = desk_mailbox()
    big = b"\x89PNG" + bytes(20 * 1024 * 1024)
    append(dovecot, mail("with files", attachments=[
        ("log.txt", "text/plain", b"error 42\n"), ("screen.png", "image/png", big)]))
    assert run_round(server, mailbox).outcomes == {"normal": 1}
    listed = {a["filename"]: a for a in rows(server, "mail_attachment")}
    assert listed["screen.png"]["size"] == len(big)
    assert listed["log.txt"]["size"] == len(b"error 42\n")
    with server.db.reading() as connection:
        kept = dict(connection.execute(select(mail_attachment_blob.c.attachment_id,
                                              mail_attachment_blob.c.data)).all())
    assert kept == {listed["log.txt"]["id"]: b"error 42\n"}


def test_a_message_that_keeps_failing_is_put_aside_after_three_rounds(
        server: RunningServer, dovecot: Any, desk_mailbox: Callable[..., Mailbox],
        monkeypatch: pytest.MonkeyPatch) -> None:
    mailbox = desk_mailbox()
    append(dovecot, mail("poison"), mail("fine"))
    import deskterm.server.mail.intake as intake

    real = intake._answered_ticket

    def failing(connection: Any, parsed: Any) -> Any:
        if parsed.subject == "poison":
            raise ValueError("cannot write this one")
        return real(connection, parsed)

    monkeypatch.setattr(intake, "_answered_ticket", failing)
    first = run_round(server, mailbox)
    assert first.outcomes == {"normal": 1} and len(first.failed) == 1
    assert [t["subject"] for t in rows(server, "ticket")] == ["fine"]
    assert run_round(server, mailbox).failed == first.failed
    assert run_round(server, mailbox).outcomes == {"failed": 1}
    assert run_round(server, mailbox).outcomes == {}
    assert [t["subject"] for t in rows(server, "ticket")] == ["fine"]
    with server.db.reading() as connection:
        [aside] = connection.execute(select(mail_aside)).all()
    assert "cannot write this one" in aside.reason
