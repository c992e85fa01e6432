"""The demo desk's people: its teams and agents, the departments it serves, its customers.

Who works where is text in content/people.toml; the customers are made from the word
lists in content/words.toml.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from deskterm.demo.content import frozen, read_content
from deskterm.demo.corpus import (
    CUSTOMER_NOTES,
    FIRST_NAMES,
    LAST_NAMES,
    ORGANISATIONS,
    PRODUCTS,
    ascii_fold,
)
from deskterm.demo.timeline import DAY, MINUTE
from deskterm.domain.ids import uuid7
from deskterm.domain.people import parse_handle

DEFAULT_AGENT = "alex"  # the 1st-line agent the demo persona uses (team "Desk North")
DEFAULT_LEAD = "morgan"  # the lead of that same team

_PEOPLE = frozen(read_content("people"))

#: (code, name) of each department the desk serves.
DEPARTMENTS: tuple[tuple[str, str], ...] = tuple(
    (department["code"], department["name"]) for department in _PEOPLE["department"])

#: Teams and the support line (tier) they work at.
TEAMS: tuple[tuple[str, int], ...] = tuple((team["name"], team["tier"])
                                           for team in _PEOPLE["team"])

#: (full name, team, role), team by team: its lead first, then its agents and admins.
ROSTER: tuple[tuple[str, str, str], ...] = tuple(
    (name, team["name"], role) for team in _PEOPLE["team"]
    for role, names in (("lead", (team["lead"],)), ("agent", team["agents"]),
                        ("admin", team.get("admins", ())))
    for name in names)

#: (name, tier, lead, members) of each resolver group; the lead is a member too.
GROUPS: tuple[tuple[str, int, str, tuple[str, ...]], ...] = tuple(
    (group["name"], group["tier"], group["lead"], (group["lead"], *group["members"]))
    for group in _PEOPLE["group"])

AGENT_DOMAIN = "desk.example"


@dataclass(frozen=True)
class DemoAgent:
    index: int
    id: str
    handle: str
    name: str
    role: str
    tier: int
    team: str
    team_id: str

    @property
    def first_name(self) -> str:
        return self.name.split()[0]


@dataclass(frozen=True)
class Organisation:
    team_ids: dict[str, str]
    department_ids: dict[str, str]
    agents: tuple[DemoAgent, ...]

    def lead_of(self, team: str) -> DemoAgent:
        return next(a for a in self.agents if a.team == team and a.role == "lead")

    @property
    def admin(self) -> DemoAgent:
        return next(a for a in self.agents if a.role == "admin")

    def budget_author(self, agent: DemoAgent) -> DemoAgent:
        """Who allocates an agent's goodwill budget: their team lead; a lead's is the admin's."""
        return self.admin if agent.role == "lead" else self.lead_of(agent.team)


Row = tuple[object, ...]


def build_organisation(rng: random.Random, anchor_ms: int, stamp: Callable[[int], str]
                       ) -> tuple[Organisation, list[Row], list[Row], list[Row]]:
    """The teams, departments and agents: the in-memory view plus their table rows."""
    founded = anchor_ms - 6 * 365 * DAY
    team_rows: list[Row] = []
    team_ids: dict[str, str] = {}
    for offset, (name, _tier) in enumerate(TEAMS):
        ms = founded + offset * 37 * DAY
        team_ids[name] = uuid7(ms, rng)
        team_rows.append((team_ids[name], name, stamp(ms)))
    department_rows: list[Row] = []
    department_ids: dict[str, str] = {}
    for offset, (code, name) in enumerate(DEPARTMENTS):
        department_ids[code] = uuid7(founded + offset * MINUTE, rng)
        department_rows.append((department_ids[code], code, name))
    tiers = dict(TEAMS)
    agent_rows: list[Row] = []
    agents: list[DemoAgent] = []
    for index, (name, team, role) in enumerate(ROSTER):
        ms = founded + int(rng.random() * 5.5 * 365 * DAY)
        handle = parse_handle(ascii_fold(name.split()[0]))  # the rule every account keeps
        agent = DemoAgent(index, uuid7(ms, rng), handle, name, role, tiers[team], team,
                          team_ids[team])
        agents.append(agent)
        email = f"{ascii_fold(name.replace(' ', '.'))}@{AGENT_DOMAIN}"
        agent_rows.append((agent.id, handle, name, email, role, agent.tier, agent.team_id, 1,
                           stamp(ms)))
    handles = [a.handle for a in agents]
    assert len(set(handles)) == len(handles), "agent handles must be unique"
    return (Organisation(team_ids, department_ids, tuple(agents)),
            team_rows, department_rows, agent_rows)


def customer_count(tickets: int) -> int:
    return max(2000, tickets // 20)


def customer_rows(rng: random.Random, count: int, anchor_ms: int, stamp: Callable[[int], str],
                  ids: list[str], names: list[str]) -> Iterator[Row]:
    """Customer rows, one by one; fills `ids` and `names` (the tickets need them)."""
    r = rng.random
    emails: set[str] = set()
    n_first, n_last, n_org = len(FIRST_NAMES), len(LAST_NAMES), len(ORGANISATIONS)
    for _ in range(count):
        first = FIRST_NAMES[int(r() * n_first)]
        last = LAST_NAMES[int(r() * n_last)]
        name = f"{first} {last}"
        org, domain, country = ORGANISATIONS[int(r() * n_org)]
        local = f"{ascii_fold(first)}.{ascii_fold(last.replace(' ', ''))}"
        email = f"{local}@{domain}"
        suffix = 2
        while email in emails:
            email = f"{local}{suffix}@{domain}"
            suffix += 1
        emails.add(email)
        phone = f"{country} {int(r() * 90) + 10} {int(r() * 9000) + 1000} {int(r() * 10000):04d}"
        products = json.dumps(rng.sample(PRODUCTS, 2 + int(r() * 5)), ensure_ascii=False)
        notes = CUSTOMER_NOTES[int(r() * len(CUSTOMER_NOTES))] if r() < 0.15 else ""
        created = anchor_ms - 200 * DAY - int(r() * 1300 * DAY)
        updated = created + int(r() * (anchor_ms - created))
        customer_id = uuid7(created, rng)
        ids.append(customer_id)
        names.append(name)
        yield (customer_id, name, org, email, phone, products, notes,
               stamp(created), stamp(updated), None, 0)
