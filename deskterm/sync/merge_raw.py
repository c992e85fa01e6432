"""The merge's reads and writes as plain SQL through the SQLite driver, for a bulk load.

`sync.merge` builds the same statements with SQLAlchemy; a new replica's first pull
(a million rows) spent a quarter of its merging and writing time in SQLAlchemy's
handling of each row's parameters. Here each (table, column set) gets its SQL text
once, and each value is converted by its column type's own bind processor, the one
SQLAlchemy would call (a UTC time by a shortcut, used only where it agrees with that
processor), so the stored values are the same; the statements run through
`exec_driver_sql`, so a refusal is still SQLAlchemy's IntegrityError.

A new row that lacks a column with a Python-side default (`insert` answers False)
is left to SQLAlchemy, which fills that default; the server logs every insert with its
defaults filled, so this is rare.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from typing import Any

from sqlalchemy import Connection

from deskterm.domain.types import UtcDateTime
from deskterm.sync.codec import SERVER_FIELDS, DecodedChange, table_of

#: Ids per look-up: well under SQLite's limit of bound parameters.
LOOKUP_CHUNK = 900

Processor = Callable[[Any], Any]
_Statement = tuple[str, tuple[str, ...], tuple[tuple[int, Processor], ...]]
_statements: dict[tuple[str, str, frozenset[str]], _Statement | None] = {}


def existing_rows(connection: Connection, changes: Iterable[DecodedChange]
                  ) -> tuple[set[tuple[str, str]], dict[tuple[str, str], dict[str, Any]]]:
    """As merge._existing_rows: the rows already here, and their server-owned fields
    (as the driver reads them: they are plain integers, which need no processing)."""
    found: set[tuple[str, str]] = set()
    owned: dict[tuple[str, str], dict[str, Any]] = {}
    for entity, ids in ids_by_entity(changes).items():
        table = table_of(entity)
        names = sorted(SERVER_FIELDS.get(entity, ()))
        columns = ", ".join(["id", *(f'"{name}"' for name in names)])
        for chunk in chunks(sorted(ids), LOOKUP_CHUNK):
            rows = connection.exec_driver_sql(
                f'SELECT {columns} FROM "{table.name}" WHERE id IN ({_marks(len(chunk))})',
                tuple(chunk))
            for row_id, *values in rows:
                found.add((entity, row_id))
                if names:
                    owned[(entity, row_id)] = dict(zip(names, values, strict=True))
    return found, owned


def clocks(connection: Connection, changes: Iterable[DecodedChange]
           ) -> dict[tuple[str, str], dict[str, str]]:
    """As merge._clocks: the stamps of the rows the changes touch."""
    found: dict[tuple[str, str], dict[str, str]] = {}
    for entity, ids in ids_by_entity(changes).items():
        for chunk in chunks(sorted(ids), LOOKUP_CHUNK):
            rows = connection.exec_driver_sql(
                "SELECT row_id, field, hlc FROM field_clock WHERE entity = ? "
                f"AND row_id IN ({_marks(len(chunk))})", (entity, *chunk))
            for row_id, name, stamp in rows:
                found.setdefault((entity, row_id), {})[name] = stamp
    return found


def insert(connection: Connection, entity: str, shape: frozenset[str],
           rows: Sequence[dict[str, Any]]) -> bool:
    """Insert rows of one column set; False (nothing done) when SQLAlchemy must do it."""
    statement = _insert_statement(connection, entity, shape)
    if statement is None:
        return False
    _execute(connection, statement, rows)
    return True


def update(connection: Connection, entity: str, names: frozenset[str],
           rows: Sequence[dict[str, Any]]) -> None:
    """Update rows (each with its `id`) of one column set."""
    key = ("update", entity, names)
    statement = _statements.get(key)
    if statement is None:
        table = table_of(entity)
        order = tuple(sorted(names))
        sets = ", ".join(f'"{name}" = ?' for name in order)
        statement = _statements[key] = _with_processors(
            connection, entity, f'UPDATE "{table.name}" SET {sets} WHERE id = ?',
            (*order, "id"))
    _execute(connection, statement, rows)


def upsert_clocks(connection: Connection, stamps: dict[tuple[str, str, str], str]) -> None:
    """Each (entity, row, field) stamp written, replacing the one there."""
    if stamps:
        connection.exec_driver_sql(
            "INSERT INTO field_clock (entity, row_id, field, hlc) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc",
            [(*key, stamp) for key, stamp in stamps.items()])


def _insert_statement(connection: Connection, entity: str, shape: frozenset[str]
                      ) -> _Statement | None:
    key = ("insert", entity, shape)
    if key in _statements:
        return _statements[key]
    table = table_of(entity)
    defaulted = {column.name for column in table.columns if column.default is not None}
    statement = None
    if defaulted <= shape:
        order = tuple(column.name for column in table.columns if column.name in shape)
        if len(order) == len(shape):  # else a name that is no column: SQLAlchemy says so
            names = ", ".join(f'"{name}"' for name in order)
            statement = _with_processors(
                connection, entity,
                f'INSERT INTO "{table.name}" ({names}) VALUES ({_marks(len(order))})', order)
    _statements[key] = statement
    return statement


def _with_processors(connection: Connection, entity: str, sql: str, names: tuple[str, ...]
                     ) -> _Statement:
    dialect = connection.dialect
    columns = table_of(entity).columns
    processors = []
    for index, name in enumerate(names):
        column_type = columns[name].type
        processor = column_type.dialect_impl(dialect).bind_processor(dialect)
        if processor is not None:
            if isinstance(column_type, UtcDateTime) and _same(processor, _stored_time):
                processor = _stored_time
            processors.append((index, processor))
    return sql, names, tuple(processors)


def _stored_time(value: datetime | None) -> str | None:
    """A UTC timestamp as SQLAlchemy's SQLite dialect writes it (UtcDateTime then
    DATETIME), in one step: times are most of a first pull's values. Used only when it
    agrees with theirs (`_same`)."""
    if value is None:
        return None
    offset = value.utcoffset()
    if offset:
        value -= offset
    elif offset is None:
        raise ValueError("naive datetime given to a UTC column")
    return value.replace(tzinfo=None).isoformat(" ", "microseconds")


#: Times to hold a shortcut against the processor it stands in for.
_SAMPLES = (None, datetime(2026, 12, 5, 13, 50, 35, 123456, tzinfo=UTC),
            datetime(1900, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=-1))),
            datetime(8999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=5, minutes=30))))


def _same(processor: Processor, shortcut: Processor) -> bool:
    return all(processor(sample) == shortcut(sample) for sample in _SAMPLES)


def _execute(connection: Connection, statement: _Statement,
             rows: Sequence[dict[str, Any]]) -> None:
    sql, names, processors = statement
    connection.exec_driver_sql(sql, list(map(_parameters(names, processors), rows)))


@cache
def _parameters(names: tuple[str, ...], processors: tuple[tuple[int, Processor], ...]
                ) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """A row's parameters in `names` order, each through its processor: a function
    written out for the statement (`lambda row: (row['id'], p3(row['created_at']), ...)`),
    several times faster than looping over the columns for each of a million rows."""
    by_index = dict(processors)
    scope = {f"p{index}": processor for index, processor in by_index.items()}
    items = ", ".join(f"p{index}(row[{name!r}])" if index in by_index else f"row[{name!r}]"
                      for index, name in enumerate(names))
    made: Callable[[dict[str, Any]], tuple[Any, ...]] = eval(
        f"lambda row: ({items},)", scope)
    return made


def _marks(count: int) -> str:
    return ", ".join("?" * count)


def ids_by_entity(changes: Iterable[DecodedChange]) -> dict[str, set[str]]:
    """The row ids the changes touch, by entity (what the merge looks up)."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for change in changes:
        wanted[change.entity].add(change.row_id)
    return wanted


def chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
