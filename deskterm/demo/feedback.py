"""Customer feedback for the demo: CSAT and driver scores on recently resolved tickets.

About one resolved ticket in six gets a response. Every response comes from one hidden
"how well did it go" value; the drivers follow it with different strengths (empathy and
reliability most, the phone menu least), so the quality screen's "what moves
satisfaction" has a real answer to find. Waiting time got better over the last weeks,
so the weekly highlight has a driver that improved.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable

from deskterm.demo.timeline import DAY, HOUR
from deskterm.domain.feedback import DRIVERS
from deskterm.domain.ids import uuid7

FEEDBACK_WEEKS = 12
RESPONSE_RATE = 1 / 6
#: How strongly each driver follows the overall experience (0: not at all).
LOADINGS = {"reliability": 0.75, "empathy": 0.85, "customer_focus": 0.6,
            "customer_knowledge": 0.5, "waiting_time": 0.45, "accessibility": 0.3,
            "phone_menu": 0.1}
COMMENTS = (
    "Quick and friendly, thank you.",
    "Had to call twice before anyone understood the problem.",
    "Solved while I was on the phone. Great.",
    "Nobody told me it was escalated; I had to chase it.",
    "Very patient with my questions.",
    "The waiting music is awful, the help was fine.",
)

Row = tuple[object, ...]


def _clamp(value: float) -> int:
    return max(1, min(5, round(value)))


def feedback_rows(con: sqlite3.Connection, rng: random.Random, anchor_ms: int,
                  stamp: Callable[[int], str]) -> list[Row]:
    since = stamp(anchor_ms - FEEDBACK_WEEKS * 7 * DAY)
    resolved = con.execute(
        "SELECT id, customer_id, owner_id, resolved_at FROM ticket "
        "WHERE resolved_at >= ? AND owner_id IS NOT NULL ORDER BY rowid", (since,)).fetchall()
    r = rng.random
    rows: list[Row] = []
    for ticket_id, customer_id, owner_id, resolved_at in resolved:
        if r() >= RESPONSE_RATE:
            continue
        at_ms = _ms(resolved_at) + int((2 + 46 * r()) * HOUR)
        if at_ms >= anchor_ms:
            continue
        weeks_ago = (anchor_ms - at_ms) / (7 * DAY)
        experience = rng.gauss(0, 1)
        scores: dict[str, int | None] = {}
        for driver in DRIVERS:
            if (driver == "phone_menu" and r() < 0.5) or r() < 0.1:
                scores[driver] = None
                continue
            weight = LOADINGS[driver]
            lift = 0.35 * max(0.0, 3 - weeks_ago) if driver == "waiting_time" else 0.0
            scores[driver] = _clamp(3.6 + lift + weight * experience
                                    + rng.gauss(0, 0.9 * (1 - weight) + 0.2))
        csat = _clamp(3.7 + 0.95 * experience + rng.gauss(0, 0.45))
        comment = COMMENTS[int(r() * len(COMMENTS))] if r() < 0.2 else None
        rows.append((uuid7(at_ms, rng), ticket_id, customer_id, owner_id, csat,
                     *(scores[d] for d in DRIVERS), comment, "demo", stamp(at_ms), None))
    return rows


def _ms(text: str) -> int:
    from datetime import UTC, datetime

    moment = datetime.fromisoformat(text).replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)
