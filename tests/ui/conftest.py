"""UI fixtures: a demo store made once per test session (the app runs on a copy of it), and
a real sync server. The helpers the tests share are in helpers.py."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from deskterm.demo import generate_demo
from deskterm.server.accounts import add_user
from deskterm.server.database import Database
from deskterm.server.runner import ServerThread
from deskterm.store import open_store
from tests.ui.helpers import HEARTBEAT, ServerDesk

#: The demo's "now": fixed, so screens and snapshot tests do not drift with the clock.
DEMO_ANCHOR = datetime(2026, 11, 23, tzinfo=UTC)
DEMO_TICKETS = 3000


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    store = open_store(path)
    try:
        generate_demo(store, tickets=DEMO_TICKETS, seed=7, anchor=DEMO_ANCHOR)
        with store.raw() as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    return path


@pytest.fixture(scope="session")
def dutch_demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Dutch demo desk (`deskterm demo --lang nl`), made once per session."""
    path = tmp_path_factory.mktemp("demo-nl") / "demo.db"
    store = open_store(path)
    try:
        generate_demo(store, tickets=DEMO_TICKETS, seed=7, anchor=DEMO_ANCHOR, language="nl")
        with store.raw() as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    return path


@pytest.fixture
def dutch_demo_db(dutch_demo_template: Path, tmp_path: Path) -> Iterator[Path]:
    """A private copy of the Dutch demo store."""
    path = tmp_path / "desk-nl.db"
    shutil.copy(dutch_demo_template, path)
    yield path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Iterator[Path]:
    """A private copy of the demo store: tests may write to it."""
    path = tmp_path / "desk.db"
    shutil.copy(demo_template, path)
    yield path


@pytest.fixture
def server_desk(tmp_path: Path) -> Iterator[ServerDesk]:
    """A real server on a loopback port with alex (agent) and morgan (lead) of team north."""
    url = f"sqlite:///{tmp_path / 'server.db'}"
    db = Database(url)
    made = ServerDesk(url, db, ServerThread(url, heartbeat_seconds=HEARTBEAT), tmp_path)
    for handle, role, team in (("alex", "agent", "north"), ("morgan", "lead", "north")):
        made.tokens[handle] = add_user(db, handle, role=role, team=team)
    made.server.start()
    try:
        yield made
    finally:
        for opened in made.replicas:
            opened.close()
        made.server.stop()
        db.dispose()
