"""The local store: one SQLite file, its migrations, the outbox and the queries for big lists.

`Store` and `open_store` load SQLAlchemy on first use (PEP 562), so modules that need
only the plain-sqlite3 parts (the virtual queue, search) start without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from deskterm.store.engine import Store, open_store

__all__ = ["Store", "open_store"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from deskterm.store import engine

        value = getattr(engine, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'deskterm.store' has no attribute '{name}'")
