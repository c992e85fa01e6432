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


def test_import_twice_counts_each_response_once(cli: Cli, desk: Desk, tmp_path: Path) -> None:
    ticket = tickets.create_ticket(desk.alex, customer=desk.customer.id, subject="VPN")
    path = tmp_path / "survey.csv"
    path.write_text(f"ticket,csat,received_at\n{ticket.id},5,2026-11-20T10:00:00Z\n"
                    f"{ticket.id},3,2026-11-20T11:00:00Z\n", encoding="utf-8")
    assert "Imported 2 responses" in cli("feedback", "import", str(path), agent="morgan").out
    with nothing_written(desk.store):
        again = cli("feedback", "import", str(path), agent="morgan")
        data = cli("feedback", "import", str(path), "--json", agent="morgan").data
    assert again.code == 0, again.err
    assert "Imported 0 responses; 2 already recorded, counted once" in again.out
    assert (data["imported"], data["already_recorded"], data["bad"]) == (0, 2, [])


def test_import_reads_a_semicolon_file_and_reports_overlong_rows(cli: Cli, desk: Desk,
                                                                 tmp_path: Path) -> None:
    ticket = tickets.create_ticket(desk.alex, customer=desk.customer.id, subject="VPN")
    path = tmp_path / "enquete.csv"
    path.write_bytes((f"\ufeffticket;csat;empathy;comment\r\n{ticket.id};4,0;5;prima\r\n"
                      f"{ticket.id};2;1;te laat;veel te laat\r\n").encode())
    result = cli("feedback", "import", str(path), agent="morgan")
    assert result.code == 0, result.err
    assert "Imported 1 response; 1 bad row skipped" in result.out
    assert "line 3: 5 fields, but the header has 4: is a ';' in a value not quoted?" \
        in result.out
    assert cli("quality", "--json", agent="morgan").data["weeks"][-1]["satisfaction"] == \
        {"value": 4.0, "count": 1}
    # Again: the good row is already in (not an error), the bad one still reported.
    again = cli("feedback", "import", str(path), agent="morgan")
    assert again.code == 0, again.err
    assert "1 already recorded, counted once; 1 bad row skipped" in again.out


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
