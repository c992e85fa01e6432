"""Load: simulated agents syncing every 2 s, every request timed; and the direct-query floor.

Each simulated agent has its own account, token and HTTP/1.1 keep-alive connection (a
lean client of the generator's own, `wire_client`: httpx's async client cost the generator
about 1.5 ms of CPU per request, which made it the bottleneck at a thousand requests a
second on two cores; it still speaks real HTTP to the real server and every answer is
checked; all agents on one asyncio loop in this process) and a cursor that starts at the
log's head, as an agent whose app has been open all morning. Agent i first syncs i/N of
the interval after the start, so the syncs are spread evenly, then every SYNC_INTERVAL
seconds until the time is up. A sync is what the app does: one agent in PUSHER_EVERY
first pushes one change (a ticket's subject), then every agent pulls pages until caught
up. Every request counts; an error is a transport failure or any status but 200.

The floor: every pull query the agents caused (the head, then the page of the log after
the same cursor that the agent may see), executed directly with SQLAlchemy on a pool of
threads, as fast as they go.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select

from deskterm.server.database import Database, change_log, log_head
from deskterm.sync.client import API, PULL_PAGE

from . import SYNC_INTERVAL
from .changes import Clock, subject_update
from .results import Latencies, Load
from .wire_client import WireClient, WireError

Progress = Callable[[str], None]
REQUEST_TIMEOUT = 30.0
BASELINE_THREADS = 8
MAX_EXAMPLES = 5


@dataclass
class Agent:
    handle: str
    token: str
    agent_id: str
    cursor: int
    ticket_id: str | None  # the ticket a pushing agent edits; None: it only pulls


@dataclass
class _Record:
    pulls: list[float] = field(default_factory=list)
    pushes: list[float] = field(default_factory=list)
    late: list[float] = field(default_factory=list)
    errors: int = 0
    examples: list[str] = field(default_factory=list)
    #: (agent id, cursor) of every pull, for the direct-query floor.
    queries: list[tuple[str, int]] = field(default_factory=list)

    def error(self, what: str) -> None:
        self.errors += 1
        if len(self.examples) < MAX_EXAMPLES:
            self.examples.append(what)


def measure_load(server_urls: str | list[str], db: Database, agents: list[Agent],
                 seconds: float, progress: Progress,
                 server_pids: int | list[int] | None = None) -> Load:
    """Run the agents, spread over the server instances `server_urls` (one database behind
    them all), agent i on instance i mod their number; the servers' processes
    (`server_pids`) have their CPU time noted, summed."""
    urls = [server_urls] if isinstance(server_urls, str) else server_urls
    pids = [server_pids] if isinstance(server_pids, int) else (server_pids or [])
    progress(f"load: {len(agents)} agents syncing every {SYNC_INTERVAL:.0f} s for "
             f"{seconds:.0f} s against {len(urls)} server instance(s)")
    record = _Record()
    server_cpu = _total_cpu(pids)
    own_cpu = time.process_time()
    started = time.perf_counter()
    asyncio.run(_run_agents(urls, agents, seconds, record, progress))
    elapsed = time.perf_counter() - started
    own_cpu = time.process_time() - own_cpu
    after = _total_cpu(pids)
    if server_cpu is not None and after is not None:
        server_cpu = after - server_cpu
    progress(f"load: the same {len(record.queries):,} pull queries directly")
    baseline, baseline_seconds = _direct_pulls(db, record.queries)
    return Load(agents=len(agents), pushers=sum(1 for a in agents if a.ticket_id),
                seconds=seconds, requests=Latencies(record.pulls + record.pushes),
                pulls=Latencies(record.pulls), pushes=Latencies(record.pushes),
                errors=record.errors, error_examples=record.examples, elapsed=elapsed,
                late_p99_ms=Latencies(record.late).p99 if record.late else 0.0,
                generator_cpu=own_cpu, server_cpu=server_cpu,
                baseline=Latencies(baseline), baseline_seconds=baseline_seconds,
                instances=len(urls))


def _total_cpu(pids: list[int]) -> float | None:
    times = [process_cpu(pid) for pid in pids]
    return sum(t for t in times if t is not None) if times and None not in times else None


def process_cpu(pid: int) -> float | None:
    """CPU seconds (user and system, all threads) a process has used; None off Linux."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _run_agents(server_urls: list[str], agents: list[Agent], seconds: float,
                      record: _Record, progress: Progress) -> None:
    clients = [WireClient(server_urls[index % len(server_urls)], agent.token, REQUEST_TIMEOUT)
               for index, agent in enumerate(agents)]
    # The schedule starts once every client exists, so no agent begins late.
    start = time.perf_counter() + 0.2
    end = start + seconds
    try:
        reporter = asyncio.create_task(_report(record, start, end, progress))
        await asyncio.gather(*(
            _agent(client, agent, start + index * SYNC_INTERVAL / len(agents), end, record)
            for index, (client, agent) in enumerate(zip(clients, agents, strict=True))))
        reporter.cancel()
    finally:
        await asyncio.gather(*(client.close() for client in clients))


async def _report(record: _Record, start: float, end: float, progress: Progress) -> None:
    while True:
        await asyncio.sleep(10)
        done = len(record.pulls) + len(record.pushes)
        progress(f"load: {time.perf_counter() - start:.0f} of {end - start:.0f} s, "
                 f"{done:,} requests, {record.errors} errors")


async def _agent(client: WireClient, agent: Agent, first: float, end: float,
                 record: _Record) -> None:
    clock = Clock(f"load{agent.handle}")
    due = first
    syncs = 0
    while due < end:
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        record.late.append((time.perf_counter() - due) * 1000)
        if agent.ticket_id is not None:
            change = subject_update(clock, agent.ticket_id,
                                    f"Edited by {agent.handle} ({syncs})", agent.agent_id)
            body = {"client_id": f"bench-{agent.handle}",
                    "changes": [change.model_dump(mode="json")]}
            await _timed(client, "POST", f"{API}/sync/push", record.pushes, record,
                         json_body=body)
        await _pull(client, agent, record)
        syncs += 1
        due += SYNC_INTERVAL


async def _pull(client: WireClient, agent: Agent, record: _Record) -> None:
    while True:
        record.queries.append((agent.agent_id, agent.cursor))
        answer = await _timed(client, "GET", f"{API}/sync/pull", record.pulls, record,
                              params={"cursor": agent.cursor, "limit": PULL_PAGE})
        if answer is None:
            return
        agent.cursor = int(answer["cursor"])
        if not answer["more"]:
            return


async def _timed(client: WireClient, method: str, path: str, into: list[float],
                 record: _Record, **kwargs: Any) -> dict[str, Any] | None:
    """One request, its latency added to `into` (errors count too); its JSON when it is 200."""
    started = time.perf_counter()
    try:
        response = await client.request(method, path, **kwargs)
    except WireError as error:
        into.append((time.perf_counter() - started) * 1000)
        record.error(f"{method} {path}: {type(error).__name__}: {error}")
        return None
    into.append((time.perf_counter() - started) * 1000)
    if response.status != 200:
        record.error(f"{method} {path}: {response.status} {response.text[:160]}")
        return None
    try:
        answer: dict[str, Any] = response.json()
    except ValueError as error:
        record.error(f"{method} {path}: the answer is not JSON: {error}")
        return None
    if method == "POST":
        results = answer.get("results", [])
        if any(result.get("status") == "rejected" for result in results):
            record.error(f"push rejected: {results[0].get('reason')}")
    return answer


def _direct_pulls(db: Database, queries: list[tuple[str, int]]) -> tuple[list[float], float]:
    """The agents' pull queries, straight against the database: (latencies ms, seconds)."""
    head = select(log_head.c.seq).where(log_head.c.id == 1)

    def one(query: tuple[str, int]) -> float:
        agent_id, cursor = query
        started = time.perf_counter()
        with db.engine.connect() as connection:
            top = connection.execute(head).scalar_one()
            connection.execute(
                select(change_log)
                .where(change_log.c.seq > cursor, change_log.c.seq <= top,
                       or_(change_log.c.audience == "all",
                           change_log.c.audience_agent_id == agent_id))
                .order_by(change_log.c.seq).limit(PULL_PAGE)).all()
        return (time.perf_counter() - started) * 1000

    started = time.perf_counter()
    with ThreadPoolExecutor(BASELINE_THREADS) as pool:
        latencies = list(pool.map(one, queries))
    return latencies, time.perf_counter() - started
