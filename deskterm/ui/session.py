"""What the workspace runs with: the store, who is acting, the config.

Opening a session reads only what the first frame needs (the agent, the departments)
with plain sqlite3. The SQLAlchemy store and the service context, and the SQLModel
import under them, come on first use, from the panes' workers, so the queue (which
reads through its own sqlite3 connection) paints without waiting for them.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from deskterm.config import Config
from deskterm.domain.actor import WHO_ARE_YOU, Actor
from deskterm.domain.enums import Role, Tier
from deskterm.domain.errors import Forbidden, InvalidInput, NotFound
from deskterm.store.files import BUSY_TIMEOUT_MS, prepare_store
from deskterm.store.login import Login, acting_handle, read_login

if TYPE_CHECKING:
    from deskterm.services.context import ServiceContext
    from deskterm.store.engine import Store


class DeskSession:
    def __init__(self, path: Path, actor: Actor, config: Config,
                 departments: list[tuple[str, str]], login: Login | None = None) -> None:
        self.path = path
        self.actor = actor
        self.config = config
        #: The server account this store belongs to (store.login); None: it syncs nowhere.
        self.login = login
        self.departments = departments  # (id, code)
        self._lock = threading.Lock()
        self._store: Store | None = None
        self._ctx: ServiceContext | None = None

    @property
    def store_path(self) -> str:
        return str(self.path)

    @property
    def store(self) -> Store:
        """The service layer's store, made on first use (from any thread)."""
        with self._lock:
            if self._store is None:
                from deskterm.store.engine import Store

                self._store = Store(self.path)
            return self._store

    @property
    def ctx(self) -> ServiceContext:
        """Services acting as this session's agent."""
        store = self.store
        with self._lock:
            if self._ctx is None:
                from deskterm.services.context import ServiceContext

                self._ctx = ServiceContext(store, self.actor, currency=self.config.currency)
            return self._ctx

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()


def open_session(path: Path, handle: str | None, config: Config) -> DeskSession:
    """Check or upgrade the store and find the acting agent. Call in a worker.

    Raises a DeskError with a message for the start screen when either fails.
    """
    prepare_store(path, create=False)
    login = read_login(path)
    handle = acting_handle(login, handle, config.agent)
    if not handle:
        raise InvalidInput(WHO_ARE_YOU)
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        row = connection.execute(
            "SELECT id, handle, name, role, tier, team_id, active FROM agent WHERE handle = ?",
            [handle.strip().lstrip("@").lower()],
        ).fetchone()
        departments = connection.execute(
            "SELECT id, code FROM department ORDER BY code").fetchall()
    finally:
        connection.close()
    if row is None:
        raise NotFound(f"no agent with handle '{handle}'")
    if not row[6]:
        raise Forbidden(f"agent '{row[1]}' is deactivated")
    actor = Actor(row[0], row[1], row[2], Role(row[3]), Tier(row[4]), row[5])
    return DeskSession(path, actor, config, [(d[0], d[1]) for d in departments], login)
