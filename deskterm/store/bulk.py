"""Bulk loads: write many rows without keeping the big tables' indexes up to date row by row.

Keeping an index costs a B-tree insert per row (in random key order for some), and the
queue filter's trigram index (schema 5) a trigger, a row read and an index insert per
ticket. For a load of many rows it is several times cheaper to drop the big tables'
secondary indexes and the text index's triggers, write, then rebuild each index in one
sorted pass and fill the text index from the same view its triggers read. Measured at a
million demo tickets: 66 s with drop-and-rebuild, 94 s keeping the in-order indexes,
three minutes keeping the text index's triggers.

Used by the demo generator and by a new replica's first pull. Both run the whole load
in one transaction, so the rebuild commits with the rows, or nothing does.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

#: The big tables: their secondary indexes are dropped for a load and rebuilt after it.
REBUILT_INDEX_TABLES = ("ticket", "contact", "ticket_event")
#: The queue filter's trigram index (schema 5).
TEXT_INDEX = "ticket_text"


@dataclass(frozen=True)
class Suspended:
    """What a load took away, to put back: index and trigger CREATE statements."""

    indexes: list[str]
    text_triggers: list[str] | None  # None: this store has no text index


def suspend(con: sqlite3.Connection, *, queue_only: bool = False) -> Suspended:
    """Drop the big tables' secondary indexes and the text index's triggers.

    `queue_only` keeps every index but the queue's sort indexes (`ix_queue_*`,
    `ix_open_*`): a load that also updates rows (a first pull) needs the lookup indexes,
    since the triggers that keep tickets' sort keys find a customer's or an agent's
    tickets through them, and without them each such update reads every ticket.
    """
    marks = ", ".join("?" * len(REBUILT_INDEX_TABLES))
    names = "AND (name GLOB 'ix_queue_*' OR name GLOB 'ix_open_*')" if queue_only else ""
    indexes = con.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks}) {names} ORDER BY name", REBUILT_INDEX_TABLES).fetchall()
    for name, _sql in indexes:
        con.execute(f'DROP INDEX "{name}"')
    triggers = None
    if con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [TEXT_INDEX]).fetchone():
        found = con.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'ticket' "
            "AND name GLOB ? ORDER BY name", [f"{TEXT_INDEX}_*"]).fetchall()
        for name, _sql in found:
            con.execute(f'DROP TRIGGER "{name}"')
        triggers = [sql for _name, sql in found]
    return Suspended([sql for _name, sql in indexes], triggers)


def restore(con: sqlite3.Connection, suspended: Suspended) -> None:
    """Fill the text index and put its triggers back, then rebuild the indexes.

    In that order: filled after the rebuild, in the same transaction, the text index
    took three times as long (40 s instead of 12 s for a million demo tickets).
    """
    if suspended.text_triggers is not None:
        if "match_text" in {row[1] for row in con.execute("PRAGMA table_info(ticket)")}:
            # The match text of the rows the load wrote (schema 14; see store.fold).
            con.execute("UPDATE ticket SET match_text = "
                        "deskterm_match_text(subject, customer_sort, owner_sort)")
        con.execute(f"DELETE FROM {TEXT_INDEX}")
        con.execute(f"INSERT INTO {TEXT_INDEX} (rowid, text) "
                    f"SELECT ticket_rowid, text FROM {TEXT_INDEX}_source")
        for sql in suspended.text_triggers:
            con.execute(sql)
    for sql in suspended.indexes:
        con.execute(sql)
