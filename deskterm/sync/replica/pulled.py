"""Applying pulled pages: merged with the shared rule, the cursor saved with them.

Each page is one transaction, so a crash can never leave a cursor ahead of the data it
covers. A page this store cannot hold whole is applied again change by change, and
each change it cannot hold is set aside with the reason (the `pulled_aside` table,
shown by replica.views) instead of stopping the pull for good. A new replica's whole
first pull is one bulk load (`first_pull`). The reason a change was set aside is
stored as worded then, in the language of that moment (as a rejection's reason is, see
`answers`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

from deskterm.domain.clock import utcnow
from deskterm.domain.errors import InvalidInput
from deskterm.domain.hlc import Hlc
from deskterm.i18n import _
from deskterm.store import Store, bulk
from deskterm.sync import erasure
from deskterm.sync.codec import DecodedChange, decode_change, decode_changes, table_of
from deskterm.sync.merge import MissingRow
from deskterm.sync.names import entity_name
from deskterm.sync.replica.state import CURSOR, SERVER_ID, set_meta
from deskterm.sync.wire import LoggedChange

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
                server_id: str | None, *, careful: bool = False,
                decoded_in_bulk: list[DecodedChange] | None = None) -> int:
    if careful:
        won = _apply_one_by_one(connection, changes)
    elif decoded_in_bulk is not None:
        won = erasure.merge_pulled(connection, decoded_in_bulk, bulk=True) \
            if decoded_in_bulk else []
    else:
        decoded = [decode_change(change) for change in changes]
        won = erasure.merge_pulled(connection, decoded) if decoded else []
    _observe_clock(connection, [c.hlc for c in changes])
    if changes:  # what a waiting change needs may be among them: send it again
        connection.execute(text(
            "UPDATE outbox SET error_code = NULL, error_reason = NULL "
            "WHERE state = 'pending' AND error_code IS NOT NULL"))
    set_meta(connection, CURSOR, str(cursor))
    if server_id:
        set_meta(connection, SERVER_ID, server_id)
    return sum(1 for fields in won if fields)


def _apply_one_by_one(connection: Connection, changes: Sequence[LoggedChange | Any]
                      ) -> list[dict[str, Any]]:
    """The slow path of a page: each change checked and merged on its own; those this
    store cannot hold are set aside, together with the changes that refer to them."""
    aside: dict[int, str] = {}
    decoded: dict[int, DecodedChange] = {}
    for index, change in enumerate(changes):
        try:
            decoded[index] = decode_change(change)
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


def _set_aside_dangling(connection: Connection, decoded: dict[int, DecodedChange],
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
                aside[index] = _("it refers to a {thing} this store does not have ({field} "
                                 "{value})").format(thing=entity_name(target),
                                                    field=key.parent.name, value=value)
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
        return _("this store refuses it: {error}").format(error=error.orig)
    return str(error)


#: Applies one page of a first pull: (changes, decode_for_first_pull(changes), cursor,
#: server id) -> rows changed.
ApplyPage = Callable[[Sequence[Any], list[DecodedChange], int, str | None], int]


def decode_for_first_pull(changes: Sequence[Any]) -> list[DecodedChange]:
    """A page decoded for `first_pull` (codec.decode_changes; InvalidInput for a change
    this store cannot hold). It reads nothing of the store, so the sync client does it
    on the thread that fetches the next page, while this one writes."""
    return decode_changes(changes)


@contextmanager
def first_pull(store: Store) -> Iterator[ApplyPage]:
    """A new replica's whole first pull as one bulk load: one transaction, written
    through the driver (sync.merge, `bulk`), the big tables' queue indexes, the tickets'
    sort keys and the text indexes built once at the end instead of kept up row by row
    (store.bulk), with a larger page cache for it all.

    Yields the function that applies one page. Nothing of the pull is kept unless all
    of it is: a failure (or a crash: the transaction never committed) rolls back the
    rows, the cursor and the dropped indexes and triggers together, leaving a new store,
    and the next sync starts the first pull again from cursor 0. Durability is the
    store's usual (synchronous = NORMAL in WAL mode, so a commit does not wait for the
    disk anyway); turning it off would save nothing for one transaction and risk the
    store, not just the pull, on a power cut during the checkpoint after it.
    """
    with store.transaction() as session:
        connection = session.connection()
        connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        driver = connection.connection.driver_connection
        assert driver is not None  # None only once the connection is closed
        with bulk.larger_cache(driver):
            suspended = bulk.suspend(driver, queue_only=True, derived=True)

            def apply(changes: Sequence[Any], decoded: list[DecodedChange], cursor: int,
                      server_id: str | None) -> int:
                return _apply_page(connection, changes, cursor, server_id,
                                   decoded_in_bulk=decoded)

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
    set_meta(connection, "hlc", str(advanced))
