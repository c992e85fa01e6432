"""The people side of the demo: the agents' daily mood smileys and the kudos they received.

Kudos come from customers (entered by the agent's lead, as only a lead may), from leads,
and from colleagues thanking each other in their own name (never about themselves).
"""

from __future__ import annotations

import random
from collections.abc import Callable

from deskterm.demo.people import DEFAULT_AGENT, DEFAULT_LEAD, Organisation
from deskterm.demo.phrases import phrases
from deskterm.demo.tickets import Samples
from deskterm.demo.timeline import DAY, HOUR, MINUTE, desk_hours, stamp_slow, weekday_of
from deskterm.domain.ids import uuid7

MOOD_WEEKS = 8
#: Most days are fine; a 1 or 2 is rare. Each agent's own baseline shifts this a little.
MOOD_SCORES = (5, 5, 4, 4, 4, 4, 3, 3, 3, 2, 1)
CUSTOMER_KUDOS_COUNT = 140
LEAD_KUDOS_COUNT = 60
PEER_KUDOS_COUNT = 50

Row = tuple[object, ...]


def mood_rows(org: Organisation, rng: random.Random, anchor_ms: int,
              stamp: Callable[[int], str]) -> list[Row]:
    """At most one mood per agent per local date, on about 70% of their working days."""
    r = rng.random
    notes = phrases(org.language).mood_notes
    rows: list[Row] = []
    today = anchor_ms - anchor_ms % DAY
    days = [today - back * DAY for back in range(MOOD_WEEKS * 7, 0, -1)]
    workdays = [d for d in days if weekday_of(d) < 5]
    for agent in org.agents:
        # Some agents never use the smiley; the demo persona and their lead always do.
        if r() < 0.15 and agent.handle not in (DEFAULT_AGENT, DEFAULT_LEAD):
            continue
        baseline = int(r() * 3) - 1  # -1, 0 or +1 on the index: gloomier or sunnier
        for day in workdays:
            if r() >= 0.7:
                continue
            pick = min(max(int(r() * len(MOOD_SCORES)) + baseline, 0), len(MOOD_SCORES) - 1)
            # Logged at logout, late afternoon in Europe; the agents' local date is the
            # UTC date at that hour.
            at = min(day + 15 * HOUR + int(r() * 150 * MINUTE), anchor_ms - 1)
            note = notes[int(r() * len(notes))] if r() < 0.12 else None
            rows.append((uuid7(at, rng), agent.id, stamp_slow(day)[:10], MOOD_SCORES[pick],
                         note, stamp(at)))
    return rows


def kudos_rows(org: Organisation, samples: Samples, customer_ids: list[str],
               customer_names: list[str], rng: random.Random, anchor_ms: int,
               stamp: Callable[[int], str]) -> list[Row]:
    """Customer compliments on resolved tickets, leads' praise of their people, and thanks
    between colleagues."""
    r = rng.random
    said = phrases(org.language)

    def pick(sentences: tuple[str, ...]) -> str:
        return sentences[int(r() * len(sentences))]

    rows: list[tuple[int, Row]] = []
    agents = org.agents
    picks = rng.sample(samples.kudos, min(CUSTOMER_KUDOS_COUNT, len(samples.kudos)))
    for resolved, ticket_id, customer_index, owner_index, contact_id in picks:
        owner = agents[owner_index]
        at = min(desk_hours(resolved + HOUR + int(r() * 3 * DAY), r()), anchor_ms - 1)
        name = customer_names[customer_index]
        contact = contact_id if r() < 0.5 else None
        if r() < 0.85:
            message = pick(said.customer_kudos).format(
                first=owner.first_name)
            # A customer's compliment is entered by a lead (a lead's own, by the admin).
            about, team, author = owner.id, None, org.budget_author(owner).id
        else:
            message = pick(said.customer_team_kudos).format(
                team=owner.team)
            about, team, author = None, owner.team_id, org.lead_of(owner.team).id
        rows.append((at, (uuid7(at, rng), "customer", name, message, about, team,
                          customer_ids[customer_index], ticket_id, contact, author,
                          stamp(at))))
    leads = [a for a in agents if a.role == "lead"]
    for _ in range(LEAD_KUDOS_COUNT):
        lead = leads[int(r() * len(leads))]
        at = min(desk_hours(anchor_ms - int(r() * 84 * DAY), r()), anchor_ms - 1)
        if r() < 0.8:
            members = [a for a in agents if a.team == lead.team and a is not lead]
            agent = members[int(r() * len(members))]
            message = pick(said.lead_kudos).format(first=agent.first_name)
            about, team = agent.id, None
        else:
            message = pick(said.lead_team_kudos).format(team=lead.team)
            about, team = None, lead.team_id
        rows.append((at, (uuid7(at, rng), "lead", lead.name, message, about, team, None, None,
                          None, lead.id, stamp(at))))
    for _ in range(PEER_KUDOS_COUNT):
        sender = agents[int(r() * len(agents))]
        # Mostly someone in their own team; now and then 2nd line, who solved their case.
        same_team = r() < 0.75
        pool = [a for a in agents if a is not sender and (a.team == sender.team) == same_team]
        colleague = pool[int(r() * len(pool))]
        at = min(desk_hours(anchor_ms - int(r() * 84 * DAY), r()), anchor_ms - 1)
        message = pick(said.peer_kudos).format(first=colleague.first_name)
        rows.append((at, (uuid7(at, rng), "peer", sender.name, message, colleague.id,
                          colleague.team_id, None, None, None, sender.id, stamp(at))))
    rows.sort(key=lambda pair: pair[0])
    return [row for _, row in rows]
