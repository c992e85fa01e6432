"""Where a replica stands with its server: the cursor, the server's id, the last sync.

Kept in the store's `meta` table, written in the same transaction as what they
describe (the cursor with the page it covers: see replica.pulled).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, text

from deskterm.domain.clock import utcnow
from deskterm.store import Store
from deskterm.store.outbox import node_id

CURSOR = "sync_cursor"
SERVER_ID = "sync_server_id"
LAST_SYNC = "sync_last_at"
#: When the replica last found the server behind its cursor (restored from a backup).
RESET_AT = "sync_reset_at"
#: How long after such a reset a change about a row the server does not have waits for
#: that row instead of being rejected: another replica may still bring it back.
RECOVERY_WINDOW = timedelta(days=7)


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


def read_cursor(store: Store) -> int:
    return int(get_meta(store, CURSOR) or 0)


def mark_synced(store: Store) -> None:
    with store.transaction() as session:
        set_meta(session.connection(), LAST_SYNC, utcnow().isoformat())


def is_new(store: Store) -> bool:
    """A replica that has pulled nothing yet and holds no work of its own."""
    with store.raw() as connection:
        return bool(connection.execute(
            "SELECT NOT EXISTS (SELECT 1 FROM ticket) AND NOT EXISTS (SELECT 1 FROM outbox) "
            "AND coalesce((SELECT value FROM meta WHERE key = ?), '0') = '0'",
            (CURSOR,)).fetchone()[0] == 1)


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
        set_meta(connection, CURSOR, "0")
        set_meta(connection, RESET_AT, utcnow().isoformat())
        connection.execute(text("UPDATE ticket SET number = NULL WHERE number IS NOT NULL"))
        return connection.execute(text(
            "UPDATE outbox SET state = 'pending' WHERE state = 'applied'")).rowcount or 0


def in_recovery(connection: Connection) -> bool:
    """Whether the server was found behind our cursor less than RECOVERY_WINDOW ago."""
    since = connection.execute(text("SELECT value FROM meta WHERE key = :k"),
                               {"k": RESET_AT}).scalar()
    return since is not None and utcnow() - datetime.fromisoformat(since) < RECOVERY_WINDOW


def get_meta(store: Store, key: str) -> str | None:
    with store.raw() as connection:
        row = connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def set_meta(connection: Connection, key: str, value: str) -> None:
    connection.execute(text(
        "INSERT INTO meta (key, value) VALUES (:k, :v) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value"), {"k": key, "v": value})
