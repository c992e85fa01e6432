"""The lead's commands: board, nudge, mood-team, and goodwill oversight from the command line."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from deskterm.domain.money import Money
from deskterm.services import goodwill, tickets
from deskterm.services.wellbeing import record_mood
from tests.cli.conftest import Cli, nothing_written
from tests.conftest import Desk


def _escalate(desk: Desk, subject: str = "VPN down") -> str:
    made = tickets.create_ticket(desk.alex, customer=desk.customer.id, subject=subject)
    tickets.escalate_ticket(desk.alex, made.id, tier=2, group="Network", reason="router")
    return made.id


def test_board_lists_the_teams_escalations(cli: Cli, desk: Desk) -> None:
    _escalate(desk)
    result = cli("board", "--json", agent="morgan")
    assert result.code == 0, result.err
    [row] = result.data
    assert (row["owner"], row["tier"], row["group"], row["customer"]) == \
        ("alex", 2, "Network", "Jo Jansen")
    assert "VPN down" in cli("board", agent="morgan").out


def test_board_and_nudge_are_for_leads(cli: Cli, desk: Desk) -> None:
    ticket_id = _escalate(desk)
    cli("board", agent="alex").refused(1, "lead")
    with nothing_written(desk.store):
        cli("nudge", ticket_id, "--message", "call back", agent="blake").refused(1, "lead")
    cli("board", "--stale-hours", "0", agent="morgan").refused(2, "stale-hours")


def test_nudge_lands_on_the_ticket(cli: Cli, desk: Desk) -> None:
    ticket_id = _escalate(desk)
    result = cli("nudge", ticket_id, "--message", "Please call Jo today", agent="morgan")
    assert result.code == 0, result.err
    shown = cli("ticket", "show", ticket_id, "--json").data
    assert any(e["kind"] == "nudge" and e["detail"] == "Please call Jo today"
               for e in shown["events"])


def test_mood_team_shows_only_aggregates(cli: Cli, desk: Desk) -> None:
    for handle in ("alex", "blake"):
        record_mood(desk.as_(handle), 3, note="secret")
    two = cli("mood-team", "--json", agent="morgan").data
    assert not two["weeks"][-1]["shown"]
    record_mood(desk.lead, 5)  # the lead's own never counts toward what the lead sees
    assert not cli("mood-team", "--json", agent="morgan").data["weeks"][-1]["shown"]
    record_mood(desk.admin, 4)
    three = cli("mood-team", "--json", agent="morgan").data
    assert (three["weeks"][-1]["contributors"], three["weeks"][-1]["mean"]) == (3, 3.33)
    shown = cli("mood-team", agent="morgan").out
    assert "secret" not in shown and "fewer than 5 agents" in shown
    cli("mood-team", agent="alex").refused(1, "lead")


def test_goodwill_oversight_commands(cli: Cli, desk: Desk, tmp_path: Path) -> None:
    result = cli("goodwill", "allocate-team", "40", agent="morgan")
    assert result.code == 0, result.err
    assert "alex" in result.out and "blake" in result.out
    ticket = tickets.create_ticket(desk.alex, customer=desk.customer.id, subject="Late")
    goodwill.spend(desk.alex, Money(1250), reason="taxi", ticket=ticket.id)
    team = {row["handle"]: row["balance"]["cents"]
            for row in cli("goodwill", "team", "--json", agent="morgan").data}
    assert team["alex"] == 2750 and team["blake"] == 4000
    summary = cli("goodwill", "summary", "--json", agent="morgan").data
    assert summary["by_reason"][0]["reason"] == "Taxi"
    period = goodwill.balance(desk.store, "alex").period
    target = tmp_path / "ledger.csv"
    result = cli("goodwill", "export", "--period", period, "--csv", str(target), agent="morgan")
    assert result.code == 0, result.err
    rows = list(csv.reader(io.StringIO(target.read_text())))
    assert len(rows) == 1 + 3
    cli("goodwill", "export", "--period", period, "--csv", str(tmp_path / "no" / "x.csv"),
        agent="morgan").refused(2, "does not exist")
    cli("goodwill", "team", agent="alex").refused(1, "lead")


def test_board_stale_hours_come_from_the_config(cli: Cli, desk: Desk, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    _escalate(desk)
    config = tmp_path / "config.toml"
    config.write_text("stale_hours = 0.0000001\n", encoding="utf-8")
    monkeypatch.setenv("DESKTERM_CONFIG", str(config))
    assert cli("board", "--json", agent="morgan").data[0]["stale"] is True
    config.write_text("stale_hours = 1000\n", encoding="utf-8")
    assert cli("board", "--json", agent="morgan").data[0]["stale"] is False
