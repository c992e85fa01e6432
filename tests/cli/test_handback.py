"""`deskterm group ...`, and the hand-back on the command line: escalate to a group, a
resolver's resolve returns the ticket, the owner closes it once the customer was told,
chases the group; a lead takes a complaint over."""

from __future__ import annotations

from deskterm.domain.enums import TicketStatus
from deskterm.services import tickets
from deskterm.services.ticket_views import ticket_detail
from tests.cli.conftest import Cli, nothing_written
from tests.conftest import Desk


def _escalated(cli: Cli, desk: Desk) -> str:
    made = tickets.create_ticket(desk.alex, customer="jo@example.com", subject="VPN drops")
    result = cli("ticket", "escalate", made.key, "--group", "network", "--reason", "Router")
    assert result.code == 0, result.err
    return made.key


def test_a_lead_makes_a_group_and_keeps_its_members(cli: Cli, desk: Desk) -> None:
    made = cli("group", "add", "Wireless", "--tier", "2", "--lead", "sam", agent="morgan")
    assert made.code == 0, made.err
    assert "Group Wireless (tier 2) made, led by sam" in made.out
    changed = cli("group", "members", "Wireless", "--add", "blake", "--add", "alex",
                  "--remove", "sam", "--json", agent="morgan")
    assert changed.code == 0, changed.err
    assert changed.data["members"] == ["alex", "blake"]
    listed = cli("group", "list", "--json")
    assert {g["name"]: g["tier"] for g in listed.data}["Wireless"] == 2
    assert "Wireless" in cli("group", "list").out


def test_group_refusals(cli: Cli, desk: Desk) -> None:
    with nothing_written(desk.store):
        cli("group", "add", "Wireless", "--tier", "2").refused(1, "only a team lead")
        cli("group", "add", "Desk", "--tier", "1", agent="morgan").refused(2, "invalid choice")
        cli("group", "add", "network", "--tier", "2", agent="morgan").refused(1, "already")
        cli("group", "members", "Network", "--add", "alex").refused(1, "only a team lead")
        cli("group", "members", "Nope").refused(1, "no resolver group 'Nope'")


def test_escalating_to_an_unknown_group_says_how_to_find_one(cli: Cli, desk: Desk) -> None:
    made = tickets.create_ticket(desk.alex, customer="jo@example.com", subject="VPN drops")
    with nothing_written(desk.store):
        cli("ticket", "escalate", made.key, "--group", "Netwerk", "--reason", "R").refused(
            1, "no resolver group 'Netwerk'", "deskterm group list")


def test_a_resolvers_resolve_returns_and_the_owner_must_tell_the_customer(
        cli: Cli, desk: Desk) -> None:
    key = _escalated(cli, desk)
    back = cli("ticket", "resolve", key, "--resolution", "New router", agent="sam")
    assert back.code == 0, back.err
    assert f"Returned to alex {key}" in back.out and "returned←Network" in back.out
    assert ticket_detail(desk.store, key).ticket.status == TicketStatus.OPEN
    with nothing_written(desk.store):
        cli("ticket", "resolve", key).refused(1, "tell the customer first", "--informed")
    done = cli("ticket", "resolve", key, "--informed", "customer already informed by phone",
               "--json")
    assert done.code == 0, done.err
    assert done.data["status"] == "resolved" and done.data["resolution"] == "New router"
    assert done.data["returned_at"] is not None
    trail = [(e["kind"], e["detail"]) for e in done.data["events"]]
    assert ("informed", "customer already informed by phone") in trail


def test_a_logged_contact_tells_the_customer(cli: Cli, desk: Desk) -> None:
    key = _escalated(cli, desk)
    assert cli("ticket", "resolve", key, "--resolution", "New router", agent="sam").code == 0
    assert cli("contact", "log", "--ticket", key, "--channel", "phone", "--summary",
               "Told Jo the router is replaced").code == 0
    assert cli("ticket", "resolve", key).code == 0


def test_update_says_when_an_escalation_comes_back(cli: Cli, desk: Desk) -> None:
    key = _escalated(cli, desk)
    cli("ticket", "update", key, "--status", "waiting").refused(
        1, "comes back to its owner when the resolver resolves it")


def test_the_owner_chases_the_group(cli: Cli, desk: Desk) -> None:
    key = _escalated(cli, desk)
    with nothing_written(desk.store):
        cli("ticket", "chase", key, "--message", "news?", agent="blake").refused(1, "owner")
    chased = cli("ticket", "chase", key, "--message", "The customer calls daily", "--json")
    assert chased.code == 0, chased.err
    assert ("chase", "to Network: The customer calls daily") in \
        [(e["kind"], e["detail"]) for e in chased.data["events"]]


def test_a_lead_takes_a_complaint_over(cli: Cli, desk: Desk) -> None:
    made = tickets.create_ticket(desk.alex, customer="jo@example.com", subject="Rude",
                                 kind="complaint")
    with nothing_written(desk.store):
        cli("ticket", "take-over", made.key).refused(1, "only a team lead")
    taken = cli("ticket", "take-over", made.key, "--json", agent="morgan")
    assert taken.code == 0, taken.err
    assert taken.data["owner"] == "morgan"
    assert ("taken_over", "morgan took the complaint over from alex") in \
        [(e["kind"], e["detail"]) for e in taken.data["events"]]
