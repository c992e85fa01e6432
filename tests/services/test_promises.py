"""Promises: made, moved only with a reason, kept by their maker or the ticket's owner."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from deskterm.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from deskterm.domain.promises import PromiseStatus
from deskterm.services import contacts, promises, tickets
from deskterm.services.lookup import short_id
from tests.conftest import FIXED_NOW, Desk
from tests.services.conftest import Outbox, Refuse, fixed

SetZone = Callable[[str], None]


@pytest.fixture(autouse=True)
def _utc_local_zone(local_zone: SetZone) -> SetZone:
    return local_zone


def _ticket(desk: Desk, owner: str = "alex") -> str:
    return tickets.create_ticket(fixed(desk, owner), customer="jo@example.com",
                                 subject="Laptop broken").id


def test_make_a_promise_in_the_agents_local_time(desk: Desk, outbox: Outbox,
                                                 local_zone: SetZone) -> None:
    local_zone("CET-1")
    ticket = _ticket(desk)
    outbox.mark()
    made = promises.make_promise(fixed(desk, "alex"), ticket, what="  call back ",
                                 by="tomorrow")
    assert made.what == "call back"
    assert made.due_at == datetime(2026, 11, 24, 16, 0, tzinfo=UTC)  # 17:00 CET
    [change] = outbox.new()
    assert (change.entity, change.op, change.row_id) == ("promise_event", "insert", made.id)
    assert change.fields["kind"] == "made" and change.fields["promise_id"] == made.id
    [line] = promises.open_promises(desk.store, now=FIXED_NOW)
    assert (line.promise.id, line.promise.status_at(FIXED_NOW)) == (made.id, PromiseStatus.OPEN)


def test_refusals(desk: Desk, refuse: Refuse) -> None:
    ticket = _ticket(desk)
    alex = fixed(desk, "alex")
    refuse(InvalidInput, lambda: promises.make_promise(alex, ticket, what="call back",
                                                       by="today 9:00"), "already passed")
    refuse(InvalidInput, lambda: promises.make_promise(alex, ticket, what="call back",
                                                       by="whenever"), "cannot read")
    refuse(InvalidInput, lambda: promises.make_promise(alex, ticket, what=" ", by="tomorrow"),
           "what is promised")
    made = promises.make_promise(alex, ticket, what="call back", by="tomorrow")
    blake = fixed(desk, "blake")
    refuse(Forbidden, lambda: promises.keep_promise(blake, made.id), "owner", "maker")
    refuse(Forbidden, lambda: promises.move_promise(blake, made.id, by="fri", reason="busy"),
           "owner")
    refuse(InvalidInput, lambda: promises.move_promise(alex, made.id, by="fri", reason="  "),
           "reason")
    refuse(InvalidInput, lambda: promises.move_promise(alex, made.id, by="today 10:00",
                                                       reason="busy"), "already passed")
    refuse(NotFound, lambda: promises.keep_promise(alex, "deadbeef"), "no promise")
    promises.keep_promise(alex, short_id(made.id))
    refuse(Conflict, lambda: promises.keep_promise(alex, made.id), "already kept")


def test_the_owner_keeps_a_promise_someone_else_made(desk: Desk) -> None:
    ticket = _ticket(desk, owner="alex")
    made = promises.make_promise(fixed(desk, "blake"), ticket, what="send the new laptop",
                                 by="fri 12:00")
    moved = promises.move_promise(fixed(desk, "alex", 5), short_id(made.id), by="mon 12:00",
                                  reason="courier delayed")
    assert [m.reason for m in moved.moves] == ["courier delayed"]
    assert moved.due_at > made.due_at
    kept = promises.keep_promise(fixed(desk, "blake", 10), made.id)  # the maker may too
    assert kept.kept_on_time
    assert promises.open_promises(desk.store, now=FIXED_NOW) == []


def test_a_contact_logged_against_a_promise_keeps_it(desk: Desk, refuse: Refuse) -> None:
    ticket = _ticket(desk)
    other = _ticket(desk)
    made = promises.make_promise(fixed(desk, "alex"), ticket, what="call back", by="16:00")
    refuse(InvalidInput, lambda: contacts.log_contact(
        fixed(desk, "alex"), channel="phone", summary="Called", ticket=other,
        keeps=made.id), "own ticket")
    contact = contacts.log_contact(fixed(desk, "alex", 20), channel="phone",
                                   direction="outbound", summary="Called back", keeps=made.id)
    assert contact.ticket_id == ticket
    [kept] = promises.ticket_promises(desk.store, ticket)
    assert kept.kept_contact_id == contact.id and kept.kept_on_time


def test_due_soon_broken_and_fallen_due(desk: Desk) -> None:
    ticket = _ticket(desk)
    alex = fixed(desk, "alex")
    soon = promises.make_promise(alex, ticket, what="call back", by="in 1 hour")
    later = promises.make_promise(alex, ticket, what="send a laptop", by="in 3 days")
    assert promises.ticket_markers(desk.store, [ticket], FIXED_NOW) \
        == {ticket: PromiseStatus.DUE_SOON}
    an_hour_on = FIXED_NOW + timedelta(hours=1)
    assert [line.promise.id for line in promises.fallen_due(desk.store, alex.actor.id,
                                                            an_hour_on)] == [soon.id]
    assert promises.fallen_due(desk.store, fixed(desk, "blake").actor.id, an_hour_on) == []
    assert promises.ticket_markers(desk.store, [ticket], an_hour_on) \
        == {ticket: PromiseStatus.BROKEN}
    due = promises.open_promises(desk.store, now=an_hour_on, due_only=True)
    assert [line.promise.id for line in due] == [soon.id]
    assert later.id in {line.promise.id for line in promises.open_promises(
        desk.store, now=an_hour_on, agent_id=alex.actor.id)}


def test_promises_kept_on_time_per_week_for_the_team(desk: Desk) -> None:
    from deskterm.services.promise_quality import promises_kept_on_time

    ticket = _ticket(desk)
    alex, casey = fixed(desk, "alex"), fixed(desk, "casey")
    on_time = promises.make_promise(alex, ticket, what="call back", by="in 1 hour")
    late = promises.make_promise(alex, ticket, what="send a laptop", by="in 2 hours")
    promises.make_promise(alex, ticket, what="email the quote", by="in 3 hours")  # broken
    promises.make_promise(alex, ticket, what="next week", by="in 8 days")  # not due yet
    promises.make_promise(casey, ticket, what="other team", by="in 1 hour")
    promises.keep_promise(fixed(desk, "alex", 30), on_time.id)
    promises.keep_promise(fixed(desk, "alex", 150), late.id)
    team = alex.actor.team_id
    rates = promises_kept_on_time(desk.store, team_id=team, now=FIXED_NOW + timedelta(hours=4))
    assert len(rates) == 8
    assert (rates[-1].value, rates[-1].count) == (pytest.approx(1 / 3), 3)
    assert all(rate.count == 0 and rate.value is None for rate in rates[:-1])
