"""Customer feedback for the demo: CSAT and driver scores on recently resolved tickets, and
the follow-ups of the unhappy ones.

About one resolved ticket in six gets a response. The answers follow the desk's own
survey research: how reliable the desk was (did it do what it said) and how it treated
the customer (empathy) drive satisfaction most; customer focus and knowledge some;
waiting time, accessibility and the phone menu little. Every driver is also coloured by
the customer's overall impression (a halo), so all drivers correlate with CSAT and
plain correlation would rank them close together; relative weights
(services.drivers) find the real order. Waiting time got better over the last weeks,
so the weekly highlight has a driver that improved.

Unhappy responses (CSAT 1-2, or a comment) older than a couple of days were mostly
followed up by their agent: a call to the customer (a contact) and the follow-up mark.
The newest are still waiting, the demo agent's among them.
"""

from __future__ import annotations

import math
import random
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations

from deskterm.demo.people import DEFAULT_AGENT, Organisation
from deskterm.demo.phrases import phrases
from deskterm.demo.timeline import DAY, HOUR, desk_hours, from_stamp
from deskterm.domain.feedback import DRIVERS
from deskterm.domain.ids import uuid7

FEEDBACK_WEEKS = 12
RESPONSE_RATE = 1 / 6
#: What each driver adds to satisfaction, on standardized scores (the research's order).
EFFECTS = {"reliability": 0.5, "empathy": 0.42, "customer_focus": 0.25,
           "customer_knowledge": 0.2, "waiting_time": 0.05, "accessibility": 0.03,
           "phone_menu": 0.02}
#: How strongly the customer's overall impression colours every driver's answer.
HALO = 0.55
#: Unhappy responses older than this were followed up with this probability.
FOLLOW_UP_AFTER = 2 * DAY
FOLLOW_UP_SHARE = 0.85
#: The demo agent keeps at least this many unhappy responses still to follow up.
PERSONA_OPEN = 2
UNHAPPY_CSAT = 2  # services.feedback_loop.UNHAPPY_CSAT

Row = tuple[object, ...]


@dataclass
class FeedbackRows:
    feedback: list[Row] = field(default_factory=list)
    follow_ups: list[Row] = field(default_factory=list)
    contacts: list[Row] = field(default_factory=list)


def _clamp(value: float) -> int:
    return max(1, min(5, round(value)))


def feedback_rows(con: sqlite3.Connection, org: Organisation, rng: random.Random,
                  anchor_ms: int, stamp: Callable[[int], str]) -> FeedbackRows:
    """The responses, their follow-ups and the follow-up contacts. Moves the followed-up
    tickets' last contact time (as logging a contact does)."""
    since = stamp(anchor_ms - FEEDBACK_WEEKS * 7 * DAY)
    resolved = con.execute(
        "SELECT id, customer_id, owner_id, resolved_at FROM ticket "
        "WHERE resolved_at >= ? AND owner_id IS NOT NULL ORDER BY rowid", (since,)).fetchall()
    r = rng.random
    said = phrases(org.language)
    unhappy_comments, happy_comments = said.feedback_comments_unhappy, said.feedback_comments_happy
    gauss = rng.gauss
    spread = math.sqrt(1 - HALO * HALO)
    # The spread of the drivers' weighted sum, so CSAT's spread does not depend on them.
    scale = math.sqrt(sum(e * e for e in EFFECTS.values()) + 2 * HALO * HALO
                      * sum(a * b for a, b in combinations(EFFECTS.values(), 2)))
    made = FeedbackRows()
    unhappy: list[tuple[int, str, str, str, str, int]] = []
    for ticket_id, customer_id, owner_id, resolved_at in resolved:
        if r() >= RESPONSE_RATE:
            continue
        at_ms = from_stamp(resolved_at) + int((2 + 46 * r()) * HOUR)
        if at_ms >= anchor_ms:
            continue
        weeks_ago = (anchor_ms - at_ms) / (7 * DAY)
        halo = gauss(0, 1)
        felt = {d: HALO * halo + spread * gauss(0, 1) for d in DRIVERS}
        scores: dict[str, int | None] = {}
        for driver in DRIVERS:
            if (driver == "phone_menu" and r() < 0.5) or r() < 0.1:
                scores[driver] = None
                continue
            lift = 0.35 * max(0.0, 3 - weeks_ago) if driver == "waiting_time" else 0.0
            scores[driver] = _clamp(3.6 + lift + 0.9 * felt[driver])
        experience = sum(EFFECTS[d] * felt[d] for d in DRIVERS) / scale
        csat = _clamp(3.7 + 1.1 * experience + gauss(0, 0.45))
        comment = None
        if csat <= UNHAPPY_CSAT and r() < 0.5:
            comment = unhappy_comments[int(r() * len(unhappy_comments))]
        elif csat >= 4 and r() < 0.06:
            comment = happy_comments[int(r() * len(happy_comments))]
        feedback_id = uuid7(at_ms, rng)
        made.feedback.append((feedback_id, ticket_id, customer_id, owner_id, csat,
                              *(scores[d] for d in DRIVERS), comment, "demo", stamp(at_ms),
                              None))
        if csat <= UNHAPPY_CSAT or comment:
            unhappy.append((at_ms, feedback_id, ticket_id, customer_id, owner_id, csat))
    _follow_ups(con, org, unhappy, made, rng, anchor_ms, stamp)
    return made


def _follow_ups(con: sqlite3.Connection, org: Organisation,
                unhappy: list[tuple[int, str, str, str, str, int]], made: FeedbackRows,
                rng: random.Random, anchor_ms: int, stamp: Callable[[int], str]) -> None:
    r = rng.random
    follow_ups = phrases(org.language).feedback_follow_ups
    persona = next(a.id for a in org.agents if a.handle == DEFAULT_AGENT)
    # The demo agent's newest unhappy responses stay open, whatever their age: a low
    # CSAT first, then a comment.
    kept_open = {u[1] for u in sorted((u for u in unhappy if u[4] == persona),
                                      key=lambda u: (u[5] > UNHAPPY_CSAT, -u[0]))
                 [:PERSONA_OPEN]}
    for at_ms, feedback_id, ticket_id, customer_id, agent_id, _csat in unhappy:
        if feedback_id in kept_open or anchor_ms - at_ms < FOLLOW_UP_AFTER \
                or r() >= FOLLOW_UP_SHARE:
            continue
        called = desk_hours(at_ms + 2 * HOUR + int(r() * 30 * HOUR), r())
        if called >= anchor_ms:
            continue
        called_text = stamp(called)
        contact_id = uuid7(called, rng)
        made.contacts.append((contact_id, customer_id, agent_id, ticket_id, "phone",
                              "outbound",
                              follow_ups[int(r() * len(follow_ups))],
                              called_text, None))
        made.follow_ups.append((uuid7(called, rng), feedback_id, agent_id, contact_id,
                                called_text))
        con.execute("UPDATE ticket SET last_contact_at = ? WHERE id = ? "
                    "AND (last_contact_at IS NULL OR last_contact_at < ?)",
                    (called_text, ticket_id, called_text))
