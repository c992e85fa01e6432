"""`deskterm ticket reply`: a mail to the ticket's customer, queued; refusals write nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from deskterm.services import customers, tickets
from tests.cli.conftest import Cli, Result, nothing_written
from tests.conftest import Desk
from tests.services.conftest import set_ticket_number


@pytest.fixture
def ticket_key(desk: Desk) -> str:
    made = tickets.create_ticket(desk.alex, customer="jo@example.com", subject="VPN drops")
    set_ticket_number(desk.store, made.id, 1042)
    return "SD-1042"


def stored_mails(desk: Desk) -> list[tuple[str, str, str, str, str]]:
    with desk.store.raw() as connection:
        return connection.execute(
            "SELECT c.direction, c.address, c.subject, c.body, o.entity FROM contact c "
            "JOIN outbox o ON o.row_id = c.id WHERE c.channel = 'email' ORDER BY o.seq"
        ).fetchall()


def test_reply_from_a_file_queues_the_mail(cli: Cli, desk: Desk, ticket_key: str,
                                           tmp_path: Path) -> None:
    body = tmp_path / "reply.txt"
    body.write_text("Hello Jo,\n\nplease restart the VPN client.\n", encoding="utf-8")
    done = cli("ticket", "reply", ticket_key, "--body-file", str(body))
    assert done.code == 0, done.err
    assert done.out.strip() == "Queued a reply to jo@example.com: VPN drops [SD-1042]"
    assert "after the next sync" in done.err
    assert stored_mails(desk) == [("outbound", "jo@example.com", "VPN drops [SD-1042]",
                                   "Hello Jo,\n\nplease restart the VPN client.", "contact")]


def test_reply_from_stdin_with_a_subject_as_json(cli: Cli, desk: Desk, ticket_key: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Fixed now.\n"))
    done = cli("ticket", "reply", ticket_key, "--body-file", "-", "--subject", "Your VPN",
               "--rating", "4", "--json")
    assert done.code == 0, done.err
    data = done.data
    assert (data["subject"], data["address"], data["body"]) == (
        "Your VPN [SD-1042]", "jo@example.com", "Fixed now.")
    assert (data["channel"], data["direction"], data["delivery"]) == (
        "email", "outbound", "queued")
    assert data["self_rating"] == 4


def test_reply_in_dutch(cli: Cli, desk: Desk, ticket_key: str, tmp_path: Path) -> None:
    body = tmp_path / "antwoord.txt"
    body.write_text("Beste Jo,\n\nhet is opgelost.", encoding="utf-8")
    done = cli("--lang", "nl", "ticket", "reply", ticket_key, "--body-file", str(body))
    assert done.code == 0, done.err
    assert done.out.strip() == "Antwoord aan jo@example.com klaargezet: VPN drops [SD-1042]"
    assert "na de volgende sync" in done.err
    helped = cli("--lang", "nl", "ticket", "reply", "--help")
    assert "per mail beantwoorden" in helped.out


def refused(result: Result, code: int, language: str, *words: str) -> None:
    """One stderr line in the language (its "deskterm: error:" too), nothing on stdout."""
    prefix = {"en": "deskterm: error: ", "nl": "deskterm: fout: "}[language]
    assert result.code == code, (result.code, result.out, result.err)
    assert result.out == "" and result.err.count("\n") == 1, result.err
    assert result.err.startswith(prefix), result.err
    for word in words:
        assert word in result.err, (word, result.err)


@pytest.mark.parametrize("language", ["en", "nl"])
def test_refusals_print_one_line_and_write_nothing(cli: Cli, desk: Desk, ticket_key: str,
                                                   tmp_path: Path, language: str) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00oops")
    good = tmp_path / "good.txt"
    good.write_text("Hi", encoding="utf-8")
    nomail = customers.create_customer(desk.admin, name="Nel Zonder")
    other = tickets.create_ticket(desk.alex, customer=nomail.id, subject="Bel me")
    words = {"en": ("does not exist", "is not UTF-8 text", "reply text is required",
                    "no email address", "line break", "is a folder"),
             "nl": ("bestaat niet", "is geen UTF-8-tekst", "antwoordtekst is verplicht",
                    "geen e-mailadres", "regeleinde", "is een map")}[language]

    def reply(*argv: str) -> Result:
        return cli("--lang", language, "ticket", "reply", *argv)

    with nothing_written(desk.store):
        refused(reply(ticket_key, "--body-file", str(tmp_path / "missing.txt")), 2, language,
                words[0], "missing.txt")
        refused(reply(ticket_key, "--body-file", str(binary)), 2, language, words[1])
        refused(reply(ticket_key, "--body-file", str(empty)), 2, language, words[2])
        refused(reply(other.id, "--body-file", str(good)), 2, language, "Nel Zonder",
                words[3])
        refused(reply(ticket_key, "--body-file", str(good), "--subject",
                      "Hi\nBcc: x@example.com"), 2, language, words[4])
        refused(reply(ticket_key, "--body-file", str(tmp_path)), 2, language, words[5])
        refused(reply("SD-9999", "--body-file", str(good)), 1, language, "SD-9999")
