"""Fixtures for tests/sync and tests/server (a pytest plugin registered in tests/conftest.py):
a real server on a loopback port over SQLite or PostgreSQL, and real replicas.

Every test that takes `server` runs twice: on an embedded SQLite file and on a fresh
PostgreSQL database (from DESKTERM_TEST_PG_URL; skipped with that reason only when the
variable is unset; CI always sets it and fails on such skips).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from deskterm.server.accounts import add_user
from deskterm.server.database import Database
from deskterm.server.runner import ServerThread
from tests.support.sync import (
    PG_VARIABLE,
    Replica,
    SyncDesk,
    create_pg_database,
    drop_pg_database,
    pg_admin_url,
)

BACKENDS = ["sqlite", "postgres"]


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty server database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'server.db'}"
        return
    admin = pg_admin_url()
    if admin is None:
        pytest.skip(f"{PG_VARIABLE} is not set: no PostgreSQL to test against")
    url = create_pg_database(admin)
    try:
        yield url
    finally:
        drop_pg_database(admin, url)


@dataclass
class RunningServer:
    thread: ServerThread
    db: Database
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.thread.url

    def restart(self) -> None:
        self.thread.stop()
        self.thread.start()


@pytest.fixture
def server(database_url: str) -> Iterator[RunningServer]:
    """A running server with the desk's accounts (see SyncDesk)."""
    db = Database(database_url)
    running = RunningServer(ServerThread(database_url), db)
    for handle, role, team in SyncDesk.ACCOUNTS:
        running.tokens[handle] = add_user(db, handle, role=role, team=team)
    running.thread.start()
    try:
        yield running
    finally:
        running.thread.stop()
        db.dispose()


@pytest.fixture
def replica_of(server: RunningServer, tmp_path: Path) -> Iterator[Callable[..., Replica]]:
    """Make replicas: `replica_of("alex")` is a fresh store signed in as alex, synced once."""
    made: list[Replica] = []

    def make(handle: str, name: str | None = None) -> Replica:
        replica = Replica.open(tmp_path / f"{name or handle}-{len(made)}.db", server.url,
                               server.tokens[handle], handle)
        made.append(replica)
        return replica

    yield make
    for replica in made:
        replica.close()
