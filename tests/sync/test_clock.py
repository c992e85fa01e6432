"""Clocks far ahead: a change stamped too far in the future is refused, visibly, and wins nothing.

Last writer wins by stamp, so a replica whose clock runs ahead would win every conflict
for as long as it is ahead. The server refuses a stamp more than MAX_DRIFT_MS ahead of
its own time (`clock_ahead`), the replica shows the refusal and puts back what the server
holds, the changes behind it go through, and later honest edits win everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from deskterm.domain.clock import utcnow
from deskterm.domain.hlc import MAX_DRIFT_MS
from deskterm.services import contacts, customers, tickets
from deskterm.sync import replica as local
from deskterm.sync.wire import PushRequest
from tests.support.servers import RunningServer
from tests.support.sync import Replica, snapshot_server, snapshot_store, sync_until_quiet

#: Ten minutes past now: well beyond what the server accepts.
AHEAD_MS = 2 * MAX_DRIFT_MS


def _future_stamp(node: str) -> str:
    return f"{int(utcnow().timestamp() * 1000) + AHEAD_MS:013d}-00000-{node}"


def _shared_ticket(alex: Replica, blake: Replica) -> str:
    customer = customers.create_customer(alex.ctx, name="Ola Olsen")
    ticket = tickets.create_ticket(alex.ctx, customer=customer.id, subject="Scanner jams")
    alex.sync()
    blake.sync()
    return ticket.id


def _ticket_everywhere(server: RunningServer, *replicas: Replica) -> list[dict[str, Any]]:
    rows = [snapshot_server(server.db.engine, ["ticket"])["ticket"]]
    rows += [snapshot_store(r.store, ["ticket"])["ticket"] for r in replicas]
    return rows


def _newest_change(replica: Replica) -> tuple[str, str]:
    with replica.store.raw() as connection:
        found = connection.execute(
            "SELECT mutation_id, hlc FROM outbox WHERE entity = 'ticket' "
            "ORDER BY seq DESC LIMIT 1").fetchone()
    return str(found[0]), str(found[1])


def _restamp(replica: Replica, mutation_id: str, old: str, new: str) -> None:
    """What a replica with a wrong clock would have written: the change and its field stamps."""
    with replica.store.raw() as connection:
        connection.execute("UPDATE outbox SET hlc = ? WHERE mutation_id = ?", (new, mutation_id))
        connection.execute("UPDATE field_clock SET hlc = ? WHERE hlc = ?", (new, old))


def test_a_change_stamped_in_the_future_is_refused_and_the_rest_goes_through(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    alex, blake = replica_of("alex"), replica_of("blake")
    ticket = _shared_ticket(alex, blake)
    tickets.update_ticket(alex.ctx, ticket, priority="p1")
    mutation_id, honest = _newest_change(alex)
    _restamp(alex, mutation_id, honest, _future_stamp(honest.rsplit("-", 1)[1]))
    tickets.update_ticket(alex.ctx, ticket, subject="Scanner jams on every page")
    contacts.log_contact(alex.ctx, channel="phone", summary="Called back", ticket=ticket)

    report = alex.sync()

    assert [(r.mutation_id, r.code) for r in report.rejected] == [(mutation_id, "clock_ahead")]
    shown = local.rejected_changes(alex.store)
    assert [(c.mutation_id, c.code) for c in shown] == [(mutation_id, "clock_ahead")]
    assert "in the future" in shown[0].reason
    assert local.status(alex.store).rejected == 1 and local.status(alex.store).pending == 0
    on_server = snapshot_server(server.db.engine, ["ticket", "contact"])
    assert on_server["ticket"][ticket]["subject"] == "Scanner jams on every page"
    assert on_server["ticket"][ticket]["priority"] == 3
    assert len(on_server["contact"]) == 1
    # The refused value is gone from the replica that made it, too.
    assert snapshot_store(alex.store, ["ticket"])["ticket"][ticket]["priority"] == 3

    tickets.update_ticket(blake.ctx, ticket, priority="p2")  # a later, honest edit
    sync_until_quiet([blake, alex], server.db)
    everywhere = _ticket_everywhere(server, alex, blake)
    assert all(rows == everywhere[0] for rows in everywhere)
    assert everywhere[0][ticket]["priority"] == 2


def test_a_replica_whose_clock_ran_ahead_is_refused_then_edits_honestly_again(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    alex, blake = replica_of("alex"), replica_of("blake")
    ticket = _shared_ticket(alex, blake)
    # The machine's clock was ten minutes fast while alex worked, and is right again now.
    with alex.store.raw() as connection:
        node = connection.execute("SELECT value FROM meta WHERE key = 'node_id'").fetchone()[0]
        connection.execute("UPDATE meta SET value = ? WHERE key = 'hlc'", (_future_stamp(node),))
    tickets.update_ticket(alex.ctx, ticket, priority="p1")
    first = alex.sync()
    # The update and the ticket event beside it, both stamped by the fast clock.
    assert [r.code for r in first.rejected] == ["clock_ahead", "clock_ahead"]
    # blake's honest edit, made after the refused one, wins on every replica.
    tickets.update_ticket(blake.ctx, ticket, priority="p4")
    blake.sync()
    alex.sync()
    assert snapshot_store(alex.store, ["ticket"])["ticket"][ticket]["priority"] == 4

    tickets.update_ticket(alex.ctx, ticket, subject="Scanner jams since the update")
    second = alex.sync()
    assert not second.rejected, [(r.code, r.reason) for r in second.rejected]
    sync_until_quiet([alex, blake], server.db)
    everywhere = _ticket_everywhere(server, alex, blake)
    assert all(rows == everywhere[0] for rows in everywhere)
    assert (everywhere[0][ticket]["priority"], everywhere[0][ticket]["subject"]) == (
        4, "Scanner jams since the update")


def test_a_refusal_whose_answer_was_lost_is_still_undone_when_resent(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    alex, blake = replica_of("alex"), replica_of("blake")
    ticket = _shared_ticket(alex, blake)
    with alex.store.raw() as connection:
        node = connection.execute("SELECT value FROM meta WHERE key = 'node_id'").fetchone()[0]
        connection.execute("UPDATE meta SET value = ? WHERE key = 'hlc'", (_future_stamp(node),))
    tickets.update_ticket(alex.ctx, ticket, priority="p1")
    # The server refuses the push, and the client dies before it reads the answer.
    batch = local.pending_changes(alex.store, 10)
    request = PushRequest(client_id=alex.client.client_id, changes=[p.change for p in batch])
    alex.client._call("POST", "/api/v1/sync/push", json=request.model_dump(mode="json"))

    resent = alex.sync()  # answered "duplicate" with the first outcome: rejected
    assert [r.code for r in resent.rejected] == ["clock_ahead", "clock_ahead"]
    assert snapshot_store(alex.store, ["ticket"])["ticket"][ticket]["priority"] == 3
    tickets.update_ticket(blake.ctx, ticket, priority="p2")
    sync_until_quiet([blake, alex], server.db)
    everywhere = _ticket_everywhere(server, alex, blake)
    assert all(rows == everywhere[0] for rows in everywhere)
    assert everywhere[0][ticket]["priority"] == 2
