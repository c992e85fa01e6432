"""The demo generator's contract: deterministic, refuses what it must, leaves the store right."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from deskterm.demo import DEFAULT_LEAD, DemoSummary, generate_demo
from deskterm.demo.timeline import make_stamp, stamp_slow, to_ms
from deskterm.domain import (
    Agent,
    Contact,
    Customer,
    GoodwillEntry,
    KbArticle,
    Kudos,
    MoodEntry,
    Ticket,
)
from deskterm.domain.enums import Channel, LedgerKind, Priority, Role, TicketStatus, Tier
from deskterm.domain.errors import Conflict, InvalidInput
from deskterm.store import Store, open_store
from tests.demo.conftest import ANCHOR, ANCHOR_TEXT, dump, fill, scalar

# -- determinism -------------------------------------------------------------------------


def test_same_seed_and_anchor_give_identical_data(tmp_path: Path) -> None:
    first, _ = fill(tmp_path / "a.db")
    second, _ = fill(tmp_path / "b.db")
    first.close()
    second.close()
    assert dump(tmp_path / "a.db") == dump(tmp_path / "b.db")


def test_files_are_byte_identical_across_processes(tmp_path: Path) -> None:
    # Another process with another string-hash seed: no set or dict order may leak in.
    script = ("import sys; from datetime import datetime, UTC; "
              "from deskterm.store import open_store; from deskterm.demo import generate_demo; "
              "store = open_store(sys.argv[1]); "
              "generate_demo(store, tickets=500, seed=5, anchor=datetime(2026, 3, 18, "
              "tzinfo=UTC)); store.close()")
    for name, hash_seed in (("one.db", "1"), ("two.db", "2")):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run([sys.executable, "-c", script, str(tmp_path / name)], check=True,
                       env=env, cwd=Path(__file__).parents[2])
    assert (tmp_path / "one.db").read_bytes() == (tmp_path / "two.db").read_bytes()


def test_another_seed_gives_other_data(tmp_path: Path) -> None:
    first, _ = fill(tmp_path / "a.db", seed=1)
    second, _ = fill(tmp_path / "b.db", seed=2)
    first.close()
    second.close()
    one, two = dump(tmp_path / "a.db"), dump(tmp_path / "b.db")
    assert one["ticket"] != two["ticket"]
    assert {r[0] for r in one["agent"]}.isdisjoint(r[0] for r in two["agent"])


def test_fast_time_format_matches_datetime() -> None:
    stamp = make_stamp(to_ms(ANCHOR))
    for ms in (to_ms(ANCHOR) - 1, to_ms(ANCHOR) - 3_000 * 86_400_000, 1_700_000_000_123):
        assert stamp(ms) == stamp_slow(ms)
    assert stamp(to_ms(ANCHOR)) == ANCHOR_TEXT


# -- refusals ----------------------------------------------------------------------------


def test_refuses_a_store_with_data_and_writes_nothing(tmp_path: Path) -> None:
    store = open_store(tmp_path / "used.db")
    with store.transaction() as session:
        session.add(Agent(handle="sam", name="Sam Example"))
    before = dump(tmp_path / "used.db")
    with pytest.raises(Conflict, match="already has data"):
        generate_demo(store, tickets=100, anchor=ANCHOR)
    assert dump(tmp_path / "used.db") == before
    store.close()


def test_refuses_a_second_run(tmp_path: Path) -> None:
    store, _ = fill(tmp_path / "twice.db", tickets=100)
    with pytest.raises(Conflict):
        generate_demo(store, tickets=100, anchor=ANCHOR)
    with closing(sqlite3.connect(tmp_path / "twice.db")) as con:
        assert scalar(con, "SELECT count(*) FROM ticket") == 100
    store.close()


@pytest.mark.parametrize("tickets", [0, -5, 5_000_001, True, 2.5])
def test_rejects_a_ticket_count_out_of_range(tmp_path: Path, tickets: object) -> None:
    store = open_store(tmp_path / "bad.db")
    with pytest.raises(InvalidInput, match="tickets"):
        generate_demo(store, tickets=tickets)  # type: ignore[arg-type]
    store.close()


def test_rejects_a_naive_anchor(tmp_path: Path) -> None:
    store = open_store(tmp_path / "naive.db")
    with pytest.raises(InvalidInput, match="time zone"):
        generate_demo(store, tickets=10, anchor=datetime(2026, 1, 1))
    store.close()


# -- the load leaves the store as the app expects it ---------------------------------------


def test_schema_pragmas_and_sync_tables_as_before(demo: tuple[Store, DemoSummary, Path],
                                                  tmp_path: Path, con: sqlite3.Connection
                                                  ) -> None:
    store, _, _ = demo
    fresh = open_store(tmp_path / "fresh.db")
    fresh.close()
    with closing(sqlite3.connect(tmp_path / "fresh.db")) as other:
        schema = "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%'"
        assert sorted(con.execute(schema)) == sorted(other.execute(schema))
    assert scalar(con, "PRAGMA journal_mode") == "wal"
    assert scalar(con, "SELECT count(*) FROM outbox") == 0
    assert scalar(con, "SELECT count(*) FROM field_clock") == 0
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]  # CHECKs too
    with store.raw() as pooled:
        assert scalar(pooled, "PRAGMA foreign_keys") == 1
        assert scalar(pooled, "PRAGMA ignore_check_constraints") == 0
        assert scalar(pooled, "PRAGMA synchronous") == 1


def test_loads_while_another_connection_is_open(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    store = open_store(path)
    with closing(sqlite3.connect(path)) as watcher:
        # A reader that has the file open: the load cannot leave WAL mode now.
        assert scalar(watcher, "SELECT count(*) FROM ticket") == 0
        summary = generate_demo(store, tickets=300, anchor=ANCHOR)
        assert scalar(watcher, "SELECT count(*) FROM ticket") == 300
    assert summary.tickets == 300
    with closing(sqlite3.connect(path)) as con:
        assert scalar(con, "PRAGMA journal_mode") == "wal"
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    store.close()


def test_summary_counts_the_rows(demo: tuple[Store, DemoSummary, Path],
                                 con: sqlite3.Connection) -> None:
    _, summary, _ = demo
    counts = {
        "teams": "team", "departments": "department", "agents": "agent",
        "customers": "customer", "tickets": "ticket", "contacts": "contact",
        "articles": "kb_article", "ledger_entries": "goodwill_entry", "moods": "mood_entry",
        "kudos": "kudos",
    }
    for field, table in counts.items():
        assert getattr(summary, field) == scalar(con, f"SELECT count(*) FROM {table}"), field
    assert summary.customers == 2000
    assert summary.seconds > 0


# -- read back through the models ------------------------------------------------------------


def test_rows_read_back_through_the_models(demo: tuple[Store, DemoSummary, Path],
                                           con: sqlite3.Connection) -> None:
    store, _, _ = demo
    escalated = scalar(con, "SELECT id FROM ticket WHERE status = 'escalated' LIMIT 1")
    walk_in = scalar(con, "SELECT id FROM contact WHERE channel = 'walk-in' LIMIT 1")
    with store.reading() as session:
        ticket = session.get(Ticket, escalated)
        assert ticket is not None
        assert ticket.status is TicketStatus.ESCALATED
        assert isinstance(ticket.priority, Priority) and ticket.resolver_tier in (2, 3)
        assert ticket.created_at.tzinfo == UTC and ticket.escalated_at is not None
        assert ticket.created_at < ticket.escalated_at < ANCHOR
        assert ticket.key == f"SD-{ticket.number}"
        owner = session.get(Agent, ticket.owner_id)
        assert owner is not None and owner.tier is Tier.FIRST
        customer = session.get(Customer, ticket.customer_id)
        assert customer is not None and customer.products
        contact = session.get(Contact, walk_in)
        assert contact is not None and contact.channel is Channel.WALK_IN
        article = session.exec(select(KbArticle).limit(1)).one()
        assert article.tags and article.updated_at.tzinfo == UTC
        entry = session.exec(select(GoodwillEntry).where(GoodwillEntry.kind == "spend")
                             .limit(1)).one()
        assert entry.kind is LedgerKind.SPEND and entry.amount.cents < 0
        mood = session.exec(select(MoodEntry).limit(1)).one()
        assert 1 <= mood.score <= 5
        kudos = session.exec(select(Kudos).limit(1)).one()
        assert kudos.created_at.tzinfo == UTC
        lead = session.exec(select(Agent).where(Agent.handle == DEFAULT_LEAD)).one()
        assert lead.role is Role.LEAD
