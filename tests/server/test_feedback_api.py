"""Feedback through the server: POST /api/v1/feedback and pushes from a lead reach every replica."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from deskterm.domain import Feedback, Kudos, Ticket
from deskterm.domain.feedback import FeedbackResponse
from deskterm.services import customers, tickets
from deskterm.services.feedback import record_feedback
from tests.support.servers import RunningServer
from tests.support.sync import Replica, snapshot_server, snapshot_store


def _numbered_ticket(alex: Replica) -> Ticket:
    customer = customers.create_customer(alex.ctx, name="Jo Jansen")
    made = tickets.create_ticket(alex.ctx, customer=customer.id, subject="Printer jams")
    alex.sync()
    with alex.store.reading() as session:
        found = session.get(Ticket, made.id)
    assert found is not None and found.number is not None
    return found


def _post(server: RunningServer, handle: str, body: object) -> httpx.Response:
    return httpx.post(f"{server.url}/api/v1/feedback", json=body,
                      headers={"Authorization": f"Bearer {server.tokens[handle]}"})


def test_posted_feedback_reaches_the_replicas(server: RunningServer,
                                              replica_of: Callable[..., Replica]) -> None:
    alex, morgan = replica_of("alex"), replica_of("morgan")
    ticket = _numbered_ticket(alex)
    answer = _post(server, "morgan", {"ticket": ticket.key, "csat": 4, "empathy": 5,
                                      "comment": "kind", "kudos": "Thank you Alex"})
    assert answer.status_code == 201, answer.text
    posted = answer.json()
    morgan.sync()
    alex.sync()
    with alex.store.reading() as session:
        feedback = session.get(Feedback, posted["id"])
        kudos = session.get(Kudos, posted["kudos_id"])
    assert feedback is not None and (feedback.csat, feedback.empathy, feedback.source) == \
        (4, 5, "api")
    assert feedback.agent_id == alex.ctx.actor.id
    assert kudos is not None and kudos.feedback_id == feedback.id
    assert snapshot_store(alex.store, ["feedback", "kudos"]) == \
        snapshot_server(server.db.engine, ["feedback", "kudos"]) == \
        snapshot_store(morgan.store, ["feedback", "kudos"])


def test_feedback_intake_refuses_agents_and_bad_bodies(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    alex = replica_of("alex")
    ticket = _numbered_ticket(alex)
    before = snapshot_server(server.db.engine, ["feedback"])
    assert _post(server, "alex", {"ticket": ticket.key, "csat": 4}).status_code == 403
    missing = _post(server, "morgan", {"ticket": "SD-999999", "csat": 4})
    assert missing.status_code == 404 and "no ticket" in missing.json()["detail"]
    for body in ({"ticket": ticket.key, "csat": 6}, {"ticket": ticket.key},
                 {"ticket": ticket.key, "csat": 3, "mood": 1},
                 {"ticket": ticket.key, "csat": 3, "received_at": "2026-01-01T00:00:00"}):
        answer = _post(server, "morgan", body)
        assert answer.status_code == 422 and answer.json()["detail"], body
    assert snapshot_server(server.db.engine, ["feedback"]) == before


def test_feedback_recorded_by_a_lead_offline_syncs(server: RunningServer,
                                                   replica_of: Callable[..., Replica]) -> None:
    alex, morgan = replica_of("alex"), replica_of("morgan")
    ticket = _numbered_ticket(alex)
    morgan.sync()
    made = record_feedback(morgan.ctx, FeedbackResponse(ticket=ticket.key, csat=2,
                                                        waiting_time=1))
    report = morgan.sync()
    assert not report.rejected
    alex.sync()
    with alex.store.reading() as session:
        arrived = session.get(Feedback, made.id)
    assert arrived is not None and arrived.waiting_time == 1


def test_a_response_posted_twice_counts_once(server: RunningServer,
                                             replica_of: Callable[..., Replica]) -> None:
    alex = replica_of("alex")
    ticket = _numbered_ticket(alex)
    body = {"ticket": ticket.key, "csat": 2, "comment": "slow",
            "received_at": "2026-11-20T10:00:00+00:00"}
    assert _post(server, "morgan", body).status_code == 201
    before = snapshot_server(server.db.engine, ["feedback"])
    retry = _post(server, "morgan", body)
    assert retry.status_code == 409 and "already recorded" in retry.text
    assert snapshot_server(server.db.engine, ["feedback"]) == before
    assert _post(server, "morgan", {**body, "csat": 3}).status_code == 201
