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

A first pull also sets aside (`derived=True`) the triggers that derive a ticket's sort
keys from its customer and owner (23 of a ticket insert's 38 microseconds) and those
that keep the knowledge base's two text indexes (a Dutch stemming in Python per
column, again at each edit), and fills both once at the end from the rows as they
stand. The end is the same: a ticket's sort keys are its customer's and owner's names
as stored (the log brings a customer and an agent before anything that refers to
them: the server checks references when it accepts a change), and each live
article is in both text indexes once, with its current title, tags and body.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

#: The big tables: their secondary indexes are dropped for a load and rebuilt after it.
REBUILT_INDEX_TABLES = ("ticket", "contact", "ticket_event")
#: The queue filter's trigram index (schema 5).
TEXT_INDEX = "ticket_text"
#: SQLite's page cache during a bulk load, in KiB (the store's own is 16 MB): with the
#: store's, a million-change first pull wrote each index page to the write-ahead log
#: again and again as the cache spilled, and sorted its index rebuilds in temp files.
LOAD_CACHE_KIB = 256 * 1024
#: A new ticket's sort keys from its customer and owner (store schema 4).
SORT_KEY_TRIGGER = "ticket_sort_ai"
#: The knowledge base's text indexes (English, and Dutch stems: schema 14).
KB_TRIGGERS = ("kb_article_ai", "kb_article_au", "kb_article_ad")
_FILL_SORT_KEYS = """
    UPDATE ticket SET
        customer_sort = ifnull((SELECT lower(name) FROM customer AS c
                                WHERE c.id = ticket.customer_id), ''),
        owner_sort = ifnull((SELECT handle FROM agent AS a WHERE a.id = ticket.owner_id), '')
    WHERE customer_sort = '' OR (owner_id IS NOT NULL AND owner_sort = '')"""
_FILL_KB = (
    "DELETE FROM kb_fts",
    "INSERT INTO kb_fts (title, tags, body, article_id) "
    "SELECT title, tags, body, id FROM kb_article WHERE NOT deleted ORDER BY rowid",
    "DELETE FROM kb_fts_nl",
    "INSERT INTO kb_fts_nl (title, tags, body, article_id) "
    "SELECT deskterm_dutch_stems(title), deskterm_dutch_stems(tags), "
    "deskterm_dutch_stems(body), id FROM kb_article WHERE NOT deleted ORDER BY rowid",
)


@dataclass(frozen=True)
class Suspended:
    """What a load took away, to put back: index and trigger CREATE statements."""

    indexes: list[str]
    text_triggers: list[str] | None  # None: this store has no text index
    #: Sort-key and knowledge-base triggers (`derived=True`), by name.
    derived: dict[str, str] = field(default_factory=dict)


@contextmanager
def larger_cache(con: sqlite3.Connection, kib: int = LOAD_CACHE_KIB) -> Iterator[None]:
    """The connection's page cache at `kib` for the block, then as it was (a pooled
    connection goes back to its usual size, and its memory is given back)."""
    before = con.execute("PRAGMA cache_size").fetchone()[0]
    con.execute(f"PRAGMA cache_size = {-kib}")
    try:
        yield
    finally:
        con.execute(f"PRAGMA cache_size = {int(before)}")


def suspend(con: sqlite3.Connection, *, queue_only: bool = False,
            derived: bool = False) -> Suspended:
    """Drop the big tables' secondary indexes and the text index's triggers.

    `queue_only` keeps every index but the queue's sort indexes (`ix_queue_*`,
    `ix_open_*`): a load that also updates rows (a first pull) needs the lookup indexes,
    since the triggers that keep tickets' sort keys find a customer's or an agent's
    tickets through them, and without them each such update reads every ticket.
    `derived` drops the new ticket's sort-key trigger and the knowledge base's text
    index triggers too (see the module's docstring).
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
    kept: dict[str, str] = {}
    if derived:
        wanted = (SORT_KEY_TRIGGER, *KB_TRIGGERS)
        kept = dict(con.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            f"AND name IN ({', '.join('?' * len(wanted))})", wanted).fetchall())
        if not set(KB_TRIGGERS) <= kept.keys():  # an older schema: its own way, kept
            kept = {name: sql for name, sql in kept.items() if name not in KB_TRIGGERS}
        for name in kept:
            con.execute(f'DROP TRIGGER "{name}"')
    return Suspended([sql for _name, sql in indexes], triggers, kept)


def restore(con: sqlite3.Connection, suspended: Suspended) -> None:
    """Fill the text index and put its triggers back, then rebuild the indexes.

    In that order: filled after the rebuild, in the same transaction, the text index
    took three times as long (40 s instead of 12 s for a million demo tickets). The
    sort keys come first: the text index reads them.
    """
    if SORT_KEY_TRIGGER in suspended.derived:
        con.execute(_FILL_SORT_KEYS)
    if set(KB_TRIGGERS) <= suspended.derived.keys():
        for sql in _FILL_KB:
            con.execute(sql)
    for sql in suspended.derived.values():
        con.execute(sql)
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
