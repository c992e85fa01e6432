"""Promises in the demo: call-backs and deliveries promised on tickets over the last weeks,
mostly kept on time, some late, a few broken; a few moved with a reason; and some due
today, the demo agent's among them, so "Promises due" and the queue's markers have work.

Promise events are insert-only rows whose state is derived (domain.promises); their
times are written with `domain.types.stored_time` (through timeline.stamp_slow), since
the queue's SQL compares them as stored text (store.promises).
"""

from __future__ import annotations

import random
import sqlite3

from deskterm.demo.people import DEFAULT_AGENT, Organisation
from deskterm.demo.phrases import phrases
from deskterm.demo.timeline import DAY, HOUR, MINUTE, desk_hours, from_stamp, stamp_slow
from deskterm.domain.ids import uuid7

#: Promises are made on tickets of the last weeks, on about this share of those not
#: solved on the first contact.
WEEKS = 8
PROMISE_SHARE = 0.25
#: Of the promises whose time has come: kept on time, kept late, the rest broken.
KEPT_ON_TIME = 0.84
KEPT_LATE = 0.12
MOVED_SHARE = 0.08
#: Of the promises due today made in the weeks' run, this share was kept before today.
EARLY_KEPT_TODAY = 0.8
#: The first promises due last week that were broken (more may be, by chance).
LAST_WEEK_BROKEN = 2
#: A promise broken longer ago than this was kept in the end (late): "Promises due"
#: lists what is broken now, not the desk's whole past.
BROKEN_WINDOW = 8 * DAY
#: Open promises due today (hours after the anchor, UTC): the demo agent's, and others'.
PERSONA_DUE_TODAY = (13, 16)
OTHERS_DUE_TODAY = (11, 13, 14, 15, 15, 16, 16, 17, 17)

Row = tuple[object, ...]


def promise_rows(con: sqlite3.Connection, org: Organisation, rng: random.Random,
                 anchor_ms: int) -> list[Row]:
    """The promise_event rows: made, moved, kept."""
    r = rng.random
    said = phrases(org.language)
    promises, move_reasons = said.promises, said.promise_move_reasons
    rows: list[Row] = []
    broken_last_week = 0
    tickets = con.execute(
        "SELECT id, owner_id, created_at, resolved_at FROM ticket "
        "WHERE created_at >= ? AND owner_id IS NOT NULL AND returned_at IS NULL "
        "AND (first_contact_resolution IS NULL OR first_contact_resolution = 0) "
        "ORDER BY rowid", (stamp_slow(anchor_ms - WEEKS * 7 * DAY),)).fetchall()
    for ticket_id, owner, created_text, resolved_text in tickets:
        if r() >= PROMISE_SHARE:
            continue
        made = from_stamp(created_text) + 2 * MINUTE + int(r() * 20 * MINUTE)
        due = desk_hours(made + 3 * HOUR + int(r() * 2 * DAY), r())
        due = (due // HOUR + 1) * HOUR  # "by 14:00", not "by 13:37"
        if made >= anchor_ms:
            continue
        what = promises[int(r() * len(promises))]
        promise = uuid7(made, rng)
        rows.append((promise, promise, ticket_id, "made", owner, what, stamp_slow(due), None,
                     None, stamp_slow(made)))
        if r() < MOVED_SHARE:
            moved = made + (due - made) // 2
            if moved < anchor_ms:
                due += DAY
                rows.append((uuid7(moved, rng), promise, ticket_id, "moved", owner, None,
                             stamp_slow(due), move_reasons[
                                 int(r() * len(move_reasons))], None,
                             stamp_slow(moved)))
        done = from_stamp(resolved_text) if resolved_text else None
        if due >= anchor_ms and done is None:
            # Still to come; most of those due today were kept early (the demo's "now"
            # is the day's start; the app's clock reads later in the day).
            if due < anchor_ms + DAY and r() < EARLY_KEPT_TODAY:
                kept = made + int((anchor_ms - made) * (0.3 + 0.65 * r()))
                rows.append((uuid7(kept, rng), promise, ticket_id, "kept", owner, None, None,
                             None, None, stamp_slow(kept)))
            continue
        luck = r()
        contact = None
        if anchor_ms - 8 * DAY < due < anchor_ms - DAY and broken_last_week < LAST_WEEK_BROKEN:
            broken_last_week += 1  # whatever the desk's size, last week had broken ones
            continue
        if luck >= KEPT_ON_TIME + KEPT_LATE and due < anchor_ms - BROKEN_WINDOW:
            luck = KEPT_ON_TIME  # long ago: kept in the end, late
        if luck < KEPT_ON_TIME:
            end = min(due, done or due, anchor_ms - MINUTE)
            kept = made + MINUTE + int((end - made - MINUTE) * (0.3 + 0.7 * r()))
            # Kept by the call or mail that did it, where the owner logged one in time.
            found = con.execute(
                "SELECT id, occurred_at FROM contact WHERE ticket_id = ? AND direction = "
                "'outbound' AND occurred_at > ? AND occurred_at <= ? ORDER BY occurred_at, id "
                "LIMIT 1", (ticket_id, stamp_slow(made), stamp_slow(end))).fetchone()
            if found is not None:
                contact, kept = found[0], from_stamp(found[1])
        elif luck < KEPT_ON_TIME + KEPT_LATE:
            kept = due + HOUR + int(r() * DAY)
        else:
            continue  # broken: its time passed unkept
        if kept >= anchor_ms or kept <= made:
            continue
        rows.append((uuid7(kept, rng), promise, ticket_id, "kept", owner, None, None, None,
                     contact, stamp_slow(kept)))
    rows += _due_today(con, org, rng, anchor_ms)
    return rows


def _due_today(con: sqlite3.Connection, org: Organisation, rng: random.Random,
               anchor_ms: int) -> list[Row]:
    """Open promises due today, made yesterday or this morning on open tickets."""
    r = rng.random
    promises = phrases(org.language).promises
    persona = next(a for a in org.agents if a.handle == DEFAULT_AGENT)
    query = ("SELECT id, owner_id, created_at FROM ticket WHERE status IN ('open', 'waiting', "
             "'escalated') AND returned_at IS NULL AND owner_id {} ? AND created_at < ? "
             "AND id NOT IN (SELECT m.ticket_id FROM promise_event AS m WHERE m.kind = 'made' "
             "AND m.due_at >= ?) ORDER BY created_at DESC, id")
    before = stamp_slow(anchor_ms - 2 * HOUR)
    # Tickets without a promise still to come (the newest open ones of the desk agent).
    future = stamp_slow(anchor_ms)
    own = con.execute(query.format("="), (persona.id, before, future)).fetchall()
    others = con.execute(query.format("!="), (persona.id, before, future)).fetchall()
    picks = list(zip(own, PERSONA_DUE_TODAY, strict=False))
    picks += list(zip(others[::3], OTHERS_DUE_TODAY, strict=False))
    rows: list[Row] = []
    for (ticket_id, owner, created_text), hour in picks:
        created = from_stamp(created_text)
        made = max(created + 5 * MINUTE, anchor_ms - DAY + int(r() * 20 * HOUR))
        made = min(made, anchor_ms - MINUTE)
        promise = uuid7(made, rng)
        rows.append((promise, promise, ticket_id, "made", owner,
                     promises[int(r() * len(promises))], stamp_slow(anchor_ms + hour * HOUR),
                     None, None, stamp_slow(made)))
    return rows
