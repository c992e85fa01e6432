"""The desk's shape: agent accounts, teams, departments, and who is acting."""

from __future__ import annotations

import pytest

from deskterm.domain.actor import NoActor
from deskterm.domain.enums import Role, Tier
from deskterm.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from deskterm.services import org
from deskterm.services.context import context_for
from deskterm.store import Store
from tests.conftest import Desk, table_counts
from tests.services.conftest import Outbox, Refuse, deactivate


def changes(store: Store) -> list[tuple[str, str, str | None]]:
    with store.raw() as connection:
        return connection.execute(
            "SELECT entity, row_id, author_id FROM outbox ORDER BY seq").fetchall()


def test_the_first_agent_becomes_admin(store: Store) -> None:
    first = org.add_agent(None, store, handle=" @Rosa ", name="Rosa Admin", role="agent",
                          team="Desk North", email=" Rosa@Desk.Example ")
    assert (first.handle, first.role, first.tier) == ("rosa", Role.ADMIN, Tier.FIRST)
    assert first.email == "rosa@desk.example"
    assert first.active is True
    assert [team for _agent, team in org.list_agents(store)] == ["Desk North"]
    [team_change, agent_change] = changes(store)
    assert team_change[0] == "team" and team_change[2] is None
    assert agent_change == ("agent", first.id, first.id)  # made by nobody: authored by itself


def test_after_the_first_only_admins_add_agents(store: Store) -> None:
    org.add_agent(None, store, handle="rosa", name="Rosa Admin")
    before = table_counts(store)
    with pytest.raises(Forbidden, match="only an admin may add agents"):
        org.add_agent(None, store, handle="mallory", name="Mallory")
    assert table_counts(store) == before


def test_an_admin_adds_agents_and_teams(desk: Desk, outbox: Outbox) -> None:
    agent = org.add_agent(desk.admin, desk.store, handle="dana", name="Dana Third",
                          role="LEAD", tier="3", team="desk north")
    assert (agent.role, agent.tier) == (Role.LEAD, Tier.THIRD)
    assert agent.team_id == desk.alex.actor.team_id  # team names match in any case
    assert outbox.summary() == [("agent", "insert")]
    outbox.mark()
    org.add_agent(desk.admin, desk.store, handle="eli", name="Eli", team="Night Shift")
    assert outbox.summary() == [("team", "insert"), ("agent", "insert")]
    assert {c.author_id for c in outbox.new()} == {desk.admin.actor.id}
    assert [a.handle for a, _t in org.list_agents(desk.store, team=" NIGHT shift")] == ["eli"]
    assert [a.handle for a, _t in org.list_agents(desk.store, team="Desk North")] == [
        "alex", "blake", "dana", "morgan", "root"]


def test_list_agents_is_by_handle(desk: Desk) -> None:
    assert [a.handle for a, _t in org.list_agents(desk.store)] == [
        "alex", "blake", "casey", "morgan", "root", "sam"]


def test_bad_handles_are_refused(desk: Desk, refuse: Refuse) -> None:
    for handle in ["a", "1abc", "has space", "x" * 33, "ünï", "", "-dash", "tab\tbed",
                   "semi;colon", "@", "dot@home"]:
        refuse(InvalidInput, lambda h=handle: org.add_agent(desk.admin, desk.store, handle=h,
                                                            name="X"),
               "is not a handle", "2-32 lowercase letters")


def test_a_taken_handle_is_refused(desk: Desk, refuse: Refuse) -> None:
    for handle in ["alex", "ALEX", "@alex", " alex "]:
        refuse(Conflict, lambda h=handle: org.add_agent(desk.admin, desk.store, handle=h,
                                                        name="X"),
               "handle 'alex' is taken")


def test_add_agent_refusals(desk: Desk, refuse: Refuse) -> None:
    def add(ctx: object, **changes: object) -> object:
        options: dict[str, object] = {"handle": "dana", "name": "Dana"}
        options.update(changes)
        return lambda: org.add_agent(ctx, desk.store, **options)  # type: ignore[arg-type]

    refuse(Forbidden, add(desk.lead), "only an admin may add agents")
    refuse(Forbidden, add(desk.alex), "only an admin may add agents")
    refuse(Forbidden, add(None), "only an admin may add agents")
    refuse(InvalidInput, add(desk.admin, name=" "), "name is required")
    refuse(InvalidInput, add(desk.admin, role="boss"), "'boss' is not a role",
           "agent, lead, admin")
    refuse(InvalidInput, add(desk.admin, tier=4), "'4' is not a tier")
    refuse(InvalidInput, add(desk.admin, team="t" * 101), "team is too long")


# --- departments -----------------------------------------------------------------------


def test_leads_add_departments(desk: Desk, outbox: Outbox) -> None:
    made = org.add_department(desk.lead, code=" fac ", name=" Facilities ")
    assert (made.code, made.name) == ("FAC", "Facilities")
    assert outbox.summary() == [("department", "insert")]
    assert [d.code for d in org.list_departments(desk.store)] == ["FAC", "HR", "IT"]


def test_department_refusals(desk: Desk, refuse: Refuse) -> None:
    refuse(Forbidden, lambda: org.add_department(desk.alex, code="FAC", name="Facilities"),
           "only a team lead or admin may add departments")
    refuse(Conflict, lambda: org.add_department(desk.lead, code="it", name="Information"),
           "department IT (IT) already exists")
    refuse(Conflict, lambda: org.add_department(desk.lead, code="PEOPLE",
                                                name="human resources"),
           "department HR (Human Resources) already exists")
    refuse(InvalidInput, lambda: org.add_department(desk.lead, code="", name="X"),
           "department code is required")
    refuse(InvalidInput, lambda: org.add_department(desk.lead, code="ABCDEFGHIJK", name="X"),
           "department code is too long")
    refuse(InvalidInput, lambda: org.add_department(desk.lead, code="FAC", name=""),
           "department name is required")


# --- who is acting ---------------------------------------------------------------------


def test_context_for_a_handle(desk: Desk) -> None:
    ctx = context_for(desk.store, " @Morgan ")
    assert (ctx.actor.handle, ctx.actor.role, ctx.actor.is_lead) == ("morgan", Role.LEAD, True)
    assert ctx.currency == "EUR"
    assert context_for(desk.store, "alex").actor.is_lead is False
    assert context_for(desk.store, "root").actor.is_lead is True


def test_context_refusals(desk: Desk, refuse: Refuse) -> None:
    for missing in (None, ""):
        refuse(NoActor, lambda m=missing: context_for(desk.store, m), "who are you?")
    refuse(NotFound, lambda: context_for(desk.store, "zed"), "no agent with handle 'zed'")
    deactivate(desk.store, "blake")
    refuse(Forbidden, lambda: context_for(desk.store, "blake"), "agent 'blake' is deactivated")
