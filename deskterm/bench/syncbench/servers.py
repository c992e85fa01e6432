"""Fresh server databases for a run, the server itself on a loopback port, and its accounts.

The server runs as a `deskterm serve` child process by default, so that the load the
benchmark generates and the server's own work do not take turns on one Python GIL (the
way a real desk meets it: the server is a process of its own). `mode="thread"` runs it
on a thread of this process instead (deskterm.server.runner.ServerThread), for comparing.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

import httpx
from sqlalchemy import Engine, create_engine, text

from deskterm.domain.errors import DeskError
from deskterm.server.accounts import add_user, caller_for_token
from deskterm.server.database import Database, safe_url
from deskterm.server.runner import ServerThread, free_port

ServerMode = Literal["process", "thread"]
START_SECONDS = 60.0


class BenchTrouble(DeskError):
    """Something the benchmark needs (a database, the server) cannot be had."""


@contextmanager
def fresh_database(backend: str, workdir: Path, pg_url: str | None) -> Iterator[str]:
    """The URL of a new, empty server database; a PostgreSQL one is dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{workdir / f'server-{uuid.uuid4().hex[:8]}.db'}"
        return
    assert pg_url is not None
    url = create_pg_database(pg_url)
    try:
        yield url
    finally:
        drop_pg_database(pg_url, url)


def admin_engine(admin_url: str) -> Engine:
    """An AUTOCOMMIT engine on the PostgreSQL server, for CREATE and DROP DATABASE."""
    if admin_url.startswith("postgresql://"):
        admin_url = "postgresql+psycopg://" + admin_url.removeprefix("postgresql://")
    return create_engine(admin_url, isolation_level="AUTOCOMMIT")


def create_pg_database(admin_url: str) -> str:
    """A new database on the server `admin_url` names (which must let us CREATE DATABASE)."""
    name = f"deskterm_bench_{uuid.uuid4().hex[:12]}"
    engine = admin_engine(admin_url)
    try:
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:
        cause = getattr(error, "orig", None) or error
        raise BenchTrouble(f"cannot create a database on {safe_url(admin_url)}: "
                           f"{str(cause).strip().splitlines()[0]}") from None
    finally:
        engine.dispose()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def drop_pg_database(admin_url: str, url: str) -> None:
    name = url.rsplit("/", 1)[1]
    engine = admin_engine(admin_url)
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


class RunningServer(Protocol):
    url: str

    def stop(self) -> None: ...


class ServerProcess:
    """`deskterm serve` in a child process on a free loopback port, its log in a file."""

    def __init__(self, database_url: str, log_path: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        command = [sys.executable, "-m", "deskterm", "serve", "--database-url", database_url,
                   "--host", "127.0.0.1", "--port", str(self.port)]
        with open(log_path, "wb") as log:
            self._process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log,
                                             stderr=subprocess.STDOUT)
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise BenchTrouble(f"the server stopped at start: {self._last_line()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        self.stop()
        raise BenchTrouble(f"the server did not answer within {START_SECONDS:.0f} s")

    def _last_line(self) -> str:
        lines = self.log_path.read_text(errors="replace").strip().splitlines()
        return lines[-1] if lines else "no output"

    @property
    def pid(self) -> int:
        return self._process.pid

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGINT)  # uvicorn's graceful shutdown
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=5)


def start_server(database_url: str, mode: ServerMode, workdir: Path) -> RunningServer:
    if mode == "thread":
        return ServerThread(database_url).start()
    return ServerProcess(database_url, workdir / f"server-{uuid.uuid4().hex[:8]}.log")


@dataclass
class Accounts:
    """The run's accounts: handle -> token and agent id."""

    tokens: dict[str, str] = field(default_factory=dict)
    agent_ids: dict[str, str] = field(default_factory=dict)

    def add(self, db: Database, handle: str, *, role: str = "agent", team: str = "north"
            ) -> str:
        token = add_user(db, handle, role=role, team=team)
        caller = caller_for_token(db, token)
        assert caller is not None
        self.tokens[handle] = token
        self.agent_ids[handle] = caller.agent_id
        return token
