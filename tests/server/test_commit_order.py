"""Sequence numbers follow commit order: a reader that passed N never later misses a change below N.

Several clients push at once (each on its own thread, its own store, its own HTTP
connection) while a reader pulls in a loop with small pages. Writers are serialized by
the lock on the log head row, taken before a number is given out and held until the
push commits, so numbers appear to readers in order and without gaps. The reader is an
admin, who may see every change these writers make: it must receive seq head+1, head+2,
... each exactly once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import select

from deskterm.server.database import change_log
from deskterm.services import customers, tickets
from tests.support.servers import RunningServer
from tests.support.sync import Replica, server_head, snapshot_server

WRITERS = ("alex", "blake", "casey", "morgan")
ROUNDS = 12  # pushes per writer, each of a customer, a ticket and its event


def _write(replica: Replica, rounds: int) -> list[str]:
    made = []
    for n in range(rounds):
        customer = customers.create_customer(replica.ctx, name=f"{replica.handle} customer {n}")
        made.append(tickets.create_ticket(replica.ctx, customer=customer.id,
                                          subject=f"Order {n} from {replica.handle}").id)
        report = replica.client.push()
        assert report.applied == report.pushed == 3 and not report.rejected
    return made


class _Reader:
    """Pulls from a cursor in small pages until told the writers are done and it caught up."""

    def __init__(self, server: RunningServer, cursor: int) -> None:
        self.http = httpx.Client(base_url=server.url, timeout=30,
                                 headers={"Authorization": f"Bearer {server.tokens['root']}"})
        self.cursor = cursor
        self.seqs: list[int] = []
        self.mutation_ids: list[str] = []
        self.behind: list[tuple[int, int]] = []  # (cursor passed, seq received later)
        self.pulls = 0

    def run(self, writers_done: threading.Event, final_head: Callable[[], int]) -> None:
        while not (writers_done.is_set() and self.cursor >= final_head()):
            page = self.http.get("/api/v1/sync/pull",
                                 params={"cursor": self.cursor, "limit": 4}).json()
            self.pulls += 1
            assert not page["reset"]
            for change in page["changes"]:
                if change["seq"] <= self.cursor:
                    self.behind.append((self.cursor, change["seq"]))
                self.seqs.append(change["seq"])
                self.mutation_ids.append(change["mutation_id"])
            assert page["cursor"] >= self.cursor, "the cursor went back"
            self.cursor = page["cursor"]
        self.http.close()


def test_a_reader_never_misses_a_change_below_its_cursor_while_many_push(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    writers = [replica_of(handle) for handle in WRITERS]
    start = server_head(server.db)
    reader = _Reader(server, start)
    done = threading.Event()
    with ThreadPoolExecutor(max_workers=len(writers) + 1) as pool:
        reading = pool.submit(reader.run, done, lambda: server_head(server.db))
        made = [pool.submit(_write, w, ROUNDS) for w in writers]
        tickets_made = [ticket for future in made for ticket in future.result()]
        done.set()
        reading.result(timeout=60)

    head = server_head(server.db)
    assert reader.behind == []
    assert reader.seqs == list(range(start + 1, head + 1))  # in order, no gap, none twice
    assert head - start == len(WRITERS) * ROUNDS * 3
    with server.db.engine.connect() as connection:
        logged = connection.execute(
            select(change_log.c.mutation_id).where(change_log.c.seq > start)
            .order_by(change_log.c.seq)).scalars().all()
    assert reader.mutation_ids == logged
    assert len(set(logged)) == len(logged)
    assert reader.pulls > len(WRITERS)  # the reader really ran beside the writers
    numbers = sorted(t["number"] for t in snapshot_server(server.db.engine, ["ticket"])
                     ["ticket"].values())
    assert len(tickets_made) == len(numbers)
    assert numbers == list(range(1001, 1001 + len(numbers)))
