"""One run of `deskterm bench sync`: per database, a fresh server, then the three figures.

Order per database (SQLite file, then PostgreSQL when a URL is given):

1. a new, empty server database; the accounts (A, B, a newcomer, a seeder, the load's
   agents); the server started on a free loopback port;
2. a small desk (one customer, a few dozen tickets) pushed, which A and B pull;
3. round trip (A to B), with its direct-SQL floor;
4. load (simulated agents), with its direct-query floor;
5. the log seeded up to the number of changes asked for, then the first pull of a new
   replica, with its executemany floor;
6. the server stopped and the database dropped.

The first pull goes last so that the round trip and the load meet a desk whose replicas
are small enough to make in seconds; the load's own pushes and the accounts are part of
the log the first pull reads, a few hundred changes beside the seeded ones.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from deskterm.server.database import Database, log_head, safe_url

from . import PUSHER_EVERY
from .changes import Clock, desk
from .first_pull import measure_first_pull
from .load import Agent, measure_load
from .results import BACKENDS, BackendResult, SyncBench
from .round_trip import measure_round_trip
from .seed import push_direct, seed_bulk
from .servers import (
    Accounts,
    BenchTrouble,
    ServerMode,
    admin_engine,
    fresh_database,
    start_server,
)

Progress = Callable[[str], None]
#: Tickets in the small desk: the round trip edits the first, pushing load agents the rest.
DESK_TICKETS = 40


@dataclass(frozen=True)
class SyncOptions:
    #: PostgreSQL server to make the benchmark's database on; None: PostgreSQL skipped.
    database_url: str | None
    changes: int
    agents: int
    seconds: int
    rounds: int
    server_mode: ServerMode = "process"
    #: Server instances on the one database; the load's agents are spread over them (the
    #: first pull and the round trip use the first).
    instances: int = 1
    #: The databases measured, of BACKENDS (PostgreSQL only when database_url is given).
    backends: tuple[str, ...] = BACKENDS
    #: Why PostgreSQL is skipped, when it is.
    skip_reason: str = ""


def run_sync_bench(options: SyncOptions, progress: Progress) -> SyncBench:
    shown = asdict(options)
    shown["database_url"] = safe_url(options.database_url) if options.database_url else None
    bench = SyncBench(machine=describe_machine(options.database_url), options=shown)
    with tempfile.TemporaryDirectory(prefix="deskterm-bench-sync-") as tmp:
        for backend in options.backends:
            result = BackendResult(backend, server=options.server_mode)
            bench.results.append(result)
            if backend == "postgresql" and not options.database_url:
                result.skipped = options.skip_reason
                progress(f"postgresql: skipped: {options.skip_reason}")
                continue
            workdir = Path(tmp) / backend
            workdir.mkdir()
            try:
                _run_backend(result, options, workdir, _prefixed(progress, backend))
            except Exception as error:
                result.failed = f"{type(error).__name__}: {error}"
                progress(f"{backend}: failed: {result.failed}")
    bench.machine["load_average_end"] = [round(load, 2) for load in os.getloadavg()]
    return bench


def _prefixed(progress: Progress, backend: str) -> Progress:
    return lambda message: progress(f"{backend}: {message}")


def _run_backend(result: BackendResult, options: SyncOptions, workdir: Path,
                 progress: Progress) -> None:
    with fresh_database(result.backend, workdir, options.database_url) as url:
        result.database = safe_url(url)
        db = Database(url)
        try:
            progress(f"{options.agents + 4} accounts")
            accounts = Accounts()
            for handle in ("alpha", "bravo", "newcomer", "seeder"):
                accounts.add(db, handle)
            load_handles = [f"agent{n:04d}" for n in range(1, options.agents + 1)]
            for number, handle in enumerate(load_handles):
                accounts.add(db, handle, team="north" if number % 2 else "south")
            progress(f"starting {options.instances} server instance(s) ({options.server_mode})")
            servers = []
            try:
                for _instance in range(options.instances):
                    servers.append(start_server(url, options.server_mode, workdir))
                server = servers[0]
                changes, ticket_ids = desk(accounts.agent_ids["seeder"], Clock("benchdesk"),
                                           DESK_TICKETS)
                push_direct(db, accounts.tokens["seeder"], changes, "bench-desk")
                result.round_trip = measure_round_trip(
                    server.url, db, accounts.tokens, ("alpha", "bravo"), ticket_ids[0],
                    options.rounds, workdir, progress)
                agents = [Agent(handle, accounts.tokens[handle], accounts.agent_ids[handle],
                                _head(db), _pushed_ticket(number, ticket_ids))
                          for number, handle in enumerate(load_handles)]
                pids = [pid for pid in (getattr(s, "pid", None) for s in servers)
                        if pid is not None]
                result.load = measure_load([s.url for s in servers], db, agents,
                                           options.seconds, progress, pids or None)
                seeded = seed_bulk(db, accounts.agent_ids["seeder"],
                                   list(accounts.agent_ids.values()), options.changes, progress)
                result.first_pull = measure_first_pull(
                    server.url, accounts.tokens["newcomer"], workdir, seeded, progress)
            finally:
                for running in servers:
                    running.stop()
        finally:
            db.dispose()


def _pushed_ticket(number: int, ticket_ids: list[str]) -> str | None:
    """The ticket a load agent edits at each sync, for one agent in PUSHER_EVERY."""
    if number % PUSHER_EVERY:
        return None
    return ticket_ids[1 + (number // PUSHER_EVERY) % (len(ticket_ids) - 1)]


def _head(db: Database) -> int:
    with db.engine.connect() as connection:
        return int(connection.execute(select(log_head.c.seq).where(log_head.c.id == 1))
                   .scalar_one())


def describe_machine(pg_url: str | None) -> dict[str, Any]:
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            model = next((line.split(":", 1)[1].strip() for line in info
                          if line.startswith("model name")), "")
    except OSError:
        pass
    machine: dict[str, Any] = {
        "cpus": os.cpu_count(), "cpu_model": model or platform.processor(),
        "load_average": [round(load, 2) for load in os.getloadavg()],
        "platform": platform.platform(), "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version, "sqlalchemy": metadata.version("sqlalchemy"),
        "uvicorn": metadata.version("uvicorn"), "httpx": metadata.version("httpx")}
    if pg_url:
        machine["postgresql"] = _pg_version(pg_url)
    machine["started_at"] = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    return machine


def _pg_version(pg_url: str) -> str:
    """The server's version; BenchTrouble at once when it cannot be reached (before the
    minutes SQLite's part takes)."""
    try:
        engine = admin_engine(pg_url)
        try:
            with engine.connect() as connection:
                return str(connection.execute(text("SHOW server_version")).scalar())
        finally:
            engine.dispose()
    except Exception as error:
        cause = getattr(error, "orig", None) or error
        detail = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
        raise BenchTrouble(f"cannot use the PostgreSQL server {safe_url(pg_url)}: "
                           f"{detail}") from None
