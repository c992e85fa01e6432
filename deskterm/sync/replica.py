"""The local side of sync: what to push, what the answers mean, and applying pulled pages.

Everything here is one transaction per step against the agent's SQLite store:

- the pending outbox is read in order and sent; each answer is recorded with its
  consequence in the same transaction (a new ticket's number, or undoing a rejected
  change so the store holds what the server holds);
- a pulled page is merged with the shared rule and the cursor saved in the same
  transaction, so a crash can never leave a cursor ahead of the data it covers.

A rejected change is never dropped: its outbox row keeps the code and reason and the
UI shows it (see `rejected_changes`). Rows only the rejected change made (a goodwill
spend the budget did not cover, a second mood for a day) are removed locally, together
with anything still unsynced that depended on them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

from deskterm.domain.clock import utcnow
from deskterm.domain.errors import InvalidInput
from deskterm.domain.hlc import MAX_DRIFT_MS, Hlc
from deskterm.store import Store, bulk
from deskterm.store.outbox import node_id
from deskterm.sync import erasure
from deskterm.sync.codec import MUTABLE_ENTITIES, decode_fields, table_of
from deskterm.sync.merge import ROW_CLOCK, Incoming, MissingRow, field_clock
from deskterm.sync.wire import Change, LoggedChange, PushResult

CURSOR = "sync_cursor"
SERVER_ID = "sync_server_id"
LAST_SYNC = "sync_last_at"
#: When the replica last found the server behind its cursor (restored from a backup).
RESET_AT = "sync_reset_at"
#: How long after such a reset a change about a row the server does not have waits for
#: that row instead of being rejected: another replica may still bring it back.
RECOVERY_WINDOW = timedelta(days=7)
#: Answers that mean "the server lacks a row this change needs", which a reset can cure.
WAIT_CODES = frozenset({"unknown_row", "unknown_reference"})


@dataclass(frozen=True)
class Pending:
    seq: int
    change: Change


@dataclass(frozen=True)
class RejectedChange:
    mutation_id: str
    entity: str
    row_id: str
    fields: dict[str, Any]
    code: str
    reason: str
    answered_at: datetime | None


@dataclass(frozen=True)
class SyncStatus:
    pending: int
    rejected: int
    cursor: int
    last_sync_at: str | None
    server_id: str | None
    #: Pulled changes this replica could not apply (see `pulled_aside`).
    set_aside: int = 0


def client_id(store: Store) -> str:
    with store.transaction() as session:
        return node_id(session)


def pending_changes(store: Store, limit: int, skip: Iterable[str] = ()) -> list[Pending]:
    """The oldest changes waiting to be sent, but those in `skip` (held back this round)."""
    skipped = sorted(skip)
    marks = ",".join("?" * len(skipped))
    with store.raw() as connection:
        rows = connection.execute(
            "SELECT seq, mutation_id, entity, row_id, op, fields, hlc, author_id FROM outbox "
            "WHERE state = 'pending' AND error_code IS NULL "
            f"{f'AND mutation_id NOT IN ({marks}) ' if skipped else ''}ORDER BY seq LIMIT ?",
            (*skipped, limit)).fetchall()
    return [Pending(seq, Change.model_construct(
        mutation_id=m, entity=e, row_id=r, op=op, fields=json.loads(f), hlc=h, author_id=a))
        for seq, m, e, r, op, f, h, a in rows]


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


def record_answers(store: Store, sent: list[Pending], results: list[PushResult]
                   ) -> list[PushResult]:
    """Record the server's answers. Returns the rejections (first answers, not repeats)."""
    by_id = {pending.change.mutation_id: pending for pending in sent}
    rejected = []
    now = utcnow().isoformat()
    with store.transaction() as session:
        connection = session.connection()
        connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        recovering = _recovering(connection)
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
                _undo(connection, pending.change, result)
            _answer(connection, result.mutation_id, outcome, result.code, result.reason, now)
        if any(r.code == "clock_ahead" for r in rejected):
            _pull_back_clock(connection)
    return rejected


def _recovering(connection: Connection) -> bool:
    since = connection.execute(text("SELECT value FROM meta WHERE key = :k"),
                               {"k": RESET_AT}).scalar()
    return since is not None and utcnow() - datetime.fromisoformat(since) < RECOVERY_WINDOW


def _wait(connection: Connection, result: PushResult) -> None:
    """Keep a change pending, set aside until the row it needs may have come back.

    After a restore the server lacks rows that other replicas made and will push again
    (this replica may have pulled them, and worked on them, before the restore). Rejecting
    such a change would lose that work, so it waits: `pending_changes` skips it until a
    pull brings anything new (`apply_pulled` wakes it), then it is sent again.
    """
    connection.execute(text(
        "UPDATE outbox SET error_code = :c, error_reason = :r WHERE mutation_id = :m"),
        {"c": result.code, "r": f"waiting for the server to get it back: {result.reason}",
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
    _set_meta(connection, "hlc", str(clock))


def _answer(connection: Connection, mutation_id: str, state: str, code: str | None,
            reason: str | None, now: str) -> None:
    connection.execute(text(
        "UPDATE outbox SET state = :s, error_code = :c, error_reason = :r, answered_at = :t "
        "WHERE mutation_id = :m"), {"s": state, "c": code, "r": reason, "t": now, "m": mutation_id})


def _assign(connection: Connection, ticket_id: str, assigned: dict[str, Any]) -> None:
    if "number" in assigned:
        connection.execute(text("UPDATE ticket SET number = :n WHERE id = :id"),
                           {"n": assigned["number"], "id": ticket_id})


def _undo(connection: Connection, change: Change, result: PushResult) -> None:
    """Make the store hold what the server holds for the rows a rejected change touched."""
    if change.entity in MUTABLE_ENTITIES and result.current is not None:
        _restore(connection, change, result.current, result.current_clocks or {})
    elif change.op == "insert" or change.entity not in MUTABLE_ENTITIES:
        _discard(connection, change.entity, change.row_id, result.reason or "rejected")


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


def _discard(connection: Connection, entity: str, row_id: str, reason: str) -> None:
    """Remove a row the server refused, and unsynced rows that hang off it."""
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
                         f"it depends on a change the server rejected ({reason})")
                connection.execute(text(
                    "UPDATE outbox SET state = 'rejected', error_code = 'depends_on_rejected', "
                    "error_reason = :r, answered_at = :t "
                    "WHERE entity = :e AND row_id = :id AND state = 'pending'"),
                    {"r": f"it depends on a change the server rejected: {reason}",
                     "t": utcnow().isoformat(), "e": child_entity, "id": child_id})
    connection.execute(table.delete().where(table.c.id == row_id))
    connection.execute(field_clock.delete().where(field_clock.c.entity == entity,
                                                  field_clock.c.row_id == row_id))


def _referencing(entity: str) -> Iterable[str]:
    from deskterm.domain import ENTITY_NAMES

    target = table_of(entity)
    for other in ENTITY_NAMES:
        if any(key.column.table is target for key in table_of(other).foreign_keys):
            yield other


#: What applying a page can meet when a change in it is one this store cannot hold.
UNAPPLIABLE = (InvalidInput, MissingRow, IntegrityError)


def apply_pulled(store: Store, changes: Sequence[LoggedChange | Any], cursor: int,
                 server_id: str | None = None) -> int:
    """Merge a pulled page and move the cursor, in one transaction. Returns rows changed.

    The server logs only changes every reader can apply, but a log written by an older
    server may hold some that are not: when the page as a whole fails, it is applied
    again change by change, and each change this store cannot hold is set aside with
    the reason (`pulled_aside`) instead of stopping the pull for good.
    """
    try:
        with store.transaction() as session:
            connection = session.connection()
            connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            changed = _apply_page(connection, changes, cursor, server_id)
    except UNAPPLIABLE:
        with store.transaction() as session:
            connection = session.connection()
            connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            changed = _apply_page(connection, changes, cursor, server_id, careful=True)
    if erasure.pulled_erasure(changes):
        erasure.checkpoint(store.engine)  # the pages the scrub rewrote leave the write-ahead log
    return changed


def _apply_page(connection: Connection, changes: Sequence[LoggedChange | Any], cursor: int,
                server_id: str | None, *, careful: bool = False) -> int:
    if careful:
        won = _apply_one_by_one(connection, changes)
    else:
        decoded = [Incoming(c.entity, c.row_id, c.op,
                            decode_fields(c.entity, c.fields, insert=c.op == "insert", op=c.op),
                            c.hlc)
                   for c in changes]
        won = erasure.merge_pulled(connection, decoded) if decoded else []
    _observe_clock(connection, [c.hlc for c in changes])
    if changes:  # what a waiting change needs may be among them: send it again
        connection.execute(text(
            "UPDATE outbox SET error_code = NULL, error_reason = NULL "
            "WHERE state = 'pending' AND error_code IS NOT NULL"))
    _set_meta(connection, CURSOR, str(cursor))
    if server_id:
        _set_meta(connection, SERVER_ID, server_id)
    return sum(1 for fields in won if fields)


def _apply_one_by_one(connection: Connection, changes: Sequence[LoggedChange | Any]
                      ) -> list[dict[str, Any]]:
    """The slow path of a page: each change checked and merged on its own; those this
    store cannot hold are set aside, together with the changes that refer to them."""
    aside: dict[int, str] = {}
    decoded: dict[int, Incoming] = {}
    for index, change in enumerate(changes):
        try:
            decoded[index] = Incoming(change.entity, change.row_id, change.op, decode_fields(
                change.entity, change.fields, insert=change.op == "insert", op=change.op),
                change.hlc)
        except InvalidInput as error:
            aside[index] = str(error)
    _set_aside_dangling(connection, decoded, aside)
    won: list[dict[str, Any]] = []
    for index, incoming in decoded.items():
        if index in aside:
            continue
        try:
            with connection.begin_nested():
                won.extend(erasure.merge_pulled(connection, [incoming]))
        except (MissingRow, IntegrityError) as error:
            aside[index] = _why_not(error)
    now = utcnow().isoformat()
    for index, reason in sorted(aside.items()):
        change = changes[index]
        connection.execute(text(
            "INSERT OR REPLACE INTO pulled_aside (seq, mutation_id, entity, row_id, op, fields, "
            "hlc, author_id, reason, set_aside_at) VALUES (:seq, :m, :e, :r, :op, :f, :h, :a, "
            ":why, :t)"), {
                "seq": change.seq, "m": change.mutation_id, "e": change.entity,
                "r": change.row_id, "op": change.op,
                "f": json.dumps(change.fields, ensure_ascii=False), "h": change.hlc,
                "a": change.author_id, "why": reason, "t": now})
    return won


def _set_aside_dangling(connection: Connection, decoded: dict[int, Incoming],
                        aside: dict[int, str]) -> None:
    """Set aside every change that refers to a row neither this store nor the rest of the
    page holds (foreign keys are checked only at commit, for the whole page at once)."""
    while True:
        made = {(c.entity, c.row_id) for i, c in decoded.items()
                if c.op == "insert" and i not in aside}
        found = False
        for index, incoming in decoded.items():
            if index in aside:
                continue
            for key in table_of(incoming.entity).foreign_keys:
                value = incoming.fields.get(key.parent.name)
                target = key.column.table.name
                if value is None or (target, value) in made or _holds(connection, target, value):
                    continue
                aside[index] = f"it refers to a {target.replace('_', ' ')} this store does " \
                               f"not have ({key.parent.name} {value})"
                found = True
                break
        if not found:
            return


def _holds(connection: Connection, entity: str, row_id: str) -> bool:
    table = table_of(entity)
    return connection.execute(table.select().with_only_columns(table.c.id)
                              .where(table.c.id == row_id)).first() is not None


def _why_not(error: Exception) -> str:
    if isinstance(error, IntegrityError):
        return f"this store refuses it: {error.orig}"
    return str(error)


def is_new(store: Store) -> bool:
    """A replica that has pulled nothing yet and holds no work of its own."""
    with store.raw() as connection:
        return bool(connection.execute(
            "SELECT NOT EXISTS (SELECT 1 FROM ticket) AND NOT EXISTS (SELECT 1 FROM outbox) "
            "AND coalesce((SELECT value FROM meta WHERE key = ?), '0') = '0'",
            (CURSOR,)).fetchone()[0] == 1)


@contextmanager
def first_pull(store: Store) -> Iterator[Callable[[Sequence[Any], int, str | None], int]]:
    """A new replica's whole first pull as one bulk load: one transaction, and the big
    tables' indexes rebuilt once at the end instead of kept up row by row (store.bulk).

    Yields the function that applies one page. Nothing of the pull is kept unless all
    of it is: a failure rolls back the rows, the cursor and the index changes together,
    and the next sync starts the first pull again.
    """
    with store.transaction() as session:
        connection = session.connection()
        connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        driver = connection.connection.driver_connection
        assert driver is not None  # None only once the connection is closed
        suspended = bulk.suspend(driver, queue_only=True)

        def apply(changes: Sequence[Any], cursor: int, server_id: str | None) -> int:
            return _apply_page(connection, changes, cursor, server_id)

        yield apply
        bulk.restore(driver, suspended)


def _observe_clock(connection: Connection, stamps: list[str]) -> None:
    """Move our clock past what we pulled, so our next edit wins over what we saw."""
    if not stamps:
        return
    newest = Hlc.parse(max(stamps))
    stored = connection.execute(text("SELECT value FROM meta WHERE key = 'hlc'")).scalar()
    if stored is None:
        return  # no local writes yet: the first one reads the wall clock anyway
    current = Hlc.parse(stored)
    try:
        advanced = current.receive(newest, int(utcnow().timestamp() * 1000))
    except Exception:
        return  # the server vouched for it; we just do not let it drag our clock along
    _set_meta(connection, "hlc", str(advanced))


def mark_synced(store: Store) -> None:
    with store.transaction() as session:
        _set_meta(session.connection(), LAST_SYNC, utcnow().isoformat())


def reset_for_new_history(store: Store) -> int:
    """The server is behind our cursor (restored from a backup): start over.

    Pull again from 0 and push everything the server may have lost again (it answers
    duplicates for what it still has). Returns how many changes will be resent.

    Ticket numbers are forgotten too: the server hands out again the numbers of tickets
    it lost, so a number held here may now belong to another ticket. The pull from 0
    brings back the numbers of what the server kept, and each resent new ticket is
    numbered again.
    """
    with store.transaction() as session:
        connection = session.connection()
        _set_meta(connection, CURSOR, "0")
        _set_meta(connection, RESET_AT, utcnow().isoformat())
        connection.execute(text("UPDATE ticket SET number = NULL WHERE number IS NOT NULL"))
        return connection.execute(text(
            "UPDATE outbox SET state = 'pending' WHERE state = 'applied'")).rowcount or 0


def read_cursor(store: Store) -> int:
    return int(_get_meta(store, CURSOR) or 0)


def status(store: Store) -> SyncStatus:
    with store.raw() as connection:
        counts = dict(connection.execute(
            "SELECT state, count(*) FROM outbox WHERE state IN ('pending', 'rejected') "
            "GROUP BY state").fetchall())
        meta = dict(connection.execute(
            "SELECT key, value FROM meta WHERE key IN (?, ?, ?)",
            (CURSOR, LAST_SYNC, SERVER_ID)).fetchall())
        aside = connection.execute("SELECT count(*) FROM pulled_aside").fetchone()[0]
    return SyncStatus(counts.get("pending", 0), counts.get("rejected", 0),
                      int(meta.get(CURSOR, 0)), meta.get(LAST_SYNC), meta.get(SERVER_ID),
                      aside)


def rejected_changes(store: Store, limit: int = 50) -> list[RejectedChange]:
    with store.raw() as connection:
        rows = connection.execute(
            "SELECT mutation_id, entity, row_id, fields, error_code, error_reason, answered_at "
            "FROM outbox WHERE state = 'rejected' ORDER BY seq DESC LIMIT ?", (limit,)).fetchall()
    return [RejectedChange(m, e, r, json.loads(f), c or "rejected", reason or "",
                           datetime.fromisoformat(t) if t else None)
            for m, e, r, f, c, reason, t in rows]


@dataclass(frozen=True)
class SetAside:
    """A pulled change this replica could not apply, kept whole with the reason."""

    seq: int
    entity: str
    row_id: str
    op: str
    fields: dict[str, Any]
    reason: str


def pulled_aside(store: Store, limit: int = 50) -> list[SetAside]:
    """The pulled changes set aside, oldest first."""
    with store.raw() as connection:
        rows = connection.execute(
            "SELECT seq, entity, row_id, op, fields, reason FROM pulled_aside ORDER BY seq "
            "LIMIT ?", (limit,)).fetchall()
    return [SetAside(seq, e, r, op, json.loads(f), why) for seq, e, r, op, f, why in rows]


def _get_meta(store: Store, key: str) -> str | None:
    with store.raw() as connection:
        row = connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def _set_meta(connection: Connection, key: str, value: str) -> None:
    connection.execute(text(
        "INSERT INTO meta (key, value) VALUES (:k, :v) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value"), {"k": key, "v": value})


# -- read-only views for the app: what is still pending or was rejected -------------------


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


def rejected_of(store: Store, entity: str, limit: int = 50) -> list[RejectedChange]:
    """The newest rejected changes of one entity, newest first."""
    return _rejected("entity = ? ORDER BY seq DESC LIMIT ?", (entity, limit), store)


def rejected_by_mutation(store: Store, mutation_ids: list[str]) -> list[RejectedChange]:
    if not mutation_ids:
        return []
    marks = ",".join("?" * len(mutation_ids))
    return _rejected(f"mutation_id IN ({marks}) ORDER BY seq", tuple(mutation_ids), store)


def first_pending_seq(store: Store) -> int | None:
    with store.raw() as connection:
        first: int | None = connection.execute(
            "SELECT min(seq) FROM outbox WHERE state = 'pending'").fetchone()[0]
        return first


def answered_entities(store: Store, since: str, from_seq: int) -> set[str]:
    """Entities of changes from outbox `from_seq` on that were answered at or after `since`.

    `from_seq` (the first pending change when a round began) keeps the scan to that round.
    """
    with store.raw() as connection:
        rows = connection.execute(
            "SELECT DISTINCT entity FROM outbox WHERE seq >= ? AND answered_at >= ?",
            (from_seq, since)).fetchall()
    return {row[0] for row in rows}


def _rejected(where: str, params: tuple[Any, ...], store: Store) -> list[RejectedChange]:
    with store.raw() as connection:
        rows = connection.execute(
            "SELECT mutation_id, entity, row_id, fields, error_code, error_reason, answered_at "
            f"FROM outbox WHERE state = 'rejected' AND {where}", params).fetchall()
    return [RejectedChange(m, e, r, json.loads(f), c or "rejected", reason or "",
                           datetime.fromisoformat(t) if t else None)
            for m, e, r, f, c, reason, t in rows]
