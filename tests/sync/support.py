"""Helpers for the sync tests: PostgreSQL databases, replicas, comparing what each holds."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select, text

from deskterm.domain import ENTITY_NAMES
from deskterm.services.context import ServiceContext, context_for
from deskterm.store import Store, open_store
from deskterm.sync.client import SyncClient, SyncReport
from deskterm.sync.codec import table_of

PG_VARIABLE = "DESKTERM_TEST_PG_URL"


def pg_admin_url() -> str | None:
    return os.environ.get(PG_VARIABLE) or None


def _admin_engine(admin_url: str) -> Any:
    return create_engine(admin_url, isolation_level="AUTOCOMMIT")


def create_pg_database(admin_url: str) -> str:
    """A new empty database beside the admin one; returns its URL."""
    name = f"deskterm_t_{uuid.uuid4().hex[:12]}"
    engine = _admin_engine(admin_url)
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def drop_pg_database(admin_url: str, url: str) -> None:
    name = url.rsplit("/", 1)[1]
    engine = _admin_engine(admin_url)
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


class SyncDesk:
    """The accounts every sync test's server starts with."""

    ACCOUNTS = [
        ("alex", "agent", "north"),
        ("blake", "agent", "north"),
        ("morgan", "lead", "north"),
        ("casey", "agent", "south"),
        ("sam", "lead", "south"),
        ("root", "admin", None),
    ]


@dataclass
class Replica:
    """An agent's store and its sync client."""

    store: Store
    client: SyncClient
    handle: str

    @classmethod
    def open(cls, path: Path, server_url: str, token: str, handle: str) -> Replica:
        store = open_store(path)
        replica = cls(store, SyncClient(store, server_url, token), handle)
        replica.sync()
        return replica

    @property
    def ctx(self) -> ServiceContext:
        return context_for(self.store, self.handle)

    def sync(self) -> SyncReport:
        return self.client.sync()

    def close(self) -> None:
        self.client.close()
        self.store.close()


#: Columns a replica keeps for itself (derived sort keys), left out of comparisons.
_LOCAL_ONLY = {"customer_sort", "owner_sort"}


def snapshot_store(store: Store, entities: list[str] | None = None
                   ) -> dict[str, dict[str, dict[str, Any]]]:
    """Every synced row of a replica: entity -> id -> fields."""
    with store.engine.connect() as connection:
        return _snapshot(connection, entities)


def snapshot_server(url_or_engine: Any, entities: list[str] | None = None
                    ) -> dict[str, dict[str, dict[str, Any]]]:
    engine = create_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
    try:
        with engine.connect() as connection:
            return _snapshot(connection, entities)
    finally:
        if isinstance(url_or_engine, str):
            engine.dispose()


def _snapshot(connection: Any, entities: list[str] | None) -> dict[str, dict[str, dict[str, Any]]]:
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for entity in entities or list(ENTITY_NAMES):
        table = table_of(entity)
        rows = connection.execute(select(table)).mappings().all()
        found[entity] = {row["id"]: {k: v for k, v in row.items() if k not in _LOCAL_ONLY}
                         for row in rows}
    return found
