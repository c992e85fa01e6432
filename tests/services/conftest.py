"""Service-test helpers: clean-refusal checks, outbox and trail readers, state shortcuts."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from deskterm.domain.clock import utcnow
from deskterm.domain.errors import DeskError
from deskterm.services.context import ServiceContext
from deskterm.store import Store
from tests.conftest import FIXED_NOW, Desk, table_counts

#: Fragments that give away a message written for programmers, not people.
_TECHNICAL = ("Traceback", "sqlite", "Error", "IntegrityError", "NoneType", "<", "object at")


@dataclass(frozen=True)
class Change:
    entity: str
    row_id: str
    op: str
    fields: dict[str, Any]
    author_id: str | None
    state: str
    hlc: str


class Outbox:
    """Reads the outbox rows written since the last `mark()` (made when the fixture starts)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.mark()

    def mark(self) -> None:
        with self.store.raw() as connection:
            self.seq = connection.execute("SELECT coalesce(max(seq), 0) FROM outbox").fetchone()[0]

    def new(self) -> list[Change]:
        with self.store.raw() as connection:
            rows = connection.execute(
                "SELECT entity, row_id, op, fields, author_id, state, hlc FROM outbox "
                "WHERE seq > ? ORDER BY seq", (self.seq,)
            ).fetchall()
        return [Change(e, r, op, json.loads(f), a, s, h) for e, r, op, f, a, s, h in rows]

    def summary(self) -> list[tuple[str, str]]:
        """(entity, op) of each new change, in order."""
        return [(c.entity, c.op) for c in self.new()]


@pytest.fixture
def outbox(desk: Desk) -> Outbox:
    return Outbox(desk.store)


Refuse = Callable[..., DeskError]


@pytest.fixture
def refuse(desk: Desk) -> Refuse:
    """Run a call that must be refused, and prove the refusal is clean.

    `refuse(ErrorType, call, *fragments)`: the call raises exactly that error type, its
    message is a sentence for people that contains every fragment, and not one row of
    any table changed (nothing half-written).
    """

    def check(error_type: type[DeskError], call: Callable[[], object], *fragments: str
              ) -> DeskError:
        before = table_counts(desk.store)
        with pytest.raises(DeskError) as caught:
            call()
        error = caught.value
        assert type(error) is error_type, f"{type(error).__name__}: {error}"
        message = str(error)
        assert message == error.message
        assert len(message) >= 10 and " " in message, message
        assert message == message.strip(), message
        for word in _TECHNICAL:
            assert word not in message, f"technical message: {message}"
        for fragment in fragments:
            assert fragment in message, f"{fragment!r} not in {message!r}"
        assert table_counts(desk.store) == before, "a refused call wrote something"
        return error

    return check


def fixed(desk: Desk, handle: str, minutes: float = 0) -> ServiceContext:
    """A context for `handle` whose clock stands still `minutes` after FIXED_NOW."""
    moment = FIXED_NOW + timedelta(minutes=minutes)
    return desk.as_(handle, clock=lambda: moment)


def trail(store: Store, ticket_id: str) -> list[tuple[str, str, str | None]]:
    """A ticket's events as (kind, detail, agent handle), oldest first."""
    with store.raw() as connection:
        return [(kind, detail, handle) for kind, detail, handle in connection.execute(
            "SELECT e.kind, e.detail, a.handle FROM ticket_event AS e "
            "LEFT JOIN agent AS a ON a.id = e.agent_id WHERE e.ticket_id = ? ORDER BY e.rowid",
            (ticket_id,),
        )]


def set_ticket_number(store: Store, ticket_id: str, number: int) -> None:
    """What the server does when it first accepts a ticket: give it its SD- number."""
    with store.raw() as connection:
        connection.execute("UPDATE ticket SET number = ? WHERE id = ?", (number, ticket_id))


def deactivate(store: Store, handle: str) -> None:
    """An account switched off (by sync from the server; no local service does it yet)."""
    with store.raw() as connection:
        connection.execute("UPDATE agent SET active = 0 WHERE handle = ?", (handle,))


def mark_deleted(store: Store, table: str, row_id: str) -> None:
    """A tombstone, as sync applies it."""
    with store.raw() as connection:
        connection.execute(f"UPDATE {table} SET deleted = 1 WHERE id = ?", (row_id,))


def erase_customer(store: Store, customer_id: str) -> None:
    """The shape an AVG/GDPR erasure leaves: personal fields scrubbed, erased_at set."""
    stamp = utcnow().replace(tzinfo=None).isoformat(sep=" ")
    with store.raw() as connection:
        connection.execute(
            "UPDATE customer SET name = '(erased)', email = NULL, phone = NULL, notes = '', "
            "erased_at = ? WHERE id = ?", (stamp, customer_id),
        )


@pytest.fixture
def local_zone() -> Iterator[Callable[[str], None]]:
    """Set the process's local time zone (a POSIX TZ string, e.g. 'CET-1'); restored after.

    Starts at UTC, so "today" in a test does not depend on the machine it runs on.
    """
    original = os.environ.get("TZ")

    def set_zone(zone: str) -> None:
        os.environ["TZ"] = zone
        time.tzset()

    set_zone("UTC0")
    yield set_zone
    if original is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = original
    time.tzset()
