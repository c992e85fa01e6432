"""`deskterm ticket ...`: the queue, one ticket, and every way of working a ticket."""

from __future__ import annotations

import pytest

from deskterm.domain.enums import Priority, TicketEventKind, TicketStatus, Tier
from deskterm.services import tickets
from deskterm.services.ticket_views import TicketDetail, ticket_detail
from tests.cli.conftest import Cli, nothing_written
from tests.conftest import Desk

ROW_KEYS = {"id", "key", "number", "subject", "status", "priority", "customer", "owner",
            "department", "resolver", "created_at", "updated_at", "last_contact_at"}
DETAIL_KEYS = ROW_KEYS | {"description", "kind", "escalation", "resolution",
                          "first_contact_resolution", "resolved_at", "returned_at", "events",
                          "articles", "contacts", "responses"}


def _ticket(desk: Desk, subject: str = "VPN drops", **options: object) -> str:
    made = tickets.create_ticket(desk.alex, customer="jo@example.com", subject=subject,
                                 **options)  # type: ignore[arg-type]
    return made.key


def _detail(desk: Desk, key: str) -> TicketDetail:
    return ticket_detail(desk.store, key)


def test_new_ticket_is_owned_by_the_acting_agent(cli: Cli, desk: Desk) -> None:
    result = cli("ticket", "new", "--customer", "JO@example.com", "--subject", "VPN drops",
                 "--description", "Every hour", "--kind", "incident", "--priority", "P2",
                 "--department", "IT", "--json")
    assert result.code == 0, result.err
    data = result.data
    assert set(data) == DETAIL_KEYS
    detail = _detail(desk, data["key"])
    assert detail.ticket.subject == "VPN drops" and detail.ticket.description == "Every hour"
    assert detail.ticket.priority == Priority.P2 and detail.department.code == "IT"
    assert detail.owner.handle == "alex" and detail.ticket.status == TicketStatus.OPEN
    assert detail.customer.id == desk.customer.id
    assert data["owner"] == "alex" and data["priority"] == "P2" and data["status"] == "open"
    assert data["customer"]["email"] == "jo@example.com"
    assert data["created_at"].endswith("Z")
    assert [e["kind"] for e in data["events"]] == ["created"]


def test_new_ticket_unassigned_or_for_someone_else(cli: Cli, desk: Desk) -> None:
    queued = cli("ticket", "new", "--customer", "jo@example.com", "--subject", "Printer",
                 "--unassigned", "--json").data
    assert _detail(desk, queued["key"]).owner is None
    assert queued["status"] == "new"
    given = cli("ticket", "new", "--customer", desk.customer.id, "--subject", "Badge",
                "--owner", "blake")
    assert given.code == 0 and given.out.startswith("Created ")
    key = given.out.split()[1].rstrip(":")
    assert _detail(desk, key).owner.handle == "blake"


@pytest.mark.parametrize("argv, code, words", [
    (["--priority", "P9"], 2, ["not a priority"]),
    (["--kind", "rant"], 2, ["invalid choice: 'rant'"]),
    (["--owner", "blake", "--unassigned"], 2, ["not allowed with"]),
    (["--department", "NOPE"], 1, ["no department 'NOPE'"]),
    (["--owner", "ghost"], 1, ["ghost"]),
])
def test_new_ticket_refusals_write_nothing(cli: Cli, desk: Desk, argv: list[str], code: int,
                                           words: list[str]) -> None:
    with nothing_written(desk.store):
        cli("ticket", "new", "--customer", "jo@example.com", "--subject", "X", *argv
            ).refused(code, *words)


def test_new_ticket_for_an_unknown_customer(cli: Cli, desk: Desk) -> None:
    with nothing_written(desk.store):
        cli("ticket", "new", "--customer", "who@example.com", "--subject", "X").refused(
            1, "who@")
        cli("ticket", "new", "--customer", "jo@example.com", "--subject", "  ").refused(
            2, "subject is required")


def test_list_shows_open_tickets_newest_first(cli: Cli, desk: Desk) -> None:
    first = _ticket(desk, "First")
    second = _ticket(desk, "Second", owner="blake", department="HR")
    done = _ticket(desk, "Done")
    tickets.resolve_ticket(desk.alex, done, resolution="Fixed")
    rows = cli("ticket", "list", "--json").data
    assert [r["key"] for r in rows] == [second, first]
    assert set(rows[0]) == ROW_KEYS
    assert rows[0]["owner"] == "blake" and rows[0]["department"] == "HR"
    assert rows[0]["customer"] == {"id": desk.customer.id, "name": "Jo Jansen"}
    assert [r["key"] for r in cli("ticket", "list", "--all", "--json").data] == [
        done, second, first]
    assert [r["key"] for r in cli("ticket", "--json", "list", "--mine").data] == [first]
    assert [r["key"] for r in cli("--json", "ticket", "list", "--owner", "blake").data] == [
        second]
    assert [r["key"] for r in cli("ticket", "list", "--status", "resolved", "--json").data] == [
        done]
    assert [r["key"] for r in cli("ticket", "list", "--department", "hr", "--json").data] == [
        second]
    assert [r["key"] for r in cli("ticket", "list", "--search", "firs", "--json").data] == [
        first]
    assert [r["key"] for r in cli("ticket", "list", "--limit", "1", "--json").data] == [second]
    assert cli("ticket", "list", "--customer", "kim@example.com", "--json").data == []
    table = cli("ticket", "list")
    assert table.code == 0 and "Second" in table.out and "Done" not in table.out
    assert table.out.index(second) < table.out.index(first)


def test_list_unassigned(cli: Cli, desk: Desk) -> None:
    _ticket(desk, "Mine")
    queued = _ticket(desk, "Queued", unassigned=True)
    assert [r["key"] for r in cli("ticket", "list", "--unassigned", "--json").data] == [queued]


def test_list_refusals(cli: Cli) -> None:
    cli("ticket", "list", "--owner", "ghost").refused(1, "ghost")
    cli("ticket", "list", "--customer", "ghost@example.com").refused(1, "ghost@example.com")
    cli("ticket", "list", "--status", "sleeping").refused(2, "invalid choice")
    cli("ticket", "list", "--mine", "--unassigned").refused(2, "not allowed with")
    cli("ticket", "list", "--mine", agent=None).refused(1, "--as HANDLE")


def test_list_markup_in_data_is_shown_as_text(cli: Cli, desk: Desk) -> None:
    _ticket(desk, "[bold]not bold[/bold] [e3f2a1] keep brackets")
    assert "[bold]not bold[/bold] [e3f2a1] keep brackets" in cli("ticket", "list").out


def test_show_has_owner_resolver_trail_articles_and_contacts(cli: Cli, desk: Desk) -> None:
    from deskterm.services import contacts, kb

    key = _ticket(desk, "VPN drops", description="Since Monday")
    tickets.escalate_ticket(desk.alex, key, tier=2, group="Network", reason="Firewall")
    article = kb.create_article(desk.as_("sam"), title="VPN reset", body="Restart it")
    kb.link_article(desk.alex, key, article.id)
    contacts.log_contact(desk.alex, channel="phone", summary="Called about it", ticket=key)
    result = cli("ticket", "show", key)
    assert result.code == 0
    for text in ("VPN drops", "alex", "tier 2 · Network", "Firewall", "Since Monday",
                 "VPN reset", "Called about it", "escalated", "article linked"):
        assert text in result.out, text
    data = cli("ticket", "show", key.lower(), "--json").data
    assert set(data) == DETAIL_KEYS
    assert data["owner"] == "alex" and data["status"] == "escalated"
    assert data["resolver"] == {"tier": 2, "group": "Network"}
    assert data["escalation"]["reason"] == "Firewall"
    assert [a["title"] for a in data["articles"]] == ["VPN reset"]
    assert [c["summary"] for c in data["contacts"]] == ["Called about it"]
    assert "self_rating" not in data["contacts"][0]
    assert [e["kind"] for e in data["events"]] == ["created", "escalated", "article_linked"]
    cli("ticket", "show", "SD-424242").refused(1, "no ticket 'SD-424242'")


def test_update_changes_only_what_is_given(cli: Cli, desk: Desk) -> None:
    key = _ticket(desk)
    result = cli("ticket", "update", key, "--priority", "1", "--status", "waiting",
                 "--subject", "VPN drops hourly", "--json")
    assert result.code == 0, result.err
    ticket = _detail(desk, key).ticket
    assert (ticket.priority, ticket.status, ticket.subject) == (
        Priority.P1, TicketStatus.WAITING, "VPN drops hourly")
    assert ticket.description == ""
    assert result.data["events"][-1]["kind"] == "updated"


def test_update_refusals(cli: Cli, desk: Desk) -> None:
    key = _ticket(desk)
    before = _detail(desk, key).ticket
    cli("ticket", "update", key).refused(2, "nothing to change")
    cli("ticket", "update", key, "--status", "resolved").refused(2, "invalid choice")
    cli("ticket", "update", key, "--priority", "urgent").refused(2, "not a priority")
    cli("ticket", "update", "SD-999", "--subject", "x").refused(1, "no ticket")
    assert _detail(desk, key).ticket == before


def test_assign_and_unassign(cli: Cli, desk: Desk) -> None:
    key = _ticket(desk, unassigned=True)
    assert cli("ticket", "assign", key, "blake").code == 0
    detail = _detail(desk, key)
    assert detail.owner.handle == "blake" and detail.ticket.status == TicketStatus.OPEN
    queued = _ticket(desk, "Queued", owner="blake")
    cli("ticket", "assign", queued, "--none").refused(1, "being worked on")
    fresh = tickets.create_ticket(desk.alex, customer="jo@example.com", subject="New",
                                  owner="blake")
    assert fresh.status == TicketStatus.OPEN
    cli("ticket", "assign", key, "blake", "--none").refused(2, "not both")
    cli("ticket", "assign", key).refused(2, "HANDLE or --none")


def test_unassign_a_new_ticket(cli: Cli, desk: Desk) -> None:
    key = _ticket(desk, unassigned=True)
    tickets.assign_ticket(desk.alex, key, None)
    result = cli("ticket", "assign", key, "--none", "--json")
    assert result.code == 0 and result.data["owner"] is None


def test_escalate_keeps_the_owner(cli: Cli, desk: Desk) -> None:
    key = _ticket(desk)
    result = cli("ticket", "escalate", key, "--tier", "3", "--group", "Vendor",
                 "--reason", "Firmware bug", "--json")
    assert result.code == 0, result.err
    ticket = _detail(desk, key).ticket
    assert ticket.status == TicketStatus.ESCALATED and ticket.resolver_tier == Tier.THIRD
    assert ticket.resolver_group == "Vendor" and _detail(desk, key).owner.handle == "alex"
    assert result.data["owner"] == "alex" and result.data["resolver"]["tier"] == 3


def test_escalate_refusals(cli: Cli, desk: Desk) -> None:
    key = _ticket(desk)
    before = _detail(desk, key).ticket
    with nothing_written(desk.store):
        cli("ticket", "escalate", key, "--tier", "1", "--group", "G", "--reason", "R").refused(
            2, "invalid choice: 1")
        cli("ticket", "escalate", key, "--tier", "2", "--group", "G").refused(2, "--reason")
        cli("ticket", "escalate", key, "--tier", "2", "--group", " ", "--reason", "R").refused(
            2, "resolver group is required")
    assert _detail(desk, key).ticket == before


def test_resolve_reopen_and_note(cli: Cli, desk: Desk) -> None:
    key = _ticket(desk)
    assert cli("ticket", "resolve", key, "--resolution", "Reset the token",
               "--first-contact").code == 0
    ticket = _detail(desk, key).ticket
    assert ticket.status == TicketStatus.RESOLVED and ticket.first_contact_resolution
    assert ticket.resolution == "Reset the token"
    cli("ticket", "resolve", key, "--resolution", "again").refused(1, "already resolved")
    assert cli("ticket", "reopen", key, "--reason", "Back again").code == 0
    ticket = _detail(desk, key).ticket
    assert ticket.status == TicketStatus.OPEN and ticket.first_contact_resolution is False
    cli("ticket", "reopen", key, "--reason", "again").refused(1, "not resolved")
    result = cli("ticket", "note", key, "Called the vendor", "--json")
    assert result.code == 0
    events = _detail(desk, key).events
    assert [e.kind for e in events][-1] == TicketEventKind.NOTE
    assert events[-1].detail == "Called the vendor"
    assert result.data["events"][-1]["detail"] == "Called the vendor"


def test_resolve_at_first_contact_after_escalation_is_refused(cli: Cli, desk: Desk) -> None:
    key = _ticket(desk)
    tickets.escalate_ticket(desk.alex, key, tier=2, group="Network", reason="Firewall")
    before = _detail(desk, key)
    cli("ticket", "resolve", key, "--resolution", "Done", "--first-contact").refused(
        2, "not resolved at first contact")
    after = _detail(desk, key)
    assert after.ticket == before.ticket and len(after.events) == len(before.events)


#: Planner statistics (sqlite_stat1) as ANALYZE leaves them on a store of 1M tickets and
#: 50k customers: with these a plain JOIN made SQLite scan customers first (seconds).
BIG_STORE_STATS = [
    ("ticket", "ix_ticket_status_created", "1000000 166667 1"),
    ("ticket", "ix_ticket_customer", "1000000 20 1"),
    ("ticket", "ix_ticket_owner_status", "1000000 24391 4976"),
    ("ticket", "ix_ticket_department_status", "1000000 250000 41667"),
    ("ticket", "sqlite_autoindex_ticket_1", "1000000 1"),
    ("customer", "sqlite_autoindex_customer_1", "50000 1"),
    ("customer", "ix_customer_email", "50000 1"),
    ("customer", "ix_customer_name", "50000 1"),
]


def test_default_queue_query_is_led_by_the_status_index(demo_db) -> None:  # type: ignore[no-untyped-def]
    """`ticket list` must stay fast on big stores whatever ANALYZE concluded: the ticket
    table leads, through its status index, and nothing is scanned whole."""
    import sqlite3

    from deskterm.store.queries import OPEN_FILTER, list_tickets

    with sqlite3.connect(demo_db) as setup:
        setup.execute("ANALYZE")
        setup.execute("DELETE FROM sqlite_stat1 WHERE tbl IN ('ticket', 'customer')")
        setup.executemany("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)",
                          BIG_STORE_STATS)
    connection = sqlite3.connect(demo_db)  # a new connection reads the statistics
    try:
        executed: list[str] = []
        connection.set_trace_callback(executed.append)
        list_tickets(connection, OPEN_FILTER, limit=50)
        connection.set_trace_callback(None)
        plan = [row[3] for row in connection.execute(f"EXPLAIN QUERY PLAN {executed[-1]}")]
    finally:
        connection.close()
    assert plan[0].startswith("SEARCH t USING") and "(status=?)" in plan[0], plan
    assert not any(step.startswith("SCAN") for step in plan), plan
