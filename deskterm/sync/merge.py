"""The merge rule, shared by server and client: apply changes to a database, last writer wins.

Mutable rows (tickets, customers, KB articles, people) merge field by field: a field
takes an incoming value only when the incoming stamp is newer than the stamp that wrote
the field last (`field_clock`). Insert-only rows (contacts, ledger entries, moods,
kudos, ticket events and links) are inserted once by id; a second copy changes nothing,
and only their private fields (domain.privacy) arrive later, as an update of their own.
Because both rules are commutative and idempotent, replicas that see the same set of
changes in any order, any number of times, end with the same rows.

`field_clock` keeps one row per (entity, row, field) the newest stamp wrote, and a
row-wide `*` stamp from the insert that covers every field not stamped since: a new
replica pulling a million inserts writes one clock row per row, not one per field.

The function works on a SQLAlchemy connection to either dialect. Callers batch freely:
a page of changes is folded in memory first (an insert followed by updates of the same
row becomes one insert), then written with one statement per table and column set.
On SQLite the caller defers foreign keys for the transaction, since the folded writes
are grouped by table rather than kept in log order.

A bulk load on SQLite (a new replica's first pull: `bulk=True`) reads and writes the
same rows in the same order, but as plain SQL through the driver, each value converted
by its column type's own bind processor: SQLAlchemy's per-row parameter handling was
a quarter of the CPU time a first pull spent merging and writing. Everyone else keeps the SQLAlchemy
statements (the server's merge among them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import Column, Connection, MetaData, String, Table, bindparam, insert, select
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlmodel import SQLModel

from deskterm.domain.privacy import PRIVATE_FIELDS
from deskterm.i18n import _
from deskterm.sync import merge_raw as raw
from deskterm.sync.codec import MUTABLE_ENTITIES, SERVER_FIELDS, DecodedChange, table_of
from deskterm.sync.names import entity_name

#: Stamp key of the row-wide clock an insert writes.
ROW_CLOCK = "*"

#: The clock table, as both the client store (schema 2) and the server declare it.
clock_metadata = MetaData()
field_clock = Table(
    "field_clock", clock_metadata,
    Column("entity", String(40), primary_key=True),
    Column("row_id", String(64), primary_key=True),
    Column("field", String(64), primary_key=True),
    Column("hlc", String(80), nullable=False),
)


class MissingRow(Exception):
    """An update arrived for a row this database has never seen."""


@dataclass
class _Pending:
    """Writes folded from a batch, flushed at the end in as few statements as possible."""

    inserts: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    updates: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    clocks: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def write(self, key: tuple[str, str], values: dict[str, Any]) -> None:
        """Fields that won: into the row's insert when this batch makes it, else an update."""
        if not values:
            return
        target = self.inserts.get(key)
        if target is not None:
            target.update(values)
        else:
            self.updates.setdefault(key, {}).update(values)


def apply_changes(connection: Connection, changes: Sequence[DecodedChange], *,
                  bulk: bool = False) -> list[dict[str, Any]]:
    """Merge `changes` in order. Returns, per change, the fields that won (empty: no effect).

    Raises MissingRow when an update names a row that is neither here nor in the batch.
    `bulk` (SQLite only) reads and writes through the driver: the same rows, faster.
    """
    merger = Merger(connection, changes, bulk=bulk)
    won = [merger.add(change) for change in changes]
    merger.flush()
    return won


class Merger:
    """The merge of a batch of changes: the rows and clocks they touch read at once, each
    change merged in memory in turn (`add`), then everything written (`flush`).

    A change `add` was not given when the merger was made may still be added when its
    row is new (the server's conflict copies): rows are looked up only for those given.
    """

    def __init__(self, connection: Connection, changes: Sequence[DecodedChange], *,
                 held: Mapping[tuple[str, str], dict[str, Any] | None] | None = None,
                 bulk: bool = False) -> None:
        """`held`: the rows of `changes` as the caller has read them already, by (entity,
        id), None for a row not there; rows it names are not read again. `bulk`: a new
        replica's first pull on SQLite (sync.merge_raw)."""
        self.connection = connection
        self.bulk = bulk and connection.dialect.name == "sqlite"
        mutable = [c for c in changes if c.entity in MUTABLE_ENTITIES]
        if self.bulk:
            self.existing, self.owned = raw.existing_rows(connection, changes)
            self.clocks = raw.clocks(connection, mutable)
        else:
            self.existing, self.owned = _existing_rows(connection, changes, held or {})
            self.clocks = _clocks(connection, mutable)
        self.pending = _Pending()

    def add(self, change: DecodedChange) -> dict[str, Any]:
        """Merge one change; the fields that won (empty: no effect). MissingRow for an
        update of a row neither here nor added before."""
        key = (change.entity, change.row_id)
        if change.entity not in MUTABLE_ENTITIES:
            if change.op == "update":
                return _private_update(change, key, self.existing, self.pending)
            if key in self.existing:
                return {}
            self.existing.add(key)
            row = dict(change.fields, id=change.row_id)
            self.pending.inserts[key] = row
            return row
        return _merge_mutable(change, key, self.existing, self.clocks, self.pending, self.owned)

    def preview(self, change: DecodedChange) -> dict[str, Any]:
        """What `add` would write for `change`, changing nothing (MissingRow likewise)."""
        key = (change.entity, change.row_id)
        fields = {"deleted": True} if change.op == "delete" else change.fields
        if key not in self.existing:
            if change.op != "insert":
                raise MissingRow(_("{thing} {id} is not known here").format(
                    thing=entity_name(change.entity), id=change.row_id))
            return dict(fields, id=change.row_id)
        if change.entity not in MUTABLE_ENTITIES:
            private = PRIVATE_FIELDS.get(change.entity)
            return {name: value for name, value in fields.items() if change.op == "update"
                    and private is not None and name in private.fields}
        row_clocks = self.clocks.get(key, {})
        server_owned = SERVER_FIELDS.get(change.entity, frozenset())
        return {name: value for name, value in fields.items() if name != "id" and (
            value is not None and self.owned.get(key, {}).get(name) != value
            if name in server_owned else
            change.hlc > (row_clocks.get(name) or row_clocks.get(ROW_CLOCK, "")))}

    def row_clocks(self, entity: str, row_id: str) -> dict[str, str]:
        """The stamps of a row's fields as merged so far (of a row given at the start)."""
        return dict(self.clocks.get((entity, row_id), {}))

    def flush(self) -> None:
        _flush(self.connection, self.pending, bulk=self.bulk)


def insert_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows that all name the same columns: COPY on PostgreSQL (about four times
    executemany's rows per second, measured on the server's change log), executemany
    elsewhere, and wherever a column left out has a default SQLAlchemy would fill in.

    Each value goes through its column's type first, as an INSERT would send it. A
    refusal is raised as SQLAlchemy's IntegrityError or DataError, as an INSERT's would be
    (a batched push then judges its changes one by one), any other error as DBAPIError.
    """
    if not rows:
        return
    columns = [column for column in table.columns if column.name in rows[0]]
    if connection.dialect.name != "postgresql" or any(
            column.default is not None for column in table.columns if column.name not in rows[0]):
        connection.execute(insert(table), rows)
        return
    import psycopg

    dialect = connection.dialect
    processors = [column.type.dialect_impl(dialect).bind_processor(dialect)
                  for column in columns]
    quote = dialect.identifier_preparer.quote
    statement = (f"COPY {quote(table.name)} ({', '.join(quote(c.name) for c in columns)}) "
                 "FROM STDIN")
    names = [column.name for column in columns]
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([value if process is None else process(value)
                                for value, process in zip((row[name] for name in names),
                                                          processors, strict=True)])
    except psycopg.errors.IntegrityError as error:
        raise IntegrityError(statement, None, error) from error
    except psycopg.errors.DataError as error:
        raise DataError(statement, None, error) from error
    except psycopg.Error as error:
        raise DBAPIError(statement, None, error) from error
    finally:
        cursor.close()



def _private_update(change: DecodedChange, key: tuple[str, str], existing: set[tuple[str, str]],
                    pending: _Pending) -> dict[str, Any]:
    """An insert-only row's private fields (domain.privacy), which reach only their owner
    as a change of their own; nothing else of such a row ever changes."""
    private = PRIVATE_FIELDS.get(change.entity)
    values = {name: value for name, value in change.fields.items()
              if private is not None and name in private.fields}
    if key not in existing:
        raise MissingRow(_("{thing} {id} is not known here").format(
            thing=entity_name(change.entity), id=change.row_id))
    pending.write(key, values)
    return values


def _merge_mutable(change: DecodedChange, key: tuple[str, str], existing: set[tuple[str, str]],
                   clocks: dict[tuple[str, str], dict[str, str]], pending: _Pending,
                   owned: dict[tuple[str, str], dict[str, Any]]) -> dict[str, Any]:
    fields = {"deleted": True} if change.op == "delete" else change.fields
    if key not in existing:
        if change.op != "insert":
            raise MissingRow(_("{thing} {id} is not known here").format(
                thing=entity_name(change.entity), id=change.row_id))
        existing.add(key)
        row = dict(fields, id=change.row_id)
        pending.inserts[key] = row
        clocks[key] = {ROW_CLOCK: change.hlc}
        pending.clocks[(*key, ROW_CLOCK)] = change.hlc
        return row
    row_clocks = clocks.setdefault(key, {})
    server_owned = SERVER_FIELDS.get(change.entity, frozenset())
    winners = {}
    for name, value in fields.items():
        if name == "id":
            continue
        if name in server_owned:
            # Only a change of value counts: a ticket's own insert comes back from the
            # server carrying the number this replica already holds.
            if value is not None and owned.get(key, {}).get(name) != value:
                winners[name] = value
                owned.setdefault(key, {})[name] = value
            continue
        current = row_clocks.get(name) or row_clocks.get(ROW_CLOCK, "")
        if change.hlc > current:
            winners[name] = value
            row_clocks[name] = change.hlc
            pending.clocks[(*key, name)] = change.hlc
    pending.write(key, winners)
    return winners


def _existing_rows(connection: Connection, changes: Iterable[DecodedChange],
                   held: Mapping[tuple[str, str], dict[str, Any] | None]
                   ) -> tuple[set[tuple[str, str]], dict[tuple[str, str], dict[str, Any]]]:
    """The rows already here, and the values of their server-owned fields (SERVER_FIELDS);
    those in `held` as it has them, the others read."""
    wanted: dict[str, set[str]] = defaultdict(set)
    found = set()
    owned: dict[tuple[str, str], dict[str, Any]] = {}
    for change in changes:
        key = (change.entity, change.row_id)
        if key not in held:
            wanted[change.entity].add(change.row_id)
            continue
        row = held[key]
        if row is None:
            continue
        found.add(key)
        server_owned = SERVER_FIELDS.get(change.entity, ())
        if server_owned:
            owned[key] = {name: row[name] for name in sorted(server_owned)}
    for entity, ids in wanted.items():
        table = table_of(entity)
        names = sorted(SERVER_FIELDS.get(entity, ()))
        for chunk in raw.chunks(sorted(ids), 500):
            rows = connection.execute(select(table.c.id, *(table.c[n] for n in names))
                                      .where(table.c.id.in_(chunk)))
            for row_id, *values in rows:
                found.add((entity, row_id))
                if names:
                    owned[(entity, row_id)] = dict(zip(names, values, strict=True))
    return found, owned


def _clocks(connection: Connection, changes: Iterable[DecodedChange]
            ) -> dict[tuple[str, str], dict[str, str]]:
    clocks: dict[tuple[str, str], dict[str, str]] = {}
    for entity, ids in raw.ids_by_entity(changes).items():
        for chunk in raw.chunks(sorted(ids), 500):
            rows = connection.execute(
                select(field_clock.c.row_id, field_clock.c.field, field_clock.c.hlc)
                .where(field_clock.c.entity == entity, field_clock.c.row_id.in_(chunk))
            )
            for row_id, name, stamp in rows:
                clocks.setdefault((entity, row_id), {})[name] = stamp
    return clocks


def row_clocks(connection: Connection, entity: str, row_id: str) -> dict[str, str]:
    """The stamps of one row's fields (`*` covers fields not stamped on their own)."""
    return _clocks(connection, [DecodedChange(entity, row_id, "update", {})]).get(
        (entity, row_id), {})


def _flush(connection: Connection, pending: _Pending, *, bulk: bool = False) -> None:
    by_shape: dict[tuple[str, frozenset[str]], list[dict[str, Any]]] = defaultdict(list)
    for (entity, _row_id), row in pending.inserts.items():
        by_shape[(entity, frozenset(row))].append(row)
    # Referenced tables first: the server checks references as each row goes in.
    order = _table_order(len(SQLModel.metadata.tables))
    for (entity, shape), rows in sorted(by_shape.items(),
                                        key=lambda item: order.get(table_of(item[0][0]).name, 0)):
        if not (bulk and raw.insert(connection, entity, shape, rows)):
            insert_rows(connection, table_of(entity), rows)
    by_shape.clear()
    if bulk:
        for (entity, row_id), values in pending.updates.items():
            by_shape[(entity, frozenset(values))].append(dict(values, id=row_id))
        for (entity, names), rows in by_shape.items():
            raw.update(connection, entity, names, rows)
        raw.upsert_clocks(connection, pending.clocks)
        return
    for (entity, row_id), values in pending.updates.items():
        row = {f"v_{name}": value for name, value in values.items()}
        by_shape[(entity, frozenset(values))].append(dict(row, row_id_=row_id))
    for (entity, names), rows in by_shape.items():
        table = table_of(entity)
        statement = (table.update().where(table.c.id == bindparam("row_id_"))
                     .values({name: bindparam(f"v_{name}") for name in names}))
        connection.execute(statement, rows)
    if pending.clocks:
        upsert = _clock_upsert(connection)
        connection.execute(upsert, [
            {"entity": e, "row_id": r, "field": f, "hlc": h}
            for (e, r, f), h in pending.clocks.items()
        ])


@cache
def _table_order(_tables: int) -> dict[str, int]:
    """Each table's place in an order where a table comes after those it refers to."""
    return {table.name: index for index, table in enumerate(SQLModel.metadata.sorted_tables)}


def _clock_upsert(connection: Connection) -> Any:
    from sqlalchemy.dialects import postgresql, sqlite

    dialect_insert = postgresql.insert if connection.dialect.name == "postgresql" \
        else sqlite.insert
    statement = dialect_insert(field_clock)
    return statement.on_conflict_do_update(
        index_elements=["entity", "row_id", "field"], set_={"hlc": statement.excluded.hlc}
    )


