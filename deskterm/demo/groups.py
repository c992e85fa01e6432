"""The demo's resolver groups: the 2nd and 3rd-line groups escalations go to, each with a
lead and members from the 2nd and 3rd-line teams (content/people.toml)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from deskterm.demo.people import Organisation, staff
from deskterm.demo.timeline import DAY, HOUR
from deskterm.domain.ids import uuid7

Row = tuple[object, ...]


@dataclass(frozen=True)
class DemoGroup:
    id: str
    name: str
    tier: int
    lead: int  # agent index
    members: tuple[int, ...]  # agent indexes, the lead first


def group_rows(org: Organisation, rng: random.Random, anchor_ms: int,
               stamp: Callable[[int], str]) -> tuple[dict[str, DemoGroup], list[Row], list[Row]]:
    """The groups by name, their `resolver_group` rows and their `group_member` rows.

    A group was made by the lead of its lead's team about a year ago; each member was
    added by the lead of their own team (a lead keeps the members of their own people).
    """
    by_name = {agent.name: agent for agent in org.agents}
    groups: dict[str, DemoGroup] = {}
    group_table: list[Row] = []
    member_table: list[Row] = []
    for offset, (name, tier, lead, members) in enumerate(staff(org.language).groups):
        made = anchor_ms - 400 * DAY + offset * 3 * HOUR
        group = DemoGroup(uuid7(made, rng), name, tier, by_name[lead].index,
                          tuple(by_name[member].index for member in members))
        groups[name] = group
        group_table.append((group.id, name, tier, by_name[lead].id, stamp(made), 0))
        for number, member in enumerate(members):
            agent = by_name[member]
            added = made + (number + 1) * 10 * 60_000
            member_table.append((uuid7(added, rng), group.id, agent.id, 1,
                                 org.budget_author(agent).id, stamp(added)))
    return groups, group_table, member_table
