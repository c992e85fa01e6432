"""Ticket work: create, update, assign, escalate (the owner stays), resolve and reopen.

An escalation goes to a resolver group and comes back to its owner when the resolver
resolves it (services.handback has the hand-back's rules).
"""

from __future__ import annotations

from sqlmodel import Session

from deskterm.domain import Customer, Ticket, TicketEvent
from deskterm.domain.enums import Priority, TicketEventKind, TicketKind, TicketStatus
from deskterm.domain.errors import Conflict, InvalidInput
from deskterm.domain.types import text_limit
from deskterm.i18n import _
from deskterm.services import handback
from deskterm.services.context import ServiceContext, clean_text
from deskterm.services.groups import ESCALATION_TIERS as ESCALATION_TIERS
from deskterm.services.groups import find_group, parse_group_tier
from deskterm.services.lookup import (
    find_agent_by_handle,
    find_customer,
    find_department,
    find_ticket,
    parse_choice,
)
from deskterm.services.trail import log_event as log_event
from deskterm.services.trail import touch
from deskterm.store.outbox import record

SUBJECT_LIMIT = text_limit(Ticket, "subject")
#: Statuses a person may set directly; the others have their own action.
PLAIN_STATUSES = (TicketStatus.NEW, TicketStatus.OPEN, TicketStatus.WAITING)


def create_ticket(
    ctx: ServiceContext,
    *,
    customer: str,
    subject: str,
    description: str = "",
    kind: str | TicketKind = TicketKind.INCIDENT,
    priority: str | int | Priority = Priority.P3,
    department: str | None = None,
    owner: str | None = None,
    unassigned: bool = False,
) -> Ticket:
    """Open a ticket for `customer` (id or email). The creator owns it unless told otherwise."""
    subject = clean_text(subject, _("subject"), limit=SUBJECT_LIMIT)
    description = clean_text(description, _("description"), required=False,
                             limit=text_limit(Ticket, "description"))
    kind = parse_choice(TicketKind, kind, _("ticket kind"))
    priority = _priority(priority)
    now = ctx.now()
    with ctx.store.transaction() as session:
        found = find_customer(session, customer)
        department_id = find_department(session, department).id if department else None
        owner_id = None if unassigned else _owner_id(ctx, session, owner)
        ticket = Ticket(
            subject=subject, description=description, kind=kind, priority=priority,
            department_id=department_id, customer_id=found.id, owner_id=owner_id,
            status=TicketStatus.OPEN if owner_id else TicketStatus.NEW,
            created_at=now, updated_at=now,
        )
        session.add(ticket)
        session.flush()
        record(session, "ticket", ticket, author_id=ctx.actor.id)
        log_event(ctx, session, ticket, TicketEventKind.CREATED, f"for {found.name}")
    return ticket


def update_ticket(
    ctx: ServiceContext,
    ref: str,
    *,
    subject: str | None = None,
    description: str | None = None,
    kind: str | None = None,
    priority: str | int | None = None,
    department: str | None = None,
    status: str | None = None,
) -> Ticket:
    """Change the plain fields of a ticket; only what is given changes."""
    changes: dict[str, object] = {}
    if subject is not None:
        changes["subject"] = clean_text(subject, _("subject"), limit=SUBJECT_LIMIT)
    if description is not None:
        changes["description"] = clean_text(description, _("description"), required=False,
                             limit=text_limit(Ticket, "description"))
    if kind is not None:
        changes["kind"] = parse_choice(TicketKind, kind, _("ticket kind"))
    if priority is not None:
        changes["priority"] = _priority(priority)
    if status is not None:
        new_status = parse_choice(TicketStatus, status, _("status"))
        if new_status not in PLAIN_STATUSES:
            action = {"escalated": "escalate", "resolved": "resolve", "closed": "resolve"}
            # TRANSLATORS: {command} is a command, not translated: `ticket resolve`.
            raise InvalidInput(_("use `{command}` to set status {status}").format(
                command=f"ticket {action[new_status.value]}", status=new_status.label))
        changes["status"] = new_status
    with ctx.store.transaction() as session:
        ticket = find_ticket(session, ref)
        if department is not None:
            changes["department_id"] = find_department(session, department).id
        if not changes:
            raise InvalidInput(_("nothing to change: give at least one field"))
        if "status" in changes and not ticket.status.is_open:
            raise Conflict(_("{key} is {status}; reopen it first").format(
                key=ticket.key, status=ticket.status.label))
        if "status" in changes and ticket.status == TicketStatus.ESCALATED:
            raise Conflict(_("{key} is escalated to {group}; it comes back to its owner when "
                             "the resolver resolves it").format(key=ticket.key,
                                                                 group=ticket.resolver_group))
        written = [name for name, value in changes.items() if getattr(ticket, name) != value]
        if not written:
            return ticket
        for name in written:
            setattr(ticket, name, changes[name])
        touch(ctx, session, ticket, written)
        log_event(ctx, session, ticket, TicketEventKind.UPDATED, ", ".join(written))
    return ticket


def assign_ticket(ctx: ServiceContext, ref: str, handle: str | None) -> Ticket:
    """Make `handle` the ticket's owner (None: unassign, allowed only while it is new)."""
    with ctx.store.transaction() as session:
        ticket = find_ticket(session, ref)
        if not ticket.status.is_open:
            raise Conflict(_("{key} is {status}; reopen it before assigning").format(
                key=ticket.key, status=ticket.status.label))
        if handle is None:
            if ticket.status != TicketStatus.NEW:
                raise Conflict(_("{key} is being worked on; hand it to someone instead")
                               .format(key=ticket.key))
            owner_id, detail = None, "unassigned"
        else:
            agent = find_agent_by_handle(session, handle)
            if not agent.active:
                raise Conflict(_("{handle} is deactivated and cannot own tickets").format(
                    handle=agent.handle))
            owner_id, detail = agent.id, f"to {agent.handle}"
        if ticket.owner_id == owner_id:
            return ticket
        ticket.owner_id = owner_id
        fields = ["owner_id"]
        if owner_id and ticket.status == TicketStatus.NEW:
            ticket.status = TicketStatus.OPEN
            fields.append("status")
        touch(ctx, session, ticket, fields)
        log_event(ctx, session, ticket, TicketEventKind.ASSIGNED, detail)
    return ticket


def escalate_ticket(
    ctx: ServiceContext, ref: str, *, group: str, reason: str, tier: int | str | None = None
) -> Ticket:
    """Hand the work to a resolver group (2nd or 3rd line); the desk owner stays the
    customer's contact. `tier`, when given, must be the group's."""
    wanted = parse_group_tier(tier) if tier is not None else None
    group = clean_text(group, _("resolver group"), limit=text_limit(Ticket, "resolver_group"))
    reason = clean_text(reason, _("escalation reason"),
                        limit=text_limit(Ticket, "escalation_reason"))
    with ctx.store.transaction() as session:
        ticket = find_ticket(session, ref)
        target = find_group(session, group)
        if wanted is not None and wanted != target.tier:
            raise InvalidInput(_("{group} is tier {tier}, not tier {wanted}").format(
                group=target.name, tier=target.tier.value, wanted=wanted.value))
        if not ticket.status.is_open:
            raise Conflict(_("{key} is {status}; reopen it before escalating").format(
                key=ticket.key, status=ticket.status.label))
        if ticket.status == TicketStatus.ESCALATED and ticket.resolver_group_id == target.id:
            raise Conflict(_("{key} is already with {group} (tier {tier})").format(
                key=ticket.key, group=target.name, tier=target.tier.value))
        fields = ["status", "resolver_tier", "resolver_group", "resolver_group_id",
                  "escalation_reason", "escalated_at"]
        if ticket.returned_at is not None:
            fields.append("returned_at")
        if ticket.owner_id is None:
            # Somebody must stay the customer's contact: the one escalating takes it.
            ticket.owner_id = ctx.actor.id
            fields.append("owner_id")
        ticket.status = TicketStatus.ESCALATED
        ticket.resolver_tier = target.tier
        ticket.resolver_group = target.name
        ticket.resolver_group_id = target.id
        ticket.escalation_reason = reason
        ticket.escalated_at = ctx.now()
        ticket.returned_at = None
        touch(ctx, session, ticket, fields)
        log_event(ctx, session, ticket, TicketEventKind.ESCALATED,
                  f"to {target.name} (tier {target.tier.value}): {reason}")
    return ticket


def resolve_ticket(
    ctx: ServiceContext, ref: str, *, resolution: str | None, first_contact: bool = False,
    informed: str | None = None,
) -> Ticket:
    """Resolve with a resolution text; `first_contact` marks it solved in the first contact.

    A resolver resolving an escalated ticket hands it back to its owner instead
    (services.handback). A returned ticket closes once its customer was told: a contact
    logged since, or `informed`, a reason that goes on the trail. Its resolution may be
    left out: the resolver's solution stands.
    """
    text = clean_text(resolution, _("resolution"), required=False,
                      limit=text_limit(Ticket, "resolution"))
    with ctx.store.transaction() as session:
        ticket = find_ticket(session, ref)
        if not ticket.status.is_open:
            raise Conflict(_("{key} is already {status}").format(
                key=ticket.key, status=ticket.status.label))
        if first_contact and ticket.escalated_at is not None:
            raise InvalidInput(
                _("{key} was escalated, so it was not resolved at first contact").format(
                    key=ticket.key))
        if not text and not (handback.is_returned(ticket) and ticket.resolution):
            raise InvalidInput(_("resolution is required"))
        if ticket.status == TicketStatus.ESCALATED and ticket.owner_id not in (
                None, ctx.actor.id):
            handback.hand_back(ctx, session, ticket, text)
            return ticket
        handback.require_told(ctx, session, ticket, informed)
        ticket.status = TicketStatus.RESOLVED
        ticket.resolution = text or ticket.resolution
        ticket.first_contact_resolution = first_contact
        ticket.resolved_at = ctx.now()
        touch(ctx, session, ticket,
              ["status", "resolution", "first_contact_resolution", "resolved_at"])
        log_event(ctx, session, ticket, TicketEventKind.RESOLVED, ticket.resolution or "")
    return ticket


def reopen_ticket(ctx: ServiceContext, ref: str, *, reason: str) -> Ticket:
    """Reopen a resolved or closed ticket; it no longer counts as a first-contact resolution."""
    reason = clean_text(reason, _("reason for reopening"), limit=2000)
    with ctx.store.transaction() as session:
        ticket = find_ticket(session, ref)
        if ticket.status.is_open:
            raise Conflict(_("{key} is {status}, not resolved").format(
                key=ticket.key, status=ticket.status.label))
        ticket.status = TicketStatus.OPEN
        ticket.resolved_at = None
        ticket.first_contact_resolution = False
        fields = ["status", "resolved_at", "first_contact_resolution"]
        if ticket.returned_at is not None:
            ticket.returned_at = None
            fields.append("returned_at")
        touch(ctx, session, ticket, fields)
        log_event(ctx, session, ticket, TicketEventKind.REOPENED, reason)
    return ticket


def add_note(ctx: ServiceContext, ref: str, note: str) -> TicketEvent:
    """An internal note on the ticket's trail."""
    note = clean_text(note, _("note"), limit=5000)
    with ctx.store.transaction() as session:
        ticket = find_ticket(session, ref)
        return log_event(ctx, session, ticket, TicketEventKind.NOTE, note)


def _priority(value: str | int | Priority) -> Priority:
    if isinstance(value, str) and value.strip().isdecimal():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, Priority):
        if value not in (1, 2, 3, 4):
            raise InvalidInput(_("priority {value} is out of range; choose P1 to P4").format(
                value=value))
        return Priority(value)
    return parse_choice(Priority, value, _("priority"))


def _owner_id(ctx: ServiceContext, session: Session, owner: str | None) -> str:
    if owner is None:
        return ctx.actor.id
    agent = find_agent_by_handle(session, owner)
    if not agent.active:
        raise Conflict(_("{handle} is deactivated and cannot own tickets").format(
            handle=agent.handle))
    return agent.id


def customer_of(session: Session, ticket: Ticket) -> Customer:
    customer = session.get(Customer, ticket.customer_id)
    assert customer is not None  # enforced by the foreign key
    return customer
