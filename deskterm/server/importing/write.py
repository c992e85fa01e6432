"""Writing a batch of imported rows as the server writes pushed ones, in a few statements.

The change log, the rows and their field clocks end exactly as if each row had been
pushed as an insert and applied by `server.changelog` (one `LogWriter.accept` per
change): the row merged by `sync.merge.apply_changes` (which batches by itself), one
log entry per row with the same fields (the whole row as a replica pushes it, `id`
included; a ticket's number given by the server), the same audience (`rules.audience`)
and a stamp of the server's clock, as `write_as_server` stamps what the server writes.
What is set-based here is only the log: its rows go in with one executemany per batch
instead of one INSERT each. The ticket numbers are taken from the counter in one step,
in the rows' order, as one-by-one pushes would have taken them.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, insert, update

from deskterm.domain.ids import uuid7
from deskterm.domain.privacy import split_private
from deskterm.server.changelog import LogWriter
from deskterm.server.database import change_log, counter
from deskterm.server.importing.imported import imported_row
from deskterm.server.importing.rows import Planned
from deskterm.server.rules import audience
from deskterm.sync.codec import DecodedChange
from deskterm.sync.merge import apply_changes


def write_batch(connection: Connection, writer: LogWriter, entity: str, rows: list[Planned],
                author_id: str | None) -> None:
    """Apply and log `rows` (new rows of `entity`) inside the writer's transaction."""
    if not rows:
        return
    if entity == "ticket":
        _number(connection, rows)
    changes = [DecodedChange(entity, row.row_id, "insert", row.fields, str(writer.stamp()),
                             mutation_id=uuid7(), author_id=author_id) for row in rows]
    apply_changes(connection, changes)
    entries: list[dict[str, Any]] = []
    for change, row in zip(changes, rows, strict=True):
        shared, private = split_private(entity, row.wire)
        if private:  # an import writes no private field (a contact's self-rating)
            raise ValueError(f"an imported {entity} carries private fields")
        who, agent_id, team_id = audience(connection, change)
        writer.head += 1
        entries.append({
            "seq": writer.head, "mutation_id": change.mutation_id, "entity": entity,
            "row_id": change.row_id, "op": "insert",
            "fields": json.dumps(shared, ensure_ascii=False), "hlc": change.hlc,
            "author_id": author_id, "audience": who, "audience_agent_id": agent_id,
            "audience_team_id": team_id, "created_at": writer.now})
    connection.execute(insert(change_log), entries)
    connection.execute(insert(imported_row), [
        {"entity": entity, "external_id": row.external_id, "row_id": row.row_id,
         "imported_at": writer.now} for row in rows])


def _number(connection: Connection, rows: list[Planned]) -> None:
    """Give the tickets the next numbers, in order, as the log gives pushed tickets theirs."""
    last = int(connection.execute(
        update(counter).where(counter.c.name == "ticket_number")
        .values(value=counter.c.value + len(rows)).returning(counter.c.value)).scalar_one())
    for number, row in enumerate(rows, start=last - len(rows) + 1):
        row.fields["number"] = number
        row.wire["number"] = number
