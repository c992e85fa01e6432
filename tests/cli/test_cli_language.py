"""The command line in Dutch and English: `--lang`, DESKTERM_LANG, the config's `language`
and the system locale choose it; help, output, errors and argparse's own words follow it;
the store holds the same things whichever language typed them."""

from __future__ import annotations

import os
import subprocess
import sys
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
