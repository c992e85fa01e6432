"""Round trip: agent A edits a ticket and pushes; agent B, poked, pulls it. And the SQL floor.

A and B are real replicas (a store file each, signed in, synced once). B follows the
server's poke stream on a thread, as the workspace does, and pulls on every poke. A
round runs from just before A's service call (`tickets.update_ticket`, which writes the
ticket and the outbox in one transaction) until B's store holds the new subject, checked
right after each of B's pulls commits. A pushes (`SyncClient.push`) and does not pull.

The floor: the same subject written into the server's database directly (an UPDATE
through executemany with one row, committed) and read back by a second connection, as
B would read it if there were no protocol at all.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

from deskterm.server.database import Database
from deskterm.services import tickets
from deskterm.services.context import context_for
from deskterm.store import Store, open_store
from deskterm.sync.client import Offline, SyncClient

from .results import Latencies, RoundTrip

Progress = Callable[[str], None]
#: A round that has not arrived by then is a failure of the benchmark, not a slow figure.
ROUND_DEADLINE = 30.0


class Follower:
    """Agent B: listens for pokes, pulls on each, and notes when the awaited subject is in."""

    def __init__(self, store: Store, client: SyncClient, ticket_id: str) -> None:
        self.store = store
        self.client = client
        self.ticket_id = ticket_id
        self.connected = threading.Event()
        self.arrived = threading.Event()
        self.arrived_at = 0.0
        self.failure: str | None = None
        self._awaited: str | None = None
        self._stop = False
        self._thread = threading.Thread(target=self._run, daemon=True, name="bench-follower")

    def start(self) -> None:
        self._thread.start()
        if not self.connected.wait(ROUND_DEADLINE):
            raise RuntimeError("agent B's poke stream did not connect")

    def expect(self, subject: str) -> None:
        self.arrived.clear()
        self._awaited = subject

    def stop(self) -> None:
        """Ask the thread to end; it notices on the next poke or heartbeat."""
        self._stop = True

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop:
            try:
                self.client.listen(self._on_poke, lambda: self._stop)
            except Offline as error:
                if self._stop:
                    return
                self.failure = str(error)
                time.sleep(0.1)
            except Exception as error:  # surfaced by the round that waits in vain
                self.failure = f"{type(error).__name__}: {error}"
                return

    def _on_poke(self, _seq: int) -> None:
        self.connected.set()
        self.client.pull()
        if self._awaited is None:
            return
        with self.store.raw() as connection:
            subject = connection.execute("SELECT subject FROM ticket WHERE id = ?",
                                         (self.ticket_id,)).fetchone()
        if subject is not None and subject[0] == self._awaited:
            self.arrived_at = time.perf_counter()
            self._awaited = None
            self.arrived.set()


def open_replica(path: Path, server_url: str, token: str) -> tuple[Store, SyncClient]:
    store = open_store(path)
    client = SyncClient(store, server_url, token)
    client.sync()
    return store, client


def measure_round_trip(server_url: str, db: Database, tokens: dict[str, str],
                       handles: tuple[str, str], ticket_id: str, rounds: int, workdir: Path,
                       progress: Progress) -> RoundTrip:
    sender, receiver = handles
    a_store, a_client = open_replica(workdir / "agent-a.db", server_url, tokens[sender])
    b_store, b_client = open_replica(workdir / "agent-b.db", server_url, tokens[receiver])
    follower = Follower(b_store, b_client, ticket_id)
    trips: list[float] = []
    try:
        follower.start()
        ctx = context_for(a_store, sender)
        for number in range(1, rounds + 1):
            subject = f"Round trip {number} of {rounds}"
            follower.expect(subject)
            started = time.perf_counter()
            tickets.update_ticket(ctx, ticket_id, subject=subject)
            a_client.push()
            if not follower.arrived.wait(ROUND_DEADLINE):
                raise RuntimeError(f"round {number}: agent B did not get the change within "
                                   f"{ROUND_DEADLINE:.0f} s ({follower.failure or 'no error'})")
            trips.append((follower.arrived_at - started) * 1000)
            if number % 10 == 0 or number == rounds:
                progress(f"round trip: {number} of {rounds} rounds")
        follower.stop()
        # A last change wakes B's stream, so that its thread sees the stop at once.
        tickets.update_ticket(ctx, ticket_id, subject="Round trips done")
        a_client.push()
        follower.join(5)
    finally:
        follower.stop()
        a_client.close()
        b_client.close()
        a_store.close()
        b_store.close()
    progress(f"round trip: {rounds} rounds of executemany and SELECT directly")
    return RoundTrip(rounds=rounds, trip=Latencies(trips),
                     baseline=Latencies(_direct_rounds(db, ticket_id, rounds)))


def _direct_rounds(db: Database, ticket_id: str, rounds: int) -> list[float]:
    """Write the subject on one connection and read it on another, per round (ms)."""
    write = text("UPDATE ticket SET subject = :subject WHERE id = :id")
    read = text("SELECT subject FROM ticket WHERE id = :id")
    samples = []
    with db.engine.connect() as writer, db.engine.connect() as reader:
        for number in range(1, rounds + 1):
            subject = f"Direct round {number}"
            started = time.perf_counter()
            writer.execute(write, [{"subject": subject, "id": ticket_id}])
            writer.commit()
            seen = reader.execute(read, {"id": ticket_id}).scalar()
            reader.commit()
            samples.append((time.perf_counter() - started) * 1000)
            if seen != subject:
                raise RuntimeError("the direct read did not see the direct write")
    return samples
