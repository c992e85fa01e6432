"""Resolver groups: a lead or admin makes them and keeps their members; escalations go to one.

Who is in a group is derived from its membership trail (insert-only `GroupMember` rows):
the newest event per person says whether they are in it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from deskterm.domain import Agent, GroupMember, ResolverGroup, Ticket
from deskterm.domain.enums import TicketStatus, Tier
from deskterm.domain.errors import Conflict, InvalidInput, NotFound
from deskterm.domain.groups import GROUP_NAME_LENGTH
from deskterm.i18n import _
from deskterm.services.context import ServiceContext, clean_text
from deskterm.services.lookup import find_agent_by_handle, parse_choice
from deskterm.store import Store
from deskterm.store.groups import CURRENT_GROUPS_SQL
from deskterm.store.outbox import record

#: The lines a ticket may be escalated to, so a group's tier: every tier above the desk's.
ESCALATION_TIERS = tuple(tier for tier in Tier if tier != Tier.FIRST)


@dataclass(frozen=True)
class GroupView:
    id: str
    name: str
    tier: Tier
    lead_handle: str | None
    members: list[str]  # handles, sorted
    open_escalations: int


def parse_group_tier(value: int | str | Tier) -> Tier:
    tier = parse_choice(Tier, value, _("tier"))
    if tier not in ESCALATION_TIERS:
        raise InvalidInput(_("a resolver group is tier {second} or {third}; tier {tier} is the "
                             "desk itself").format(second=Tier.SECOND.value,
                                                   third=Tier.THIRD.value, tier=tier.value))
    return tier


def find_group(session: Session, ref: str) -> ResolverGroup:
    """A group by name (case does not matter) or id."""
    text = ref.strip()
    group = session.get(ResolverGroup, text)
    if group is None:
        group = session.exec(select(ResolverGroup)
                             .where(func.lower(ResolverGroup.name) == text.lower())).first()
    if group is None or group.deleted:
        raise NotFound(_("no resolver group '{ref}': see `deskterm group list` (a lead adds "
                         "one with `deskterm group add`)").format(ref=ref))
    return group


def add_group(ctx: ServiceContext, name: str, *, tier: int | str | Tier,
              lead: str | None = None) -> ResolverGroup:
    """A new resolver group; `lead` is the handle of its lead (who is then a member too)."""
    ctx.require_lead(_("only a team lead or admin may make a resolver group"))
    name = clean_text(name, _("group name"), limit=GROUP_NAME_LENGTH)
    parsed = parse_group_tier(tier)
    with ctx.store.transaction() as session:
        taken = session.exec(select(ResolverGroup)
                             .where(func.lower(ResolverGroup.name) == name.lower())).first()
        if taken is not None:
            raise Conflict(_("a resolver group named '{name}' already exists").format(
                name=taken.name))
        lead_agent = _active(session, lead) if lead else None
        group = ResolverGroup(name=name, tier=parsed, created_at=ctx.now(),
                              lead_id=lead_agent.id if lead_agent else None)
        session.add(group)
        session.flush()
        record(session, "resolver_group", group, author_id=ctx.actor.id)
        if lead_agent is not None:
            _member_event(ctx, session, group, lead_agent, added=True)
    return group


def change_members(ctx: ServiceContext, ref: str, *, add: list[str] | None = None,
                   remove: list[str] | None = None) -> ResolverGroup:
    """Add and remove members by handle; adding a member twice or removing a non-member
    is refused, so a typo does not pass silently."""
    ctx.require_lead(_("only a team lead or admin may change a resolver group's members"))
    with ctx.store.transaction() as session:
        group = find_group(session, ref)
        current = member_ids(session, group.id)
        for handle in add or []:
            agent = _active(session, handle)
            if agent.id in current:
                raise Conflict(_("{handle} is already in {group}").format(
                    handle=agent.handle, group=group.name))
            _member_event(ctx, session, group, agent, added=True)
            current.add(agent.id)
        for handle in remove or []:
            agent = find_agent_by_handle(session, handle)
            if agent.id not in current:
                raise Conflict(_("{handle} is not in {group}").format(
                    handle=agent.handle, group=group.name))
            _member_event(ctx, session, group, agent, added=False)
            current.discard(agent.id)
    return group


def member_ids(session: Session, group_id: str) -> set[str]:
    """The agents in the group now: those whose newest membership event added them."""
    events = session.exec(select(GroupMember).where(GroupMember.group_id == group_id)
                          .order_by(col(GroupMember.created_at), col(GroupMember.id))).all()
    state: dict[str, bool] = {}
    for event in events:
        state[event.agent_id] = event.added
    return {agent_id for agent_id, added in state.items() if added}


def groups_of(session: Session, agent_id: str) -> list[str]:
    """The ids of the groups `agent_id` is in now (store.groups: the newest event wins)."""
    found = session.connection().exec_driver_sql(CURRENT_GROUPS_SQL, (agent_id,)).all()
    return sorted(str(row[0]) for row in found)


def my_group_ids(store: Store, agent_id: str) -> list[str]:
    with store.reading() as session:
        return groups_of(session, agent_id)


def list_groups(store: Store) -> list[GroupView]:
    """Every group, by name, with its lead, members and open escalations."""
    with store.reading() as session:
        groups = session.exec(select(ResolverGroup).where(col(ResolverGroup.deleted).is_(False))
                              .order_by(col(ResolverGroup.name))).all()
        handles = dict(session.exec(select(Agent.id, Agent.handle)).all())
        counts = dict(session.exec(
            select(Ticket.resolver_group_id, func.count())
            .where(Ticket.status == TicketStatus.ESCALATED)
            .where(col(Ticket.deleted).is_(False))
            .group_by(col(Ticket.resolver_group_id))).all())
        return [GroupView(g.id, g.name, g.tier, handles.get(g.lead_id or ""),
                          sorted(handles[m] for m in member_ids(session, g.id) if m in handles),
                          int(counts.get(g.id, 0))) for g in groups]


def group_view(store: Store, ref: str) -> GroupView:
    with store.reading() as session:
        group_id = find_group(session, ref).id
    return next(g for g in list_groups(store) if g.id == group_id)


def _active(session: Session, handle: str) -> Agent:
    agent = find_agent_by_handle(session, handle)
    if not agent.active:
        raise Conflict(_("{handle} is deactivated").format(handle=agent.handle))
    return agent


def _member_event(ctx: ServiceContext, session: Session, group: ResolverGroup, agent: Agent,
                  *, added: bool) -> None:
    event = GroupMember(group_id=group.id, agent_id=agent.id, added=added,
                        author_id=ctx.actor.id, created_at=ctx.now())
    session.add(event)
    session.flush()
    record(session, "group_member", event, author_id=ctx.actor.id)
