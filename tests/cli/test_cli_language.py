"""The command line in Dutch and English: `--lang`, DESKTERM_LANG, the config's `language`
and the system locale choose it; help, output, errors and argparse's own words follow it;
the store holds the same things whichever language typed them."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from deskterm.domain.enums import LedgerKind, TicketStatus
from deskterm.domain.money import Money
from deskterm.services import goodwill
from deskterm.services.ticket_views import filtered_tickets, queue_filter
from deskterm.store.queries import TicketRow
from tests.cli.conftest import Cli, Result, nothing_written
from tests.conftest import Desk


def _plain(text: str) -> str:
    """Output with its no-break spaces (`€ 12,50` in Dutch) as plain ones, lines joined."""
    return " ".join(text.replace("\xa0", " ").split())


def _dutch_error(result: Result, code: int, *words: str) -> None:
    """Failed with `code` and exactly one Dutch stderr line naming `words`; nothing on stdout."""
    assert result.code == code, (result.code, result.out, result.err)
    assert result.err.count("\n") == 1, result.err
    assert result.err.startswith("deskterm: fout: "), result.err
    assert result.out == ""
    for word in words:
        assert word in result.err, (word, result.err)


def _tickets(desk: Desk) -> list[TicketRow]:
    return filtered_tickets(desk.store, queue_filter(desk.store, statuses=[]), limit=100)


def test_the_help_in_dutch(run_cli: Cli) -> None:
    top = run_cli("--lang", "nl", "--help")
    assert top.code == 0, top.err
    text = _plain(top.out)
    assert text.startswith("gebruik: deskterm")
    assert "Een terminalwerkplek voor servicedeskmedewerkers" in text
    assert "opties:" in text and "opdrachten:" in text
    assert "deze hulptekst tonen en stoppen" in text
    assert "usage:" not in text and "show this help message" not in text

    sub = run_cli("ticket", "list", "--help", "--lang=nl")
    assert sub.code == 0, sub.err
    text = _plain(sub.out)
    assert text.startswith("gebruik: deskterm ticket list")
    assert "De wachtrij met meldingen, nieuwste eerst." in text
    assert "alleen meldingen waarvan jij eigenaar bent" in text
    assert "opties:" in text

    english = run_cli("ticket", "list", "--help")
    assert "usage: deskterm ticket list" in english.out
    assert "only tickets I own" in english.out


def test_the_entry_point_speaks_dutch_in_its_own_process(tmp_path: Path) -> None:
    environment = {**os.environ, "LANG": "C.UTF-8"}
    done = subprocess.run([sys.executable, "-m", "deskterm", "--lang", "nl", "customer", "--help"],
                          capture_output=True, text=True, env=environment, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("gebruik: deskterm customer")
    assert "klanten zoeken, tonen, toevoegen en wissen" in done.stdout


@pytest.mark.parametrize(("language", "amount", "words"), [
    ("nl", "12,50", {"customer": "Klant Ann Smit", "ticket": "Melding",
                     "spent": "Uitgegeven € 12,50: Excuses voor het wachten",
                     "left": "€ 37,50 over in het budget van alex voor",
                     "header": "ONDERWERP"}),
    ("en", "12.50", {"customer": "Added customer Ann Smit", "ticket": "Created",
                     "spent": "Spent €12.50: Excuses voor het wachten",
                     "left": "€37.50 left in alex's", "header": "SUBJECT"}),
])
def test_one_flow_in_either_language(cli: Cli, desk: Desk, language: str, amount: str,
                                     words: dict[str, str]) -> None:
    goodwill.allocate(desk.lead, "alex", Money(5000))

    made = cli("--lang", language, "customer", "new", "--name", "Ann Smit", "--email",
               "ann@example.org")
    assert made.code == 0, made.err
    assert words["customer"] in _plain(made.out)

    opened = cli("ticket", "new", "--customer", "ann@example.org", "--subject", "Printer kapot",
                 "--lang", language)
    assert opened.code == 0, opened.err
    assert words["ticket"] in _plain(opened.out)
    [ticket] = [row for row in _tickets(desk) if row.subject == "Printer kapot"]
    assert ticket.customer == "Ann Smit" and ticket.owner == "alex"

    spent = cli("--lang", language, "goodwill", "spend", amount, "--reason",
                "Excuses voor het wachten", "--ticket", ticket.key)
    assert spent.code == 0, spent.err
    assert words["spent"] in _plain(spent.out)
    assert words["left"] in _plain(spent.out)
    entry = goodwill.ledger(desk.store, "alex")[0]
    assert entry.kind == LedgerKind.SPEND and entry.amount_cents == -1250
    assert entry.ticket_id == ticket.id and entry.reason == "Excuses voor het wachten"

    listed = cli("--lang", language, "ticket", "list")
    assert listed.code == 0, listed.err
    assert words["header"] in listed.out and "Printer kapot" in listed.out

    data = cli("--lang", language, "ticket", "list", "--json").data
    assert {row["subject"] for row in data} >= {"Printer kapot"}
    statuses = {status.value for status in TicketStatus}  # JSON stays English
    assert all(row["status"] in statuses for row in data)


def test_a_usage_error_in_dutch(run_cli: Cli, desk: Desk) -> None:
    with nothing_written(desk.store):
        result = run_cli("--db", str(desk.store.path), "--as", "alex", "--lang", "nl",
                         "ticket", "new", "--subject", "x")
    _dutch_error(result, 2, "de volgende argumenten zijn verplicht: --customer",
                 "(zie deskterm ticket new --help)")

    choice = run_cli("--lang", "nl", "ticket", "list", "--status", "lost")
    _dutch_error(choice, 2, "ongeldige keuze: 'lost'")


def test_a_refusal_in_dutch(cli: Cli, desk: Desk) -> None:
    with nothing_written(desk.store):
        result = cli("--lang", "nl", "ticket", "assign", "SD-1")
    _dutch_error(result, 2, "--none")


def test_an_ambiguous_amount_is_refused_in_dutch(cli: Cli, desk: Desk) -> None:
    goodwill.allocate(desk.lead, "alex", Money(500_000))
    with nothing_written(desk.store):
        result = cli("--lang", "nl", "goodwill", "spend", "1,234", "--reason", "Excuses")
    _dutch_error(result, 2, "1,234")


def test_an_unknown_language_is_one_line(run_cli: Cli) -> None:
    result = run_cli("--lang", "xx", "ticket", "list")
    assert result.code == 2 and result.out == ""
    assert result.err.count("\n") == 1
    assert "--lang" in result.err and "'xx'" in result.err and "en, nl" in result.err


def _speaks(run_cli: Cli, *argv: str) -> str:
    """Which language `deskterm [argv] --help` answers in."""
    result = run_cli(*argv, "--help")
    assert result.code == 0, result.err
    if result.out.startswith("gebruik:"):
        return "nl"
    assert result.out.startswith("usage:"), result.out
    return "en"


def test_which_language_wins(run_cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """--lang, then DESKTERM_LANG, then the config's `language`, then the locale, then English."""
    config = Path(os.environ["DESKTERM_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    assert _speaks(run_cli) == "en"  # LANG=C.UTF-8: English

    monkeypatch.setenv("LANG", "nl_NL.UTF-8")
    assert _speaks(run_cli) == "nl"  # the locale

    config.write_text('language = "en"\n', encoding="utf-8")
    assert _speaks(run_cli) == "en"  # the config over the locale

    config.write_text('language = "nl"\n', encoding="utf-8")
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert _speaks(run_cli) == "nl"

    monkeypatch.setenv("DESKTERM_LANG", "en")
    assert _speaks(run_cli) == "en"  # the environment over the config

    assert _speaks(run_cli, "--lang", "nl") == "nl"  # the flag over everything
    monkeypatch.setenv("DESKTERM_LANG", "nl")
    assert _speaks(run_cli, "--lang", "en") == "en"


def test_a_broken_config_does_not_stop_the_choice(run_cli: Cli) -> None:
    config = Path(os.environ["DESKTERM_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("language = [not toml\n", encoding="utf-8")
    assert _speaks(run_cli, "--lang", "nl") == "nl"
    refused = run_cli("--lang", "nl", "ticket", "list")
    _dutch_error(refused, 2, str(config))


def test_a_tickets_status_and_channel_read_in_dutch(cli: Cli, desk: Desk) -> None:
    from deskterm.services import contacts, tickets

    made = tickets.create_ticket(desk.alex, customer="jo@example.com", subject="Pas geblokkeerd")
    tickets.update_ticket(desk.alex, made.key, status="waiting")
    contacts.log_contact(desk.alex, channel="walk-in", summary="Kwam langs met de pas",
                         ticket=made.key)

    listed = cli("--lang", "nl", "ticket", "list")
    assert listed.code == 0, listed.err
    [row] = [line for line in listed.out.splitlines() if "Pas geblokkeerd" in line]
    assert made.key in row and " wacht " in f" {row} " and "waiting" not in row

    shown = cli("--lang", "nl", "ticket", "show", made.key)
    assert shown.code == 0, shown.err
    lines = shown.out.splitlines()
    assert [line.split() for line in lines if line.startswith("Status")] == [["Status", "wacht"]]
    assert any(line.split()[:2] == ["Prioriteit", "P3"] and "(normaal)" in line for line in lines)
    [contact] = [line for line in lines if "Kwam langs met de pas" in line]
    assert "balie" in contact and "inkomend" in contact
    assert "walk-in" not in shown.out and "inbound" not in shown.out and "waiting" not in shown.out

    english = cli("ticket", "show", made.key)
    assert "waiting" in english.out and "walk-in" in english.out and "inbound" in english.out
    data = cli("--lang", "nl", "ticket", "show", made.key, "--json").data
    assert data["status"] == "waiting"  # JSON keeps the stored value
    assert [c["channel"] for c in data["contacts"]] == ["walk-in"]


#: Words nearly every Dutch article title holds one of.
_DUTCH_TITLE = re.compile(r"\b(zo|je|de|het|een|van|voor|op|met|niet|geen|oplossen|beleid|"
                          r"deskkaart|antwoordsjabloon|veelgestelde|bekende|fout|resetten)\b",
                          re.IGNORECASE)


def _titles(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as con:
        return [str(title) for (title,) in con.execute("SELECT title FROM kb_article")]


def test_a_dutch_demo_desk_from_the_command_line(run_cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "demodesk.db"
    made = run_cli("--lang", "nl", "--db", str(db), "demo", "--tickets", "300")
    assert made.code == 0, made.err

    progress = made.err.splitlines()
    assert "meldingen 300/300" in progress and "indexeren" in progress
    assert any(re.fullmatch(r"klanten [\d.]+", line) for line in progress), progress
    assert any(re.fullmatch(r"klaar in \d+,\d s", line) for line in progress), progress
    assert "tickets 300/300" not in made.err and "indexing" not in made.err
    card = _plain(made.out)
    assert card.startswith("Demodesk in ")
    for label in ("Afdelingen", "Medewerkers", "Klanten", "Meldingen 300", "Contactmomenten",
                  "Artikelen", "Boekingen", "Stemmingen", "Complimenten"):
        assert label in card, (label, card)

    titles = _titles(db)
    assert len(titles) > 50
    dutch = [title for title in titles if _DUTCH_TITLE.search(title)]
    assert len(dutch) >= 0.9 * len(titles), sorted(set(titles) - set(dutch))[:20]
    about_passwords = {title for title in titles if "wachtwoord" in title.lower()}
    assert len(about_passwords) >= 3

    found = run_cli("--lang", "nl", "--db", str(db), "--as", "alex", "kb", "search",
                    "wachtwoorden")
    assert found.code == 0, found.err
    assert found.out.split()[:2] == ["ID", "ARTIKEL"]
    shown = [title for title in about_passwords if title in found.out]
    assert len(shown) >= 3, found.out
    hits = run_cli("--db", str(db), "--as", "alex", "kb", "search", "wachtwoorden",
                   "--json").data
    assert "wachtwoord" in hits[0]["title"].lower()
    assert sum("wachtwoord" in hit["title"].lower() for hit in hits) >= 3
