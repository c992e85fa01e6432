"""What the workspace runs with: the store, who is acting, the config.

Opening a session reads only what the first frame needs (the agent, the departments,
from `store.workspace`, without SQLAlchemy; `ui.opening` adds the queue's first rows). The
SQLAlchemy store and the service context, and the SQLModel import under them, come on
first use, from the panes' workers, so the queue (which reads through its own
connection) paints without waiting for them.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from deskterm.config import Config
from deskterm.domain.actor import Actor, NoActor
from deskterm.store.files import prepare_store
from deskterm.store.login import Login, acting_handle, read_login
from deskterm.store.workspace import acting_agent, department_codes

if TYPE_CHECKING:
    from deskterm.services.context import ServiceContext
    from deskterm.store.engine import Store
    from deskterm.store.queue import QueueSource


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
        #: The queue's reader, opened with the session and its first rows read
        #: (`ui.opening`), until the workspace's queue takes it.
        self.opening_queue: QueueSource | None = None

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

    def take_opening_queue(self) -> QueueSource | None:
        """The queue's reader opened ahead, once (the taker closes it)."""
        source, self.opening_queue = self.opening_queue, None
        return source

    def close(self) -> None:
        source = self.take_opening_queue()
        if source is not None:
            source.close()
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
        raise NoActor()
    actor = acting_agent(path, handle)
    return DeskSession(path, actor, config, department_codes(path), login)
