"""Promises in SQL, for the virtual queue: a ticket's earliest unkept promise, and the tickets
with one due soon or broken.

The state of a promise is defined once, by `domain.promises.promises_from` over its
events; this is the same reading written as SQL, so the queue can show a marker per row
and a "Promises due" view over a million tickets without reading every promise into
Python. `tests/store/test_promise_sql.py` holds the two to the same answers on random
event histories. The reading, as promises_from does it: a promise is a `made` event with
a time; its other events count only after it, in (occurred_at, id) order; it is kept
once a `kept` event follows it; its time in force is that of the last `moved` event
(with a time) after it, else the made time. Times compare as stored text: UtcDateTime
keeps them in one fixed-width form (`domain.types.stored_time`), so text order is time
order.
"""

from __future__ import annotations

from datetime import datetime

from deskterm.domain.bounds import stored_time
from deskterm.domain.promise_state import DUE_SOON


def _after(event: str, made: str) -> str:
    """`event` comes after the made event `made` in the order promises_from reads them."""
    return f"({event}.occurred_at, {event}.id) > ({made}.occurred_at, {made}.id)"


def due_in_force(made: str = "m") -> str:
    """The time in force of the promise whose made event is aliased `made`."""
    return (f"coalesce((SELECT v.due_at FROM promise_event AS v WHERE v.promise_id = {made}.id "
            f"AND v.kind = 'moved' AND v.due_at IS NOT NULL AND {_after('v', made)} "
            f"ORDER BY v.occurred_at DESC, v.id DESC LIMIT 1), {made}.due_at)")


def unkept(made: str = "m") -> str:
    """`made` is a promise's made event, and no keep of it follows."""
    return (f"{made}.kind = 'made' AND {made}.due_at IS NOT NULL AND NOT EXISTS "
            f"(SELECT 1 FROM promise_event AS k WHERE k.promise_id = {made}.id "
            f"AND k.kind = 'kept' AND {_after('k', made)})")


#: The earliest time in force of ticket `t`'s unkept promises, as stored text (NULL: it
#: has none). The queue's marker is domain.promises.due_status of it.
EARLIEST_DUE_SQL = (f"(SELECT min({due_in_force()}) FROM promise_event AS m "
                    f"WHERE m.ticket_id = t.id AND {unkept()})")

#: The ids of tickets with an unkept promise whose time in force is at or before `?`:
#: with the cutoff `due_cutoff(now)`, those with a promise due soon or broken.
DUE_TICKETS_SQL = (f"SELECT m.ticket_id FROM promise_event AS m WHERE {unkept()} "
                   f"AND {due_in_force()} <= ?")


def due_cutoff(now: datetime) -> str:
    """The parameter of DUE_TICKETS_SQL for "due soon or broken at `now`": a promise is
    either once its time is within DUE_SOON of now (domain.promises.due_status)."""
    return stored_time(now + DUE_SOON)


def micros(expression: str) -> str:
    """A stored time (text) as whole microseconds since 1970, exact: an integer sort key
    that can be negated (a keyset seek needs one direction for every key)."""
    return (f"(CAST(strftime('%s', substr({expression}, 1, 19)) AS INTEGER) * 1000000 "
            f"+ CAST(substr({expression}, 21, 6) AS INTEGER))")
