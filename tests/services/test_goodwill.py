"""The goodwill ledger: who may allocate, spend and reverse, and that balances never lie."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deskterm.domain import GoodwillEntry, Ticket
from deskterm.domain.enums import LedgerKind
from deskterm.domain.errors import Conflict, Forbidden, InsufficientBudget, InvalidInput, NotFound
from deskterm.domain.money import Money
from deskterm.services import customers, goodwill, org, tickets
from deskterm.services.context import ServiceContext, context_for
from deskterm.services.lookup import short_id
from deskterm.store import Store, open_store
from tests.conftest import FIXED_NOW, Desk, table_counts
from tests.services.conftest import Outbox, Refuse, fixed

PERIOD = "2026-11"  # the month FIXED_NOW falls in


def eur(text: str) -> Money:
    return Money.parse(text)


def ledger_sum(store: Store, handle: str, period: str = PERIOD) -> int:
    """The balance as the ledger's own arithmetic: the sum of the budget's entries."""
    with store.raw() as connection:
        return connection.execute(
            "SELECT coalesce(sum(g.amount_cents), 0) FROM goodwill_entry AS g "
            "JOIN agent AS a ON a.id = g.budget_agent_id WHERE a.handle = ? AND g.period = ?",
            (handle, period),
        ).fetchone()[0]


def entries(store: Store) -> list[tuple[object, ...]]:
    with store.raw() as connection:
        return connection.execute("SELECT * FROM goodwill_entry ORDER BY rowid").fetchall()


@pytest.fixture
def lead(desk: Desk) -> ServiceContext:
    return fixed(desk, "morgan")


@pytest.fixture
def alex(desk: Desk) -> ServiceContext:
    return fixed(desk, "alex", minutes=1)


@pytest.fixture
def ticket(desk: Desk) -> Ticket:
    return tickets.create_ticket(desk.alex, customer="jo@example.com", subject="Late parcel")


@pytest.fixture
def funded(desk: Desk, lead: ServiceContext) -> GoodwillEntry:
    """€100.00 allocated to alex for November 2026 by the lead."""
    return goodwill.allocate(lead, "alex", eur("100"), reason="November budget")


# --- allocate --------------------------------------------------------------------------


def test_a_lead_allocates_to_their_team(desk: Desk, lead: ServiceContext,
                                        outbox: Outbox) -> None:
    entry = goodwill.allocate(lead, "@Alex", eur("100.00"), reason=" November budget ")
    assert entry.kind is LedgerKind.ALLOCATION
    assert entry.amount == Money(10000, "EUR")
    assert entry.period == PERIOD
    assert entry.reason == "November budget"
    assert entry.budget_agent_id == desk.alex.actor.id
    assert entry.author_id == lead.actor.id
    assert entry.created_at == FIXED_NOW
    [change] = outbox.new()
    assert (change.entity, change.op, change.row_id) == ("goodwill_entry", "insert", entry.id)
    assert change.fields["amount_cents"] == 10000
    assert change.fields["kind"] == "allocation"
    assert change.author_id == lead.actor.id
    budget = goodwill.balance(desk.store, "alex", period=PERIOD)
    assert (budget.balance, budget.allocated, budget.spent) == (eur("100"), eur("100"), eur("0"))


def test_allocation_may_name_its_period(desk: Desk, lead: ServiceContext) -> None:
    entry = goodwill.allocate(lead, "alex", eur("40"), period=" 2027-1 ")
    assert entry.period == "2027-01"
    assert goodwill.balance(desk.store, "alex", period="2027-01").balance == eur("40")
    assert goodwill.balance(desk.store, "alex", period=PERIOD).balance == eur("0")


def test_an_admin_allocates_to_any_team(desk: Desk) -> None:
    goodwill.allocate(fixed(desk, "root"), "casey", eur("25"))
    assert goodwill.balance(desk.store, "casey", period=PERIOD).balance == eur("25")


def test_allocate_refusals(desk: Desk, lead: ServiceContext, refuse: Refuse) -> None:
    refuse(Forbidden, lambda: goodwill.allocate(desk.alex, "blake", eur("10")),
           "only a team lead or admin may allocate goodwill budgets")
    refuse(Forbidden, lambda: goodwill.allocate(desk.alex, "alex", eur("10")),
           "only a team lead or admin may allocate")
    refuse(Forbidden, lambda: goodwill.allocate(lead, "casey", eur("10")),
           "casey is not in your team")
    refuse(Forbidden, lambda: goodwill.allocate(lead, "sam", eur("10")),
           "sam is not in your team")
    refuse(InvalidInput, lambda: goodwill.allocate(lead, "alex", eur("0")),
           "the amount must be more than zero")
    refuse(InvalidInput, lambda: goodwill.allocate(lead, "alex", eur("-5")),
           "the amount must be more than zero")
    refuse(InvalidInput, lambda: goodwill.allocate(lead, "alex", Money(1000, "USD")),
           "budgets are kept in EUR, not USD")
    refuse(InvalidInput, lambda: goodwill.allocate(lead, "alex", eur("10000.01")),
           "€10,000.01 is more than one entry may move (€10,000.00)")
    for period in ("2026-13", "2026-00", "26-11", "november", "2026/11", "2026-11-01", "-"):
        refuse(InvalidInput, lambda p=period: goodwill.allocate(lead, "alex", eur("1"),
                                                                period=p),
               "is not a period", "YYYY-MM")
    refuse(InvalidInput, lambda: goodwill.allocate(lead, "alex", eur("1"), reason=" "),
           "reason is required")
    refuse(NotFound, lambda: goodwill.allocate(lead, "zed", eur("1")),
           "no agent with handle 'zed'")


def test_the_largest_entry_is_allowed(desk: Desk, lead: ServiceContext) -> None:
    goodwill.allocate(lead, "alex", eur("10000.00"))
    assert goodwill.balance(desk.store, "alex", period=PERIOD).balance == eur("10000")


# --- spend -----------------------------------------------------------------------------


def test_spend_on_a_ticket(desk: Desk, funded: GoodwillEntry, alex: ServiceContext,
                           ticket: Ticket, outbox: Outbox) -> None:
    entry = goodwill.spend(alex, eur("12,50"), reason="Voucher for the delay",
                           ticket=ticket.key)
    assert entry.kind is LedgerKind.SPEND
    assert entry.amount_cents == -1250
    assert entry.ticket_id == ticket.id
    assert entry.customer_id == desk.customer.id
    assert entry.budget_agent_id == entry.author_id == alex.actor.id
    assert entry.period == PERIOD
    assert outbox.summary() == [("goodwill_entry", "insert")]
    budget = goodwill.balance(desk.store, "alex", period=PERIOD)
    assert (budget.balance, budget.allocated, budget.spent) == (
        eur("87.50"), eur("100"), eur("12.50"))
    assert budget.balance.cents == ledger_sum(desk.store, "alex")


def test_spend_on_a_customer_or_on_both(desk: Desk, funded: GoodwillEntry,
                                        alex: ServiceContext, ticket: Ticket) -> None:
    by_customer = goodwill.spend(alex, eur("5"), reason="Flowers", customer="JO@example.com")
    assert (by_customer.ticket_id, by_customer.customer_id) == (None, desk.customer.id)
    both = goodwill.spend(alex, eur("5"), reason="Coffee", ticket=ticket.id,
                          customer=short_id(desk.customer.id))
    assert (both.ticket_id, both.customer_id) == (ticket.id, desk.customer.id)


def test_the_whole_budget_may_be_spent(desk: Desk, funded: GoodwillEntry,
                                       alex: ServiceContext) -> None:
    goodwill.spend(alex, eur("100"), reason="Replacement", customer="jo@example.com")
    assert goodwill.balance(desk.store, "alex", period=PERIOD).balance == eur("0")


def test_overdraw_is_refused_with_both_amounts(desk: Desk, funded: GoodwillEntry,
                                               alex: ServiceContext, refuse: Refuse) -> None:
    goodwill.spend(alex, eur("80"), reason="Replacement", customer="jo@example.com")
    before = entries(desk.store)
    refuse(InsufficientBudget,
           lambda: goodwill.spend(alex, eur("50"), reason="Voucher", customer="jo@example.com"),
           "not enough goodwill budget", "€50.00 asked", "€20.00 left", PERIOD)
    assert entries(desk.store) == before
    assert goodwill.balance(desk.store, "alex", period=PERIOD).balance == eur("20")


def test_spend_without_a_budget_is_refused(desk: Desk, alex: ServiceContext,
                                           refuse: Refuse) -> None:
    refuse(InsufficientBudget,
           lambda: goodwill.spend(alex, eur("1"), reason="Voucher", customer="jo@example.com"),
           "€1.00 asked", "€0.00 left")


def test_spending_another_agents_budget_is_impossible(desk: Desk, funded: GoodwillEntry,
                                                      refuse: Refuse) -> None:
    # A spend always draws on the actor's own budget: blake has none.
    refuse(InsufficientBudget, lambda: goodwill.spend(fixed(desk, "blake"), eur("1"),
                                                      reason="Voucher",
                                                      customer="jo@example.com"),
           "€0.00 left")


def test_spend_refusals(desk: Desk, funded: GoodwillEntry, alex: ServiceContext,
                        ticket: Ticket, refuse: Refuse) -> None:
    jo = "jo@example.com"
    refuse(InvalidInput, lambda: goodwill.spend(alex, eur("5"), reason="", customer=jo),
           "reason is required")
    refuse(InvalidInput, lambda: goodwill.spend(alex, eur("5"), reason=" ok ", customer=jo),
           "say in a few words why")
    refuse(InvalidInput, lambda: goodwill.spend(alex, eur("5"), reason="x" * 501, customer=jo),
           "reason is too long")
    refuse(InvalidInput, lambda: goodwill.spend(alex, eur("5"), reason="Voucher"),
           "must name the ticket or the customer")
    refuse(InvalidInput, lambda: goodwill.spend(alex, eur("5"), reason="Voucher",
                                                ticket=ticket.id, customer="kim@example.com"),
           f"{ticket.key} belongs to another customer")
    refuse(NotFound, lambda: goodwill.spend(alex, eur("5"), reason="Voucher", ticket="SD-9"),
           "no ticket 'SD-9'")
    refuse(NotFound, lambda: goodwill.spend(alex, eur("5"), reason="Voucher",
                                            customer="x@example.com"),
           "no customer 'x@example.com'")
    refuse(InvalidInput, lambda: goodwill.spend(alex, eur("0"), reason="Voucher", customer=jo),
           "more than zero")
    refuse(InvalidInput, lambda: goodwill.spend(alex, Money(5, "GBP"), reason="Voucher",
                                                customer=jo),
           "budgets are kept in EUR, not GBP")
    refuse(InvalidInput, lambda: goodwill.spend(alex, eur("20000"), reason="Voucher",
                                                customer=jo),
           "more than one entry may move")


# --- reverse ---------------------------------------------------------------------------


def test_a_lead_reverses_a_spend(desk: Desk, funded: GoodwillEntry, alex: ServiceContext,
                                 lead: ServiceContext, ticket: Ticket, outbox: Outbox) -> None:
    spent = goodwill.spend(alex, eur("30"), reason="Voucher", ticket=ticket.id)
    outbox.mark()
    reversal = goodwill.reverse(lead, short_id(spent.id), reason="Booked twice")
    assert reversal.kind is LedgerKind.REVERSAL
    assert reversal.reverses_id == spent.id
    assert reversal.amount_cents == 3000
    assert (reversal.ticket_id, reversal.customer_id) == (ticket.id, desk.customer.id)
    assert reversal.budget_agent_id == alex.actor.id
    assert reversal.author_id == lead.actor.id
    assert reversal.period == PERIOD
    assert outbox.summary() == [("goodwill_entry", "insert")]
    budget = goodwill.balance(desk.store, "alex", period=PERIOD)
    assert (budget.balance, budget.allocated, budget.spent) == (eur("100"), eur("100"), eur("0"))


def test_reverse_an_unused_allocation(desk: Desk, funded: GoodwillEntry,
                                      lead: ServiceContext) -> None:
    goodwill.reverse(lead, funded.id.upper(), reason="Wrong agent")
    budget = goodwill.balance(desk.store, "alex", period=PERIOD)
    assert (budget.balance, budget.allocated, budget.spent) == (eur("0"), eur("0"), eur("0"))


def test_an_admin_reverses_in_any_team(desk: Desk) -> None:
    entry = goodwill.allocate(fixed(desk, "root"), "casey", eur("10"))
    goodwill.reverse(fixed(desk, "root"), entry.id, reason="Mistake")
    assert goodwill.balance(desk.store, "casey", period=PERIOD).balance == eur("0")


def test_reverse_refusals(desk: Desk, funded: GoodwillEntry, alex: ServiceContext,
                          lead: ServiceContext, refuse: Refuse) -> None:
    spent = goodwill.spend(alex, eur("60"), reason="Voucher", customer="jo@example.com")
    refuse(Forbidden, lambda: goodwill.reverse(alex, spent.id, reason="Oops"),
           "only a team lead or admin may reverse ledger entries")
    refuse(InsufficientBudget, lambda: goodwill.reverse(lead, funded.id, reason="Wrong agent"),
           "reversing this allocation would leave alex's 2026-11 budget at -€60.00")
    refuse(InvalidInput, lambda: goodwill.reverse(lead, "abc", reason="Oops"),
           "at least its last 6 characters")
    refuse(NotFound, lambda: goodwill.reverse(lead, "ffffffffffff", reason="Oops"),
           "no single ledger entry 'ffffffffffff'")
    refuse(NotFound, lambda: goodwill.reverse(lead, "%%%%%%", reason="Oops"),
           "no single ledger entry")
    refuse(NotFound, lambda: goodwill.reverse(lead, "______", reason="Oops"),
           "no single ledger entry")
    refuse(InvalidInput, lambda: goodwill.reverse(lead, spent.id, reason=""),
           "reason is required")

    reversal = goodwill.reverse(lead, spent.id, reason="Booked twice")
    refuse(Conflict, lambda: goodwill.reverse(lead, spent.id, reason="Again"),
           f"entry {spent.id[-8:]} was already reversed")
    refuse(Conflict, lambda: goodwill.reverse(lead, reversal.id, reason="Undo"),
           "a reversal cannot be reversed", "book a new entry instead")


def test_a_lead_cannot_reverse_another_teams_entries(desk: Desk, lead: ServiceContext,
                                                     refuse: Refuse) -> None:
    entry = goodwill.allocate(fixed(desk, "root"), "casey", eur("10"))
    refuse(Forbidden, lambda: goodwill.reverse(lead, entry.id, reason="Not mine"),
           "casey is not in your team")


def test_a_single_wildcard_ref_does_not_pick_the_only_entry(desk: Desk, funded: GoodwillEntry,
                                                            lead: ServiceContext,
                                                            refuse: Refuse) -> None:
    # With one entry in the ledger, a LIKE wildcard would have matched it.
    refuse(NotFound, lambda: goodwill.reverse(lead, "%%%%%%", reason="Oops"),
           "no single ledger entry")


# --- reading budgets -------------------------------------------------------------------


def test_ledger_lists_newest_first(desk: Desk, funded: GoodwillEntry, lead: ServiceContext
                                   ) -> None:
    later = fixed(desk, "alex", minutes=10)
    spend = goodwill.spend(later, eur("5"), reason="Voucher", customer="jo@example.com")
    reversal = goodwill.reverse(fixed(desk, "morgan", minutes=20), spend.id, reason="Oops")
    december = goodwill.allocate(lead, "alex", eur("5"), period="2026-12")
    assert [e.id for e in goodwill.ledger(desk.store, "alex", period=PERIOD)] == [
        reversal.id, spend.id, funded.id]
    assert {e.id for e in goodwill.ledger(desk.store, "alex")} == {
        reversal.id, spend.id, funded.id, december.id}
    assert len(goodwill.ledger(desk.store, "alex", limit=2)) == 2
    assert goodwill.ledger(desk.store, "blake") == []


def test_reading_refusals(desk: Desk, refuse: Refuse) -> None:
    refuse(InvalidInput, lambda: goodwill.balance(desk.store, "alex", period="2026-14"),
           "'2026-14' is not a period")
    refuse(NotFound, lambda: goodwill.balance(desk.store, "zed"), "no agent with handle 'zed'")
    refuse(NotFound, lambda: goodwill.ledger(desk.store, "zed"), "no agent with handle 'zed'")
    refuse(InvalidInput, lambda: goodwill.ledger(desk.store, "alex", period="soon"),
           "'soon' is not a period")


def test_a_balance_is_always_the_sum_of_its_entries(desk: Desk, funded: GoodwillEntry,
                                                    alex: ServiceContext,
                                                    lead: ServiceContext) -> None:
    first = goodwill.spend(alex, eur("10"), reason="Voucher", customer="jo@example.com")
    goodwill.spend(alex, eur("15.55"), reason="Voucher", customer="jo@example.com")
    goodwill.reverse(lead, first.id, reason="Oops")
    goodwill.allocate(lead, "alex", eur("0.01"))
    budget = goodwill.balance(desk.store, "alex", period=PERIOD)
    assert budget.balance.cents == ledger_sum(desk.store, "alex") == 10001 - 1555
    assert budget.allocated - budget.spent == budget.balance


# --- property: no sequence of operations makes a balance lie or go negative ------------


def _small_desk(path: Path) -> tuple[Store, ServiceContext, ServiceContext]:
    store = open_store(path)
    org.add_agent(None, store, handle="root", name="Rosa Admin", team="Desk North")
    root = context_for(store, "root")
    org.add_agent(root, store, handle="morgan", name="Morgan Lead", role="lead",
                  team="Desk North")
    org.add_agent(root, store, handle="alex", name="Alex Agent", team="Desk North")
    customers.create_customer(root, name="Jo Jansen", email="jo@example.com")
    lead = context_for(store, "morgan", clock=lambda: FIXED_NOW)
    alex = context_for(store, "alex", clock=lambda: FIXED_NOW)
    return store, lead, alex


operations = st.lists(
    st.one_of(
        st.tuples(st.just("allocate"), st.integers(min_value=1, max_value=20_000)),
        st.tuples(st.just("spend"), st.integers(min_value=1, max_value=20_000)),
        st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=30)),
    ),
    min_size=1,
    max_size=14,
)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=operations)
def test_random_ledger_operations_keep_balances_true(steps: list[tuple[str, int]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store, lead, alex = _small_desk(Path(folder) / "store.db")
        try:
            _run_operations(store, lead, alex, steps)
        finally:
            store.close()


def _run_operations(store: Store, lead: ServiceContext, alex: ServiceContext,
                    steps: list[tuple[str, int]]) -> None:
    made: list[GoodwillEntry] = []
    reversed_ids: set[str] = set()
    expected = 0
    for action, number in steps:
        before = table_counts(store)
        try:
            if action == "allocate":
                made.append(goodwill.allocate(lead, "alex", Money(number)))
                expected += number
            elif action == "spend":
                should_pass = number <= expected
                entry = goodwill.spend(alex, Money(number), reason="Voucher",
                                       customer="jo@example.com")
                assert should_pass, "an overdraw was booked"
                made.append(entry)
                expected -= number
            elif made:
                target = made[number % len(made)]
                should_pass = (target.kind is not LedgerKind.REVERSAL
                               and target.id not in reversed_ids
                               and expected - target.amount_cents >= 0)
                made.append(goodwill.reverse(lead, target.id, reason="Correction"))
                assert should_pass, "a reversal that should be refused was booked"
                reversed_ids.add(target.id)
                expected -= target.amount_cents
        except (InsufficientBudget, Conflict) as refused:
            assert table_counts(store) == before, f"refusal wrote something: {refused}"
            if action == "spend":
                assert number > expected, "a spend within budget was refused"
            else:
                target = made[number % len(made)]
                assert (target.kind is LedgerKind.REVERSAL or target.id in reversed_ids
                        or expected - target.amount_cents < 0), "a valid reversal was refused"
        budget = goodwill.balance(store, "alex", period=PERIOD)
        assert budget.balance.cents == expected
        assert budget.balance.cents >= 0
        assert budget.balance.cents == ledger_sum(store, "alex")
        assert budget.allocated - budget.spent == budget.balance
    with store.raw() as connection:
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []


def test_an_empty_ticket_or_customer_names_nothing(desk: Desk, lead: ServiceContext,
                                                     refuse: Refuse) -> None:
    """An empty name is no name: refused as one, not a crash (found by mypy)."""
    goodwill.allocate(lead, "alex", eur("50"))
    refuse(InvalidInput, lambda: goodwill.spend(desk.alex, eur("5"), reason="Late delivery",
                                                ticket=""), "name the ticket or the customer")
    refuse(InvalidInput, lambda: goodwill.spend(desk.alex, eur("5"), reason="Late delivery",
                                                ticket="", customer=""),
           "name the ticket or the customer")
