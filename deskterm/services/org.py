"""The desk's shape: teams, departments and agent accounts (admins; or the very first user)."""

from __future__ import annotations

from sqlmodel import col, func, select

from deskterm.domain import Agent, Department, Team
from deskterm.domain.clock import utcnow
from deskterm.domain.enums import Role, Tier
from deskterm.domain.errors import Conflict, Forbidden
from deskterm.domain.people import parse_handle
from deskterm.domain.types import text_limit
from deskterm.i18n import _
from deskterm.services.context import ServiceContext, clean_text
from deskterm.services.lookup import parse_choice
from deskterm.store import Store
from deskterm.store.outbox import record


def list_agents(store: Store, *, team: str | None = None) -> list[tuple[Agent, str | None]]:
    """Every agent with their team's name, by handle."""
    with store.reading() as session:
        query = select(Agent, Team.name).join(Team, col(Agent.team_id) == Team.id, isouter=True)
        if team:
            query = query.where(func.lower(Team.name) == team.strip().lower())
        return [(a, t) for a, t in session.exec(query.order_by(col(Agent.handle))).all()]


def holds_agents(store: Store) -> bool:
    """Whether the store holds any agent at all (a fresh store holds none)."""
    with store.reading() as session:
        return session.exec(select(Agent.id).limit(1)).first() is not None


def list_departments(store: Store) -> list[Department]:
    with store.reading() as session:
        return list(session.exec(select(Department).order_by(col(Department.code))).all())


def add_agent(ctx: ServiceContext | None, store: Store, *, handle: str, name: str,
              role: str = "agent", tier: int | str = 1, team: str | None = None,
              email: str | None = None) -> Agent:
    """Create an agent account (and its team, if new).

    Admins only; except on a store with no agents at all, where the first account may
    be made by anyone and is always an admin (how a fresh desk gets started).
    """
    handle = parse_handle(handle)
    name = clean_text(name, _("name"), limit=text_limit(Agent, "name"))
    role_value = parse_choice(Role, role, _("role"))
    tier_value = parse_choice(Tier, tier, _("tier"))
    with store.transaction() as session:
        first = session.exec(select(func.count()).select_from(Agent)).one() == 0
        if first:
            role_value = Role.ADMIN
        elif ctx is None or ctx.actor.role != Role.ADMIN:
            raise Forbidden(_("only an admin may add agents"))
        if session.exec(select(Agent).where(Agent.handle == handle)).first():
            raise Conflict(_("handle '{handle}' is taken").format(handle=handle))
        team_id = None
        author = ctx.actor.id if ctx else None
        if team:
            team_name = clean_text(team, _("team"), limit=text_limit(Team, "name"))
            found = session.exec(
                select(Team).where(func.lower(Team.name) == team_name.lower())
            ).first()
            if found is None:
                found = Team(name=team_name, created_at=utcnow())
                session.add(found)
                session.flush()
                record(session, "team", found, author_id=author)
            team_id = found.id
        agent = Agent(handle=handle, name=name, role=role_value, tier=tier_value,
                      team_id=team_id, email=(email or "").strip().lower() or None,
                      created_at=utcnow())
        session.add(agent)
        session.flush()
        record(session, "agent", agent, author_id=author or agent.id)
    return agent


def add_department(ctx: ServiceContext, *, code: str, name: str) -> Department:
    """A department the desk serves (admins and leads)."""
    ctx.require_lead(_("only a team lead or admin may add departments"))
    code = clean_text(code, _("department code"), limit=text_limit(Department, "code")).upper()
    name = clean_text(name, _("department name"),
                      limit=text_limit(Department, "name"))
    with ctx.store.transaction() as session:
        clash = session.exec(
            select(Department).where(
                (func.upper(Department.code) == code)
                | (func.lower(Department.name) == name.lower())
            )
        ).first()
        if clash:
            raise Conflict(_("department {code} ({name}) already exists").format(
                code=clash.code, name=clash.name))
        department = Department(code=code, name=name)
        session.add(department)
        session.flush()
        record(session, "department", department, author_id=ctx.actor.id)
    return department


def find_team_id(store: Store, name: str) -> str:
    """The id of the team called `name` (any case); NotFound names it when there is none."""
    from deskterm.domain.errors import NotFound

    with store.reading() as session:
        found = session.exec(select(Team.id).where(
            func.lower(Team.name) == name.strip().lower())).first()
    if found is None:
        raise NotFound(_("no team '{name}'").format(name=name))
    return str(found)
