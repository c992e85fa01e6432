"""`deskterm agent ...` and `deskterm department ...`: accounts and departments."""

from __future__ import annotations

from pathlib import Path

from deskterm.domain.enums import Role, Tier
from deskterm.services import org
from deskterm.store import open_store
from tests.cli.conftest import Cli, nothing_written
from tests.conftest import Desk

AGENT_KEYS = {"id", "handle", "name", "email", "role", "tier", "team", "active", "created_at"}


def test_first_agent_of_a_new_store_needs_no_acting_agent(run_cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    result = run_cli("--db", str(db), "agent", "add", "rosa", "--name", "Rosa Admin",
                     "--team", "Desk North", "--email", "Rosa@Example.com", "--json")
    assert result.code == 0, result.err
    assert set(result.data) == AGENT_KEYS
    assert result.data["role"] == "admin" and result.data["team"] == "Desk North"
    assert "--as rosa" in result.err
    store = open_store(db, create=False)
    try:
        [(agent, team)] = org.list_agents(store)
    finally:
        store.close()
    assert (agent.handle, agent.role, team, agent.email) == (
        "rosa", Role.ADMIN, "Desk North", "rosa@example.com")
    second = run_cli("--db", str(db), "agent", "add", "kim", "--name", "Kim")
    second.refused(1, "who are you")
    added = run_cli("--db", str(db), "--as", "rosa", "agent", "add", "kim", "--name", "Kim",
                    "--role", "lead", "--tier", "2")
    assert added.code == 0 and added.out.startswith("Added lead kim")


def test_add_agent_as_admin_only(cli: Cli, desk: Desk) -> None:
    assert cli("agent", "add", "dana", "--name", "Dana", "--team", "Desk South",
               agent="root").code == 0
    agents = {a.handle: (a, team) for a, team in org.list_agents(desk.store)}
    assert agents["dana"][0].role == Role.AGENT and agents["dana"][0].tier == Tier.FIRST
    assert agents["dana"][1] == "Desk South"
    with nothing_written(desk.store):
        cli("agent", "add", "eve", "--name", "Eve").refused(1, "only an admin")
        cli("agent", "add", "dana", "--name", "Dana", agent="root").refused(1, "is taken")
        cli("agent", "add", "X!", "--name", "Bad", agent="root").refused(2, "not a handle")
        cli("agent", "add", "fay", "--name", "Fay", "--role", "boss", agent="root").refused(
            2, "invalid choice: 'boss'")
        cli("agent", "add", "fay", "--name", "Fay", "--tier", "4", agent="root").refused(
            2, "invalid choice: 4")


def test_list_agents(cli: Cli) -> None:
    rows = cli("agent", "list", "--json", agent=None).data
    assert [r["handle"] for r in rows] == ["alex", "blake", "casey", "morgan", "root", "sam"]
    assert set(rows[0]) == AGENT_KEYS
    south = cli("agent", "list", "--team", "desk south", "--json", agent=None).data
    assert [r["handle"] for r in south] == ["casey"]
    table = cli("agent", "list")
    assert "Morgan Lead" in table.out and "Second Line" in table.out


def test_departments(cli: Cli, desk: Desk) -> None:
    result = cli("department", "add", "fac", "Facilities", "--json", agent="morgan")
    assert result.code == 0, result.err
    assert result.data["code"] == "FAC"
    codes = [d.code for d in org.list_departments(desk.store)]
    assert codes == ["FAC", "HR", "IT"]
    assert [d["code"] for d in cli("department", "list", "--json").data] == codes
    assert "Human Resources" in cli("department", "list").out
    with nothing_written(desk.store):
        cli("department", "add", "FIN", "Finance").refused(1, "only a team lead")
        cli("department", "add", "IT", "Other IT", agent="morgan").refused(1, "already exists")
        cli("department", "add", "FIN", agent="morgan").refused(2, "NAME")
