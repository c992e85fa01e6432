"""`deskterm feedback import` and `deskterm quality` from the command line."""

from __future__ import annotations

from pathlib import Path

from deskterm.services import tickets
from tests.cli.conftest import Cli, nothing_written
from tests.conftest import Desk


def test_import_reports_bad_lines_and_keeps_good_rows(cli: Cli, desk: Desk,
                                                      tmp_path: Path) -> None:
    ticket = tickets.create_ticket(desk.alex, customer=desk.customer.id, subject="VPN")
    path = tmp_path / "survey.csv"
    path.write_text(f"ticket,csat,empathy\n{ticket.id},5,4\n{ticket.id},0,4\n", encoding="utf-8")
    result = cli("feedback", "import", str(path), agent="morgan")
    assert result.code == 0, result.err
    assert "Imported 1 response" in result.out and "line 3:" in result.out
    data = cli("quality", "--json", agent="morgan").data
    assert data["weeks"][-1]["satisfaction"] == {"value": 5.0, "count": 1}
    assert {d["driver"] for d in data["drivers"]} >= {"empathy", "phone_menu"}


def test_import_refusals(cli: Cli, desk: Desk, tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    path.write_text("ticket,csat\nSD-1,9\n", encoding="utf-8")
    with nothing_written(desk.store):
        cli("feedback", "import", str(path), agent="alex").refused(1, "lead")
        cli("feedback", "import", str(tmp_path / "none.csv"), agent="morgan").refused(
            2, "no file")
        result = cli("feedback", "import", str(path), agent="morgan")
    assert result.code == 2 and "line 2:" in result.out
    assert result.err.startswith("deskterm: error: no row")
    cli("quality", agent="alex").refused(1, "lead")
    cli("quality", "--weeks", "0", agent="morgan").refused(2, "weeks")


def test_the_agent_reads_their_feedback_and_follows_it_up(cli: Cli, desk: Desk,
                                                          tmp_path: Path) -> None:
    ticket = tickets.create_ticket(desk.alex, customer=desk.customer.id, subject="VPN")
    path = tmp_path / "survey.csv"
    path.write_text(f"ticket,csat,empathy,comment\n{ticket.id},1,2,nobody called back\n",
                    encoding="utf-8")
    assert cli("feedback", "import", str(path), agent="morgan").code == 0
    shown = cli("ticket", "show", ticket.key).out
    assert "Customer feedback" in shown and "nobody called back" in shown
    assert "empathy 2" in shown
    mine = cli("feedback", "mine", "--json").data
    [response] = mine["responses"]
    assert (response["csat"], response["unhappy"], response["followed_up_at"]) == \
        (1, True, None)
    assert mine["trend"][-1]["csat"] == 1.0
    assert "nobody" not in cli("feedback", "mine", agent="blake").out
    assert "Unhappy responses still without a follow-up: 1" in \
        cli("quality", agent="morgan").out
    with nothing_written(desk.store):
        cli("feedback", "follow-up", ticket.key, "--summary", "Sorry",
            agent="blake").refused(1, "only the agent whose ticket it was")
        cli("feedback", "follow-up", "SD-9999", "--summary", "Sorry").refused(1, "SD-9999")
    result = cli("feedback", "follow-up", response["id"][-8:], "--summary", "Called Jo back")
    assert result.code == 0, result.err
    assert cli("feedback", "mine", "--json").data["responses"][0]["followed_up_by"] == "alex"
    assert "Unhappy responses still without a follow-up: 0" in \
        cli("quality", agent="morgan").out
    cli("feedback", "follow-up", ticket.key, "--summary", "again").refused(1, "no customer "
                                                                          "response waiting")
