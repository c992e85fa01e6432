"""Writing a batch of imported rows as the server writes pushed ones, in a few statements.

The change log, the rows and their field clocks end exactly as if each row had been
pushed as an insert and applied by `server.changelog` (one `LogWriter.accept` per
change): the row and its row-wide clock as `sync.merge.apply_changes` writes a new row,
one log entry per row with the same fields (the whole row as a replica pushes it, `id`
included; a ticket's number given by the server), the same audience (`rules.audience`)
and a stamp of the server's clock, as `write_as_server` stamps what the server writes.
`tests/server/test_import_log.py` holds the two ways to the same log and rows.

What is set-based: each table's rows of a batch go in with one executemany, straight
to the driver, every value converted by its column's own SQLAlchemy type first (so
they are stored exactly as SQLAlchemy would store them). The ticket numbers are taken
from the counter in one step, in the rows' order, as one-by-one pushes take them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column, Connection, Table, text, update

from deskterm.domain.ids import uuid7
from deskterm.domain.privacy import split_private
from deskterm.server.changelog import LogWriter
from deskterm.server.database import Database, change_log, counter
from deskterm.server.importing.imported import imported_row
from deskterm.server.importing.rows import Planned
from deskterm.server.rules import audience
from deskterm.sync.codec import MUTABLE_ENTITIES, DecodedChange, table_of
from deskterm.sync.merge import ROW_CLOCK, field_clock


def write_batch(connection: Connection, writer: LogWriter, entity: str, rows: list[Planned],
                author_id: str | None) -> None:
    """Apply and log `rows` (new rows of `entity`) inside the writer's transaction."""
    if not rows:
        return
    if entity == "ticket":
        _number(connection, rows)
    changes = [DecodedChange(entity, row.row_id, "insert", row.fields, str(writer.stamp()),
                             mutation_id=uuid7(), author_id=author_id) for row in rows]
    _insert_rows(connection, entity, rows, [change.hlc for change in changes])
    now = _bound(connection, change_log.c.created_at, writer.now)
    entries: list[tuple[Any, ...]] = []
    dumps = json.dumps
    for change, row in zip(changes, rows, strict=True):
        shared, private = split_private(entity, row.wire)
        if private:  # an import writes no private field (a contact's self-rating)
            raise ValueError(f"an imported {entity} carries private fields")
        who, agent_id, team_id = audience(connection, change)
        writer.head += 1
        entries.append((writer.head, change.mutation_id, entity, change.row_id, "insert",
                        dumps(shared, ensure_ascii=False), change.hlc, author_id, who,
                        agent_id, team_id, now))
    _insert_many(connection, change_log, entries)
    imported_at = _bound(connection, imported_row.c.imported_at, writer.now)
    _insert_many(connection, imported_row, [(row.external_id, entity, row.row_id, imported_at)
                                            for row in rows])


def _insert_rows(connection: Connection, entity: str, rows: list[Planned], stamps: list[str]
                 ) -> None:
    """The new rows and their clocks, as `sync.merge.apply_changes` writes an insert of a
    row it does not hold: the row as given, and for a mutable entity one row-wide clock
    (`*`) at the insert's stamp. The ids are new (uuid7, made by this import), so no row
    is held already and there is nothing to merge."""
    table = table_of(entity)
    names = [column.name for column in table.columns]
    converted = [(index, process) for index, column in enumerate(table.columns)
                 if (process := _processor(connection, column)) is not None]
    values = []
    for row in rows:
        fields = row.fields
        one = [fields.get(name) for name in names]
        for index, process in converted:
            if one[index] is not None:
                one[index] = process(one[index])
        values.append(tuple(one))
    _insert_many(connection, table, values)
    if entity in MUTABLE_ENTITIES:
        _insert_many(connection, field_clock, [
            (entity, row.row_id, ROW_CLOCK, stamp) for row, stamp in zip(rows, stamps,
                                                                         strict=True)])


def _insert_many(connection: Connection, table: Table, rows: Sequence[tuple[Any, ...]]) -> None:
    """`rows` (a value per column, in the table's order, bound already) into `table`:
    SQLite's executemany loops in C; on PostgreSQL psycopg's would send a statement per
    row, so there the rows go in by COPY, inside the same transaction."""
    names = ", ".join(column.name for column in table.columns)
    if connection.dialect.paramstyle == "qmark":
        marks = ", ".join("?" for _column in table.columns)
        connection.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({marks})",
                                   list(rows))
        return
    cursor: Any = connection.connection.cursor()
    try:
        with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    finally:
        cursor.close()


def _bound(connection: Connection, column: Column[Any], value: Any) -> Any:
    """`value` as the driver takes it for `column` (SQLAlchemy's own conversion)."""
    processor = _processor(connection, column)
    return processor(value) if processor is not None and value is not None else value


def _processor(connection: Connection, column: Column[Any]) -> Any:
    return column.type.dialect_impl(connection.dialect).bind_processor(connection.dialect)


def _number(connection: Connection, rows: list[Planned]) -> None:
    """Give the tickets the next numbers, in order, as the log gives pushed tickets theirs."""
    last = int(connection.execute(
        update(counter).where(counter.c.name == "ticket_number")
        .values(value=counter.c.value + len(rows)).returning(counter.c.value)).scalar_one())
    for number, row in enumerate(rows, start=last - len(rows) + 1):
        row.fields["number"] = number
        row.wire["number"] = number


def refresh_statistics(db: Database) -> None:
    """Let PostgreSQL's planner know how big `imported_row` has grown.

    A table made empty has no statistics until autovacuum gets to it; meanwhile the
    planner takes it for tiny and reads all of it for every batch's look-up (each batch
    slower than the one before). Refreshed after batch 1, 2, 4, 8, ... of a file, which
    costs little and keeps the look-ups on the index. SQLite plans them well without.
    """
    if not db.is_postgres:
        return
    with db.engine.begin() as connection:
        connection.execute(text(f"ANALYZE {imported_row.name}"))
