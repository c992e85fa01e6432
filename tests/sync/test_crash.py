"""Crash safety: a client killed mid-push, an answer the client never recorded, a server
restarted mid-pull. Afterwards every change is on the server exactly once, every replica
holds what the server holds, and nothing was doubled or dropped.

The killed client is a real `deskterm --db STORE sync` process, killed with SIGKILL at
fixed moments of its push, each named by what the test sees happen (KILL_POINTS): every
run tries the same moments.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from deskterm.domain import Ticket
from deskterm.domain.clock import utcnow
from deskterm.domain.ids import uuid7
from deskterm.server.changelog import write_as_server
from deskterm.server.database import change_log, processed_mutation
from deskterm.services import customers, tickets
from deskterm.store import Store, open_store
from deskterm.sync import replica as local
from deskterm.sync.client import Offline, SyncReport
from deskterm.sync.codec import DecodedChange
from deskterm.sync.wire import MAX_PUSH_CHANGES
from tests.support.servers import RunningServer
from tests.support.sync import (
    Replica,
    deskterm_command,
    logged_twice,
    pull_everything,
    push_raw,
    server_books,
    snapshot_server,
    snapshot_store,
    wait_for,
)

#: Changes in the outbox of the client that gets killed: three full pushes.
OUTBOX = 3 * MAX_PUSH_CHANGES
#: Changes a new replica pulls, 100 a page, while the server restarts under it.
LOG = 1500


def _outbox_ids(store: Store, state: str | None = None) -> set[str]:
    with store.raw() as connection:
        rows = connection.execute(
            "SELECT mutation_id FROM outbox" + (" WHERE state = ?" if state else ""),
            (state,) if state else ()).fetchall()
    return {mutation_id for (mutation_id,) in rows}


def _answered_for(server: RunningServer, client_id: str) -> int:
    with server.db.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(processed_mutation)
                                      .where(processed_mutation.c.client_id == client_id))
                   .scalar_one())


def _logged(server: RunningServer, mutation_ids: set[str]) -> int:
    """How many change-log entries carry one of these mutation ids."""
    found = 0
    ids = sorted(mutation_ids)
    with server.db.engine.connect() as connection:
        for start in range(0, len(ids), 500):
            found += int(connection.execute(select(func.count()).select_from(change_log).where(
                change_log.c.mutation_id.in_(ids[start:start + 500]))).scalar_one())
    return found


def _recorded(store: Path) -> int:
    """How many answers the client has recorded, read as another process would."""
    with sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=10) as connection:
        return int(connection.execute(
            "SELECT count(*) FROM outbox WHERE state = 'applied'").fetchone()[0])


#: When the client is killed, each moment named by what the test waits to see (then it
#: kills at once): the server has committed the first push (its answer is on the way or
#: being recorded), or the client has recorded that answer (the second push is going out).
KILL_POINTS: dict[str, Callable[[RunningServer, str, Path], bool]] = {
    "server-committed": lambda server, client_id, _store:
        _answered_for(server, client_id) >= MAX_PUSH_CHANGES,
    "client-recorded": lambda _server, _client_id, store:
        _recorded(store) >= MAX_PUSH_CHANGES,
}


def _sync_process(store: Path, server: RunningServer, config: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, DESKTERM_SERVER=server.url, DESKTERM_TOKEN=server.tokens["alex"],
               DESKTERM_CONFIG=str(config))
    return subprocess.Popen([*deskterm_command(), "--db", str(store), "sync"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_a_client_killed_mid_push_resends_and_nothing_is_doubled_or_lost(
        server: RunningServer, replica_of: Callable[..., Replica], tmp_path: Path,
        point: str) -> None:
    killed_when = KILL_POINTS[point]
    alex = replica_of("alex")
    client_id = alex.client.client_id
    ctx = alex.ctx
    made = [customers.create_customer(ctx, name=f"Customer {n}").id for n in range(OUTBOX)]
    queued = _outbox_ids(alex.store, "pending")
    assert len(queued) == OUTBOX
    alex.close()  # from here on only the deskterm processes touch the store

    config = tmp_path / "crash-config.toml"
    process = _sync_process(alex.store.path, server, config)
    try:
        wait_for(lambda: killed_when(server, client_id, alex.store.path) or
                 process.poll() is not None, timeout=120, interval=0.005,
                 what=f"the moment to kill the client ({point})")
        process.send_signal(signal.SIGKILL)
    finally:
        _, err = process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL, (point, process.returncode, err)

    store = open_store(alex.store.path)
    try:
        left = _outbox_ids(store, "pending")
        assert left, f"the kill came after the whole push ({point})"
        # Each change the server holds is there once, before and after the resend.
        assert logged_twice(server.db.engine) == [], point

        again = _sync_process(store.path, server, config)
        out, err = again.communicate(timeout=180)
        assert again.returncode == 0, (point, out, err)
        assert "synced with" in out

        assert _outbox_ids(store, "applied") == queued, point
        assert local.status(store).pending == 0 and local.status(store).rejected == 0
        assert _answered_for(server, client_id) == OUTBOX, point
        assert _logged(server, queued) == OUTBOX, point
        assert logged_twice(server.db.engine) == [], point
        on_server = snapshot_server(server.db.engine, ["customer"])["customer"]
        assert set(on_server) == set(made), point
        assert snapshot_store(store, ["customer"])["customer"] == on_server, point
    finally:
        store.close()


def test_a_push_the_server_committed_but_the_client_never_recorded_is_answered_again(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    """ARCHITECTURE's crash case, made exact: the answer is lost, the push is resent."""
    alex = replica_of("alex")
    customer = customers.create_customer(alex.ctx, name="Jo Jansen")
    made = tickets.create_ticket(alex.ctx, customer=customer.id, subject="Lost answer")
    tickets.update_ticket(alex.ctx, made.id, priority="p1")
    batch = local.pending_changes(alex.store, MAX_PUSH_CHANGES)
    # The server commits the push; the answer never reaches the outbox.
    answer = push_raw(server.url, server.tokens["alex"],
                      [p.change.model_dump(mode="json") for p in batch],
                      client_id=alex.client.client_id)
    assert answer.status_code == 200
    assert {r["status"] for r in answer.json()["results"]} == {"applied"}
    number = next(r["assigned"]["number"] for r in answer.json()["results"] if r["assigned"])
    committed = server_books(server.db.engine)
    assert local.status(alex.store).pending == len(batch)

    report = alex.sync()  # the restarted client resends the same mutation ids
    assert report.pushed == len(batch) and report.applied == len(batch)
    assert not report.rejected
    after = server_books(server.db.engine)
    assert after == committed, "the resend wrote something on the server"
    assert logged_twice(server.db.engine) == []
    assert local.status(alex.store).pending == 0
    with alex.store.reading() as session:
        numbered = session.get(Ticket, made.id)
    # The number the first answer carried arrives with the repeated answer.
    assert numbered is not None and numbered.number == number
    assert snapshot_store(alex.store, ["customer", "ticket"]) == \
        snapshot_server(server.db.engine, ["customer", "ticket"])


def test_a_pull_interrupted_by_a_server_restart_resumes_from_its_committed_cursor(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    blake = replica_of("blake")  # signed in before the log grows
    now = utcnow()
    write_as_server(server.db, [
        DecodedChange("customer", uuid7(), "insert",
                      {"name": f"Customer {n}", "created_at": now, "updated_at": now})
        for n in range(LOG)])
    already = local.read_cursor(blake.store)
    waiting = [c for c in pull_everything(server.url, server.tokens["blake"])
               if c["seq"] > already]
    assert len(waiting) >= LOG

    first = SyncReport()
    failure: list[BaseException] = []

    def pull() -> None:
        try:
            blake.client.pull(first, page=10)  # many small pages: the stop lands mid-way
        except Offline as error:
            failure.append(error)

    puller = threading.Thread(target=pull, daemon=True)
    puller.start()
    wait_for(lambda: local.read_cursor(blake.store) > already, timeout=30,
             what="the first pulled page to commit")
    # The server goes down mid-pull (the first half of RunningServer.restart()).
    server.thread.stop()
    puller.join(timeout=30)
    assert not puller.is_alive()
    assert failure, "the pull finished before the server went down"
    stopped_at = local.read_cursor(blake.store)
    assert already < stopped_at < waiting[-1]["seq"]
    assert first.pulled == sum(1 for c in waiting if c["seq"] <= stopped_at)

    server.thread.start()  # ... and comes back
    second = blake.client.pull(page=100)
    # Nothing pulled twice, nothing skipped: the second pull began at the saved cursor.
    assert first.pulled + second.pulled == len(waiting)
    assert local.read_cursor(blake.store) == waiting[-1]["seq"]
    entities = ["customer", "agent", "team", "ticket"]
    assert snapshot_store(blake.store, entities) == snapshot_server(server.db.engine, entities)
