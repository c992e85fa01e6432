"""`deskterm demo` and `deskterm --demo`: the generated demo desk from the command line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from deskterm import locations
from deskterm.store import open_store
from tests.cli.conftest import Cli
from tests.conftest import table_counts


def _counts(path: Path) -> dict[str, int]:
    store = open_store(path, create=False)
    try:
        return table_counts(store)
    finally:
        store.close()


def test_demo_fills_an_empty_store(run_cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    result = run_cli("--db", str(db), "demo", "--tickets", "300", "--seed", "3")
    assert result.code == 0, result.err
    assert "Tickets" in result.out and "300" in result.out
    assert "tickets 300/300" in result.err  # progress goes to stderr
    assert "--as alex" in result.err  # no agent in the config: say how to act as the demo agent
    counts = _counts(db)
    assert counts["ticket"] == 300 and counts["agent"] > 0 and counts["kb_article"] > 0


def test_demo_json_summary(run_cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                           ) -> None:
    db = tmp_path / "demo.db"
    monkeypatch.setenv("DESKTERM_DB", str(db))
    config = Path(os.environ["DESKTERM_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('agent = "alex"\n', encoding="utf-8")
    result = run_cli("demo", "--tickets", "200", "--json")
    assert result.code == 0, result.err
    data = result.data
    assert data["tickets"] == 200 and data["db"] == str(db)
    assert {"agents", "customers", "contacts", "articles", "ledger_entries", "seconds"} <= set(
        data)
    assert "--as alex" not in result.err  # the config names an agent already
    assert _counts(db)["ticket"] == 200


def test_demo_refuses_a_store_with_data(run_cli: Cli, demo_db: Path) -> None:
    before = _counts(demo_db)
    run_cli("--db", str(demo_db), "demo", "--tickets", "100").refused(1, "already has data")
    assert _counts(demo_db) == before


@pytest.mark.parametrize("count, words", [("0", ["between 1 and"]),
                                          ("lots", ["invalid int value"])])
def test_demo_bad_ticket_counts_leave_no_file(run_cli: Cli, tmp_path: Path, count: str,
                                              words: list[str]) -> None:
    db = tmp_path / "demo.db"
    run_cli("--db", str(db), "demo", "--tickets", count).refused(2, *words)
    assert list(tmp_path.glob("demo.db*")) == []


def test_global_demo_flag_fills_once_then_commands_use_it(
        run_cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("deskterm.cli.demo.DEFAULT_TICKETS", 300)
    path = locations.demo_store_path()
    first = run_cli("--demo", "ticket", "list", "--all")
    assert first.code == 0, first.err
    assert first.out.startswith("KEY") and "making the demo desk" in first.err
    assert _counts(path)["ticket"] == 300
    again = run_cli("--demo", "ticket", "list", "--json")
    assert again.code == 0 and "making the demo desk" not in again.err
    assert again.data and all(row["status"] not in ("resolved", "closed") for row in again.data)
    assert _counts(path)["ticket"] == 300
    balance = run_cli("--demo", "goodwill", "balance", "--json").data
    assert balance["agent"] == "alex"


def test_global_demo_flag_without_a_terminal_refuses_in_one_line(
        run_cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """`deskterm --demo` opens the workspace; with output piped it says why it cannot."""
    monkeypatch.setattr("deskterm.cli.demo.DEFAULT_TICKETS", 300)
    assert run_cli("--demo", "agent", "list").code == 0  # fills the demo desk once
    run_cli("--demo").refused(1, "needs a terminal")


def test_read_commands_on_the_demo(run_cli: Cli, demo_db: Path) -> None:
    db = ["--db", str(demo_db), "--as", "alex"]
    queue = run_cli(*db, "ticket", "list", "--json").data
    assert len(queue) == 50
    assert [r["created_at"] for r in queue] == sorted((r["created_at"] for r in queue),
                                                      reverse=True)
    shown = run_cli(*db, "ticket", "show", queue[0]["key"], "--json").data
    assert shown["key"] == queue[0]["key"] and shown["events"]
    assert run_cli(*db, "history", shown["customer"]["id"], "--json").code == 0
    assert run_cli(*db, "kb", "search", "vpn", "--json").data
    assert run_cli(*db, "goodwill", "balance", "--json").data["agent"] == "alex"
    assert run_cli(*db, "kudos", "list", "--json").data
