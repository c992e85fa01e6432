"""What the workspace runs with once the store is open: the store, who is acting, config."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from deskterm.config import Config
from deskterm.domain.errors import DeskError
from deskterm.services.context import ServiceContext, context_for
from deskterm.services.org import list_departments
from deskterm.store import Store, open_store


@dataclass
class DeskSession:
    store: Store
    ctx: ServiceContext
    config: Config
    departments: list[tuple[str, str]] = field(default_factory=list)  # (id, code)

    @property
    def store_path(self) -> str:
        return str(self.store.path)


def open_session(path: Path, handle: str | None, config: Config) -> DeskSession:
    """Open the store and resolve the acting agent. Slow (migrations): call in a worker.

    Raises DeskError with a message for the start screen when either fails.
    """
    store = open_store(path)
    try:
        ctx = context_for(store, handle, currency=config.currency)
    except DeskError:
        store.close()
        raise
    departments = [(d.id, d.code) for d in list_departments(store)]
    return DeskSession(store, ctx, config, departments)
