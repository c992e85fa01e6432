"""Resolver groups and the hand-back over sync: groups, members and returns reach the
other replicas; the server refuses an agent making a group, a chase by someone else
than the owner, and a second group of the same name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from deskterm.domain import Ticket
from deskterm.domain.enums import TicketStatus
from deskterm.services import customers, groups, handback, tickets
from deskterm.services.groups import list_groups
from deskterm.services.ticket_views import ticket_detail
from deskterm.sync import replica as local
from tests.support.servers import RunningServer
from tests.support.sync import Replica, agent_ids, push_raw, stamp_now, wire_change


def _ticket(replica: Replica, ticket_id: str) -> Ticket:
    with replica.store.reading() as session:
        found = session.get(Ticket, ticket_id)
    assert found is not None
    return found


def test_groups_and_a_return_reach_the_other_replicas(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    morgan = replica_of("morgan")
    groups.add_group(morgan.ctx, "Network", tier=2, lead="morgan")
    groups.change_members(morgan.ctx, "Network", add=["blake"])
    customer = customers.create_customer(morgan.ctx, name="Jo Jansen")
    assert not morgan.sync().rejected
    alex, blake = replica_of("alex"), replica_of("blake")
    [seen] = list_groups(blake.store)
    assert (seen.name, seen.lead_handle, seen.members) == ("Network", "morgan",
                                                           ["blake", "morgan"])
    made = tickets.create_ticket(alex.ctx, customer=customer.id, subject="VPN drops")
    tickets.escalate_ticket(alex.ctx, made.id, group="Network", reason="Router")
    alex.sync()
    blake.sync()
    assert _ticket(blake, made.id).resolver_group_id == seen.id

    tickets.resolve_ticket(blake.ctx, made.id, resolution="New router")
    assert not blake.sync().rejected
    alex.sync()
    back = _ticket(alex, made.id)
    assert back.status == TicketStatus.OPEN and handback.is_returned(back)
    assert ticket_detail(alex.store, made.id).events[-1].detail == "New router"

    tickets.resolve_ticket(alex.ctx, made.id, resolution=None,
                           informed="customer already informed by phone")
    assert not alex.sync().rejected
    morgan.sync()
    assert _ticket(morgan, made.id).status == TicketStatus.RESOLVED
    assert local.status(alex.store).pending == 0


def _pushed(server: RunningServer, handle: str, change: dict[str, Any]) -> dict[str, Any]:
    answer = push_raw(server.url, server.tokens[handle], [change])
    assert answer.status_code == 200, answer.text
    (result,) = answer.json()["results"]
    return dict(result)


def test_the_server_refuses_an_agent_making_a_group_or_its_members(
        server: RunningServer) -> None:
    ids = agent_ids(server.db.engine)
    group = {"name": "Shadow IT", "tier": 2, "lead_id": None,
             "created_at": "2026-11-23T14:30:00Z", "deleted": False}
    refused = _pushed(server, "alex", wire_change("resolver_group", group))
    assert (refused["status"], refused["code"]) == ("rejected", "forbidden")
    assert "only a lead or admin manages resolver groups" in refused["reason"]
    made = wire_change("resolver_group", group)
    assert _pushed(server, "morgan", made)["status"] == "applied"
    member = {"group_id": made["row_id"], "agent_id": ids["alex"], "added": True,
              "author_id": ids["alex"], "created_at": "2026-11-23T14:30:00Z"}
    refused = _pushed(server, "alex", wire_change("group_member", member,
                                                  author_id=ids["alex"]))
    assert (refused["status"], refused["code"]) == ("rejected", "forbidden")
    again = _pushed(server, "sam", wire_change("resolver_group", {**group, "tier": 3}))
    assert (again["status"], again["code"]) == ("rejected", "conflict")


def test_the_server_refuses_a_chase_by_another_than_the_owner_and_an_agents_take_over(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    morgan = replica_of("morgan")
    groups.add_group(morgan.ctx, "Network", tier=2)
    customer = customers.create_customer(morgan.ctx, name="Jo Jansen")
    morgan.sync()
    alex = replica_of("alex")
    made = tickets.create_ticket(alex.ctx, customer=customer.id, subject="VPN drops",
                                 kind="complaint")
    tickets.escalate_ticket(alex.ctx, made.id, group="Network", reason="Router")
    alex.sync()
    ids = agent_ids(server.db.engine)
    for kind, detail in (("chase", "to Network: any news?"),
                         ("taken_over", "blake took the complaint over from alex")):
        event = {"ticket_id": made.id, "agent_id": ids["blake"], "kind": kind,
                 "detail": detail, "created_at": "2026-11-23T14:30:00Z"}
        refused = _pushed(server, "blake", wire_change("ticket_event", event,
                                                       author_id=ids["blake"],
                                                       hlc=stamp_now()))
        assert (refused["status"], refused["code"]) == ("rejected", "forbidden"), kind
