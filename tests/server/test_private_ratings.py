"""Issue 10, finding 7: a self-rating reaches only its own agent's replicas.

The contact form promises "private: only you see your rating". The contact itself is
the customer's history, which everyone sees; the rating travels apart from it, to its
agent alone, and the team's figure comes from the server, of 3+ other raters.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

import httpx
from sqlalchemy import insert

from deskterm.domain.ids import uuid7
from deskterm.server.accounts import add_user
from deskterm.server.database import change_log, log_head
from deskterm.server.migrations.private_fields import log_private_fields_apart
from deskterm.services import customers
from deskterm.services.contacts import log_contact
from deskterm.store.login import Login, save_login
from tests.support.servers import RunningServer
from tests.support.sync import (
    Replica,
    agent_ids,
    pull_everything,
    server_head,
    snapshot_store,
)


def _contacts(replica: Replica) -> dict[str, dict[str, object]]:
    return snapshot_store(replica.store, ["contact"])["contact"]


def test_7_a_self_rating_reaches_only_its_own_agents_replicas(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    alex = replica_of("alex")
    customer = customers.create_customer(alex.ctx, name="Jo Jansen")
    rated = log_contact(alex.ctx, channel="phone", summary="A hard call", self_rating=2,
                        customer=customer.id)
    alex.sync()
    for handle in ("blake", "morgan", "root"):
        other = replica_of(handle)
        assert _contacts(other)[rated.id]["summary"] == "A hard call"  # the history: shared
        assert _contacts(other)[rated.id]["self_rating"] is None, handle
        raw = json.dumps(pull_everything(server.url, server.tokens[handle]))
        assert '"self_rating": 2' not in raw and '"self_rating":2' not in raw, handle
    laptop = replica_of("alex", name="alex-laptop")  # alex's own second machine gets it
    assert _contacts(laptop)[rated.id]["self_rating"] == 2


def test_7_a_store_forgets_other_agents_ratings_when_it_is_logged_in(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    """A lead's store synced before the rule held every agent's rating."""
    morgan = replica_of("morgan")
    customer = customers.create_customer(morgan.ctx, name="Jo Jansen")
    ids = agent_ids(server.db.engine)
    mine = log_contact(morgan.ctx, channel="phone", summary="mine", self_rating=5,
                       customer=customer.id)
    with morgan.store.raw() as connection:  # what an older sync left behind
        connection.execute(
            "INSERT INTO contact (id, customer_id, agent_id, channel, direction, summary, "
            "occurred_at, self_rating) VALUES (?, ?, ?, 'phone', 'inbound', 'theirs', "
            "'2026-11-23 10:00:00.000000', 1)", (uuid7(), customer.id, ids["alex"]))
        connection.commit()
    save_login(morgan.store.path, Login(server.url, server.tokens["morgan"], ids["morgan"],
                                        "morgan"))
    ratings = {row["summary"]: row["self_rating"] for row in _contacts(morgan).values()}
    assert ratings == {"mine": 5, "theirs": None}
    assert mine.self_rating == 5


def test_7_an_older_servers_log_is_rewritten_and_ratings_go_to_their_agent_alone(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    ids = agent_ids(server.db.engine)
    alex = replica_of("alex")
    customer = customers.create_customer(alex.ctx, name="Jo Jansen")
    alex.sync()
    contact = uuid7()
    with server.db.writing() as connection:  # as an older server logged a contact
        head = server_head(server.db) + 1
        connection.execute(insert(change_log).values(
            seq=head, mutation_id=uuid7(), entity="contact", row_id=contact, op="insert",
            fields=json.dumps({"customer_id": customer.id, "agent_id": ids["alex"],
                               "ticket_id": None, "channel": "phone",
                               "direction": "inbound", "summary": "old", "self_rating": 3,
                               "occurred_at": "2026-11-23T10:00:00+00:00"}),
            hlc="1795430000000-00000-oldnode", author_id=ids["alex"], audience="all",
            created_at=datetime.fromisoformat("2026-11-23T10:00:00+00:00")))
        connection.execute(log_head.update().values(seq=head))
    with server.db.writing() as connection:  # what migration 0005 does to an older log
        assert log_private_fields_apart(connection) >= 1
    with server.db.writing() as connection:
        assert log_private_fields_apart(connection) == 0  # once
    for handle in ("blake", "morgan"):
        raw = json.dumps(pull_everything(server.url, server.tokens[handle]))
        assert "self_rating" not in raw, handle
    fresh = replica_of("alex", name="alex-fresh")
    assert _contacts(fresh)[contact]["self_rating"] == 3
    assert _contacts(replica_of("blake"))[contact]["self_rating"] is None


def test_7_the_teams_self_rating_needs_three_raters_besides_the_viewer(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    server.tokens["dana"] = add_user(server.db, "dana", role="agent", team="north")
    customer = None
    for handle, rating in (("alex", 2), ("blake", 4), ("morgan", 5)):
        replica = replica_of(handle)
        customer = customer or customers.create_customer(replica.ctx, name="Jo Jansen").id
        replica.sync()
        log_contact(replica.ctx, channel="phone", summary="call", self_rating=rating,
                    customer=customer)
        replica.sync()

    def this_week() -> dict[str, object]:
        answer = httpx.get(f"{server.url}/api/v1/team/self-rating", params={"weeks": 2},
                           headers={"Authorization": f"Bearer {server.tokens['morgan']}"})
        assert answer.status_code == 200, answer.text
        return dict(answer.json()["weeks"][-1])

    assert this_week()["mean"] is None  # alex and blake: two, morgan's own not counted
    dana = replica_of("dana")
    log_contact(dana.ctx, channel="phone", summary="call", self_rating=3, customer=customer)
    dana.sync()
    assert (this_week()["mean"], this_week()["count"]) == (3.0, 3)
    agent = httpx.get(f"{server.url}/api/v1/team/self-rating",
                      headers={"Authorization": f"Bearer {server.tokens['alex']}"})
    assert agent.status_code == 403
