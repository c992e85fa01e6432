"""The one set of helpers the UI tests share: making the app, waiting until it has settled
(never by sleeping a fixed time), filling in forms, changes that reach the store the way a
pull brings them, and a real sync server beside the app."""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, closing, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select
from textual.command import CommandList, CommandPalette
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea
from textual.worker import WorkerCancelled, WorkerFailed

from deskterm.config import Config
from deskterm.domain.goodwill import period_of
from deskterm.domain.money import Money
from deskterm.server.database import Database
from deskterm.server.runner import ServerThread
from deskterm.services import goodwill
from deskterm.services.context import ServiceContext, context_for
from deskterm.store import open_store
from deskterm.store.queries import TicketRow
from deskterm.sync import replica
from deskterm.sync.codec import table_of
from deskterm.sync.wire import LoggedChange
from deskterm.ui.app import DesktermApp
from deskterm.ui.forms.base import FormScreen
from deskterm.ui.screens.workspace import WorkspaceScreen
from deskterm.ui.widgets.history import HistoryPane
from deskterm.ui.widgets.queue import QueuePane
from deskterm.ui.widgets.sync_status import SyncStatus
from tests.support.sync import Replica

T = TypeVar("T")
FormT = TypeVar("FormT", bound=FormScreen)  # type: ignore[type-arg]

# -- the app and waiting for it ------------------------------------------------------------


def make_app(db: Path, handle: str = "alex", **config: object) -> DesktermApp:
    """The app as `deskterm --db DB --as HANDLE` opens it, not remembering themes."""
    return DesktermApp(Config(db=db, agent=handle, **config), db, handle,  # type: ignore[arg-type]
                       remember_theme=False)


async def settle(pilot: Pilot) -> None:  # type: ignore[type-arg]
    """Until the workers are done; one that failed is the app's to report, not the test's.

    Not for an app that syncs: its sync workers run until it exits (use `until`)."""
    for _ in range(2):
        # A cancelled worker was overtaken by a newer one of its group (an exclusive
        # worker on a timer, as the promise watch's): nothing to wait for.
        with suppress(WorkerFailed, WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def until(pilot: Pilot, condition: Callable[[], bool],  # type: ignore[type-arg]
                what: str = "the app got there", timeout: float = 10.0) -> None:
    """Let the app run (timers, workers, messages) until `condition` holds.

    It does not wait for workers to finish, so it also serves an app whose sync workers
    never do."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        await pilot.pause(0.02)


async def wait_ready(pilot) -> None:  # type: ignore[no-untyped-def]
    """Until the store is open, the workspace shows its first rows, what starts after them
    (the announcer, sync) has started, and the workers are done."""
    app = pilot.app
    await until(pilot, lambda: app.session is not None
                and isinstance(app.screen, WorkspaceScreen) and app.announcer is not None,
                "the workspace opened")
    await settle(pilot)


async def past_returned(pilot) -> TicketRow | None:  # type: ignore[no-untyped-def]
    """Move the queue's cursor past the returned tickets on top of My open (the demo
    agent has some): onto the newest ticket of their own that is not back from 2nd line."""
    current = workspace(pilot.app).current_ticket()
    for _ in range(RETURNED_ON_TOP):
        if current is None or current.returned_at is None:
            break
        await pilot.press("down")
        await settle(pilot)
        current = workspace(pilot.app).current_ticket()
    return current


def forget_promises(db: Path) -> None:
    """Take the demo's promises out of a test's private copy of the demo desk, for a test
    that counts every promise or notification."""
    with closing(sqlite3.connect(db)) as connection, connection:
        connection.execute("DELETE FROM promise_event")


#: At most this many returned tickets sit above a new ticket in My open.
RETURNED_ON_TOP = 10


def workspace(app: DesktermApp) -> WorkspaceScreen:
    screen = app.screen_stack[1]
    assert isinstance(screen, WorkspaceScreen)
    return screen


async def ready(pilot, ticket_id: str | None = None) -> TicketRow | None:  # type: ignore[no-untyped-def]
    """Wait for the workspace; with `ticket_id`, check that it is the selected ticket.

    A test's new ticket is the newest of My open, which shows the tickets handed back
    from 2nd line first (the demo agent has some): it is selected with `down` past them.
    """
    await wait_ready(pilot)
    await settle(pilot)
    current = workspace(pilot.app).current_ticket()
    if ticket_id is not None:
        for _ in range(RETURNED_ON_TOP):
            if current is None or current.id == ticket_id or current.returned_at is None:
                break
            await pilot.press("down")
            await settle(pilot)
            current = workspace(pilot.app).current_ticket()
        assert current is not None and current.id == ticket_id
    return current


async def history_follows_queue(pilot: Pilot) -> HistoryPane:  # type: ignore[type-arg]
    """Until the customer pane shows the customer of the queue's current ticket."""
    screen = pilot.app.screen
    queue, pane = screen.query_one(QueuePane), screen.query_one(HistoryPane)
    await until(pilot, lambda: queue.table.current is not None and pane.view is not None
                and pane.ticket is not None and pane.ticket.id == queue.table.current.id
                and pane.view.customer.id == queue.table.current.customer_id,
                "the customer pane follows the queue")
    return pane


@asynccontextmanager
async def customer_pane(db: Path, handle: str = "alex"
                        ) -> AsyncIterator[tuple[DesktermApp, Pilot, HistoryPane]]:  # type: ignore[type-arg]
    """The app acting as `handle`, its customer pane showing the first queued ticket's."""
    app = make_app(db, handle)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        yield app, pilot, await history_follows_queue(pilot)


# -- reading what is shown and what is stored ----------------------------------------------


def text_of(widget: Static) -> str:
    content = widget.content
    return content.plain if isinstance(content, Content) else str(content)


def query(db: Path, sql: str, *args: object) -> list[tuple]:  # type: ignore[type-arg]
    with sqlite3.connect(db) as connection:
        return connection.execute(sql, args).fetchall()


def store_invariants(path: Path) -> dict[str, object]:
    """What must hold of a store whatever was done to it: see WHOLE_STORE."""
    connection = sqlite3.connect(path)
    try:
        return {
            "integrity": connection.execute("PRAGMA integrity_check").fetchone()[0],
            "foreign_keys": connection.execute("PRAGMA foreign_key_check").fetchall(),
            "negative_budgets": connection.execute(
                "SELECT budget_agent_id, period FROM goodwill_entry "
                "GROUP BY budget_agent_id, period, currency HAVING sum(amount_cents) < 0"
            ).fetchall(),
            "double_moods": connection.execute(
                "SELECT agent_id, local_date FROM mood_entry GROUP BY 1, 2 HAVING count(*) > 1"
            ).fetchall(),
        }
    finally:
        connection.close()


#: `store_invariants` of a store that is whole.
WHOLE_STORE = {"integrity": "ok", "foreign_keys": [], "negative_budgets": [],
               "double_moods": []}

#: Keys a person might press anywhere, except the ones that end the session on purpose.
RANDOM_KEYS = [
    *"abcdefghijklmnoprstuvwxyzABCDEFGHIJKLMNOPRSTUVWXYZ0123456789",
    "up", "down", "left", "right", "pageup", "pagedown", "home", "end", "tab",
    "shift+tab", "enter", "escape", "backspace", "delete", "space", "slash",
    "question_mark", "dollar_sign", "ctrl+p", "ctrl+o", "full_stop", "comma", "minus",
    "asterisk", "quotation_mark", "left_parenthesis",
]

# -- forms and the palette -----------------------------------------------------------------


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


# -- the store under the app's feet ----------------------------------------------------------


def ensure_budget(db: Path, handle: str, cents: int) -> None:
    """At least `cents` in the agent's budget for the current month (the demo's end
    month is fixed, the clock is not), allocated by the demo's admin."""
    store = open_store(db)
    try:
        admin = context_for(store, "julia")
        left = goodwill.balance(store, handle, period=period_of(admin.now())).balance
        if left.cents < cents:
            goodwill.allocate(admin, handle, Money(cents - left.cents))
    finally:
        store.close()


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


# -- a real sync server beside the app (the `server_desk` fixture) ---------------------------

#: The server's heartbeat, longer than any test: pokes come at once, heartbeats never, so
#: the app's stream thread can only end at exit by having its socket cut.
HEARTBEAT = 60.0
#: The app must be gone this soon after the test leaves it.
EXIT_SECONDS = 3.0


@dataclass
class ServerDesk:
    """A running server with accounts, and the replicas a test opened beside the app."""

    url: str
    db: Database
    server: ServerThread
    tmp: Path
    tokens: dict[str, str] = field(default_factory=dict)
    replicas: list[Replica] = field(default_factory=list)

    def replica(self, handle: str, name: str) -> Replica:
        """Another machine: a fresh store signed in as `handle`, synced once."""
        made = Replica.open(self.tmp / f"{name}.db", self.server.url, self.tokens[handle],
                            handle)
        self.replicas.append(made)
        return made

    def app_for(self, handle: str, *, signed_in: bool = True) -> DesktermApp:
        """The app on a fresh store of `handle`'s, logged in to the server or not."""
        path = self.tmp / f"app-{handle}.db"
        Replica.open(path, self.server.url, self.tokens[handle], handle,
                     logged_in=signed_in).close()
        return make_app(path, handle)

    def server_rows(self, entity: str) -> list[Any]:
        table = table_of(entity)
        with self.db.engine.connect() as connection:
            return list(connection.execute(select(table)).mappings())


@asynccontextmanager
async def syncing_app(app: DesktermApp) -> AsyncIterator[Pilot]:  # type: ignore[type-arg]
    """The app under Pilot, in its workspace; on leaving, it must close promptly."""
    async with app.run_test(size=(150, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, WorkspaceScreen), "the workspace")
        # The workspace listens for changes from its own on_mount, which Textual runs after
        # every pane's: a change published before then is for panes not yet listening.
        await until(pilot, lambda: app.screen in app.data_changed._subscriptions,
                    "the workspace listening for changes")
        yield pilot
        leaving = time.monotonic()
    assert time.monotonic() - leaving < EXIT_SECONDS, "the app took too long to close"
    assert app.syncer is None or not app.syncer.running, "a sync thread outlived the app"


def indicator(app: DesktermApp) -> str:
    """What the sync indicator says."""
    return app.screen.query_one(SyncStatus).text
