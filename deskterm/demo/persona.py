"""The demo agent's own desk: enough open work of their own for the loops to show on the
screen they open first, whatever the size of the demo desk.

A small desk may leave the demo agent (`alex`) with only a ticket or two open; then they
pick up the oldest new tickets from the shared queue, as a desk agent does.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable

from deskterm.demo.people import DEFAULT_AGENT, Organisation
from deskterm.demo.phrases import phrases
from deskterm.demo.timeline import HOUR, MINUTE, from_stamp
from deskterm.domain.ids import uuid7

#: The demo agent has at least this many open tickets (when the shared queue has them).
PERSONA_OPEN = 6

Row = tuple[object, ...]


def pick_up(con: sqlite3.Connection, org: Organisation, rng: random.Random, anchor_ms: int,
            stamp: Callable[[int], str]) -> list[Row]:
    """Give the demo agent unassigned new tickets until they have PERSONA_OPEN open ones;
    the ticket_event rows of the pick-ups."""
    persona = next(a for a in org.agents if a.handle == DEFAULT_AGENT)
    has = con.execute("SELECT count(*) FROM ticket WHERE owner_id = ? "
                      "AND status NOT IN ('resolved', 'closed')", (persona.id,)).fetchone()[0]
    if has >= PERSONA_OPEN:
        return []
    found = con.execute(
        "SELECT id, created_at FROM ticket WHERE owner_id IS NULL AND status = 'new' "
        "AND created_at < ? ORDER BY created_at, id LIMIT ?",
        (stamp(anchor_ms - 3 * HOUR), PERSONA_OPEN - has)).fetchall()
    events: list[Row] = []
    for ticket_id, created_text in found:
        picked = from_stamp(created_text) + 5 * MINUTE + int(rng.random() * HOUR)
        text = stamp(min(picked, anchor_ms - 2 * HOUR))
        con.execute("UPDATE ticket SET owner_id = ?, status = 'open', "
                    "updated_at = max(updated_at, ?) WHERE id = ?", (persona.id, text, ticket_id))
        events.append((uuid7(from_stamp(text), rng), ticket_id, persona.id, "assigned",
                       phrases(org.language).trail.picked_up.format(handle=persona.handle),
                       text))
    return events
