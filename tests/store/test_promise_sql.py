"""store.promises' SQL reads a promise's state exactly as domain.promises.promises_from does.

On random event histories, written to a real store the way sync writes them (any order,
ties in time, moves and keeps before their promise, events of no promise, a second keep):
the earliest unkept time per ticket and the tickets due at a cutoff agree with the one
derivation in Python.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deskterm.domain.promises import (
    PromiseEvent,
    PromiseEventKind,
    PromiseStatus,
    due_status,
    promises_from,
)
from deskterm.domain.types import stored_time
from deskterm.services import tickets
from deskterm.store.promises import DUE_TICKETS_SQL, EARLIEST_DUE_SQL, due_cutoff, micros
from deskterm.store.queries import parse_time
from tests.conftest import Desk

BASE = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
#: Few distinct moments, so events tie in time and ids decide their order.
MOMENTS = st.integers(0, 3).map(lambda n: BASE + timedelta(minutes=30 * n,
                                                             microseconds=n % 2))
IDS = [f"0000000{n}-aaaa-7000-8000-00000000000{n}" for n in range(10)]
#: Moves most often: ties between moves of one promise are what an order gets wrong.
KINDS = [PromiseEventKind.MADE, PromiseEventKind.MADE, PromiseEventKind.MOVED,
         PromiseEventKind.MOVED, PromiseEventKind.MOVED, PromiseEventKind.KEPT]


@st.composite
def histories(draw: st.DrawFn) -> list[tuple[str, str, str, int, datetime,
                                              datetime | None]]:
    """Events as (id, promise id, kind, ticket number, occurred_at, due_at): mostly about
    the promises made among them, now and then about none, or made naming another."""
    ids = draw(st.permutations(IDS))[:draw(st.integers(1, len(IDS)))]
    kinds = [draw(st.sampled_from(KINDS)) for _ in ids]
    made = [event_id for event_id, kind in zip(ids, kinds, strict=True)
            if kind == PromiseEventKind.MADE]
    events = []
    for event_id, kind in zip(ids, kinds, strict=True):
        promise_id = event_id if kind == PromiseEventKind.MADE and draw(st.booleans()) \
            else draw(st.sampled_from([*made, *made, *made, "no-such-promise"]))
        due = draw(st.sampled_from([None, 1, 2, 3, 4]))
        due_at = None if due is None else BASE + timedelta(hours=due)
        events.append((event_id, promise_id, kind.value, draw(st.integers(0, 1)),
                       draw(MOMENTS), due_at))
    return events


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=histories(), cutoff=MOMENTS.map(lambda m: m + timedelta(minutes=50)))
def test_the_sql_reads_promises_as_promises_from_does(
        desk: Desk, history: list[tuple[str, str, str, int, datetime, datetime | None]],
        cutoff: datetime) -> None:
    tickets = [_ticket(desk, n) for n in (0, 1)]
    with desk.store.raw() as connection:
        connection.execute("DELETE FROM promise_event")
    events = [PromiseEvent(id=event_id, promise_id=promise_id, ticket_id=tickets[ticket],
                           kind=PromiseEventKind(kind), agent_id=desk.alex.actor.id,
                           due_at=due, what="call back", occurred_at=occurred)
              for event_id, promise_id, kind, ticket, occurred, due in history]
    with desk.store.transaction() as session:  # one by one, in the order they arrived
        for event in events:
            session.add(event)
            session.flush()
    unkept = [p for p in promises_from(events) if not p.kept]
    expected_due = {t: min((p.due_at for p in unkept if p.ticket_id == t), default=None)
                    for t in tickets}
    expected_tickets = {p.ticket_id for p in unkept if p.due_at <= cutoff}

    with desk.store.raw() as connection:
        found = {row[0]: row[1:] for row in connection.execute(
            f"SELECT t.id, {EARLIEST_DUE_SQL}, {micros(EARLIEST_DUE_SQL)} "
            "FROM ticket AS t WHERE t.id IN (?, ?)", tickets)}
        due_tickets = {row[0] for row in connection.execute(
            DUE_TICKETS_SQL, [stored_time(cutoff)])}
    for ticket in tickets:
        text, whole = found[ticket]
        want = expected_due[ticket]
        assert (parse_time(text) if text else None) == want, (ticket, history)
        if want is not None:  # the sort key: exact microseconds
            assert whole == (want - EPOCH) // timedelta(microseconds=1)
    assert due_tickets == expected_tickets, history


def test_the_cutoff_is_the_two_hour_rule() -> None:
    now = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)
    assert due_cutoff(now) == "2026-11-23 16:30:00.000000"
    assert due_status(now + timedelta(hours=2), now) == PromiseStatus.DUE_SOON
    assert due_status(now + timedelta(hours=2, microseconds=1), now) == PromiseStatus.OPEN
    assert due_status(now, now) == PromiseStatus.BROKEN


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_TICKETS: dict[tuple[str, int], str] = {}


def _ticket(desk: Desk, number: int) -> str:
    """One of two tickets of the desk (made once per store)."""
    key = (str(desk.store.path), number)
    if key not in _TICKETS:
        _TICKETS[key] = tickets.create_ticket(desk.alex, customer=desk.customer.id,
                                              subject=f"ticket {number}").id
    return _TICKETS[key]
