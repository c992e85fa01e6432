"""Property tests of the merge itself: `sync.merge.apply_changes` on a real store.

Random sets of changes (customers inserted, edited field by field and deleted, kudos
inserted, some sent twice) are merged into a store opened with `open_store`, in pages, in
two random orders: the rows and their field clocks come out the same. Merging the same
changes again, in any order, wins no field and changes no row. Each example runs in a
transaction that is rolled back, so every example starts from the same store.

Orders keep what causality keeps: a row's insert comes before its edits (an edit is made
on a row its writer holds, so its stamp is newer and it is logged after the insert).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, text

from deskterm.store import Store
from deskterm.sync.codec import DecodedChange, decode_fields
from deskterm.sync.merge import apply_changes
from tests.conftest import Desk

CUSTOMER_IDS = [f"0190a000-0000-7000-8000-{n:012d}" for n in range(3)]
KUDOS_IDS = [f"0190a000-0000-7000-9000-{n:012d}" for n in range(3)]
NODES = ["a1b2c3d4", "e5f6a7b8", "c9d0e1f2"]
START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
WORDS = st.sampled_from(["Jo", "Kim", "Acme", "Polaris", "", "Émile", "O'Brien"])
EDITABLE = {"name": st.sampled_from(["Jo Jansen", "Kim Klaassen", "Émile Zola"]),
            "organisation": st.one_of(st.none(), WORDS),
            "notes": WORDS,
            "email": st.one_of(st.none(), st.sampled_from(["jo@example.com",
                                                           "kim@example.com"]))}


def stamp(order: int, node: str) -> str:
    """A clock stamp as domain.hlc writes them; `order` makes each one unique."""
    return f"{1_790_000_000_000 + order:013d}-{order % 7:05d}-{node}"


def change(entity: str, row_id: str, op: str, wire: dict[str, Any], hlc: str) -> DecodedChange:
    """A change as a pulled page brings it: its wire fields decoded by the codec."""
    return DecodedChange(entity, row_id, op, decode_fields(entity, wire, insert=op == "insert",
                                                      op=op), hlc)


@dataclass(frozen=True)
class ChangeSet:
    changes: list[DecodedChange]
    #: Per change, the customer row it belongs to (None: an insert-only kudos).
    rows: list[str | None]


@st.composite
def change_sets(draw: st.DrawFn, author_id: str) -> ChangeSet:
    """Customers with an insert, edits and maybe a delete; kudos, some sent twice."""
    planned: list[tuple[str, str, str, dict[str, Any]]] = []  # (entity, row, op, wire)
    for row_id in CUSTOMER_IDS[:draw(st.integers(1, len(CUSTOMER_IDS)))]:
        created = (START + timedelta(minutes=draw(st.integers(0, 600)))).isoformat()
        planned.append(("customer", row_id, "insert", {
            "name": draw(EDITABLE["name"]), "organisation": draw(EDITABLE["organisation"]),
            "email": draw(EDITABLE["email"]), "notes": draw(EDITABLE["notes"]),
            "products": [], "created_at": created, "updated_at": created,
            "deleted": False}))
        for _ in range(draw(st.integers(0, 4))):
            names = draw(st.sets(st.sampled_from(sorted(EDITABLE)), min_size=1))
            planned.append(("customer", row_id, "update",
                            {name: draw(EDITABLE[name]) for name in sorted(names)}))
        if draw(st.booleans()):
            planned.append(("customer", row_id, "delete", {}))
    for kudos_id in KUDOS_IDS[:draw(st.integers(0, len(KUDOS_IDS)))]:
        about = draw(st.sampled_from([None, *CUSTOMER_IDS[:1]]))
        wire = {"source": "lead", "from_name": "Morgan Lead", "message": draw(WORDS) or "!",
                "author_id": author_id, "customer_id": about,
                "created_at": START.isoformat()}
        planned += [("kudos", kudos_id, "insert", wire)] * draw(st.integers(1, 2))
    # Unique stamps; within a customer the insert takes the oldest (causality).
    orders = draw(st.lists(st.integers(0, 10_000), min_size=len(planned),
                           max_size=len(planned), unique=True))
    by_row: dict[str, list[int]] = {}
    for index, (entity, row_id, _op, _wire) in enumerate(planned):
        if entity == "customer":
            by_row.setdefault(row_id, []).append(index)
    for indexes in by_row.values():
        for index, order in zip(indexes, sorted(orders[i] for i in indexes), strict=True):
            orders[index] = order
    changes = [change(entity, row_id, op, wire,
                      stamp(order, draw(st.sampled_from(NODES))))
               for (entity, row_id, op, wire), order in zip(planned, orders, strict=True)]
    rows = [row_id if entity == "customer" else None
            for entity, row_id, _op, _wire in planned]
    return ChangeSet(changes, rows)


@st.composite
def deliveries(draw: st.DrawFn, changes: ChangeSet) -> list[list[DecodedChange]]:
    """The changes in a random order that keeps each customer's insert first, in pages."""
    order = draw(st.permutations(range(len(changes.changes))))
    order = list(order)
    for row_id in set(filter(None, changes.rows)):
        places = [place for place, index in enumerate(order) if changes.rows[index] == row_id]
        insert = next(place for place in places
                      if changes.changes[order[place]].op == "insert")
        order[places[0]], order[insert] = order[insert], order[places[0]]
    ordered = [changes.changes[index] for index in order]
    cuts = sorted(draw(st.sets(st.integers(1, max(1, len(ordered) - 1)), max_size=3)))
    bounds = [0, *cuts, len(ordered)]
    return [ordered[start:end] for start, end in pairwise(bounds) if ordered[start:end]]


@contextmanager
def merging(store: Store) -> Iterator[Connection]:
    """A connection in a transaction rolled back at the end, foreign keys checked at
    commit as the replica's pull has them (apply_pulled)."""
    with store.engine.connect() as connection:
        transaction = connection.begin()
        connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        try:
            yield connection
        finally:
            transaction.rollback()


def merge(connection: Connection, pages: Sequence[Sequence[DecodedChange]]) -> list[dict[str, Any]]:
    won: list[dict[str, Any]] = []
    for page in pages:
        won += apply_changes(connection, page)
    return won


def rows(connection: Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row the merge may write, the clocks included, in a stable order."""
    return {table: [tuple(row) for row in connection.execute(text(
                f"SELECT * FROM {table} ORDER BY {order}"))]
            for table, order in (("customer", "id"), ("kudos", "id"),
                                 ("field_clock", "entity, row_id, field"))}


def examples(desk: Desk) -> st.SearchStrategy[tuple[ChangeSet, list[list[DecodedChange]],
                                                     list[list[DecodedChange]]]]:
    return change_sets(desk.alex.actor.id).flatmap(
        lambda changes: st.tuples(st.just(changes), deliveries(changes), deliveries(changes)))


SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(data=st.data())
def test_two_orders_of_the_same_changes_give_the_same_rows(desk: Desk,
                                                           data: st.DataObject) -> None:
    changes, first, second = data.draw(examples(desk))
    with merging(desk.store) as connection:
        merge(connection, first)
        after_first = rows(connection)
    with merging(desk.store) as connection:
        merge(connection, second)
        after_second = rows(connection)
    assert after_first == after_second
    customers = {row[0] for row in after_first["customer"]}
    assert set(filter(None, changes.rows)) <= customers  # and the merge did write them


@SETTINGS
@given(data=st.data())
def test_merging_the_same_changes_again_changes_nothing(desk: Desk,
                                                        data: st.DataObject) -> None:
    _changes, first, again = data.draw(examples(desk))
    with merging(desk.store) as connection:
        merge(connection, first)
        merged = rows(connection)
        won = merge(connection, again)
        assert rows(connection) == merged
        assert won == [{}] * len(won), "a change merged twice won a field the second time"
