"""The hand-back: resolver groups, a resolver's resolve returns the ticket to its owner,
who closes it only after telling the customer; chasing the group; a lead's take-over."""

from __future__ import annotations

from datetime import timedelta

from deskterm.domain import Ticket
from deskterm.domain.enums import TicketStatus
from deskterm.domain.errors import (
    Conflict,
    CustomerNotTold,
    Forbidden,
    InvalidInput,
    NotFound,
)
from deskterm.services import contacts, groups, handback, tickets
from deskterm.services.board import escalation_board
from deskterm.services.groups import list_groups
from tests.conftest import FIXED_NOW, Desk
from tests.services.conftest import Refuse, fixed, trail


def _group(desk: Desk, name: str = "Wireless", tier: int = 2, *members: str) -> str:
    made = groups.add_group(desk.lead, name, tier=tier, lead="sam")
    if members:
        groups.change_members(desk.lead, name, add=list(members))
    return made.id


def _escalated(desk: Desk, group: str = "Wireless", minutes: float = 0) -> Ticket:
    ctx = fixed(desk, "alex", minutes)
    made = tickets.create_ticket(ctx, customer=desk.customer.id, subject="VPN drops")
    return tickets.escalate_ticket(ctx, made.id, group=group, reason="needs a tech")


def _ticket(desk: Desk, ticket_id: str) -> Ticket:
    with desk.store.reading() as session:
        found = session.get(Ticket, ticket_id)
        assert found is not None
        return found


def test_a_lead_makes_a_group_with_members(desk: Desk) -> None:
    _group(desk, "Wireless", 2, "blake")
    [view] = [v for v in list_groups(desk.store) if v.name == "Wireless"]
    assert (view.name, int(view.tier), view.lead_handle) == ("Wireless", 2, "sam")
    assert view.members == ["blake", "sam"]
    groups.change_members(desk.lead, "wireless", remove=["blake"])
    assert [v.members for v in list_groups(desk.store) if v.name == "Wireless"] == [["sam"]]


def test_groups_refuse_agents_tier_one_doubles_and_strangers(desk: Desk, refuse: Refuse
                                                             ) -> None:
    refuse(Forbidden, lambda: groups.add_group(desk.alex, "Wireless", tier=2), "lead")
    refuse(InvalidInput, lambda: groups.add_group(desk.lead, "Desk", tier=1), "tier 1")
    _group(desk)
    refuse(Conflict, lambda: groups.add_group(desk.lead, "WIRELESS", tier=3), "already")
    refuse(Conflict, lambda: groups.change_members(desk.lead, "Wireless", add=["sam"]),
           "already in")
    refuse(Conflict, lambda: groups.change_members(desk.lead, "Wireless", remove=["alex"]),
           "not in")
    refuse(Forbidden, lambda: groups.change_members(desk.alex, "Wireless", add=["alex"]))


def test_an_escalation_goes_to_a_group(desk: Desk, refuse: Refuse) -> None:
    group_id = _group(desk)
    made = tickets.create_ticket(desk.alex, customer=desk.customer.id, subject="VPN")
    refuse(NotFound, lambda: tickets.escalate_ticket(desk.alex, made.id, group="Netwerk",
                                                     reason="R"), "group add")
    refuse(InvalidInput, lambda: tickets.escalate_ticket(desk.alex, made.id, group="Wireless",
                                                         tier=3, reason="R"), "tier 2")
    escalated = tickets.escalate_ticket(desk.alex, made.id, group="wireless", reason="R")
    assert (escalated.resolver_group_id, escalated.resolver_group, escalated.resolver_tier) \
        == (group_id, "Wireless", 2)


def test_a_resolvers_resolve_returns_the_ticket_to_its_owner(desk: Desk) -> None:
    _group(desk, "Wireless", 2, "blake")
    ticket = _escalated(desk)
    returned = tickets.resolve_ticket(fixed(desk, "sam", 60), ticket.id,
                                      resolution="Replaced the router")
    assert returned.status == TicketStatus.OPEN
    assert returned.returned_at == FIXED_NOW + timedelta(minutes=60)
    assert returned.owner_id == desk.alex.actor.id
    assert handback.is_returned(returned)
    assert trail(desk.store, ticket.id)[-1] == (
        "returned", "Replaced the router", "sam")


def test_update_says_when_an_escalation_comes_back(desk: Desk, refuse: Refuse) -> None:
    _group(desk)
    ticket = _escalated(desk)
    refuse(Conflict, lambda: tickets.update_ticket(desk.alex, ticket.id, status="waiting"),
           "comes back to its owner when the resolver resolves it")


def test_a_returned_ticket_closes_only_once_the_customer_was_told(desk: Desk,
                                                                 refuse: Refuse) -> None:
    _group(desk)
    ticket = _escalated(desk)
    tickets.resolve_ticket(fixed(desk, "sam", 60), ticket.id, resolution="New router")
    refuse(CustomerNotTold, lambda: tickets.resolve_ticket(fixed(desk, "alex", 90), ticket.id,
                                                           resolution=None),
           "tell the customer first", "Log a contact", "say how they were told")
    # A contact from before the return does not count.
    contacts.log_contact(fixed(desk, "alex", 90), channel="phone", summary="earlier",
                         ticket=ticket.id,
                         occurred_at=FIXED_NOW + timedelta(minutes=30))
    refuse(CustomerNotTold, lambda: tickets.resolve_ticket(fixed(desk, "alex", 90), ticket.id,
                                                           resolution=None),
           "tell the customer")
    contacts.log_contact(fixed(desk, "alex", 90), channel="phone", summary="told Jo",
                         ticket=ticket.id,
                         direction="outbound", occurred_at=FIXED_NOW + timedelta(minutes=80))
    closed = tickets.resolve_ticket(fixed(desk, "alex", 90), ticket.id, resolution=None)
    assert closed.status == TicketStatus.RESOLVED
    assert closed.resolution == "New router"  # the resolver's solution stands


def test_an_explicit_reason_stands_in_for_the_contact_and_lands_in_the_trail(desk: Desk
                                                                            ) -> None:
    _group(desk)
    ticket = _escalated(desk)
    tickets.resolve_ticket(fixed(desk, "sam", 60), ticket.id, resolution="New router")
    closed = tickets.resolve_ticket(fixed(desk, "alex", 90), ticket.id,
                                    resolution="Router replaced, works again",
                                    informed="customer already informed by phone")
    assert closed.status == TicketStatus.RESOLVED
    assert ("informed", "customer already informed by phone", "alex") in \
        trail(desk.store, ticket.id)


def test_reopening_or_escalating_again_clears_the_return(desk: Desk) -> None:
    _group(desk)
    ticket = _escalated(desk)
    tickets.resolve_ticket(fixed(desk, "sam", 60), ticket.id, resolution="New router")
    again = tickets.escalate_ticket(desk.alex, ticket.id, group="Wireless", reason="still off")
    assert again.returned_at is None and again.status == TicketStatus.ESCALATED


def test_the_owner_chases_the_group(desk: Desk, refuse: Refuse) -> None:
    _group(desk, "Wireless", 2, "blake")
    ticket = _escalated(desk)
    refuse(Forbidden, lambda: handback.chase(desk.blake, ticket.id, "any news?"), "owner")
    handback.chase(fixed(desk, "alex", 5), ticket.id, "any news?")
    assert trail(desk.store, ticket.id)[-1] == ("chase", "to Wireless: any news?", "alex")
    seen = handback.chases_for(desk.store, desk.blake.actor.id, since=FIXED_NOW)
    assert [n.detail for n in seen] == ["to Wireless: any news?"]
    assert handback.chases_for(desk.store, desk.casey.actor.id, since=FIXED_NOW) == []
    tickets.resolve_ticket(desk.blake, ticket.id, resolution="done")
    refuse(Conflict, lambda: handback.chase(desk.alex, ticket.id, "more?"), "not escalated")


def test_returns_reach_the_owner(desk: Desk) -> None:
    _group(desk)
    ticket = _escalated(desk)
    tickets.resolve_ticket(fixed(desk, "sam", 60), ticket.id, resolution="New router")
    [notice] = handback.returns_for(desk.store, desk.alex.actor.id, since=FIXED_NOW)
    assert (notice.ticket_id, notice.from_handle) == (ticket.id, "sam")
    assert handback.returns_for(desk.store, desk.blake.actor.id, since=FIXED_NOW) == []


def test_a_lead_takes_a_complaint_over(desk: Desk, refuse: Refuse) -> None:
    complaint = tickets.create_ticket(desk.alex, customer=desk.customer.id, subject="Rude",
                                      kind="complaint")
    incident = tickets.create_ticket(desk.alex, customer=desk.customer.id, subject="VPN")
    refuse(Forbidden, lambda: handback.take_over(desk.blake, complaint.id), "lead")
    refuse(Conflict, lambda: handback.take_over(desk.lead, incident.id), "complaints only")
    taken = handback.take_over(desk.lead, complaint.id)
    assert taken.owner_id == desk.lead.actor.id
    assert trail(desk.store, complaint.id)[-1] == (
        "taken_over", "morgan took the complaint over from alex", "morgan")
    refuse(Conflict, lambda: handback.take_over(desk.lead, complaint.id), "already yours")


def test_the_board_lists_returned_tickets_whose_customer_waits(desk: Desk) -> None:
    _group(desk)
    ticket = _escalated(desk)
    other = _escalated(desk)
    tickets.resolve_ticket(fixed(desk, "sam", 60), ticket.id, resolution="New router")
    tickets.resolve_ticket(fixed(desk, "sam", 70), other.id, resolution="New cable")
    contacts.log_contact(fixed(desk, "alex", 80), channel="phone", summary="told Jo",
                         customer=desk.other_customer.id)  # another customer: not told
    later = FIXED_NOW + timedelta(hours=3)
    rows = handback.returned_untold(desk.store, team_id=desk.lead.actor.team_id, now=later)
    assert [(r.ticket_id, r.waited, r.owner_handle) for r in rows] == [
        (ticket.id, timedelta(hours=2), "alex"), (other.id, timedelta(minutes=110), "alex")]
    contacts.log_contact(fixed(desk, "alex", 90), channel="phone", summary="told Jo",
                         ticket=ticket.id)
    rows = handback.returned_untold(desk.store, team_id=desk.lead.actor.team_id, now=later)
    assert [r.ticket_id for r in rows] == []  # one contact with Jo tells about both
    assert handback.returned_untold(desk.store, team_id=desk.casey.actor.team_id) == []
    assert escalation_board(desk.store, team_id=None) == []  # returned is not escalated
