"""Convergence, property-based: random work on three replicas, synced in any order, ends equal.

Hypothesis draws a list of steps for three replicas: two devices of agent alex (so the
same person competes with themself for budget and moods) and lead morgan. Steps are
service calls (customers, tickets, contacts, KB articles and edits, allocations,
spends, reversals, moods) and sync traffic in random order: plain syncs and pulls, a push whose
answer is lost (the client crashed after the server committed), a push sent twice, an
earlier pull page applied again, and the server going down and up. At the end every
replica syncs until nothing moves, and then

- each replica holds exactly the server's rows that its account may see (moods only
  its agent's, allocations only its agent's or, for a lead, the team's);
- every change a replica made is on the server or rejected visibly, none pending;
- the log holds no mutation twice and no budget is below zero.

One server per backend serves every example: between examples its tables are emptied
and the desk's accounts made again (support.reset_server), and each example starts
from new replicas, so examples neither see nor depend on each other. Examples are
derandomized: CI runs the same ones every time, and a failure names the steps.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, Phase, event, example, given, note, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from deskterm.domain import GoodwillEntry
from deskterm.domain.errors import DeskError
from deskterm.domain.money import Money
from deskterm.services import contacts, customers, goodwill, kb, tickets, wellbeing
from deskterm.store import open_store
from deskterm.sync import replica as local
from deskterm.sync.client import Offline, SyncClient
from deskterm.sync.wire import PullResponse, PushRequest, PushResponse
from tests.support.servers import RunningServer
from tests.support.sync import (
    Replica,
    logged_twice,
    reset_server,
    server_books,
    snapshot_server,
    snapshot_store,
    sync_until_quiet,
    visible_to,
)

#: (account, device name): two devices of one agent and a lead of the same team.
DEVICES = (("alex", "alex-desk"), ("alex", "alex-laptop"), ("morgan", "morgan"))
WORDS = ("printer", "VPN", "refund", "laptop", "badge", "invoice", "headset", "password")
MUTATIONS = ("customer", "ticket", "ticket", "edit_ticket", "edit_ticket", "edit_customer",
             "contact", "article", "edit_article", "edit_article", "allocate", "spend",
             "spend", "reverse", "mood")
TRAFFIC = ("sync", "sync", "sync", "pull", "lost_answer", "push_twice", "replay")

#: A drawn step: (what, which replica, two small numbers that pick rows and values).
step = st.tuples(st.sampled_from(MUTATIONS * 2 + TRAFFIC * 2 + ("outage",)),
                 st.integers(0, len(DEVICES) - 1), st.integers(0, 7), st.integers(0, 7))


#: An example always run first: everyone works on the same rows while the server is down
#: (both of alex's devices spend and log a mood, all edit the seed article and ticket,
#: the lead takes back alex's budget),
#: then they sync in turn, one push answered twice and one answer lost.
OFFLINE_RACE = [
    ("outage", 0, 0, 0),
    ("spend", 0, 0, 5), ("spend", 1, 0, 5), ("mood", 0, 2, 0), ("mood", 1, 4, 0),
    ("edit_article", 0, 1, 1), ("edit_article", 1, 1, 2), ("edit_article", 2, 0, 3),
    ("edit_ticket", 0, 1, 2), ("edit_ticket", 1, 1, 3), ("edit_ticket", 2, 0, 4),
    ("edit_customer", 2, 0, 1), ("edit_customer", 0, 0, 2), ("allocate", 2, 0, 1),
    ("reverse", 2, 0, 0), ("outage", 0, 0, 0),
    ("push_twice", 1, 0, 0), ("lost_answer", 0, 0, 0), ("sync", 2, 0, 0), ("sync", 1, 0, 0),
    ("replay", 1, 3, 0), ("sync", 0, 0, 0), ("replay", 2, 0, 0),
]


@dataclass
class Run:
    """One example: the server, this example's replicas, and what happened."""

    server: RunningServer
    replicas: list[Replica]
    online: bool = True
    trace: list[str] = field(default_factory=list)

    def set_online(self, online: bool) -> None:
        if online and not self.online:
            self.server.thread.start()
        elif not online and self.online:
            self.server.thread.stop()
        self.online = online


def _ids(replica: Replica, entity: str) -> list[str]:
    with replica.store.raw() as connection:
        return [r[0] for r in connection.execute(f"SELECT id FROM {entity} ORDER BY id")]


def _pick(replica: Replica, entity: str, index: int) -> str | None:
    ids = _ids(replica, entity)
    return ids[index % len(ids)] if ids else None


def _mutate(run: Run, kind: str, replica: Replica, a: int, b: int) -> None:
    """One service call as the replica's agent; a refusal by the service is a no-op."""
    ctx = replica.ctx
    word = WORDS[a]
    if kind == "customer":
        customers.create_customer(ctx, name=f"{word.title()} customer {b}")
    elif kind == "ticket" and (customer := _pick(replica, "customer", a)):
        tickets.create_ticket(ctx, customer=customer, subject=f"{word} trouble {b}",
                              priority=f"p{b % 4 + 1}")
    elif kind == "edit_ticket" and (ticket := _pick(replica, "ticket", a)):
        change = ({"subject": f"{WORDS[b]} again"}, {"priority": f"p{b % 4 + 1}"},
                  {"status": ("new", "open", "waiting")[b % 3]})[a % 3]
        tickets.update_ticket(ctx, ticket, **change)  # type: ignore[arg-type]
    elif kind == "edit_customer" and (customer := _pick(replica, "customer", a)):
        change = {"name": f"{WORDS[b].title()} & co"} if b % 2 else {"notes": f"likes {word}"}
        customers.update_customer(ctx, customer, **change)
    elif kind == "contact" and (ticket := _pick(replica, "ticket", a)):
        contacts.log_contact(ctx, channel=("phone", "email", "chat")[b % 3],
                             summary=f"talked about {word}", ticket=ticket)
    elif kind == "article":
        kb.create_article(ctx, title=f"How to fix the {word}", body=f"Step {b}: restart.")
    elif kind == "edit_article" and (article := _pick(replica, "kb_article", a)):
        change = ({"title": f"About the {WORDS[b]}"}, {"body": f"Try {WORDS[b]} first."},
                  {"title": f"{WORDS[b]} FAQ", "body": f"{b} steps."})[a % 3]
        kb.edit_article(ctx, article, **change)
    elif kind == "allocate" and ctx.actor.is_lead:
        goodwill.allocate(ctx, ("alex", "blake")[a % 2], Money((b + 1) * 1000, "EUR"))
    elif kind == "spend" and not ctx.actor.is_lead and (ticket := _pick(replica, "ticket", a)):
        goodwill.spend(ctx, Money((b + 1) * 700, "EUR"), reason=f"sorry about the {word}",
                       ticket=ticket)
    elif kind == "reverse" and ctx.actor.is_lead and (entry := _pick(replica, "goodwill_entry", a)):
        goodwill.reverse(ctx, entry, reason=f"booked by mistake ({word})")
    elif kind == "mood":
        wellbeing.record_mood(ctx, a % 5 + 1, on=wellbeing.local_today(ctx) - timedelta(b % 3))


def _raw_push(run: Run, replica: Replica) -> tuple[list[local.Pending], list[Any]] | None:
    batch = local.pending_changes(replica.store, 20)
    if not batch:
        return None
    request = PushRequest(client_id=replica.client.client_id, changes=[p.change for p in batch])
    answers, books = [], []
    for _ in range(2):
        answers.append(PushResponse.model_validate(replica.client._call(
            "POST", "/api/v1/sync/push", json=request.model_dump(mode="json"))).results)
        books.append(server_books(run.server.db.engine))
    assert books[1] == books[0], "the same push sent again changed the server"
    return batch, answers


def _traffic(run: Run, kind: str, replica: Replica, a: int) -> None:
    if kind == "sync":
        replica.sync()
    elif kind == "pull":
        replica.client.pull()
    elif kind in ("lost_answer", "push_twice") and (pushed := _raw_push(run, replica)):
        batch, (first, second) = pushed
        # The second sending of the same request changes nothing and repeats each answer.
        assert [r.status for r in second] == ["duplicate"] * len(batch)
        assert [r.outcome for r in second] == [
            r.outcome if r.status == "duplicate" else r.status for r in first]
        if kind == "push_twice":
            local.record_answers(replica.store, batch, second)
        # lost_answer: the client never heard; its next sync sends the batch again.
    elif kind == "replay":
        _replay_earlier_page(run, replica, a)


def _replay_earlier_page(run: Run, replica: Replica, a: int) -> None:
    """Apply again a page this replica already applied: nothing may change."""
    cursor = local.read_cursor(replica.store)
    if cursor == 0:
        return
    page = PullResponse.model_validate(replica.client._call(
        "GET", "/api/v1/sync/pull", params={"cursor": cursor * a // 8, "limit": 1 + a * 3}))
    changes = [c for c in page.changes if c.seq <= cursor]
    before = snapshot_store(replica.store)
    changed = local.apply_pulled(replica.store, changes, cursor)
    assert snapshot_store(replica.store) == before
    assert changed == 0
    assert local.read_cursor(replica.store) == cursor


def _play(run: Run, steps: list[tuple[str, int, int, int]]) -> None:
    for kind, who, a, b in steps:
        replica = run.replicas[who]
        run.trace.append(f"{kind} {replica.handle}#{who} {a} {b}")
        if kind == "outage":
            run.set_online(not run.online)
            continue
        try:
            if kind in MUTATIONS:
                _mutate(run, kind, replica, a, b)
            else:
                _traffic(run, kind, replica, a)
        except Offline:
            assert not run.online, "the client found the running server unreachable"
            run.trace.append("  offline")
        except DeskError as refused:
            run.trace.append(f"  refused: {refused}")


def _check(run: Run) -> None:
    db = run.server.db
    sync_until_quiet(run.replicas, db)
    on_server = snapshot_server(db.engine)
    for replica in run.replicas:
        assert snapshot_store(replica.store) == visible_to(on_server, replica.handle), \
            f"{replica.store.path.name} differs from what the server lets it see"
        _every_change_accounted_for(replica, on_server)
    assert logged_twice(db.engine) == []
    _tell_what_happened(run, on_server)
    ledger = GoodwillEntry.__table__  # type: ignore[attr-defined]
    with db.engine.connect() as connection:
        lowest = connection.execute(
            select(func.min(select(func.sum(ledger.c.amount_cents))
                            .group_by(ledger.c.budget_agent_id, ledger.c.period)
                            .subquery().c[0]))).scalar()
    assert lowest is None or lowest >= 0


def _tell_what_happened(run: Run, on_server: dict[str, Any]) -> None:
    """Hypothesis statistics (--hypothesis-show-statistics): which paths examples took."""
    for replica in run.replicas:
        for change in local.rejected_changes(replica.store, limit=500):
            event(f"rejected: {change.entity} {change.code}")
    if any("conflict-copy" in a["tags"] for a in on_server["kb_article"].values()):
        event("a KB conflict copy was made")
    if any(line.startswith("outage") for line in run.trace):
        event("the server went down")


def _every_change_accounted_for(replica: Replica, on_server: dict[str, Any]) -> None:
    with replica.store.raw() as connection:
        rows = connection.execute(
            "SELECT entity, row_id, op, state, error_code FROM outbox").fetchall()
    mine = snapshot_store(replica.store)
    for entity, row_id, op, state, code in rows:
        assert state in ("applied", "rejected"), f"{entity} {row_id} still {state}"
        if state == "rejected":
            assert code, f"{entity} {row_id} rejected without a code"
            if op == "insert":
                assert row_id not in mine[entity], f"rejected {entity} still shown"
        elif op == "insert":
            assert row_id in on_server[entity], f"applied {entity} missing on the server"


@pytest.fixture
def blank_store(tmp_path: Path) -> Path:
    """A migrated, empty store file: each example's replicas start as copies of it."""
    path = tmp_path / "blank.db"
    open_store(path).close()
    return path


def _open_replica(blank: Path, path: Path, server: RunningServer, handle: str) -> Replica:
    """Replica.open, faster: the schema copied, and plain HTTP (no TLS setup) to loopback."""
    shutil.copyfile(blank, path)
    store = open_store(path)
    client = SyncClient(store, server.url, server.tokens[handle],
                        transport=httpx.HTTPTransport(verify=False))
    replica = Replica(store, client, handle)
    replica.sync()
    return replica


def _seed(replicas: list[Replica]) -> None:
    """What every example starts from, synced everywhere: budgets, a ticket, an article.

    Without it most drawn steps would find nothing to edit or spend from yet.
    """
    desk, _, lead = replicas
    goodwill.allocate(lead.ctx, "alex", Money(5000, "EUR"))
    goodwill.allocate(lead.ctx, "blake", Money(3000, "EUR"))
    customer = customers.create_customer(desk.ctx, name="Seed customer")
    tickets.create_ticket(desk.ctx, customer=customer.id, subject="Seed ticket")
    kb.create_article(desk.ctx, title="Seed article", body="Turn it off and on again.")
    for replica in (lead, desk, *replicas):
        replica.sync()


@contextmanager
def _fresh_run(server: RunningServer, blank: Path) -> Iterator[Run]:
    if not server.thread._server:  # a failed example may have left it stopped
        server.thread.start()
    reset_server(server.db, server.tokens)
    with tempfile.TemporaryDirectory(prefix="converge-") as folder:
        replicas: list[Replica] = []
        try:
            for handle, device in DEVICES:
                replicas.append(_open_replica(blank, Path(folder) / f"{device}.db", server,
                                              handle))
            _seed(replicas)
            run = Run(server, replicas)
            yield run
        finally:
            for replica in replicas:
                with suppress(Exception):
                    replica.close()


#: Shrinking replays whole examples against a real server: minutes per failure. The
#: failing steps are printed as they are (see `note`); set this to shrink them locally.
SHRINK = os.environ.get("DESKTERM_TEST_SHRINK") == "1"


@settings(max_examples=15, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate, *([Phase.shrink] if SHRINK else [])],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@example(steps=OFFLINE_RACE)
@given(steps=st.lists(step, min_size=12, max_size=45))
def test_replicas_synced_in_any_order_converge(server: RunningServer, blank_store: Path,
                                               steps: list[tuple[str, int, int, int]]) -> None:
    with _fresh_run(server, blank_store) as run:
        try:
            _play(run, steps)
            run.set_online(True)
            _check(run)
        finally:
            note("\n".join(run.trace))
            run.set_online(True)
