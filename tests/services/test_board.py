"""The escalation board: open escalations of the lead's team, ownership kept, nudges."""

from __future__ import annotations

from datetime import timedelta

import pytest

from deskterm.domain.enums import Priority
from deskterm.domain.errors import Forbidden
from deskterm.services import contacts, tickets
from deskterm.services.board import BoardSort, escalation_board, nudge, nudges_for
from tests.conftest import FIXED_NOW, Desk
from tests.services.conftest import fixed


def _escalated(desk: Desk, handle: str, subject: str, minutes: float, priority: str = "p3",
               tier: int = 2) -> str:
    ctx = fixed(desk, handle, minutes)
    made = tickets.create_ticket(ctx, customer=desk.customer.id, subject=subject,
                                 priority=priority)
    tickets.escalate_ticket(ctx, made.id, group="Network" if tier == 2 else "Vendor",
                            reason="needs a tech")
    return made.id


def test_the_board_lists_the_teams_escalations_with_their_owner(desk: Desk) -> None:
    first = _escalated(desk, "alex", "VPN down", 0)
    second = _escalated(desk, "blake", "Printer", 30, priority="p1", tier=3)
    _escalated(desk, "casey", "Other team", 10)
    tickets.create_ticket(desk.alex, customer=desk.customer.id, subject="Not escalated")
    team = desk.lead.actor.team_id
    board = escalation_board(desk.store, team_id=team, now=FIXED_NOW + timedelta(hours=2))
    assert [row.ticket_id for row in board] == [first, second]  # oldest escalation first
    row = board[0]
    assert (row.owner_handle, row.tier, row.resolver_group, row.reason) == \
        ("alex", 2, "Network", "needs a tech")
    assert row.customer == "Jo Jansen"
    by_priority = escalation_board(desk.store, team_id=team, sort=BoardSort.PRIORITY,
                                   now=FIXED_NOW + timedelta(hours=2))
    assert by_priority[0].priority == Priority.P1
    by_tier = escalation_board(desk.store, team_id=team, sort="tier",
                               now=FIXED_NOW + timedelta(hours=2))
    assert by_tier[0].tier == 3
    everyone = escalation_board(desk.store, team_id=None, now=FIXED_NOW + timedelta(hours=2))
    assert len(everyone) == 3


def test_stale_and_repeat_contacts(desk: Desk) -> None:
    ticket_id = _escalated(desk, "alex", "VPN down", 0)
    for minutes in (5, 10):
        contacts.log_contact(fixed(desk, "alex", minutes), customer=desk.customer.id,
                             channel="phone", summary="called again", ticket=ticket_id)
    team = desk.lead.actor.team_id
    fresh = escalation_board(desk.store, team_id=team, stale_hours=4,
                             now=FIXED_NOW + timedelta(hours=1))
    assert (fresh[0].stale, fresh[0].repeat_contacts) == (False, 2)
    later = escalation_board(desk.store, team_id=team, stale_hours=4,
                             now=FIXED_NOW + timedelta(hours=5))
    assert later[0].stale


def test_a_resolved_escalation_leaves_the_board(desk: Desk) -> None:
    ticket_id = _escalated(desk, "alex", "VPN down", 0)
    tickets.resolve_ticket(desk.alex, ticket_id, resolution="replaced the router")
    assert escalation_board(desk.store, team_id=desk.lead.actor.team_id) == []


def test_a_nudge_reaches_the_owner_and_only_leads_nudge(desk: Desk) -> None:
    ticket_id = _escalated(desk, "alex", "VPN down", 0)
    event = nudge(desk.lead, ticket_id, "Please call the customer back today")
    found = nudges_for(desk.store, desk.alex.actor.id, since=FIXED_NOW - timedelta(days=1))
    assert [(n.ticket_id, n.message) for n in found] == \
        [(ticket_id, "Please call the customer back today")]
    assert nudges_for(desk.store, desk.alex.actor.id, since=event.created_at) == []
    assert nudges_for(desk.store, desk.blake.actor.id, since=FIXED_NOW - timedelta(days=1)) \
        == []
    with pytest.raises(Forbidden):
        nudge(desk.blake, ticket_id, "hurry up")
