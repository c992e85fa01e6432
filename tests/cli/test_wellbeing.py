"""`deskterm mood` and `deskterm kudos ...`."""

from __future__ import annotations

from deskterm.domain.enums import KudosSource
from deskterm.services import tickets
from deskterm.services.wellbeing import list_kudos, my_moods
from tests.cli.conftest import Cli, nothing_written
from tests.conftest import Desk

KUDOS_KEYS = {"id", "source", "from", "message", "about", "team_id", "customer_id",
              "ticket_id", "author", "created_at"}


def test_mood_once_a_day(cli: Cli, desk: Desk) -> None:
    result = cli("mood", "5", "--note", "Great shift")
    assert result.code == 0, result.err
    assert "😄" in result.out
    [entry] = my_moods(desk.alex)
    assert (entry.score, entry.note) == (5, "Great shift")
    with nothing_written(desk.store):
        cli("mood", "3").refused(1, "already logged")
        cli("mood", "0", agent="blake").refused(2, "out of range")
        cli("mood", "6", agent="blake").refused(2, "out of range")
        cli("mood", "3", agent=None).refused(1, "who are you")
    data = cli("mood", "2", "--json", agent="blake").data
    assert data["score"] == 2 and data["smiley"] == "🙁" and data["note"] is None
    assert [m.score for m in my_moods(desk.as_("blake"))] == [2]


def test_kudos_from_a_colleague(cli: Cli, desk: Desk) -> None:
    ticket = tickets.create_ticket(desk.alex, customer="jo@example.com", subject="VPN")
    result = cli("kudos", "add", "--message", "Thanks for taking my call!", "--about", "blake",
                 "--ticket", ticket.key, "--json")
    assert result.code == 0, result.err
    assert set(result.data) == KUDOS_KEYS
    [kudos] = list_kudos(desk.store)
    assert kudos.source == KudosSource.PEER and kudos.from_name == "Alex Agent"
    assert kudos.author_id == desk.alex.actor.id and kudos.ticket_id == ticket.id
    assert kudos.about_agent_id == desk.blake.actor.id
    assert "Alex Agent (peer)" in cli("kudos", "list").out


def test_a_lead_enters_a_customers_compliment_and_the_feed_says_so(cli: Cli,
                                                                   desk: Desk) -> None:
    ticket = tickets.create_ticket(desk.alex, customer="jo@example.com", subject="VPN")
    assert cli("kudos", "add", "--message", "Fixed in minutes!", "--about", "alex",
               "--customer", "jo@example.com", "--ticket", ticket.key, agent="morgan").code == 0
    [kudos] = list_kudos(desk.store)
    assert kudos.source == KudosSource.CUSTOMER and kudos.from_name == "Jo Jansen"
    assert "entered by morgan" in cli("kudos", "list").out
    assert cli("kudos", "add", "--message", "Lovely team", "--from", "A visitor",
               agent="morgan").code == 0
    assert list_kudos(desk.store)[0].about_agent_id is None


def test_kudos_from_a_lead_and_the_feed(cli: Cli, desk: Desk) -> None:
    assert cli("kudos", "add", "--message", "Queue cleared", "--about", "blake", "--lead",
               agent="morgan").code == 0
    assert list_kudos(desk.store)[0].source == KudosSource.LEAD
    assert cli("kudos", "add", "--message", "Thanks", "--about", "alex", "--from", "Kim",
               agent="morgan").code == 0
    rows = cli("kudos", "list", "--json").data
    assert [r["message"] for r in rows] == ["Thanks", "Queue cleared"]
    assert rows[1]["from"] == "Morgan Lead" and rows[1]["about"] == "blake"
    about = cli("kudos", "list", "--about", "blake", "--json").data
    assert [r["message"] for r in about] == ["Queue cleared"]
    assert "Queue cleared" in cli("kudos", "list").out
    assert len(cli("kudos", "list", "--limit", "1", "--json").data) == 1


def test_kudos_refusals(cli: Cli, desk: Desk) -> None:
    with nothing_written(desk.store):
        cli("kudos", "add", "--message", "Hi", "--lead").refused(1, "only a team lead")
        cli("kudos", "add", "--message", "Hi", "--about", "alex").refused(
            1, "nobody sends kudos about themselves")
        cli("kudos", "add", "--message", "Hi", "--about", "@morgan", agent="morgan").refused(
            1, "nobody sends kudos about themselves")
        cli("kudos", "add", "--message", "Great", "--about", "blake", "--from", "Kim").refused(
            1, "a customer's compliment comes from their feedback response or is entered "
            "by a lead")
        cli("kudos", "add", "--message", "Hi", "--customer", "jo@example.com").refused(
            1, "entered by a lead")
        cli("kudos", "add", "--message", " ", "--from", "Kim").refused(2, "message is required")
        cli("kudos", "add", "--message", "Hi", "--about", "ghost", "--from", "Kim").refused(
            1, "ghost")
        cli("kudos", "add", "--from", "Kim").refused(2, "--message")
    cli("kudos", "list", "--about", "ghost").refused(1, "ghost")
