"""Read-only views of the outbox for the app: what is still pending, what was rejected,
and what a pull set aside.

A rejected change and a set-aside one are kept whole: each holds the change in its wire
shape (read straight from its row) together with what became of it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from deskterm.store import Store
from deskterm.sync.replica.outgoing import CHANGE_COLUMNS, outbox_change
from deskterm.sync.wire import Change, LoggedChange


@dataclass(frozen=True)
class RejectedChange:
    """A change the server refused, as the outbox keeps it until its agent decides."""

    change: Change
    code: str
    reason: str
    answered_at: datetime | None

    @property
    def mutation_id(self) -> str:
        return self.change.mutation_id

    @property
    def entity(self) -> str:
        return str(self.change.entity)

    @property
    def row_id(self) -> str:
        return self.change.row_id

    @property
    def fields(self) -> dict[str, Any]:
        return self.change.fields


@dataclass(frozen=True)
class SetAside:
    """A pulled change this replica could not apply, kept whole with the reason."""

    change: LoggedChange
    reason: str

    @property
    def seq(self) -> int:
        return self.change.seq

    @property
    def entity(self) -> str:
        return str(self.change.entity)

    @property
    def row_id(self) -> str:
        return self.change.row_id

    @property
    def op(self) -> str:
        return str(self.change.op)

    @property
    def fields(self) -> dict[str, Any]:
        return self.change.fields


def pending_row_ids(store: Store, entity: str, row_ids: list[str]) -> set[str]:
    """Those of `row_ids` with a change the server has not answered yet."""
    if not row_ids:
        return set()
    marks = ",".join("?" * len(row_ids))
    with store.raw() as connection:
        rows = connection.execute(
            f"SELECT DISTINCT row_id FROM outbox WHERE state = 'pending' AND entity = ? "
            f"AND row_id IN ({marks})", (entity, *row_ids)).fetchall()
    return {row[0] for row in rows}


def first_pending_seq(store: Store) -> int | None:
    with store.raw() as connection:
        seq: int | None = connection.execute(
            "SELECT min(seq) FROM outbox WHERE state = 'pending'").fetchone()[0]
        return seq


def answered_entities(store: Store, since: str, from_seq: int) -> set[str]:
    """Entities of changes from outbox `from_seq` on that were answered at or after `since`.

    `from_seq` (the first pending change when a round began) keeps the scan to that round.
    """
    with store.raw() as connection:
        rows = connection.execute(
            "SELECT DISTINCT entity FROM outbox WHERE seq >= ? AND answered_at >= ?",
            (from_seq, since)).fetchall()
    return {row[0] for row in rows}


def rejected_changes(store: Store, limit: int = 50) -> list[RejectedChange]:
    """The newest rejected changes, newest first."""
    return _rejected("1 = 1 ORDER BY seq DESC LIMIT ?", (limit,), store)


def rejected_of(store: Store, entity: str, limit: int = 50) -> list[RejectedChange]:
    """The newest rejected changes of one entity, newest first."""
    return _rejected("entity = ? ORDER BY seq DESC LIMIT ?", (entity, limit), store)


def rejected_by_mutation(store: Store, mutation_ids: list[str]) -> list[RejectedChange]:
    if not mutation_ids:
        return []
    marks = ",".join("?" * len(mutation_ids))
    return _rejected(f"mutation_id IN ({marks}) ORDER BY seq", tuple(mutation_ids), store)


def _rejected(where: str, params: tuple[Any, ...], store: Store) -> list[RejectedChange]:
    with store.raw() as connection:
        rows = connection.execute(
            f"SELECT {CHANGE_COLUMNS}, error_code, error_reason, answered_at "
            f"FROM outbox WHERE state = 'rejected' AND {where}", params).fetchall()
    return [RejectedChange(outbox_change(change), code or "rejected", reason or "",
                           datetime.fromisoformat(at) if at else None)
            for *change, code, reason, at in rows]


def pulled_aside(store: Store, limit: int = 50) -> list[SetAside]:
    """The pulled changes set aside, oldest first."""
    with store.raw() as connection:
        rows = connection.execute(
            "SELECT seq, mutation_id, entity, row_id, op, fields, hlc, author_id, reason "
            "FROM pulled_aside ORDER BY seq LIMIT ?", (limit,)).fetchall()
    return [SetAside(LoggedChange.model_construct(
        seq=seq, mutation_id=m, entity=e, row_id=r, op=op, fields=json.loads(f), hlc=h,
        author_id=a), why) for seq, m, e, r, op, f, h, a, why in rows]
