"""Promises over a real server: made on one machine, due on another; kept only by the
ticket's owner or the promise's maker, whatever a replica sends."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from deskterm.domain.clock import utcnow
from deskterm.domain.promises import PromiseStatus
from deskterm.services import customers, promises, tickets
from tests.support.servers import RunningServer
from tests.support.sync import Replica, push_raw, stamp_now, wire_change


def _promise(replica: Replica, by: str = "in 1 hour") -> promises.Promise:
    customer = customers.create_customer(replica.ctx, name="Jo Jansen")
    ticket = tickets.create_ticket(replica.ctx, customer=customer.id, subject="Laptop broken")
    return promises.make_promise(replica.ctx, ticket.id, what="call back", by=by)


def test_a_promise_made_on_one_replica_falls_due_on_another(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    desk_pc = replica_of("alex", "desk-pc")
    made = _promise(desk_pc)
    assert not desk_pc.sync().rejected
    laptop = replica_of("alex", "laptop")  # the same agent, another machine
    me = laptop.ctx.actor.id
    assert promises.fallen_due(laptop.store, me, utcnow()) == []
    later = utcnow() + timedelta(hours=1, minutes=1)
    [due] = promises.fallen_due(laptop.store, me, later)
    assert (due.promise.id, due.promise.status_at(later)) == (made.id, PromiseStatus.BROKEN)
    # Kept on the laptop: the desk pc no longer sees it due.
    promises.keep_promise(laptop.ctx, made.id)
    assert not laptop.sync().rejected
    desk_pc.sync()
    assert promises.fallen_due(desk_pc.store, me, later) == []


def test_the_server_refuses_keeping_someone_elses_promise_and_moves_without_reason(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    alex, blake = replica_of("alex"), replica_of("blake")
    made = _promise(alex, by="tomorrow")
    alex.sync()
    blake.sync()
    blake_id = blake.ctx.actor.id
    due = (utcnow() + timedelta(days=2)).isoformat()
    now = utcnow().isoformat()
    base = {"promise_id": made.id, "ticket_id": made.ticket_id, "agent_id": blake_id,
            "occurred_at": now}
    answer = push_raw(server.url, server.tokens["blake"], [
        wire_change("promise_event", {**base, "kind": "kept"}, author_id=blake_id),
        wire_change("promise_event", {**base, "kind": "moved", "due_at": due,
                                      "reason": "busy"}, author_id=blake_id),
    ])
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [r["status"] for r in results] == ["rejected", "rejected"]
    assert all("owner" in r["reason"] for r in results), results
    alex_id = alex.ctx.actor.id
    mine = {**base, "agent_id": alex_id}
    answer = push_raw(server.url, server.tokens["alex"], [
        wire_change("promise_event", {**mine, "kind": "moved", "due_at": due, "reason": " "},
                    author_id=alex_id),
        wire_change("promise_event", {**mine, "kind": "moved", "due_at": now,
                                      "reason": "the customer is away"}, author_id=alex_id),
        wire_change("promise_event", {**mine, "kind": "kept"}, author_id=alex_id,
                    hlc=stamp_now()),
    ])
    results = answer.json()["results"]
    assert [r["status"] for r in results] == ["rejected", "rejected", "applied"], results
    assert "reason" in results[0]["reason"] and "still to come" in results[1]["reason"]
