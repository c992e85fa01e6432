"""Live pokes: a push reaches listeners within a second, across server instances too.

Listeners are real `SyncClient.listen` loops on threads, reading the server-sent events
of a real server; they record every sequence number they are poked with.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx

from deskterm.domain import Ticket
from deskterm.server.runner import ServerThread
from deskterm.services import customers, tickets
from deskterm.store import Store
from deskterm.sync.client import SyncClient
from tests.support.servers import RunningServer
from tests.support.sync import Replica, server_books, wait_for

#: How soon a listener on the instance that took the push must hear of it.
POKE_WITHIN = 1.0
#: Through another instance: NOTIFY on PostgreSQL, a 0.25 s head poll on SQLite.
RELAY_WITHIN = 2.0


class Listener:
    """`SyncClient.listen` on a thread, keeping the pokes it hears."""

    def __init__(self, store: Store, url: str, token: str) -> None:
        self.client = SyncClient(store, url, token)
        self.pokes: list[int] = []
        self.error: Exception | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="listener")

    def _run(self) -> None:
        try:
            self.client.listen(self.pokes.append, self._stop.is_set, read_timeout=10)
        except Exception as error:  # kept for the test to look at
            self.error = error

    def start(self) -> Listener:
        self._thread.start()
        # The stream opens with a poke of the head the instance knows: we are connected.
        wait_for(lambda: self.pokes or self.error, what="the stream's first poke")
        assert self.error is None, self.error
        return self

    def poked_at_least(self, seq: int, within: float) -> None:
        wait_for(lambda: any(p >= seq for p in self.pokes), timeout=within,
                 what=f"a poke with seq >= {seq} (heard {self.pokes})")

    def stop(self) -> None:
        self._stop.set()  # seen at the next heartbeat (every second on test servers)
        self._thread.join(timeout=10)
        self.client.close()
        assert not self._thread.is_alive()


@contextmanager
def listening(store: Store, url: str, token: str) -> Iterator[Listener]:
    listener = Listener(store, url, token).start()
    try:
        yield listener
    finally:
        listener.stop()


def _new_ticket(replica: Replica, subject: str) -> Ticket:
    customer = customers.create_customer(replica.ctx, name="Jo Jansen")
    return tickets.create_ticket(replica.ctx, customer=customer.id, subject=subject)


def test_a_push_pokes_listeners_within_a_second(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    alex, blake = replica_of("alex"), replica_of("blake")
    with listening(blake.store, server.url, server.tokens["blake"]) as listener:
        for round_ in range(3):
            _new_ticket(alex, f"Round {round_}")
            head = alex.sync().head
            pushed_at = time.monotonic()
            listener.poked_at_least(head, within=POKE_WITHIN)
            assert time.monotonic() - pushed_at < POKE_WITHIN
        assert listener.pokes == sorted(listener.pokes), "pokes went backwards"


def test_heartbeats_keep_a_quiet_stream_alive(server: RunningServer) -> None:
    """Nothing happens: the stream still sends a comment line every heartbeat (1 s here)."""
    headers = {"Authorization": f"Bearer {server.tokens['alex']}"}
    seen: list[str] = []
    started = time.monotonic()
    with httpx.stream("GET", f"{server.url}/api/v1/sync/stream", headers=headers,
                      timeout=httpx.Timeout(5.0)) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            seen.append(line)
            if sum(1 for s in seen if s.startswith(": heartbeat")) == 2:
                break
    assert seen[0] == "event: poke" and seen[1].startswith('data: {"seq": ')
    assert time.monotonic() - started < 5


def test_a_push_through_one_instance_pokes_listeners_of_another(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    """Two servers on one database: LISTEN/NOTIFY on PostgreSQL, the head poll on SQLite."""
    alex, casey = replica_of("alex"), replica_of("casey")
    with ServerThread(server.thread.database_url) as other, \
            listening(casey.store, other.url, server.tokens["casey"]) as listener:
        for round_ in range(2):
            _new_ticket(alex, f"Through A, round {round_}")
            head = alex.sync().head  # alex talks to the first instance only
            listener.poked_at_least(head, within=RELAY_WITHIN)
        # And casey, following the poke, pulls from the other instance what alex pushed.
        with SyncClient(casey.store, other.url, server.tokens["casey"]) as via_other:
            assert via_other.sync().pulled >= 2 * 3


def test_push_poke_pull_round_trip_between_two_agents(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    alex, blake = replica_of("alex"), replica_of("blake")
    with listening(blake.store, server.url, server.tokens["blake"]) as listener:
        made = _new_ticket(alex, "Screen flickers")
        head = alex.sync().head
        listener.poked_at_least(head, within=POKE_WITHIN)
        # The poke is a hint; the pull it prompts is the truth.
        report = blake.sync()
    assert report.head >= head and "ticket" in report.entities
    with blake.store.reading() as session:
        seen = session.get(Ticket, made.id)
    assert seen is not None and seen.subject == "Screen flickers" and seen.number is not None
    assert server_books(server.db.engine)["rows"]["ticket"][made.id]["number"] == seen.number
