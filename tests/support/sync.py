"""Helpers for the sync tests: PostgreSQL databases, replicas, comparing what each holds."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select, text

from deskterm.domain import ENTITY_NAMES
from deskterm.domain.clock import utcnow
from deskterm.services.context import ServiceContext, context_for
from deskterm.store import Store, open_store
from deskterm.store.login import Login, save_login
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
    def open(cls, path: Path, server_url: str, token: str, handle: str, *,
             logged_in: bool = True) -> Replica:
        """A store synced once with the server; logged in to it (as `deskterm login` leaves
        a store) unless `logged_in` is false."""
        store = open_store(path)
        replica = cls(store, SyncClient(store, server_url, token), handle)
        if logged_in:
            me = replica.client.me()
            save_login(path, Login(server_url, token, me.agent_id, me.handle))
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
_LOCAL_ONLY = {"customer_sort", "owner_sort", "match_text"}


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


# --- Raw wire access: pushes a replica's services would never make, and the server's books.


def stamp_now(node: str = "probe") -> str:
    """A clock stamp at the current wall time, as a replica would send it."""
    return f"{int(utcnow().timestamp() * 1000):013d}-00000-{node}"


def wire_change(entity: str, fields: dict[str, Any], *, op: str = "insert",
                row_id: str | None = None, author_id: str | None = None,
                hlc: str | None = None, mutation_id: str | None = None) -> dict[str, Any]:
    """One change as JSON carries it, with fresh ids where none are given."""
    from deskterm.domain.ids import uuid7

    change: dict[str, Any] = {"mutation_id": mutation_id or uuid7(), "entity": entity,
                              "row_id": row_id or uuid7(), "op": op, "fields": fields,
                              "hlc": hlc or stamp_now()}
    if author_id is not None:
        change["author_id"] = author_id
    return change


def push_raw(url: str, token: str | None, changes: list[dict[str, Any]],
             client_id: str = "raw-client") -> Any:
    """POST a push as-is and return the httpx response (no client-side checks at all)."""
    import json

    import httpx

    headers = {"Authorization": f"Bearer {token}"} if token else {}
    # JSON escapes (ensure_ascii): a lone surrogate goes over the wire as `\\ud800`, as a
    # hostile client would send it.
    body = json.dumps({"client_id": client_id, "changes": changes})
    return httpx.post(f"{url}/api/v1/sync/push", timeout=30, content=body,
                      headers={**headers, "Content-Type": "application/json"})


def agent_ids(engine: Any) -> dict[str, str]:
    """Handle -> agent id on the server."""
    from deskterm.server.database import account

    with engine.connect() as connection:
        return dict(connection.execute(select(account.c.handle, account.c.agent_id)).all())


def server_books(engine: Any) -> dict[str, Any]:
    """Everything a push may write on the server: the rows and the server's own bookkeeping."""
    from sqlalchemy import func

    from deskterm.server.database import change_log, counter, log_head, processed_mutation

    with engine.connect() as connection:
        return {
            "rows": _snapshot(connection, None),
            "change_log": connection.execute(select(func.count()).select_from(change_log))
            .scalar_one(),
            "processed": connection.execute(
                select(func.count()).select_from(processed_mutation)).scalar_one(),
            "head": connection.execute(select(log_head.c.seq)).scalar_one(),
            "counter": connection.execute(select(counter.c.value)).scalar_one(),
        }


def logged_twice(engine: Any) -> list[str]:
    """Mutation ids the server's change log holds more than once (must be none)."""
    from sqlalchemy import func

    from deskterm.server.database import change_log

    with engine.connect() as connection:
        return [m for (m,) in connection.execute(
            select(change_log.c.mutation_id).group_by(change_log.c.mutation_id)
            .having(func.count() > 1))]


def wait_for(condition: Any, timeout: float = 10.0, interval: float = 0.01,
             what: str = "a condition") -> Any:
    """Poll `condition()` until it returns something truthy; fail after `timeout` seconds."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


# Helpers for the merge-property tests (convergence, money, KB, clock, order, restore).


def reset_server(db: Any, tokens: dict[str, str]) -> None:
    """Empty a running server's database in place and add the desk's accounts again.

    Every table is emptied, in one transaction, but for its single rows: the log head
    goes back to 0 and the ticket counter to its start, `server_meta` stays (the server
    keeps its identity, and its clock never goes back). `tokens` gets the new accounts'
    tokens. The emptying counts as a rewrite of the log (`note_log_rewritten`), so a
    running server stops answering from its copy of the log's tail (`server.tail`) and
    carries on as a brand-new server of the same identity.
    """
    from sqlalchemy import update
    from sqlmodel import SQLModel

    from deskterm.server.accounts import add_user
    from deskterm.server.database import (
        FIRST_TICKET_NUMBER,
        counter,
        log_head,
        note_log_rewritten,
        server_metadata,
    )
    from deskterm.sync.merge import field_clock

    singles = {"server_meta", "log_head", "counter"}
    tables = [t for t in reversed(SQLModel.metadata.sorted_tables)]
    tables += [t for t in server_metadata.sorted_tables if t.name not in singles]
    tables.append(field_clock)
    # DELETE, children first, on both: on PostgreSQL it is much faster than TRUNCATE
    # for tables this small.
    with db.engine.begin() as connection:
        for table in tables:
            connection.execute(table.delete())
        connection.execute(update(log_head).values(seq=0))
        connection.execute(update(counter).values(value=FIRST_TICKET_NUMBER - 1))
        note_log_rewritten(connection)
    for handle, role, team in SyncDesk.ACCOUNTS:
        tokens[handle] = add_user(db, handle, role=role, team=team)


Snapshot = dict[str, dict[str, dict[str, Any]]]


def visible_to(snapshot: Snapshot, handle: str) -> Snapshot:
    """The part of a server snapshot the account `handle` may pull (ARCHITECTURE.md's table).

    Moods go to their agent only; ledger entries about no customer (allocations and their
    reversals) to the budget's agent, the leads of that agent's team and admins; a
    contact's self-rating to its agent only.
    """
    agents = snapshot["agent"]
    me = next(a for a in agents.values() if a["handle"] == handle)
    role = str(getattr(me["role"], "value", me["role"]))

    def may_see_budget(agent_id: str) -> bool:
        if agent_id == me["id"] or role == "admin":
            return True
        return role == "lead" and agents[agent_id]["team_id"] == me["team_id"]

    seen = dict(snapshot)
    seen["mood_entry"] = {i: r for i, r in snapshot["mood_entry"].items()
                          if r["agent_id"] == me["id"]}
    seen["goodwill_entry"] = {i: r for i, r in snapshot["goodwill_entry"].items()
                              if r["customer_id"] is not None
                              or may_see_budget(r["budget_agent_id"])}
    if "contact" in snapshot:  # a self-rating is its agent's alone (domain.privacy)
        seen["contact"] = {i: r if r["agent_id"] == me["id"] else {**r, "self_rating": None}
                           for i, r in snapshot["contact"].items()}
    return seen


def server_head(db: Any) -> int:
    from deskterm.server.database import log_head

    with db.engine.connect() as connection:
        return int(connection.execute(select(log_head.c.seq)).scalar_one())


def sync_until_quiet(replicas: list[Replica], db: Any, rounds: int = 6) -> None:
    """Sync every replica, round after round, until none has anything to push or pull."""
    from deskterm.sync import replica as local

    for _ in range(rounds):
        for each in replicas:
            each.sync()
        head = server_head(db)
        if all(local.status(r.store).pending == 0 and local.read_cursor(r.store) == head
               for r in replicas):
            return
    raise AssertionError(f"the replicas did not settle after {rounds} rounds of sync")


def pull_everything(url: str, token: str, page: int = 5000) -> list[dict[str, Any]]:
    """Every change the token's account may pull, from cursor 0, as raw JSON."""
    import httpx

    changes: list[dict[str, Any]] = []
    cursor = 0
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"},
                      timeout=30) as http:
        while True:
            answer = http.get("/api/v1/sync/pull", params={"cursor": cursor, "limit": page})
            assert answer.status_code == 200, answer.text
            body = answer.json()
            changes += body["changes"]
            cursor = body["cursor"]
            if not body["more"]:
                return changes


def deskterm_command() -> list[str]:
    """How to run the real `deskterm` command in a subprocess of this interpreter."""
    import sys

    script = Path(sys.executable).parent / "deskterm"
    return [str(script)] if script.exists() else [sys.executable, "-m", "deskterm"]
