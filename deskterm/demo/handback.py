"""The hand-back in the demo: escalations a resolver group solved and handed back, whose
customer has not been told yet (they wait at the top of their owner's My open).

A few open escalations come back: the solver (a member of the group) hands the ticket
back with the solution, as services.handback does; nothing has been said to the customer
since (no contact with them after the return, or the owner could close it). The demo
agent gets some of their own, so the loop is the first thing they see.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable

from deskterm.demo.groups import DemoGroup
from deskterm.demo.people import DEFAULT_AGENT, Organisation
from deskterm.demo.phrases import phrases
from deskterm.demo.plans import TopicPlan
from deskterm.demo.tickets import STALE_MS, Samples
from deskterm.demo.timeline import DAY, HOUR, MINUTE, from_stamp, weekday_of
from deskterm.domain.ids import uuid7

#: The share of open escalations handed back and waiting for their owner.
RETURN_SHARE = 0.12
#: How many the demo agent has waiting (made escalations of their open tickets if needed).
PERSONA_RETURNS = 2
#: A return waits for the customer to be told since one of this many working days.
RETURN_DAYS = 3

Row = tuple[object, ...]


def hand_backs(con: sqlite3.Connection, samples: Samples, org: Organisation,
               groups: dict[str, DemoGroup], plans: list[TopicPlan], rng: random.Random,
               anchor_ms: int, stamp: Callable[[int], str]) -> list[Row]:
    """Return some open escalations to their owners; the ticket_event rows it adds.
    Updates the tickets in place (status open, the solution, returned_at)."""
    r = rng.random
    persona = next(a for a in org.agents if a.handle == DEFAULT_AGENT)
    events: list[Row] = []
    ready = [e for e in samples.escalated if anchor_ms - e[2] > 6 * HOUR]
    # The demo agent's recent escalations come back (a stale one rarely does); a demo
    # agent with too few escalates some of their open tickets first.
    own = sorted((e for e in ready if e[1] == persona.index
                  and anchor_ms - e[2] < STALE_MS), key=lambda e: e[2], reverse=True)
    if len(own) < PERSONA_RETURNS:
        own += _escalate_for(con, persona.id, persona.index, PERSONA_RETURNS - len(own),
                             groups, plans, rng, anchor_ms, stamp, events,
                             phrases(org.language).trail.escalated)
    chosen = own[:PERSONA_RETURNS] + [e for e in ready if e[1] != persona.index
                                      and r() < RETURN_SHARE]
    for ticket_id, _owner, escalated_ms, group_name, solution in chosen:
        # Nothing may have been said to the customer since, nor happened on the ticket.
        earliest = escalated_ms + HOUR
        latest = con.execute(
            "SELECT max(occurred_at) FROM contact WHERE customer_id = "
            "(SELECT customer_id FROM ticket WHERE id = ?)", (ticket_id,)).fetchone()[0]
        trail = con.execute("SELECT max(created_at) FROM ticket_event WHERE ticket_id = ?",
                            (ticket_id,)).fetchone()[0]
        for text in (latest, trail):
            if text is not None:
                earliest = max(earliest, from_stamp(text) + 10 * MINUTE)
        returned = max(_working_moment(anchor_ms, r), earliest)
        if returned >= anchor_ms - 5 * MINUTE:
            continue
        group = groups[group_name]
        solver = org.agents[group.members[int(r() * len(group.members))]]
        returned_text = stamp(returned)
        con.execute("UPDATE ticket SET status = 'open', resolution = ?, returned_at = ?, "
                    "updated_at = ? WHERE id = ?",
                    (solution, returned_text, returned_text, ticket_id))
        events.append((uuid7(returned, rng), ticket_id, solver.id, "returned",
                       solution,  # as services.handback writes it: the solution alone
                       returned_text))
    return events


def _working_moment(anchor_ms: int, r: Callable[[], float]) -> int:
    """A moment in the resolvers' working hours (weekdays 07:00-17:00 UTC) of one of the
    last RETURN_DAYS working days before the anchor's day."""
    day = anchor_ms - anchor_ms % DAY
    back = 1 + int(r() * RETURN_DAYS)
    while back:
        day -= DAY
        back -= weekday_of(day) < 5
    return day + 7 * HOUR + int(r() * 10 * HOUR)


def _working_hour(ms: int) -> int:
    """The moment itself during the resolvers' working hours (weekdays 07:00-17:00 UTC),
    else the same minute of the last working hour before it."""
    while weekday_of(ms) >= 5 or not 7 <= (ms % DAY) // HOUR < 17:
        ms -= HOUR
    return ms


def _escalate_for(con: sqlite3.Connection, agent_id: str, agent_index: int, count: int,
                  groups: dict[str, DemoGroup], plans: list[TopicPlan], rng: random.Random,
                  anchor_ms: int, stamp: Callable[[int], str], events: list[Row],
                  escalated_line: str) -> list[tuple[str, int, int, str, str]]:
    """Escalate up to `count` of the agent's newest open tickets from before the last working
    day's afternoon (a small demo may have none of theirs with a group), in working hours;
    as Samples.escalated entries."""
    by_subject = {subject: plan for plan in plans for subject, *_ in plan.pool}
    r = rng.random
    made: list[tuple[str, int, int, str, str]] = []
    rows = con.execute(
        "SELECT id, subject, created_at FROM ticket WHERE owner_id = ? "
        "AND status IN ('open', 'waiting') AND created_at < ? ORDER BY created_at DESC, id",
        (agent_id, stamp(_working_hour(anchor_ms - DAY) - 4 * HOUR))).fetchall()
    for ticket_id, subject, created_text in rows:
        plan = by_subject.get(subject)
        if plan is None or len(made) == count:
            continue
        tier, group_name = plan.groups[int(r() * len(plan.groups))]
        reason = plan.reasons[int(r() * len(plan.reasons))]
        trail = con.execute("SELECT max(created_at) FROM ticket_event WHERE ticket_id = ?",
                            (ticket_id,)).fetchone()[0]
        after = from_stamp(max(created_text, trail or created_text))
        escalated = after + int((anchor_ms - after) * (0.2 + 0.3 * r()))
        if _working_hour(escalated) > after:
            escalated = _working_hour(escalated)
        text = stamp(escalated)
        con.execute("UPDATE ticket SET status = 'escalated', resolver_tier = ?, "
                    "resolver_group = ?, resolver_group_id = ?, escalation_reason = ?, "
                    "escalated_at = ?, updated_at = max(updated_at, ?) WHERE id = ?",
                    (tier, group_name, groups[group_name].id, reason, text, text, ticket_id))
        events.append((uuid7(escalated, rng), ticket_id, agent_id, "escalated",
                       escalated_line.format(group=group_name, tier=tier, reason=reason), text))
        made.append((ticket_id, agent_index, escalated,
                     group_name, plan.resolutions[int(r() * len(plan.resolutions))]))
    return made
