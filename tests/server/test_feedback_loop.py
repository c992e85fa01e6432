"""Feedback back to the agent over a real server: follow-ups and kudos judged by the
server as the service judges them, and an agent's self-ratings never reaching another."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from sqlmodel import select

from deskterm.domain import Contact, Ticket
from deskterm.services import contacts, customers, tickets
from deskterm.services.feedback_loop import follow_up, my_feedback, my_trend
from tests.support.servers import RunningServer
from tests.support.sync import Replica, agent_ids, push_raw, wire_change

NOW = "2026-11-23T14:30:00+00:00"


def _unhappy_response(server: RunningServer, alex: Replica) -> tuple[Ticket, str]:
    customer = customers.create_customer(alex.ctx, name="Jo Jansen")
    made = tickets.create_ticket(alex.ctx, customer=customer.id, subject="Printer jams")
    alex.sync()
    with alex.store.reading() as session:
        ticket = session.get(Ticket, made.id)
    assert ticket is not None
    answer = httpx.post(f"{server.url}/api/v1/feedback", timeout=10,
                        json={"ticket": ticket.key, "csat": 1, "comment": "never called"},
                        headers={"Authorization": f"Bearer {server.tokens['morgan']}"})
    assert answer.status_code == 201, answer.text
    return ticket, answer.json()["id"]


def _push(server: RunningServer, handle: str, change: dict[str, Any]) -> dict[str, Any]:
    answer = push_raw(server.url, server.tokens[handle], [change], client_id=f"{handle}-c")
    assert answer.status_code == 200, answer.text
    return dict(answer.json()["results"][0])


def test_the_server_refuses_kudos_about_oneself_and_agents_entering_a_customers(
        server: RunningServer) -> None:
    ids = agent_ids(server.db.engine)

    def kudos(author: str, about: str | None, source: str) -> dict[str, Any]:
        return wire_change("kudos", {"source": source, "from_name": author,
                                     "message": "great", "about_agent_id": about and ids[about],
                                     "author_id": ids[author], "created_at": NOW})

    mine = _push(server, "alex", kudos("alex", "alex", "peer"))
    assert mine["status"] == "rejected" and "about themselves" in mine["reason"]
    lead = _push(server, "morgan", kudos("morgan", "morgan", "lead"))
    assert lead["status"] == "rejected" and "about themselves" in lead["reason"]
    customer = _push(server, "alex", kudos("alex", "blake", "customer"))
    assert customer["status"] == "rejected" and "entered by a lead" in customer["reason"]
    assert _push(server, "alex", kudos("alex", "blake", "peer"))["status"] == "applied"
    assert _push(server, "morgan", kudos("morgan", "blake", "customer"))["status"] == "applied"


def test_only_the_tickets_agent_follows_up_and_only_once(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    alex, blake = replica_of("alex"), replica_of("blake")
    ticket, feedback_id = _unhappy_response(server, alex)
    alex.sync()
    blake.sync()
    ids = agent_ids(server.db.engine)
    contact = contacts.log_contact(blake.ctx, channel="phone", summary="called",
                                   ticket=ticket.id)
    blake.sync()
    theirs = _push(server, "blake", wire_change("feedback_follow_up", {
        "feedback_id": feedback_id, "agent_id": ids["blake"], "contact_id": contact.id,
        "created_at": NOW}))
    assert theirs["status"] == "rejected" and "whose ticket it was" in theirs["reason"]
    follow_up(alex.ctx, ticket.key, summary="Called Jo back")
    alex.sync()
    again = _push(server, "alex", wire_change("feedback_follow_up", {
        "feedback_id": feedback_id, "agent_id": ids["alex"], "contact_id": contact.id,
        "created_at": NOW}))
    assert again["status"] == "rejected" and "already followed up" in again["reason"]
    blake.sync()
    assert my_feedback(blake.ctx) == []  # blake's own view: not blake's ticket


def test_self_ratings_reach_only_their_agent_and_so_only_their_trend(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    alex, blake = replica_of("alex"), replica_of("blake")
    ticket, _ = _unhappy_response(server, alex)
    contacts.log_contact(alex.ctx, channel="phone", summary="call", ticket=ticket.id,
                         self_rating=5)
    alex.sync()
    blake.sync()
    alex.sync()
    with blake.store.reading() as session:
        seen = [c.self_rating for c in session.exec(select(Contact)).all()]
    assert seen == [None]
    assert my_trend(alex.ctx)[-1].self_rating == 5.0
    assert my_trend(alex.ctx)[-1].stands_out  # 5 beside a CSAT of 1
    assert all(week.self_rating is None for week in my_trend(blake.ctx))
