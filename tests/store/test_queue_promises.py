"""The queue's promise marker and its "Promises due" view, on promises made through the
services: due soon within two hours (the edge included), broken once the time has come,
gone when kept, moved in and out by a move; the same tickets the services name."""

from __future__ import annotations

from datetime import datetime, timedelta

from deskterm.domain import clock
from deskterm.domain.promises import PromiseStatus, due_status
from deskterm.services import promises, tickets
from deskterm.store.queries import TicketRow
from deskterm.store.queue import QueueSource, QueueSpec, QueueView
from tests.conftest import FIXED_NOW, Desk

#: Now, to the microsecond: the clock stands still here while promises are made.
NOW = FIXED_NOW


def view_rows(desk: Desk, at: datetime, view: QueueView = QueueView.PROMISES_DUE
              ) -> list[TicketRow]:
    clock.freeze(at)
    source = QueueSource(str(desk.store.path), QueueSpec(view=view))
    try:
        rows = source.rows(0, 100)
        assert source.count() == len(rows)
        return rows
    finally:
        source.close()


def markers(rows: list[TicketRow], at: datetime) -> dict[str, PromiseStatus]:
    """What the queue marks, per ticket key (domain.promises.due_status of each row)."""
    return {row.key: due_status(row.promise_due_at, at) for row in rows
            if row.promise_due_at is not None}


def test_due_soon_is_within_two_hours_the_edge_included_and_broken_once_it_passed(
        desk: Desk) -> None:
    clock.freeze(NOW)
    ticket = tickets.create_ticket(desk.alex, customer=desk.customer.id, subject="Call back")
    promise = promises.make_promise(desk.alex, ticket.id, what="call back", by="in 2 hours")
    assert promise.due_at == NOW + timedelta(hours=2)
    just_before = NOW - timedelta(microseconds=1)

    assert view_rows(desk, just_before) == []
    [row] = view_rows(desk, just_before, QueueView.ALL)
    assert markers([row], just_before) == {row.key: PromiseStatus.OPEN}  # no marker yet

    [row] = view_rows(desk, NOW)  # exactly two hours before: due soon
    assert row.id == ticket.id and row.promise_due_at == promise.due_at
    assert markers([row], NOW) == {row.key: PromiseStatus.DUE_SOON}

    due = promise.due_at
    [row] = view_rows(desk, due)  # its time has come: broken
    assert markers([row], due) == {row.key: PromiseStatus.BROKEN}
    # The services say the same of it.
    assert promises.ticket_markers(desk.store, [ticket.id], due) == {
        ticket.id: PromiseStatus.BROKEN}
    assert promises.ticket_markers(desk.store, [ticket.id], just_before) == {}


def test_the_view_lists_due_and_broken_soonest_first_and_a_kept_promise_leaves_it(
        desk: Desk) -> None:
    clock.freeze(NOW - timedelta(days=1))
    subjects = ("broken", "soon", "later", "kept", "two")
    made = {s: tickets.create_ticket(desk.alex, customer=desk.customer.id, subject=s)
            for s in subjects}
    by = {"broken": "in 20 hours", "soon": "in 25 hours", "later": "in 30 hours",
          "kept": "in 1455 min", "two": "in 40 hours"}
    ids = {s: promises.make_promise(desk.alex, made[s].id, what=f"call about {s}",
                                    by=by[s]).id for s in subjects}
    # A ticket's earliest unkept promise counts: "two" has one due soon as well.
    promises.make_promise(desk.alex, made["two"].id, what="send the form", by="in 1470 min")
    clock.freeze(NOW)

    rows = view_rows(desk, NOW)
    assert [row.subject for row in rows] == ["broken", "kept", "two", "soon"]
    assert [markers([row], NOW)[row.key] for row in rows] == [
        PromiseStatus.BROKEN, PromiseStatus.DUE_SOON, PromiseStatus.DUE_SOON,
        PromiseStatus.DUE_SOON]
    # The services' own reading of what is due lists the same tickets.
    due = promises.open_promises(desk.store, now=NOW, due_only=True)
    assert {line.ticket_key for line in due} == {row.key for row in rows}

    promises.keep_promise(desk.alex, ids["kept"])
    rows = view_rows(desk, NOW)
    assert [row.subject for row in rows] == ["broken", "two", "soon"]
    [kept] = [row for row in view_rows(desk, NOW, QueueView.ALL) if row.subject == "kept"]
    assert kept.promise_due_at is None  # no marker either

    # A move takes "later" in and "soon" out; sorting the other way keeps soonest first.
    promises.move_promise(desk.alex, ids["soon"], by="tomorrow 12:00", reason="on leave")
    promises.move_promise(desk.alex, ids["later"], by="in 90 min", reason="sooner")
    clock.freeze(NOW)
    source = QueueSource(str(desk.store.path),
                         QueueSpec(view=QueueView.PROMISES_DUE, descending=False))
    try:
        assert [row.subject for row in source.rows(0, 10)] == ["broken", "two", "later"]
    finally:
        source.close()


def test_a_resolved_tickets_broken_promise_stays_in_the_view(desk: Desk) -> None:
    """Resolving does not keep a promise: it is still owed, and still listed."""
    clock.freeze(NOW)
    ticket = tickets.create_ticket(desk.alex, customer=desk.customer.id, subject="Laptop")
    promise = promises.make_promise(desk.alex, ticket.id, what="send the new laptop",
                                    by="in 1 hour")
    tickets.resolve_ticket(desk.alex, ticket.id, resolution="Ordered")
    assert [row.id for row in view_rows(desk, NOW)] == [ticket.id]
    promises.keep_promise(desk.alex, promise.id)
    assert view_rows(desk, NOW) == []
