"""Whether another connection wrote to a store file: cheap polls of SQLite's `data_version`.

Two windows (two app processes) may work on one store. Each writes through its own
connections, so neither hears of the other's writes the way it hears of its own. A
`StoreWatch` holds one connection of its own and asks SQLite's `PRAGMA data_version`,
which changes whenever any other connection committed (a few microseconds; no table is
read). Only then does it read where the store stands (`StoreMark`): the newest outbox
change (a local write, by either window), how many changes wait to be pushed (a push's
answers), and the pull cursor (a pull). The UI side (`ui.syncing.watcher`) decides from
that what to re-read.

Plain sqlite3, as `store.workspace`: it runs on a thread of its own, beside the app's.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from deskterm.store.files import BUSY_TIMEOUT_MS

#: The meta key of the pull cursor (`sync.replica.state.CURSOR`; the store layer cannot
#: import sync, so the name is repeated here; tests/ui/test_screen_truth.py holds both to it).
CURSOR_KEY = "sync_cursor"


@dataclass(frozen=True)
class StoreMark:
    """Where a store stands, as far as what a screen shows goes."""

    #: The newest outbox change's number (any local write, by any window).
    outbox_seq: int
    #: Local changes not yet answered by the server.
    pending: int
    #: How far the store has pulled from the server.
    cursor: int


class StoreWatch:
    """One store file's `data_version`, polled; `close()` when done."""

    def __init__(self, path: Path | str) -> None:
        self._connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000,
                                           check_same_thread=False, isolation_level=None)
        self._version = self._data_version()

    def _data_version(self) -> int:
        return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def written(self) -> bool:
        """Whether another connection committed since the last call."""
        version = self._data_version()
        changed, self._version = version != self._version, version
        return changed

    def mark(self) -> StoreMark:
        connection = self._connection
        seq = connection.execute("SELECT ifnull(max(seq), 0) FROM outbox").fetchone()[0]
        pending = connection.execute(
            "SELECT count(*) FROM outbox WHERE state = 'pending'").fetchone()[0]
        cursor = connection.execute("SELECT value FROM meta WHERE key = ?",
                                    (CURSOR_KEY,)).fetchone()
        return StoreMark(int(seq), int(pending), int(cursor[0]) if cursor else 0)

    def entities_since(self, seq: int) -> set[str]:
        """The entities of the local changes after outbox change `seq`."""
        return {row[0] for row in self._connection.execute(
            "SELECT DISTINCT entity FROM outbox WHERE seq > ?", (seq,))}

    def close(self) -> None:
        self._connection.close()
