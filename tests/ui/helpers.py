"""Pilot helpers the UI tests share beyond conftest's: waiting until the app has settled,
filling in forms, and changes that reach the store the way a pull brings them."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TypeVar

from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, TextArea
from textual.worker import WorkerFailed

from deskterm.services.context import ServiceContext, context_for
from deskterm.store import open_store
from deskterm.store.queries import TicketRow
from deskterm.sync import replica
from deskterm.sync.wire import LoggedChange
from deskterm.ui.app import DesktermApp
from deskterm.ui.forms.base import FormScreen
from deskterm.ui.screens.workspace import WorkspaceScreen
from tests.ui.conftest import wait_ready

T = TypeVar("T")
FormT = TypeVar("FormT", bound=FormScreen)  # type: ignore[type-arg]


async def settle(pilot: Pilot) -> None:  # type: ignore[type-arg]
    """Until the workers are done; one that failed is the app's to report, not the test's."""
    for _ in range(2):
        with suppress(WorkerFailed):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def query(db: Path, sql: str, *args: object) -> list[tuple]:  # type: ignore[type-arg]
    with sqlite3.connect(db) as connection:
        return connection.execute(sql, args).fetchall()


def workspace(app: DesktermApp) -> WorkspaceScreen:
    screen = app.screen_stack[1]
    assert isinstance(screen, WorkspaceScreen)
    return screen


async def ready(pilot, ticket_id: str | None = None) -> TicketRow | None:  # type: ignore[no-untyped-def]
    """Wait for the workspace; with `ticket_id`, check that it is the selected ticket."""
    await wait_ready(pilot)
    await settle(pilot)
    current = workspace(pilot.app).current_ticket()
    if ticket_id is not None:
        assert current is not None and current.id == ticket_id
    return current


async def type_into(pilot, widget: Input | TextArea, text: str) -> None:  # type: ignore[no-untyped-def]
    widget.focus()
    await pilot.pause()
    await pilot.press(*text)


async def save(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+o")
    await settle(pilot)


async def palette(pilot, text: str = "") -> list[str]:  # type: ignore[no-untyped-def]
    """Open the palette, type `text`, and read the commands it lists (title and help)."""
    app = pilot.app
    if not isinstance(app.screen, CommandPalette):
        await pilot.press("ctrl+p")
        await settle(pilot)
    await pilot.press(*text)
    await settle(pilot)
    listed = app.screen.query_one(CommandList)
    return [str(listed.get_option_at_index(index).prompt)
            for index in range(listed.option_count)]


async def open_form(pilot, key: str, kind: type[FormT]) -> FormT:  # type: ignore[no-untyped-def]
    await pilot.press(key)
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, kind)
    return form


class Elsewhere:
    """Another machine of the desk: a copy of `db` made before the app opens it.

    What is done there reaches `db` as a pull brings it: as logged changes merged by
    `replica.apply_pulled`, in one transaction, under the app's feet.
    """

    def __init__(self, db: Path) -> None:
        self.path = db.with_name(f"elsewhere-{db.name}")
        shutil.copy(db, self.path)
        self._sent = query(self.path, "SELECT ifnull(max(seq), 0) FROM outbox")[0][0]

    def act(self, handle: str, work: Callable[[ServiceContext], T]) -> T:
        """Run `work` as `handle` on this machine's store."""
        store = open_store(self.path)
        try:
            return work(context_for(store, handle))
        finally:
            store.close()

    def pull_into(self, db: Path) -> set[str]:
        """Bring what was done here since the last pull into `db`; the entities changed."""
        here = open_store(self.path)
        try:
            pending = [p for p in replica.pending_changes(here, 1000) if p.seq > self._sent]
        finally:
            here.close()
        changes = [LoggedChange(seq=p.seq, **p.change.model_dump()) for p in pending]
        store = open_store(db)
        try:
            replica.apply_pulled(store, changes, max(p.seq for p in pending))
        finally:
            store.close()
        self._sent = max(p.seq for p in pending)
        return {change.entity for change in changes}
