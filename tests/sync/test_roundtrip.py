"""The basic promises, end to end through a real server: numbers, idempotence, offline work."""

from __future__ import annotations

from collections.abc import Callable

from deskterm.domain import Ticket
from deskterm.services import customers, tickets
from deskterm.sync import replica as local
from tests.support.servers import RunningServer
from tests.support.sync import Replica, snapshot_server, snapshot_store


def _ticket(replica: Replica, subject: str = "Printer jams") -> Ticket:
    customer = customers.create_customer(replica.ctx, name="Jo Jansen")
    return tickets.create_ticket(replica.ctx, customer=customer.id, subject=subject)


def test_a_new_ticket_gets_its_number_from_the_server_and_reaches_others(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    alex, morgan = replica_of("alex"), replica_of("morgan")
    made = _ticket(alex)
    assert made.key.startswith("new-")
    report = alex.sync()
    assert report.pushed == 3 and report.applied == 3 and not report.rejected
    with alex.store.reading() as session:
        numbered = session.get(Ticket, made.id)
    assert numbered is not None and numbered.key == "SD-1001"
    morgan.sync()
    with morgan.store.reading() as session:
        seen = session.get(Ticket, made.id)
    assert seen is not None and (seen.key, seen.subject) == ("SD-1001", "Printer jams")
    assert local.status(alex.store).pending == 0


def test_the_same_push_twice_changes_nothing_the_second_time(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    alex = replica_of("alex")
    _ticket(alex)
    batch = local.pending_changes(alex.store, 100)
    alex.sync()
    before = snapshot_server(server.db.engine)
    from deskterm.sync.wire import PushRequest

    request = PushRequest(client_id=alex.client.client_id, changes=[p.change for p in batch])
    answer = alex.client._call("POST", "/api/v1/sync/push", json=request.model_dump(mode="json"))
    assert {r["status"] for r in answer["results"]} == {"duplicate"}
    assert {r["outcome"] for r in answer["results"]} == {"applied"}
    assert snapshot_server(server.db.engine) == before


def test_hours_of_offline_work_arrive_whole(server: RunningServer,
                                            replica_of: Callable[..., Replica]) -> None:
    alex, blake = replica_of("alex"), replica_of("blake")
    server.thread.stop()  # the network is gone
    made = [_ticket(alex, f"Offline ticket {n}") for n in range(30)]
    for ticket in made[:10]:
        tickets.update_ticket(alex.ctx, ticket.id, priority="p1")
    waiting = local.status(alex.store).pending
    assert waiting == 30 * 3 + 10 * 2  # customer, ticket, event; an update and its event
    server.thread.start()
    report = alex.sync()
    assert report.applied == waiting and not report.rejected
    blake.sync()
    on_blake = snapshot_store(blake.store, ["ticket"])["ticket"]
    assert {t.id for t in made} <= set(on_blake)
    assert sum(1 for t in made[:10] if on_blake[t.id]["priority"] == 1) == 10
    assert snapshot_store(alex.store, ["ticket", "customer"]) == \
        snapshot_store(blake.store, ["ticket", "customer"])
