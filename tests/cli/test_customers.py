"""`deskterm customer ...`, `deskterm contact log` and `deskterm history`."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from deskterm.domain import Contact, Customer
from deskterm.domain.clock import utcnow
from deskterm.domain.enums import Channel, Direction
from deskterm.domain.money import Money
from deskterm.services import contacts, goodwill, tickets
from tests.cli.conftest import Cli, nothing_written
from tests.conftest import Desk

CUSTOMER_KEYS = {"id", "short_id", "name", "email", "organisation", "phone", "created_at"}
CONTACT_KEYS = {"id", "customer_id", "ticket_id", "agent", "channel", "direction", "summary",
                "occurred_at"}


def _contacts(desk: Desk) -> list[Contact]:
    with desk.store.reading() as session:
        return list(session.exec(select(Contact)).all())


def test_new_customer(cli: Cli, desk: Desk) -> None:
    result = cli("customer", "new", "--name", "Ann Smith", "--email", "Ann@Example.org",
                 "--organisation", "Globex", "--phone", "+31 20 123 4567", "--product", "VPN",
                 "--product", "Laptop", "--notes", "Prefers email", "--json")
    assert result.code == 0, result.err
    data = result.data
    assert set(data) == CUSTOMER_KEYS | {"products", "notes", "updated_at", "erased"}
    with desk.store.reading() as session:
        made = session.get(Customer, data["id"])
    assert made.email == "ann@example.org" and made.products == ["VPN", "Laptop"]
    assert made.organisation == "Globex" and made.notes == "Prefers email"
    assert data["short_id"] == made.id.replace("-", "")[-8:]


def test_new_customer_refusals(cli: Cli, desk: Desk) -> None:
    with nothing_written(desk.store):
        cli("customer", "new", "--name", "X", "--email", "not-an-email").refused(
            2, "not an email address")
        cli("customer", "new", "--name", "X", "--email", "jo@example.com").refused(
            1, "already belongs")
        cli("customer", "new", "--email", "x@example.com").refused(2, "--name")
        cli("customer", "new", "--name", "X", agent=None).refused(1, "who are you")


def test_list_and_search_customers(cli: Cli, desk: Desk) -> None:
    rows = cli("customer", "list", "--json").data
    assert [r["name"] for r in rows] == ["Jo Jansen", "Kim Klaassen"]
    assert set(rows[0]) == CUSTOMER_KEYS
    assert [r["name"] for r in cli("customer", "list", "--search", "acme", "--json").data] == [
        "Jo Jansen"]
    assert [r["name"] for r in cli("customer", "list", "--search", "KIM@", "--json").data] == [
        "Kim Klaassen"]
    assert cli("customer", "list", "--search", "100%_", "--json").data == []
    assert len(cli("customer", "list", "--limit", "1", "--json").data) == 1
    table = cli("customer", "list")
    assert "Jo Jansen" in table.out and "Kim Klaassen" in table.out


def test_show_customer(cli: Cli, desk: Desk) -> None:
    ticket = tickets.create_ticket(desk.alex, customer="jo@example.com", subject="VPN drops")
    contacts.log_contact(desk.alex, channel="phone", summary="Called", ticket=ticket.key)
    contacts.log_contact(desk.alex, channel="email", summary="Long ago", customer="jo@example.com",
                         occurred_at=utcnow() - timedelta(days=30))
    human = cli("customer", "show", "jo@example.com")
    assert human.code == 0
    for text in ("Jo Jansen", "Acme", "Laptop, VPN", "VPN drops", "Called"):
        assert text in human.out
    assert "Long ago" not in human.out
    data = cli("customer", "show", desk.customer.id[-8:], "--json").data
    assert data["customer"]["name"] == "Jo Jansen"
    assert [t["key"] for t in data["open_tickets"]] == [ticket.key]
    assert [c["summary"] for c in data["recent_contacts"]] == ["Called"]
    cli("customer", "show", "nobody@example.com").refused(1, "no customer")


def test_log_contact_for_customer_and_ticket(cli: Cli, desk: Desk) -> None:
    ticket = tickets.create_ticket(desk.alex, customer="jo@example.com", subject="VPN drops")
    result = cli("contact", "log", "--customer", "jo@example.com", "--channel", "walk-in",
                 "--summary", "Came by the desk", "--direction", "inbound", "--rating", "4",
                 "--json")
    assert result.code == 0, result.err
    assert set(result.data) == CONTACT_KEYS | {"self_rating"}
    assert result.data["self_rating"] == 4
    assert cli("contact", "log", "--ticket", ticket.key, "--channel", "email", "--summary",
               "Sent the fix", "--direction", "outbound").code == 0
    logged = sorted(_contacts(desk), key=lambda c: c.occurred_at)
    assert [(c.channel, c.direction, c.self_rating) for c in logged] == [
        (Channel.WALK_IN, Direction.INBOUND, 4), (Channel.EMAIL, Direction.OUTBOUND, None)]
    assert logged[1].ticket_id == ticket.id and logged[1].customer_id == desk.customer.id


def test_log_contact_refusals(cli: Cli, desk: Desk) -> None:
    base = ["contact", "log", "--customer", "jo@example.com", "--summary", "Hi"]
    with nothing_written(desk.store):
        cli(*base, "--channel", "pigeon").refused(2, "invalid choice: 'pigeon'")
        cli(*base, "--channel", "phone", "--rating", "9").refused(2, "--rating")
        cli("contact", "log", "--channel", "phone", "--summary", "Hi").refused(
            2, "one of the arguments --customer --ticket is required")
        cli(*base, "--ticket", "SD-1", "--channel", "phone").refused(2, "not allowed with")
        cli("contact", "log", "--customer", "x@example.com", "--channel", "phone",
            "--summary", "Hi").refused(1, "no customer")
        cli(*base[:-1], " ", "--channel", "phone").refused(2, "summary is required")


def test_history_with_repeat_banner_and_goodwill(cli: Cli, desk: Desk) -> None:
    now = utcnow()
    for days, channel in ((5, "email"), (2, "phone")):
        contacts.log_contact(desk.alex, channel=channel, summary=f"{days} days ago",
                             customer="jo@example.com", occurred_at=now - timedelta(days=days))
    ticket = tickets.create_ticket(desk.alex, customer="jo@example.com", subject="VPN drops")
    goodwill.allocate(desk.lead, "alex", Money(5000))
    goodwill.spend(desk.alex, Money(1250), reason="Sorry for the wait", ticket=ticket.key)
    human = cli("history", "jo@example.com")
    assert human.code == 0
    assert "2nd contact in 7 days — last one 2 days ago by phone" in human.out
    for text in ("VPN drops", "Sorry for the wait", "€12.50", "5 days ago"):
        assert text in human.out
    data = cli("history", "jo@example.com", "--json").data
    assert data["repeat"] == {"is_repeat": True, "contacts_last_7_days": 2,
                              "banner": "2nd contact in 7 days — last one 2 days ago by phone"}
    assert [c["summary"] for c in data["contacts"]] == ["2 days ago", "5 days ago"]
    assert set(data["contacts"][0]) == CONTACT_KEYS
    assert data["goodwill_given"] == {"amount": "12.50", "currency": "EUR", "cents": 1250}
    assert [e["kind"] for e in data["goodwill_entries"]] == ["spend"]
    assert [t["key"] for t in data["open_tickets"]] == [ticket.key]
    assert data["total_contacts"] == 2
    assert len(cli("history", "jo@example.com", "--limit", "1", "--json").data["contacts"]) == 1


def test_history_without_repeat(cli: Cli, desk: Desk) -> None:
    data = cli("history", "kim@example.com", "--json").data
    assert data["repeat"]["banner"] is None and data["contacts"] == []
    assert "contact in 7 days" not in cli("history", "kim@example.com").out
    cli("history", "nobody@example.com").refused(1, "no customer")
