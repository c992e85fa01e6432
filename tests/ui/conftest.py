"""UI fixtures: a demo store made once per test session, and the app on a copy of it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from deskterm.config import Config
from deskterm.demo import generate_demo
from deskterm.store import open_store
from deskterm.ui.app import DesktermApp

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


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Iterator[Path]:
    """A private copy of the demo store: tests may write to it."""
    path = tmp_path / "desk.db"
    shutil.copy(demo_template, path)
    yield path


def make_app(db: Path, handle: str = "alex") -> DesktermApp:
    """The app as `deskterm --db DB --as HANDLE` opens it, not remembering themes."""
    return DesktermApp(Config(db=db, agent=handle), db, handle, remember_theme=False)


async def wait_ready(pilot) -> None:  # type: ignore[no-untyped-def]
    """Until the store is open, the workspace shows and its workers are done."""
    app = pilot.app
    for _ in range(200):
        await pilot.pause()
        if app.session is not None and type(app.screen).__name__ == "WorkspaceScreen":
            break
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
