"""`deskterm goodwill ...`: balance, ledger, spend, allocate and reverse from the command line."""

from __future__ import annotations

from deskterm.domain.enums import LedgerKind
from deskterm.domain.goodwill import period_of
from deskterm.domain.money import Money
from deskterm.services import goodwill, tickets
from deskterm.services.lookup import short_id
from tests.cli.conftest import Cli, nothing_written
from tests.conftest import FIXED_NOW, Desk

ENTRY_KEYS = {"id", "short_id", "kind", "agent", "period", "amount", "reason", "ticket_id",
              "customer_id", "reverses", "author", "created_at"}
PERIOD = period_of(FIXED_NOW)


def _fund(desk: Desk, cents: int = 5000) -> None:
    goodwill.allocate(desk.lead, "alex", Money(cents))


def _balance(desk: Desk, handle: str = "alex") -> int:
    return goodwill.balance(desk.store, handle).balance.cents


def test_allocate_as_lead(cli: Cli, desk: Desk) -> None:
    result = cli("goodwill", "allocate", "alex", "50", "--reason", "November", "--json",
                 agent="morgan")
    assert result.code == 0, result.err
    assert set(result.data) == ENTRY_KEYS
    assert result.data["amount"] == {"amount": "50.00", "currency": "EUR", "cents": 5000}
    assert result.data["agent"] == "alex" and result.data["author"] == "morgan"
    assert result.data["period"] == PERIOD
    assert _balance(desk) == 5000
    later = cli("goodwill", "allocate", "@Alex", "10,5", "--period", "2099-01", agent="morgan")
    assert later.code == 0 and "€10.50" in later.out
    assert goodwill.balance(desk.store, "alex", period="2099-01").balance.cents == 1050


def test_allocate_refusals(cli: Cli, desk: Desk) -> None:
    with nothing_written(desk.store):
        cli("goodwill", "allocate", "alex", "50").refused(1, "only a team lead")
        cli("goodwill", "allocate", "casey", "50", agent="morgan").refused(1, "not in your team")
        cli("goodwill", "allocate", "alex", "fifty", agent="morgan").refused(2, "not an amount")
        cli("goodwill", "allocate", "alex", "0", agent="morgan").refused(2, "more than zero")
        cli("goodwill", "allocate", "alex", "50", "--period", "2026-13", agent="morgan").refused(
            2, "not a period")
        cli("goodwill", "allocate", "ghost", "50", agent="morgan").refused(1, "ghost")


def test_spend_for_a_ticket(cli: Cli, desk: Desk) -> None:
    _fund(desk)
    ticket = tickets.create_ticket(desk.alex, customer="jo@example.com", subject="Late")
    result = cli("goodwill", "spend", "12.50", "--reason", "Sorry for the wait", "--ticket",
                 ticket.key)
    assert result.code == 0, result.err
    assert "€12.50" in result.out and "€37.50 left" in result.out
    entry = goodwill.ledger(desk.store, "alex")[0]
    assert entry.kind == LedgerKind.SPEND and entry.amount_cents == -1250
    assert entry.ticket_id == ticket.id and entry.customer_id == desk.customer.id
    assert short_id(entry.id) in result.out
    assert _balance(desk) == 3750


def test_overspend_leaves_the_ledger_as_it_was(cli: Cli, desk: Desk) -> None:
    _fund(desk, 3750)
    before = goodwill.ledger(desk.store, "alex")
    with nothing_written(desk.store):
        cli("goodwill", "spend", "40", "--reason", "Too generous", "--customer",
            "jo@example.com").refused(
            1, f"not enough goodwill budget for {PERIOD}: €40.00 asked, €37.50 left")
    assert goodwill.ledger(desk.store, "alex") == before


def test_spend_refusals(cli: Cli, desk: Desk) -> None:
    _fund(desk)
    base = ["goodwill", "spend"]
    with nothing_written(desk.store):
        cli(*base, "12.5.0", "--reason", "why not", "--customer", "jo@example.com").refused(
            2, "'12.5.0' is not an amount")
        cli(*base, "-5", "--reason", "why not", "--customer", "jo@example.com").refused(
            2, "more than zero")
        cli(*base, "5", "--reason", "x", "--customer", "jo@example.com").refused(2, "why")
        cli(*base, "5", "--reason", "why not").refused(2, "ticket or the customer")
        cli(*base, "5").refused(2, "--reason")
        cli(*base, "5", "--reason", "why not", "--customer", "nobody@example.com").refused(
            1, "no customer")
        cli(*base, "5", "--reason", "why not", "--customer", "jo@example.com",
            agent=None).refused(1, "who are you")


def test_balance_and_ledger(cli: Cli, desk: Desk) -> None:
    _fund(desk)
    goodwill.spend(desk.alex, Money(1250), reason="Flowers", customer="jo@example.com")
    data = cli("goodwill", "balance", "--json").data
    assert data == {
        "agent": "alex", "period": PERIOD,
        "balance": {"amount": "37.50", "currency": "EUR", "cents": 3750},
        "allocated": {"amount": "50.00", "currency": "EUR", "cents": 5000},
        "spent": {"amount": "12.50", "currency": "EUR", "cents": 1250},
    }
    human = cli("goodwill", "balance")
    assert "€37.50" in human.out and "alex" in human.out
    rows = cli("goodwill", "ledger", "--json").data
    assert [r["kind"] for r in rows] == ["spend", "allocation"]
    assert set(rows[0]) == ENTRY_KEYS
    assert rows[0]["amount"]["cents"] == -1250
    assert rows[0]["short_id"] == rows[0]["id"].replace("-", "")[-8:]
    table = cli("goodwill", "ledger")
    assert rows[0]["short_id"] in table.out and "Flowers" in table.out
    assert len(cli("goodwill", "ledger", "--limit", "1", "--json").data) == 1
    assert cli("goodwill", "ledger", "--period", "2001-01", "--json").data == []
    old = cli("goodwill", "balance", "--period", "2001-01", "--json").data
    assert old["balance"]["cents"] == 0


def test_who_may_see_a_budget(cli: Cli, desk: Desk) -> None:
    _fund(desk)
    assert cli("goodwill", "balance", "alex", "--json", agent="morgan").data["agent"] == "alex"
    assert len(cli("goodwill", "ledger", "alex", "--json", agent="morgan").data) == 1
    assert cli("goodwill", "balance", "alex", "--json", agent="root").code == 0
    cli("goodwill", "balance", "morgan").refused(1, "only a team lead")
    cli("goodwill", "ledger", "blake").refused(1, "only a team lead")
    cli("goodwill", "ledger", "casey", agent="morgan").refused(1, "not in your team")
    cli("goodwill", "balance", "--period", "26-11").refused(2, "not a period")
    cli("goodwill", "balance", agent=None).refused(1, "who are you")


def test_reverse_by_short_id(cli: Cli, desk: Desk) -> None:
    _fund(desk)
    spent = goodwill.spend(desk.alex, Money(2000), reason="Courier", customer="jo@example.com")
    result = cli("goodwill", "reverse", short_id(spent.id), "--reason", "Wrong ticket",
                 "--json", agent="morgan")
    assert result.code == 0, result.err
    assert result.data["kind"] == "reversal" and result.data["reverses"] == short_id(spent.id)
    assert result.data["amount"]["cents"] == 2000
    assert _balance(desk) == 5000
    newest = goodwill.ledger(desk.store, "alex")[0]
    assert newest.reverses_id == spent.id and newest.reason == "Wrong ticket"
    with nothing_written(desk.store):
        cli("goodwill", "reverse", short_id(spent.id), "--reason", "again",
            agent="morgan").refused(1, "already reversed")
        cli("goodwill", "reverse", short_id(spent.id), "--reason", "mine").refused(
            1, "only a team lead")
        cli("goodwill", "reverse", "abc", "--reason", "typo", agent="morgan").refused(
            2, "at least its last 6")
        cli("goodwill", "reverse", "ffffffff", "--reason", "typo", agent="morgan").refused(
            1, "no single ledger entry")
