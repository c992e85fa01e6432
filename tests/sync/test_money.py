"""Money through sync: the server judges every goodwill entry against everyone's data.

Two devices of the same agent, offline, each spend the same last euros: the server
accepts exactly one; the other comes back rejected, is shown to its agent and no
longer counts locally. Entries only a lead may make, forged by an agent's client, are
refused the same visible way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from deskterm.domain import GoodwillEntry
from deskterm.domain.clock import utcnow
from deskterm.domain.enums import LedgerKind
from deskterm.domain.goodwill import period_of
from deskterm.domain.money import Money
from deskterm.services import customers, goodwill, tickets
from deskterm.store.outbox import record
from deskterm.sync import replica as local
from tests.support.servers import RunningServer
from tests.support.sync import Replica, snapshot_server, snapshot_store, sync_until_quiet

EUR = "EUR"


def _server_balance(server: RunningServer, agent_id: str) -> int:
    ledger = GoodwillEntry.__table__  # type: ignore[attr-defined]
    with server.db.engine.connect() as connection:
        return int(connection.execute(
            select(func.coalesce(func.sum(ledger.c.amount_cents), 0))
            .where(ledger.c.budget_agent_id == agent_id)).scalar_one())


def _balance(replica: Replica) -> int:
    return goodwill.balance(replica.store, "alex").balance.cents


def _ticket_for_spending(replica: Replica) -> str:
    customer = customers.create_customer(replica.ctx, name="Mia Mertens")
    return tickets.create_ticket(replica.ctx, customer=customer.id, subject="Refund").id


def test_two_offline_devices_spending_the_same_last_euros_get_one_accepted(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    morgan, desk, laptop = replica_of("morgan"), replica_of("alex"), replica_of("alex", "laptop")
    goodwill.allocate(morgan.ctx, "alex", Money(5000, EUR))
    morgan.sync()
    ticket = _ticket_for_spending(desk)
    desk.sync()
    laptop.sync()
    assert _balance(desk) == _balance(laptop) == 5000

    server.thread.stop()  # both devices offline
    first = goodwill.spend(desk.ctx, Money(3000, EUR), reason="Broken delivery", ticket=ticket)
    second = goodwill.spend(laptop.ctx, Money(3000, EUR), reason="Late callback", ticket=ticket)
    # Each device alone sees enough budget: the spend waits as pending on each.
    assert (_balance(desk), _balance(laptop)) == (2000, 2000)
    server.thread.start()

    accepted = desk.sync()
    assert not accepted.rejected
    refused = laptop.sync()
    assert [(r.mutation_id, r.code) for r in refused.rejected] == \
        [(_mutation_of(laptop, second.id), "insufficient_budget")]

    shown = local.rejected_changes(laptop.store)
    assert [(c.row_id, c.code) for c in shown] == [(second.id, "insufficient_budget")]
    assert "not enough goodwill budget" in shown[0].reason
    assert local.status(laptop.store).rejected == 1
    desk.sync()

    agent_id = desk.ctx.actor.id
    on_server = snapshot_server(server.db.engine, ["goodwill_entry"])["goodwill_entry"]
    assert first.id in on_server and second.id not in on_server
    assert _server_balance(server, agent_id) == 2000
    for device in (desk, laptop):
        rows = snapshot_store(device.store, ["goodwill_entry"])["goodwill_entry"]
        assert rows == on_server
        assert _balance(device) == 2000
    # The refused spend no longer counts on the laptop, and nothing is pending.
    assert local.status(laptop.store).pending == 0


def _mutation_of(replica: Replica, row_id: str) -> str:
    with replica.store.raw() as connection:
        found = connection.execute("SELECT mutation_id FROM outbox WHERE row_id = ?",
                                   (row_id,)).fetchone()
    assert found is not None
    return str(found[0])


def _forge(replica: Replica, **fields: Any) -> GoodwillEntry:
    """Book a ledger entry the way a tampered client would: past the service's role check."""
    ctx = replica.ctx
    entry = GoodwillEntry(budget_agent_id=ctx.actor.id, period=period_of(utcnow()),
                          currency=EUR, author_id=ctx.actor.id, created_at=utcnow(), **fields)
    with replica.store.transaction() as session:
        session.add(entry)
        session.flush()
        record(session, "goodwill_entry", entry, author_id=ctx.actor.id)
    return entry


def test_an_agent_cannot_allocate_or_reverse_even_with_a_tampered_client(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    morgan, alex, blake = replica_of("morgan"), replica_of("alex"), replica_of("blake")
    goodwill.allocate(morgan.ctx, "alex", Money(1000, EUR))
    morgan.sync()
    ticket = _ticket_for_spending(alex)
    alex.sync()
    spent = goodwill.spend(alex.ctx, Money(800, EUR), reason="Voucher for the wait",
                           ticket=ticket)
    alex.sync()
    before = snapshot_server(server.db.engine, ["goodwill_entry"])

    raise_own = _forge(alex, kind=LedgerKind.ALLOCATION, amount_cents=100_000,
                       reason="a raise I gave myself")
    undo_spend = _forge(alex, kind=LedgerKind.REVERSAL, amount_cents=800, reverses_id=spent.id,
                        ticket_id=spent.ticket_id, customer_id=spent.customer_id,
                        reason="never happened")
    assert _balance(alex) == 200 + 100_000 + 800  # the tampered client believes it
    report = alex.sync()

    assert sorted((r.mutation_id, r.code) for r in report.rejected) == sorted(
        [(_mutation_of(alex, raise_own.id), "forbidden"),
         (_mutation_of(alex, undo_spend.id), "forbidden")])
    assert {c.row_id for c in local.rejected_changes(alex.store)} == {raise_own.id,
                                                                       undo_spend.id}
    assert snapshot_server(server.db.engine, ["goodwill_entry"]) == before
    assert _server_balance(server, alex.ctx.actor.id) == 200
    assert _balance(alex) == 200  # both forged rows are gone from the agent's ledger
    sync_until_quiet([alex, blake, morgan], server.db)
    for replica in (alex, morgan):
        assert snapshot_store(replica.store, ["goodwill_entry"]) == before
