"""Ticket work: create, update, assign, escalate, resolve, reopen, notes and lookups."""

from __future__ import annotations

from datetime import timedelta

import pytest

from deskterm.domain import Ticket
from deskterm.domain.enums import Priority, TicketKind, TicketStatus, Tier
from deskterm.domain.errors import Conflict, InvalidInput, NotFound
from deskterm.domain.keys import provisional_key
from deskterm.services import org, tickets
from deskterm.services.lookup import find_ticket
from tests.conftest import FIXED_NOW, Desk, table_counts
from tests.services.conftest import (
    Outbox,
    Refuse,
    deactivate,
    fixed,
    mark_deleted,
    set_ticket_number,
    trail,
)


def stored(desk: Desk, ticket_id: str) -> Ticket:
    with desk.store.reading() as session:
        ticket = session.get(Ticket, ticket_id)
    assert ticket is not None
    return ticket


def agent_id(desk: Desk, handle: str) -> str:
    return desk.as_(handle).actor.id


@pytest.fixture
def ticket(desk: Desk) -> Ticket:
    """An open ticket of Jo's, owned by alex, made at FIXED_NOW."""
    return tickets.create_ticket(fixed(desk, "alex"), customer="jo@example.com",
                                 subject="VPN drops every hour")


# --- create ----------------------------------------------------------------------------


def test_create_ticket_owned_by_its_creator(desk: Desk, outbox: Outbox) -> None:
    alex = fixed(desk, "alex")
    made = tickets.create_ticket(alex, customer="JO@example.com", subject="  VPN drops  ",
                                 description="Since Monday.")
    saved = stored(desk, made.id)
    assert saved.subject == "VPN drops"
    assert saved.description == "Since Monday."
    assert saved.customer_id == desk.customer.id
    assert saved.owner_id == alex.actor.id
    assert saved.status is TicketStatus.OPEN
    assert saved.kind is TicketKind.INCIDENT
    assert saved.priority is Priority.P3
    assert saved.number is None
    assert saved.key == provisional_key(saved.id)
    assert saved.created_at == saved.updated_at == FIXED_NOW
    changes = outbox.new()
    assert [(c.entity, c.op) for c in changes] == [("ticket", "insert"),
                                                   ("ticket_event", "insert")]
    assert changes[0].row_id == made.id
    assert changes[0].author_id == alex.actor.id
    assert changes[0].state == "pending"
    assert changes[0].fields["subject"] == "VPN drops"
    assert changes[0].fields["status"] == "open"
    assert changes[0].fields["priority"] == 3
    assert changes[0].fields["created_at"] == FIXED_NOW.isoformat()
    assert set(changes[0].fields) == set(Ticket.model_fields)
    assert trail(desk.store, made.id) == [("created", "for Jo Jansen", "alex")]


def test_create_ticket_stamps_the_whole_row_once(desk: Desk, ticket: Ticket) -> None:
    with desk.store.raw() as connection:
        clocks = connection.execute(
            "SELECT field, hlc FROM field_clock WHERE entity = 'ticket' AND row_id = ?",
            (ticket.id,)).fetchall()
        stamp = connection.execute("SELECT hlc FROM outbox WHERE row_id = ? AND op = 'insert'",
                                   (ticket.id,)).fetchone()[0]
    assert clocks == [("*", stamp)]


def test_create_unassigned_ticket_is_new(desk: Desk) -> None:
    made = tickets.create_ticket(desk.alex, customer=desk.customer.id, subject="Printer",
                                 unassigned=True)
    assert (made.owner_id, made.status) == (None, TicketStatus.NEW)


def test_create_ticket_with_every_option(desk: Desk) -> None:
    made = tickets.create_ticket(desk.alex, customer="kim@example.com", subject="Leave form",
                                 kind="Request", priority="p1", department="hr",
                                 owner="@Blake")
    assert made.kind is TicketKind.REQUEST
    assert made.priority is Priority.P1
    assert made.owner_id == agent_id(desk, "blake")
    assert made.customer_id == desk.other_customer.id
    departments = {d.code: d.id for d in org.list_departments(desk.store)}
    assert stored(desk, made.id).department_id == departments["HR"]


def test_priority_as_people_type_it(desk: Desk) -> None:
    for typed, priority in [("1", Priority.P1), (2, Priority.P2), ("P4", Priority.P4),
                            ("p2", Priority.P2), (" 4 ", Priority.P4),
                            (Priority.P3, Priority.P3)]:
        made = tickets.create_ticket(desk.alex, customer="jo@example.com", subject="x y",
                                     priority=typed)  # type: ignore[arg-type]
        assert made.priority is priority, typed


def test_create_refusals(desk: Desk, refuse: Refuse) -> None:
    alex = desk.alex

    def create(**changes: object) -> object:
        options: dict[str, object] = {"customer": "jo@example.com", "subject": "VPN"}
        options.update(changes)
        return lambda: tickets.create_ticket(alex, **options)  # type: ignore[arg-type]

    refuse(InvalidInput, create(subject="   "), "subject is required")
    refuse(InvalidInput, create(subject="x" * 201), "subject is too long",
           "201 characters", "at most 200")
    refuse(InvalidInput, create(description="x" * 10_001), "description is too long")
    refuse(InvalidInput, create(kind="bug"), "'bug' is not a ticket kind",
           "incident, request, question, complaint")
    refuse(InvalidInput, create(priority=5), "priority 5 is out of range", "P1 to P4")
    refuse(InvalidInput, create(priority="0"), "priority 0 is out of range")
    refuse(InvalidInput, create(priority="P9"), "'P9' is not a priority", "p1, p2, p3, p4")
    refuse(InvalidInput, create(priority="²"), "is not a priority")
    refuse(NotFound, create(customer="nobody@example.com"),
           "no customer 'nobody@example.com'")
    refuse(NotFound, create(customer="Jo Jansen"), "no customer 'Jo Jansen'",
           "give an id or an email address")
    refuse(NotFound, create(department="Finance"), "no department 'Finance'", "known:")
    refuse(NotFound, create(owner="zed"), "no agent with handle 'zed'")


def test_a_deactivated_agent_cannot_be_given_a_ticket(desk: Desk, refuse: Refuse) -> None:
    deactivate(desk.store, "blake")
    refuse(Conflict, lambda: tickets.create_ticket(desk.alex, customer="jo@example.com",
                                                   subject="VPN", owner="blake"),
           "blake is deactivated and cannot own tickets")


# --- update ----------------------------------------------------------------------------


def test_update_records_only_what_changed(desk: Desk, ticket: Ticket, outbox: Outbox) -> None:
    blake = fixed(desk, "blake", minutes=10)
    outbox.mark()
    updated = tickets.update_ticket(blake, ticket.key, subject="VPN drops hourly",
                                    priority="2", kind="incident", description="")
    saved = stored(desk, ticket.id)
    assert (saved.subject, saved.priority) == ("VPN drops hourly", Priority.P2)
    assert saved.updated_at == FIXED_NOW + timedelta(minutes=10)
    assert updated.subject == saved.subject
    changes = outbox.new()
    assert [(c.entity, c.op) for c in changes] == [("ticket", "update"),
                                                   ("ticket_event", "insert")]
    assert changes[0].fields == {"subject": "VPN drops hourly", "priority": 2,
                                 "updated_at": saved.updated_at.isoformat()}
    assert changes[0].author_id == blake.actor.id
    assert trail(desk.store, ticket.id)[-1] == ("updated", "subject, priority", "blake")


def test_update_with_the_same_values_writes_nothing(desk: Desk, ticket: Ticket) -> None:
    before = table_counts(desk.store)
    same = tickets.update_ticket(desk.alex, ticket.id, subject=ticket.subject, priority=3,
                                 status="open")
    assert same.updated_at == ticket.updated_at
    assert table_counts(desk.store) == before


def test_update_status_and_department(desk: Desk, ticket: Ticket) -> None:
    tickets.update_ticket(desk.alex, ticket.id, status="Waiting", department="IT")
    saved = stored(desk, ticket.id)
    assert saved.status is TicketStatus.WAITING
    assert saved.department_id is not None
    assert trail(desk.store, ticket.id)[-1][1] == "status, department_id"


def test_update_refusals(desk: Desk, ticket: Ticket, refuse: Refuse) -> None:
    alex = desk.alex
    key = ticket.key
    refuse(InvalidInput, lambda: tickets.update_ticket(alex, key), "nothing to change")
    refuse(InvalidInput, lambda: tickets.update_ticket(alex, key, subject=""),
           "subject is required")
    refuse(InvalidInput, lambda: tickets.update_ticket(alex, key, kind="bug"),
           "'bug' is not a ticket kind")
    refuse(InvalidInput, lambda: tickets.update_ticket(alex, key, priority=7),
           "priority 7 is out of range")
    refuse(InvalidInput, lambda: tickets.update_ticket(alex, key, status="done"),
           "'done' is not a status")
    refuse(InvalidInput, lambda: tickets.update_ticket(alex, key, status="escalated"),
           "use `ticket escalate` to set status escalated")
    refuse(InvalidInput, lambda: tickets.update_ticket(alex, key, status="resolved"),
           "use `ticket resolve` to set status resolved")
    refuse(InvalidInput, lambda: tickets.update_ticket(alex, key, status="closed"),
           "use `ticket resolve` to set status closed")
    refuse(NotFound, lambda: tickets.update_ticket(alex, "SD-404", subject="x y"),
           "no ticket 'SD-404'")
    refuse(NotFound, lambda: tickets.update_ticket(alex, key, department="Nope"),
           "no department 'Nope'")


def test_status_of_an_escalated_or_resolved_ticket_is_refused(desk: Desk, ticket: Ticket,
                                                              refuse: Refuse) -> None:
    tickets.escalate_ticket(desk.alex, ticket.id, tier=2, group="Network", reason="Router")
    refuse(Conflict, lambda: tickets.update_ticket(desk.alex, ticket.id, status="open"),
           "is escalated", "comes back to its owner when the resolver resolves it")
    tickets.resolve_ticket(desk.alex, ticket.id, resolution="Router replaced")
    refuse(Conflict, lambda: tickets.update_ticket(desk.alex, ticket.id, status="open"),
           f"{ticket.key} is resolved", "reopen it first")
    # Plain fields of a resolved ticket may still be corrected.
    tickets.update_ticket(desk.alex, ticket.id, subject="VPN drops (router)")


# --- assign ----------------------------------------------------------------------------


def test_assign_hands_the_ticket_over(desk: Desk, ticket: Ticket, outbox: Outbox) -> None:
    outbox.mark()
    tickets.assign_ticket(desk.alex, ticket.id, "blake")
    assert stored(desk, ticket.id).owner_id == agent_id(desk, "blake")
    changes = outbox.new()
    assert changes[0].fields.keys() == {"owner_id", "updated_at"}
    assert trail(desk.store, ticket.id)[-1] == ("assigned", "to blake", "alex")


def test_assigning_a_new_ticket_opens_it(desk: Desk) -> None:
    made = tickets.create_ticket(desk.alex, customer="jo@example.com", subject="Printer",
                                 unassigned=True)
    tickets.assign_ticket(desk.lead, made.id, "alex")
    saved = stored(desk, made.id)
    assert (saved.owner_id, saved.status) == (agent_id(desk, "alex"), TicketStatus.OPEN)


def test_assigning_to_the_owner_again_writes_nothing(desk: Desk, ticket: Ticket) -> None:
    before = table_counts(desk.store)
    tickets.assign_ticket(desk.blake, ticket.id, "alex")
    assert table_counts(desk.store) == before


def test_a_new_ticket_may_be_unassigned(desk: Desk, ticket: Ticket) -> None:
    tickets.update_ticket(desk.alex, ticket.id, status="new")
    tickets.assign_ticket(desk.alex, ticket.id, None)
    assert stored(desk, ticket.id).owner_id is None
    assert trail(desk.store, ticket.id)[-1] == ("assigned", "unassigned", "alex")


def test_assign_refusals(desk: Desk, ticket: Ticket, refuse: Refuse) -> None:
    refuse(Conflict, lambda: tickets.assign_ticket(desk.alex, ticket.id, None),
           f"{ticket.key} is being worked on", "hand it to someone instead")
    refuse(NotFound, lambda: tickets.assign_ticket(desk.alex, ticket.id, "zed"),
           "no agent with handle 'zed'")
    refuse(NotFound, lambda: tickets.assign_ticket(desk.alex, "new-zzzzzz", "blake"),
           "no ticket 'new-zzzzzz'")
    deactivate(desk.store, "blake")
    refuse(Conflict, lambda: tickets.assign_ticket(desk.alex, ticket.id, "blake"),
           "blake is deactivated")
    tickets.resolve_ticket(desk.alex, ticket.id, resolution="Fixed")
    refuse(Conflict, lambda: tickets.assign_ticket(desk.alex, ticket.id, "alex"),
           f"{ticket.key} is resolved", "reopen it before assigning")


# --- escalate --------------------------------------------------------------------------


def test_escalation_keeps_the_owner(desk: Desk, ticket: Ticket, outbox: Outbox) -> None:
    blake = fixed(desk, "blake", minutes=30)
    outbox.mark()
    tickets.escalate_ticket(blake, ticket.key, tier="2", group="network",
                            reason="Router firmware")
    saved = stored(desk, ticket.id)
    assert saved.owner_id == agent_id(desk, "alex")  # the desk contact stays
    assert saved.status is TicketStatus.ESCALATED
    assert (saved.resolver_tier, saved.resolver_group) == (Tier.SECOND, "Network")
    assert saved.escalation_reason == "Router firmware"
    assert saved.escalated_at == FIXED_NOW + timedelta(minutes=30)
    [change, _event] = outbox.new()
    assert set(change.fields) == {"status", "resolver_tier", "resolver_group",
                                  "resolver_group_id", "escalation_reason", "escalated_at",
                                  "updated_at"}
    assert trail(desk.store, ticket.id)[-1] == (
        "escalated", "to Network (tier 2): Router firmware", "blake")


def test_escalating_an_unowned_ticket_makes_the_escalator_its_owner(desk: Desk,
                                                                    outbox: Outbox) -> None:
    made = tickets.create_ticket(desk.alex, customer="jo@example.com", subject="Printer",
                                 unassigned=True)
    outbox.mark()
    tickets.escalate_ticket(desk.blake, made.id, tier=3, group="Vendor", reason="Hardware")
    assert stored(desk, made.id).owner_id == agent_id(desk, "blake")
    assert "owner_id" in outbox.new()[0].fields


def test_an_escalated_ticket_may_move_to_another_line(desk: Desk, ticket: Ticket) -> None:
    tickets.escalate_ticket(desk.alex, ticket.id, tier=2, group="Network", reason="Router")
    tickets.escalate_ticket(desk.alex, ticket.id, tier=3, group="Vendor", reason="Vendor bug")
    assert stored(desk, ticket.id).resolver_tier is Tier.THIRD


def test_escalate_refusals(desk: Desk, ticket: Ticket, refuse: Refuse) -> None:
    alex, ref = desk.alex, ticket.id
    refuse(InvalidInput, lambda: tickets.escalate_ticket(alex, ref, tier=1, group="G",
                                                         reason="why"),
           "tier 2 or 3", "tier 1 is the desk itself")
    refuse(InvalidInput, lambda: tickets.escalate_ticket(alex, ref, tier="4", group="G",
                                                         reason="why"),
           "'4' is not a tier")
    refuse(InvalidInput, lambda: tickets.escalate_ticket(alex, ref, tier=2, group=" ",
                                                         reason="why"),
           "resolver group is required")
    refuse(InvalidInput, lambda: tickets.escalate_ticket(alex, ref, tier=2, group="G",
                                                         reason=""),
           "escalation reason is required")
    refuse(NotFound, lambda: tickets.escalate_ticket(alex, ref, group="G", reason="why"),
           "no resolver group 'G'", "deskterm group add")
    refuse(InvalidInput, lambda: tickets.escalate_ticket(alex, ref, tier=3, group="Network",
                                                         reason="why"),
           "Network is tier 2, not tier 3")
    refuse(NotFound, lambda: tickets.escalate_ticket(alex, "SD-1", tier=2, group="G",
                                                     reason="why"), "no ticket 'SD-1'")
    tickets.escalate_ticket(alex, ref, tier=2, group="Network", reason="Router")
    refuse(Conflict, lambda: tickets.escalate_ticket(alex, ref, tier="second",
                                                     group="Network", reason="again"),
           "is already with Network (tier 2)")
    tickets.resolve_ticket(alex, ref, resolution="Router replaced")
    refuse(Conflict, lambda: tickets.escalate_ticket(alex, ref, tier=2, group="Network",
                                                     reason="again"),
           "is resolved", "reopen it before escalating")


# --- resolve and reopen ----------------------------------------------------------------


def test_resolve_at_first_contact(desk: Desk, ticket: Ticket, outbox: Outbox) -> None:
    alex = fixed(desk, "alex", minutes=5)
    outbox.mark()
    tickets.resolve_ticket(alex, ticket.key, resolution="Reinstalled the client",
                           first_contact=True)
    saved = stored(desk, ticket.id)
    assert saved.status is TicketStatus.RESOLVED
    assert saved.resolution == "Reinstalled the client"
    assert saved.first_contact_resolution is True
    assert saved.resolved_at == FIXED_NOW + timedelta(minutes=5)
    assert set(outbox.new()[0].fields) == {"status", "resolution", "first_contact_resolution",
                                           "resolved_at", "updated_at"}
    assert trail(desk.store, ticket.id)[-1] == ("resolved", "Reinstalled the client", "alex")


def test_an_escalated_ticket_resolves_but_not_at_first_contact(desk: Desk, ticket: Ticket,
                                                               refuse: Refuse) -> None:
    tickets.escalate_ticket(desk.alex, ticket.id, tier=2, group="Network", reason="Router")
    refuse(InvalidInput, lambda: tickets.resolve_ticket(desk.alex, ticket.id,
                                                        resolution="Fixed",
                                                        first_contact=True),
           f"{ticket.key} was escalated", "not resolved at first contact")
    tickets.resolve_ticket(desk.alex, ticket.id, resolution="Fixed")
    saved = stored(desk, ticket.id)
    assert (saved.status, saved.first_contact_resolution) == (TicketStatus.RESOLVED, False)
    assert saved.owner_id == agent_id(desk, "alex")


def test_resolve_refusals(desk: Desk, ticket: Ticket, refuse: Refuse) -> None:
    refuse(InvalidInput, lambda: tickets.resolve_ticket(desk.alex, ticket.id, resolution=""),
           "resolution is required")
    refuse(InvalidInput, lambda: tickets.resolve_ticket(desk.alex, ticket.id,
                                                        resolution="x" * 5001),
           "resolution is too long")
    refuse(NotFound, lambda: tickets.resolve_ticket(desk.alex, "nope", resolution="Done"),
           "no ticket 'nope'")
    tickets.resolve_ticket(desk.alex, ticket.id, resolution="Done")
    refuse(Conflict, lambda: tickets.resolve_ticket(desk.alex, ticket.id, resolution="Again"),
           f"{ticket.key} is already resolved")


def test_reopen_clears_the_resolution_state(desk: Desk, ticket: Ticket,
                                            outbox: Outbox) -> None:
    tickets.resolve_ticket(desk.alex, ticket.id, resolution="Done", first_contact=True)
    outbox.mark()
    tickets.reopen_ticket(desk.blake, ticket.key, reason="Customer called back")
    saved = stored(desk, ticket.id)
    assert saved.status is TicketStatus.OPEN
    assert saved.resolved_at is None
    assert saved.first_contact_resolution is False
    assert outbox.new()[0].fields.keys() == {"status", "resolved_at",
                                             "first_contact_resolution", "updated_at"}
    assert trail(desk.store, ticket.id)[-1] == ("reopened", "Customer called back", "blake")


def test_reopen_refusals(desk: Desk, ticket: Ticket, refuse: Refuse) -> None:
    refuse(Conflict, lambda: tickets.reopen_ticket(desk.alex, ticket.id, reason="Why not"),
           f"{ticket.key} is open, not resolved")
    tickets.resolve_ticket(desk.alex, ticket.id, resolution="Done")
    refuse(InvalidInput, lambda: tickets.reopen_ticket(desk.alex, ticket.id, reason="  "),
           "reason for reopening is required")
    refuse(NotFound, lambda: tickets.reopen_ticket(desk.alex, "SD-9", reason="Again"),
           "no ticket 'SD-9'")


def test_the_whole_trail_of_a_ticket(desk: Desk, ticket: Ticket) -> None:
    tickets.add_note(desk.alex, ticket.id, "Asked for logs")
    tickets.escalate_ticket(desk.alex, ticket.id, tier=2, group="Network", reason="Router")
    tickets.resolve_ticket(desk.alex, ticket.id, resolution="Router replaced")
    tickets.reopen_ticket(desk.alex, ticket.id, reason="Drops again")
    assert [kind for kind, _detail, _who in trail(desk.store, ticket.id)] == [
        "created", "note", "escalated", "resolved", "reopened"]


# --- notes -----------------------------------------------------------------------------


def test_add_note(desk: Desk, ticket: Ticket, outbox: Outbox) -> None:
    outbox.mark()
    event = tickets.add_note(desk.blake, ticket.key, "  Customer prefers phone  ")
    assert event.detail == "Customer prefers phone"
    assert outbox.summary() == [("ticket_event", "insert")]
    assert trail(desk.store, ticket.id)[-1] == ("note", "Customer prefers phone", "blake")


def test_add_note_refusals(desk: Desk, ticket: Ticket, refuse: Refuse) -> None:
    refuse(InvalidInput, lambda: tickets.add_note(desk.alex, ticket.id, ""), "note is required")
    refuse(InvalidInput, lambda: tickets.add_note(desk.alex, ticket.id, "x" * 5001),
           "note is too long")
    refuse(NotFound, lambda: tickets.add_note(desk.alex, "SD-77", "Hello"), "no ticket 'SD-77'")


# --- finding a ticket by what people type ----------------------------------------------


def test_find_by_key_or_number(desk: Desk, ticket: Ticket) -> None:
    set_ticket_number(desk.store, ticket.id, 12)
    with desk.store.reading() as session:
        for typed in ["SD-12", "sd-12", "12", " SD-12 ", "Sd-12", "SD-0012"]:
            assert find_ticket(session, typed).id == ticket.id, typed
        for typed in ["١٢", "SD-١٢", "\uff11\uff12"]:  # a key is ASCII digits only
            with pytest.raises(NotFound):
                find_ticket(session, typed)


def test_find_by_provisional_key_and_id(desk: Desk, ticket: Ticket) -> None:
    key = provisional_key(ticket.id)
    assert key.startswith("new-") and len(key) == 10
    with desk.store.reading() as session:
        assert find_ticket(session, key).id == ticket.id
        assert find_ticket(session, key.upper()).id == ticket.id
        assert find_ticket(session, ticket.id).id == ticket.id
        assert find_ticket(session, ticket.id.upper()).id == ticket.id


def test_a_numbered_ticket_has_no_provisional_key_any_more(desk: Desk, ticket: Ticket,
                                                           refuse: Refuse) -> None:
    set_ticket_number(desk.store, ticket.id, 12)
    assert stored(desk, ticket.id).key == "SD-12"
    refuse(NotFound, lambda: tickets.add_note(desk.alex, provisional_key(ticket.id), "x y"),
           "no ticket")


def test_an_ambiguous_provisional_key_finds_nothing(desk: Desk, ticket: Ticket,
                                                    refuse: Refuse) -> None:
    twin_id = ticket.id[:-12] + "0" * 6 + ticket.id[-6:]
    assert twin_id != ticket.id
    with desk.store.transaction() as session:
        session.add(Ticket(id=twin_id, subject="Twin", customer_id=desk.customer.id,
                           created_at=FIXED_NOW, updated_at=FIXED_NOW))
    refuse(NotFound, lambda: tickets.add_note(desk.alex, provisional_key(ticket.id), "x y"),
           "no ticket")


def test_what_finds_no_ticket(desk: Desk, ticket: Ticket, refuse: Refuse) -> None:
    set_ticket_number(desk.store, ticket.id, 12)
    for typed in ["SD-13", "0", "SD-", "new-", "new-12345", "new-xyzxyz", "SD-1.2", "-12",
                  "99999999999999999999999", "SD-²", "²", "%", "'", "",
                  "01234567-89ab-7def-8123-456789abcdef"]:
        refuse(NotFound, lambda t=typed: tickets.add_note(desk.alex, t, "note"),
               f"no ticket '{typed}'")


def test_a_deleted_ticket_is_not_found(desk: Desk, ticket: Ticket, refuse: Refuse) -> None:
    mark_deleted(desk.store, "ticket", ticket.id)
    refuse(NotFound, lambda: tickets.add_note(desk.alex, ticket.id, "note"),
           f"no ticket '{ticket.id}'")
