"""What a replica does with the server's answers to a push, each in one transaction.

An answer is recorded with its consequence: a new ticket's number, or undoing a
rejected change so the store holds what the server holds. A rejected change is never
dropped: its outbox row keeps the code and reason and the app shows it
(replica.views). Rows only the rejected change made (a goodwill spend the budget did
not cover, a second mood for a day) are removed locally, together with anything still
unsynced that depended on them.

A rejection's reason is stored as the server worded it, in the language the app spoke
when it pushed (the client asks in that language: `Accept-Language`). It is not worded
again later: only its code is the same in every language, and a code is too coarse
to rebuild the sentence from (`forbidden` says nothing of who may do what). A switch of
language changes the words around it, not a reason already kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, text

from deskterm.domain.clock import utcnow
from deskterm.domain.hlc import MAX_DRIFT_MS, Hlc
from deskterm.i18n import _
from deskterm.store import Store
from deskterm.sync.codec import MUTABLE_ENTITIES, decode_fields, table_of
from deskterm.sync.merge import ROW_CLOCK, field_clock
from deskterm.sync.replica.outgoing import Pending
from deskterm.sync.replica.state import in_recovery, set_meta
from deskterm.sync.wire import Change, PushResult

#: Answers that mean "the server lacks a row this change needs", which a reset can cure.
WAIT_CODES = frozenset({"unknown_row", "unknown_reference"})


def record_answers(store: Store, sent: list[Pending], results: list[PushResult]
                   ) -> list[PushResult]:
    """Record the server's answers. Returns the rejections (first answers, not repeats),
    with the unsynced changes each one took down with it (`depends_on_rejected`): the
    count a sync reports is the count `sync --status` lists for the round."""
    by_id = {pending.change.mutation_id: pending for pending in sent}
    rejected = []
    now = utcnow().isoformat()
    with store.transaction() as session:
        connection = session.connection()
        connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        recovering = in_recovery(connection)
        for result in results:
            pending = by_id.get(result.mutation_id)
            if pending is None:
                continue
            outcome = result.outcome if result.status == "duplicate" else result.status
            state = connection.execute(text("SELECT state FROM outbox WHERE mutation_id = :m"),
                                       {"m": result.mutation_id}).scalar()
            if state != "pending":
                continue  # answered already (a cascade of an earlier rejection)
            if result.assigned and pending.change.entity == "ticket":
                _assign(connection, pending.change.row_id, result.assigned)
            if outcome == "rejected" and result.code in WAIT_CODES and recovering:
                _wait(connection, result)
                continue
            if outcome == "rejected":
                rejected.append(result)
                _undo(connection, pending.change, result, rejected)
            _answer(connection, result.mutation_id, outcome, result.code, result.reason, now)
        if any(r.code == "clock_ahead" for r in rejected):
            _pull_back_clock(connection)
    return rejected


def _wait(connection: Connection, result: PushResult) -> None:
    """Keep a change pending, set aside until the row it needs may have come back.

    After a restore the server lacks rows that other replicas made and will push again
    (this replica may have pulled them, and worked on them, before the restore). Rejecting
    such a change would lose that work, so it waits: `pending_changes` skips it until a
    pull brings anything new (`apply_pulled` wakes it), then it is sent again.
    """
    connection.execute(text(
        "UPDATE outbox SET error_code = :c, error_reason = :r WHERE mutation_id = :m"),
        {"c": result.code, "r": _("waiting for the server to get it back: {reason}").format(
            reason=result.reason),
         "m": result.mutation_id})


def _pull_back_clock(connection: Connection) -> None:
    """After a `clock_ahead` refusal, stop stamping from a clock that ran ahead.

    The stored clock only moves forward, so one session on a machine whose time was
    wrong would otherwise get every later edit refused too, until the wall clock caught
    up. It goes back to now, but never below a stamp this replica holds that the server
    would still accept: our next edit must beat what we already wrote or saw.
    """
    stored = connection.execute(text("SELECT value FROM meta WHERE key = 'hlc'")).scalar()
    now_ms = int(utcnow().timestamp() * 1000)
    if stored is None or Hlc.parse(stored).wall_ms - now_ms <= MAX_DRIFT_MS:
        return
    node = Hlc.parse(stored).node
    # '~' sorts after every character a node id may hold: the newest stamp at the limit.
    limit = f"{now_ms + MAX_DRIFT_MS:013d}-99999-~"
    newest = connection.execute(text("SELECT max(hlc) FROM field_clock WHERE hlc <= :limit"),
                                {"limit": limit}).scalar()
    clock = Hlc(now_ms, 0, node)
    if newest:
        seen = Hlc.parse(newest)
        clock = max(clock, Hlc(seen.wall_ms, seen.counter, node))
    set_meta(connection, "hlc", str(clock))


def _answer(connection: Connection, mutation_id: str, state: str, code: str | None,
            reason: str | None, now: str) -> None:
    connection.execute(text(
        "UPDATE outbox SET state = :s, error_code = :c, error_reason = :r, answered_at = :t "
        "WHERE mutation_id = :m"), {"s": state, "c": code, "r": reason, "t": now, "m": mutation_id})


def _assign(connection: Connection, ticket_id: str, assigned: dict[str, Any]) -> None:
    if "number" in assigned:
        connection.execute(text("UPDATE ticket SET number = :n WHERE id = :id"),
                           {"n": assigned["number"], "id": ticket_id})


def _undo(connection: Connection, change: Change, result: PushResult,
          cascaded: list[PushResult]) -> None:
    """Make the store hold what the server holds for the rows a rejected change touched."""
    if change.entity in MUTABLE_ENTITIES and result.current is not None:
        _restore(connection, change, result.current, result.current_clocks or {})
    elif change.op == "insert" or change.entity not in MUTABLE_ENTITIES:
        _discard(connection, change.entity, change.row_id, result.reason or "rejected",
                 cascaded)


def _restore(connection: Connection, change: Change, current: dict[str, Any],
             clocks: dict[str, str]) -> None:
    """Put back the server's values of the fields this change wrote, unless written since."""
    mine = {name: stamp for name, stamp in _local_clocks(connection, change).items()}
    names = [n for n in change.fields if n != "id" and
             (mine.get(n) or mine.get(ROW_CLOCK)) == change.hlc]
    if not names:
        return
    values = decode_fields(change.entity, {n: current.get(n) for n in names}, insert=False)
    table = table_of(change.entity)
    connection.execute(table.update().where(table.c.id == change.row_id).values(values))
    for name in names:
        stamp = clocks.get(name) or clocks.get(ROW_CLOCK)
        if stamp:
            connection.execute(text(
                "INSERT INTO field_clock (entity, row_id, field, hlc) VALUES (:e, :r, :f, :h) "
                "ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc"),
                {"e": change.entity, "r": change.row_id, "f": name, "h": stamp})


def _local_clocks(connection: Connection, change: Change) -> dict[str, str]:
    rows = connection.execute(text(
        "SELECT field, hlc FROM field_clock WHERE entity = :e AND row_id = :r"),
        {"e": change.entity, "r": change.row_id})
    return dict(rows.all())


def _discard(connection: Connection, entity: str, row_id: str, reason: str,
             cascaded: list[PushResult]) -> None:
    """Remove a row the server refused, and unsynced rows that hang off it (their changes
    are rejected too, and added to `cascaded`)."""
    table = table_of(entity)
    for child_entity in _referencing(entity):
        child = table_of(child_entity)
        for key in child.foreign_keys:
            if key.column.table is not table:
                continue
            column = key.parent
            ids = [r[0] for r in connection.execute(
                child.select().with_only_columns(child.c.id).where(column == row_id))]
            for child_id in ids:
                _discard(connection, child_entity, child_id,
                         _("it depends on a change the server rejected ({reason})").format(
                             reason=reason), cascaded)
                why = _("it depends on a change the server rejected: {reason}").format(
                    reason=reason)
                taken = connection.execute(text(
                    "UPDATE outbox SET state = 'rejected', error_code = 'depends_on_rejected', "
                    "error_reason = :r, answered_at = :t "
                    "WHERE entity = :e AND row_id = :id AND state = 'pending' "
                    "RETURNING mutation_id"),
                    {"r": why, "t": utcnow().isoformat(), "e": child_entity, "id": child_id})
                cascaded.extend(PushResult(mutation_id=mutation_id, status="rejected",
                                           code="depends_on_rejected", reason=why)
                                for (mutation_id,) in taken.all())
    connection.execute(table.delete().where(table.c.id == row_id))
    connection.execute(field_clock.delete().where(field_clock.c.entity == entity,
                                                  field_clock.c.row_id == row_id))


def _referencing(entity: str) -> Iterable[str]:
    from deskterm.domain import ENTITY_NAMES

    target = table_of(entity)
    for other in ENTITY_NAMES:
        if any(key.column.table is target for key in table_of(other).foreign_keys):
            yield other


