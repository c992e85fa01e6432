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


def test_quality_lists_escalation_topics_with_their_articles(cli: Cli, desk: Desk) -> None:
    from deskterm.services import kb

    made = [tickets.create_ticket(desk.alex, customer=desk.customer.id, subject=f"VPN {n}")
            for n in range(2)]
    for ticket in made:
        tickets.escalate_ticket(desk.alex, ticket.id, tier=2, group="Network", reason="certs")
    kb.create_article(desk.as_("sam"), title="VPN", body="Renew.", from_ticket=made[0].id)
    data = cli("quality", "--json", agent="morgan").data
    assert data["escalation_topics"] == [{"group": "Network", "kind": "incident",
                                          "escalations": 2, "with_article": 1}]
    human = cli("quality", agent="morgan")
    assert human.code == 0, human.err
    assert "What 1st line could take on next" in human.out
    assert "1 of 1 topics have an article" in " ".join(human.out.split())
    [row] = [line for line in human.out.splitlines() if line.startswith("Network")]
    assert row.split() == ["Network", "incident", "2", "1", "1"]
