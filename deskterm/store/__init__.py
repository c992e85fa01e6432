"""The local store: one SQLite file, its migrations, the outbox and the queries for big lists."""

from deskterm.store.engine import Store, open_store

__all__ = ["Store", "open_store"]
