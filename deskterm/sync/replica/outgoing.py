"""What a replica sends: its pending outbox rows, read straight into the wire shape.

An outbox row is a change as the wire carries it (store.outbox writes it so), so it is
read into `wire.Change` and pushed as it is; `Pending` pairs it with its place in the
outbox (a push request's changes carry no such number).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from deskterm.store import Store
from deskterm.sync.wire import Change

#: The outbox columns that make up a change, in the order `outbox_change` reads them.
CHANGE_COLUMNS = "mutation_id, entity, row_id, op, fields, hlc, author_id"


@dataclass(frozen=True)
class Pending:
    """A change waiting to be sent, and its place (`seq`) in the outbox."""

    seq: int
    change: Change


def outbox_change(row: Sequence[Any]) -> Change:
    """An outbox row's CHANGE_COLUMNS as the change it holds (checked when it was written)."""
    mutation_id, entity, row_id, op, fields, hlc, author_id = row
    return Change.model_construct(mutation_id=mutation_id, entity=entity, row_id=row_id,
                                  op=op, fields=json.loads(fields), hlc=hlc,
                                  author_id=author_id)


def pending_changes(store: Store, limit: int, skip: Iterable[str] = ()) -> list[Pending]:
    """The oldest changes waiting to be sent, but those in `skip` (held back this round)."""
    skipped = sorted(skip)
    marks = ",".join("?" * len(skipped))
    with store.raw() as connection:
        rows = connection.execute(
            f"SELECT seq, {CHANGE_COLUMNS} FROM outbox "
            "WHERE state = 'pending' AND error_code IS NULL "
            f"{f'AND mutation_id NOT IN ({marks}) ' if skipped else ''}ORDER BY seq LIMIT ?",
            (*skipped, limit)).fetchall()
    return [Pending(seq, outbox_change(change)) for seq, *change in rows]


def pending_by_others(store: Store, agent_id: str) -> tuple[int, str | None]:
    """How many unsynced changes someone other than `agent_id` wrote here, and one of them."""
    with store.raw() as connection:
        count, handle = connection.execute(
            "SELECT count(*), max(agent.handle) FROM outbox LEFT JOIN agent "
            "ON agent.id = outbox.author_id WHERE outbox.state = 'pending' "
            "AND outbox.author_id IS NOT NULL AND outbox.author_id != ?", (agent_id,)
        ).fetchone()
    return int(count), handle


def count_failure(store: Store, mutation_id: str) -> int:
    """One more round in which the server failed on this change; returns how many now."""
    with store.transaction() as session:
        return int(session.connection().execute(text(
            "UPDATE outbox SET attempts = attempts + 1 WHERE mutation_id = :m "
            "RETURNING attempts"), {"m": mutation_id}).scalar_one())
