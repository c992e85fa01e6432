"""First pull: seed the server's log, time a new replica catching up, and the executemany floor.

The log is seeded beforehand (see `seed.seed_bulk`); the seeding time is reported, but
it is not the figure.

The figure is a brand-new store's `SyncClient.pull()` over HTTP, from cursor 0 until
caught up (a new replica's first pull is one bulk load: see replica.first_pull). Its floor: the
rows that replica then holds, read back and written with plain sqlite3 `executemany`
into another empty store of the same schema, in one transaction, with foreign keys
deferred and the same indexes and triggers set aside and rebuilt as the pull does
(store.bulk).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from deskterm.domain import ENTITY_NAMES
from deskterm.store import bulk, open_store
from deskterm.store.migrations import DERIVED_COLUMNS
from deskterm.sync.client import PULL_PAGE, SyncClient

from .results import FirstPull

Progress = Callable[[str], None]


def measure_first_pull(server_url: str, token: str, workdir: Path, seed_seconds: float,
                       progress: Progress) -> FirstPull:
    """A new replica pulls everything; then the same rows go into another store directly."""
    path = workdir / "first-pull.db"
    store = open_store(path)
    try:
        progress("first pull: a new replica pulls the whole log")
        with SyncClient(store, server_url, token) as client:
            started = time.perf_counter()
            report = client.pull()
            seconds = time.perf_counter() - started
        tables = _synced_rows(path)
    finally:
        store.close()
    result = FirstPull(changes=report.pulled, seconds=seconds,
                       rows=sum(len(rows) for _, _, rows in tables),
                       pages=-(-report.pulled // PULL_PAGE), seed_seconds=seed_seconds)
    progress(f"first pull: the same {result.rows:,} rows with executemany")
    result.baseline_rows, result.baseline_seconds = _executemany(
        workdir / "first-pull-baseline.db", tables)
    return result


def _synced_rows(path: Path) -> list[tuple[str, list[str], list[tuple[Any, ...]]]]:
    """Every synced table's rows as stored, without the columns the store derives itself."""
    store = open_store(path, create=False)
    try:
        with store.raw() as connection:
            tables = []
            for table in ENTITY_NAMES:
                columns = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')
                           if row[1] not in DERIVED_COLUMNS.get(table, set())]
                names = ", ".join(f'"{c}"' for c in columns)
                rows = connection.execute(f'SELECT {names} FROM "{table}"').fetchall()
                tables.append((table, columns, rows))
            return tables
    finally:
        store.close()


def _executemany(path: Path, tables: list[tuple[str, list[str], list[tuple[Any, ...]]]]
                 ) -> tuple[int, float]:
    """The rows into an empty store with executemany, one transaction: (rows, seconds)."""
    store = open_store(path)
    try:
        with store.raw() as connection:
            started = time.perf_counter()
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("PRAGMA defer_foreign_keys = ON")
            # As the first pull loads (store.bulk): the same indexes and triggers set
            # aside and rebuilt once, so the floor pays no per-row upkeep the pull skips.
            with bulk.larger_cache(connection):
                suspended = bulk.suspend(connection, queue_only=True, derived=True)
                for table, columns, rows in tables:
                    if rows:
                        names = ", ".join(f'"{c}"' for c in columns)
                        marks = ", ".join("?" for _ in columns)
                        connection.executemany(
                            f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
                bulk.restore(connection, suspended)
            connection.execute("COMMIT")
            seconds = time.perf_counter() - started
    finally:
        store.close()
    return sum(len(rows) for _, _, rows in tables), seconds
