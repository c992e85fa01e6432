"""The demo desk's people: its teams and agents, the departments it serves, its customers.

Who works where is text in content/people.toml (and content/nl/people.toml for the Dutch
desk); the customers are made from the word lists in content/words.toml.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from deskterm.demo.content import frozen, read_content
from deskterm.demo.corpus import ascii_fold, words
from deskterm.demo.timeline import DAY, MINUTE
from deskterm.domain.ids import uuid7
from deskterm.domain.people import parse_handle

#: The 1st-line agent the demo persona uses and the lead of that agent's team: the first
#: team's lead and first agent in every language (people.toml keeps the handles).
DEFAULT_AGENT = "alex"
DEFAULT_LEAD = "morgan"


@dataclass(frozen=True)
class Staff:
    """The desk's people in one language's content/people.toml."""

    #: (code, name) of each department the desk serves.
    departments: tuple[tuple[str, str], ...]
    #: Teams and the support line (tier) they work at.
    teams: tuple[tuple[str, int], ...]
    #: (full name, team, role), team by team: its lead first, then its agents and admins.
    roster: tuple[tuple[str, str, str], ...]
    #: (name, tier, lead, members) of each resolver group; the lead is a member too.
    groups: tuple[tuple[str, int, str, tuple[str, ...]], ...]
    #: Other names a topic file may give a group (the English name, say), to the group's name.
    group_aliases: dict[str, str]
    #: The domain of the desk's own email addresses.
    agent_domain: str

    def group_named(self, name: str) -> str:
        """The name of the group a topic calls `name`: its own name or one of its others."""
        if name in self.group_aliases:
            return self.group_aliases[name]
        folded = _fold_group(name)
        for other, group in self.group_aliases.items():
            if _fold_group(other) == folded:
                return group
        raise ValueError(f"no resolver group {name!r} in people.toml; "
                         f"known: {', '.join(g[0] for g in self.groups)}")


def _fold_group(name: str) -> str:
    """A group's name for a lenient comparison: `Infra 2nd line` = `infra 2e lijn`."""
    folded = name.lower().replace("2nd line", "2e lijn").replace("3rd line", "3e lijn")
    return " ".join(folded.replace("tweede lijn", "2e lijn").replace("derde lijn", "3e lijn")
                    .split())


@cache
def staff(language: str) -> Staff:
    """The departments, teams, people and resolver groups of `language`'s desk."""
    people = frozen(read_content("people", language))
    groups = tuple((group["name"], group["tier"], group["lead"],
                    (group["lead"], *group["members"])) for group in people["group"])
    aliases = {name: name for name, *_rest in groups}
    for group in people["group"]:
        for other in group.get("also", ()):
            aliases.setdefault(other, group["name"])
    return Staff(
        departments=tuple((department["code"], department["name"])
                          for department in people["department"]),
        teams=tuple((team["name"], team["tier"]) for team in people["team"]),
        roster=tuple((name, team["name"], role) for team in people["team"]
                     for role, names in (("lead", (team["lead"],)), ("agent", team["agents"]),
                                         ("admin", team.get("admins", ())))
                     for name in names),
        groups=groups, group_aliases=aliases,
        agent_domain=people.get("agent_domain", "desk.example"))


#: The English desk's departments and groups (the English content's tests read them).
DEPARTMENTS = staff("en").departments
GROUPS = staff("en").groups


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
    #: The language of the desk's content: everything it writes is in this language.
    language: str

    def lead_of(self, team: str) -> DemoAgent:
        return next(a for a in self.agents if a.team == team and a.role == "lead")

    @property
    def admin(self) -> DemoAgent:
        return next(a for a in self.agents if a.role == "admin")

    def budget_author(self, agent: DemoAgent) -> DemoAgent:
        """Who allocates an agent's goodwill budget: their team lead; a lead's is the admin's."""
        return self.admin if agent.role == "lead" else self.lead_of(agent.team)


Row = tuple[object, ...]


def build_organisation(rng: random.Random, anchor_ms: int, stamp: Callable[[int], str],
                       language: str) -> tuple[Organisation, list[Row], list[Row], list[Row]]:
    """The teams, departments and agents of `language`'s desk: the in-memory view plus
    their table rows."""
    people = staff(language)
    founded = anchor_ms - 6 * 365 * DAY
    team_rows: list[Row] = []
    team_ids: dict[str, str] = {}
    for offset, (name, _tier) in enumerate(people.teams):
        ms = founded + offset * 37 * DAY
        team_ids[name] = uuid7(ms, rng)
        team_rows.append((team_ids[name], name, stamp(ms)))
    department_rows: list[Row] = []
    department_ids: dict[str, str] = {}
    for offset, (code, name) in enumerate(people.departments):
        department_ids[code] = uuid7(founded + offset * MINUTE, rng)
        department_rows.append((department_ids[code], code, name))
    tiers = dict(people.teams)
    agent_rows: list[Row] = []
    agents: list[DemoAgent] = []
    for index, (name, team, role) in enumerate(people.roster):
        ms = founded + int(rng.random() * 5.5 * 365 * DAY)
        handle = parse_handle(ascii_fold(name.split()[0]))  # the rule every account keeps
        agent = DemoAgent(index, uuid7(ms, rng), handle, name, role, tiers[team], team,
                          team_ids[team])
        agents.append(agent)
        email = f"{ascii_fold(name.replace(' ', '.'))}@{people.agent_domain}"
        agent_rows.append((agent.id, handle, name, email, role, agent.tier, agent.team_id, 1,
                           stamp(ms)))
    handles = [a.handle for a in agents]
    assert len(set(handles)) == len(handles), "agent handles must be unique"
    return (Organisation(team_ids, department_ids, tuple(agents), language),
            team_rows, department_rows, agent_rows)


def customer_count(tickets: int) -> int:
    return max(2000, tickets // 20)


def customer_rows(rng: random.Random, count: int, anchor_ms: int, stamp: Callable[[int], str],
                  ids: list[str], names: list[str], language: str) -> Iterator[Row]:
    """Customer rows, one by one, named in `language`'s words; fills `ids` and `names` (the
    tickets need them)."""
    r = rng.random
    w = words(language)
    first_names, last_names, organisations = w.first_names, w.last_names, w.organisations
    emails: set[str] = set()
    n_first, n_last, n_org = len(first_names), len(last_names), len(organisations)
    for _ in range(count):
        first = first_names[int(r() * n_first)]
        last = last_names[int(r() * n_last)]
        name = f"{first} {last}"
        org, domain, country = organisations[int(r() * n_org)]
        local = f"{ascii_fold(first)}.{ascii_fold(last.replace(' ', ''))}"
        email = f"{local}@{domain}"
        suffix = 2
        while email in emails:
            email = f"{local}{suffix}@{domain}"
            suffix += 1
        emails.add(email)
        phone = f"{country} {int(r() * 90) + 10} {int(r() * 9000) + 1000} {int(r() * 10000):04d}"
        products = json.dumps(rng.sample(w.products, 2 + int(r() * 5)), ensure_ascii=False)
        notes = w.customer_notes[int(r() * len(w.customer_notes))] if r() < 0.15 else ""
        created = anchor_ms - 200 * DAY - int(r() * 1300 * DAY)
        updated = created + int(r() * (anchor_ms - created))
        customer_id = uuid7(created, rng)
        ids.append(customer_id)
        names.append(name)
        yield (customer_id, name, org, email, phone, products, notes,
               stamp(created), stamp(updated), None, 0)
