"""The demo-data generator: deterministic, believable, and true to the store's rules."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from deskterm.demo import DEFAULT_AGENT, DEFAULT_LEAD, DemoSummary, generate_demo
from deskterm.demo.timeline import make_stamp, stamp_slow, to_ms
from deskterm.domain import (
    ENTITIES,
    Agent,
    Contact,
    Customer,
    GoodwillEntry,
    KbArticle,
    Kudos,
    MoodEntry,
    Ticket,
)
from deskterm.domain.enums import (
    Channel,
    LedgerKind,
    Priority,
    Role,
    TicketKind,
    TicketStatus,
    Tier,
)
from deskterm.domain.errors import Conflict, InvalidInput
from deskterm.store import Store, open_store

ANCHOR = datetime(2026, 3, 18, tzinfo=UTC)  # a Wednesday in mid-month
ANCHOR_TEXT = "2026-03-18 00:00:00.000000"
TICKETS = 3000
STAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$")


def fill(path: Path, *, tickets: int = 2000, seed: int = 7) -> tuple[Store, DemoSummary]:
    store = open_store(path)
    return store, generate_demo(store, tickets=tickets, seed=seed, anchor=ANCHOR)


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(path) as con:
        tables = [*ENTITIES, "kb_fts"]
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, DemoSummary, Path]:
    path = tmp_path_factory.mktemp("demo") / "desk.db"
    messages: list[str] = []
    store = open_store(path)
    summary = generate_demo(store, tickets=TICKETS, seed=11, anchor=ANCHOR,
                            progress=messages.append)
    assert f"tickets {TICKETS}/{TICKETS}" in messages
    yield store, summary, path
    store.close()


@pytest.fixture()
def con(demo: tuple[Store, DemoSummary, Path]) -> sqlite3.Connection:
    connection = sqlite3.connect(demo[2])
    yield connection
    connection.close()


def scalar(con: sqlite3.Connection, sql: str, *args: object) -> object:
    return con.execute(sql, args).fetchone()[0]


# -- determinism -------------------------------------------------------------------------


def test_same_seed_and_anchor_give_identical_data(tmp_path: Path) -> None:
    first, _ = fill(tmp_path / "a.db")
    second, _ = fill(tmp_path / "b.db")
    first.close()
    second.close()
    assert dump(tmp_path / "a.db") == dump(tmp_path / "b.db")


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
    with sqlite3.connect(tmp_path / "twice.db") as con:
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
    with sqlite3.connect(tmp_path / "fresh.db") as other:
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
    with sqlite3.connect(path) as watcher:
        # A reader that has the file open: the load cannot leave WAL mode now.
        assert scalar(watcher, "SELECT count(*) FROM ticket") == 0
        summary = generate_demo(store, tickets=300, anchor=ANCHOR)
        assert scalar(watcher, "SELECT count(*) FROM ticket") == 300
    assert summary.tickets == 300
    with sqlite3.connect(path) as con:
        assert scalar(con, "PRAGMA journal_mode") == "wal"
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    store.close()


# -- the desk's people ---------------------------------------------------------------------


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


def test_agents_teams_and_departments(con: sqlite3.Connection) -> None:
    agents = con.execute(
        "SELECT a.handle, a.role, a.tier, t.name FROM agent a JOIN team t ON t.id = a.team_id"
    ).fetchall()
    assert len(agents) >= 40
    handles = [a[0] for a in agents]
    assert len(set(handles)) == len(handles)
    assert all(re.fullmatch(r"[a-z]+", h) for h in handles)
    by_handle = {a[0]: a for a in agents}
    assert by_handle[DEFAULT_AGENT][1:] == ("agent", 1, "Desk North")
    assert by_handle[DEFAULT_LEAD][1:] == ("lead", 1, "Desk North")
    teams = {a[3] for a in agents}
    assert len(teams) >= 6
    for team in teams:
        assert [a[1] for a in agents if a[3] == team].count("lead") == 1
    assert [a[1] for a in agents].count("admin") == 1
    assert {a[2] for a in agents} == {1, 2, 3}
    for _, _, tier, team in agents:
        assert tier == (1 if team.startswith("Desk") else 2 if "Second" in team else 3)
    codes = {r[0] for r in con.execute("SELECT code FROM department")}
    assert {"IT", "HR", "FAC", "FIN", "PROC", "CC"} <= codes


def test_customers(con: sqlite3.Connection) -> None:
    rows = con.execute("SELECT email, products, phone, organisation FROM customer").fetchall()
    emails = [r[0] for r in rows]
    assert len(set(emails)) == len(emails)
    assert all(re.fullmatch(r"[a-z0-9.\-]+@[a-z0-9.\-]+\.example", e) for e in emails)
    for _, products, phone, organisation in rows:
        listed = json.loads(products)
        assert listed and all(isinstance(p, str) for p in listed)
        assert phone.startswith("+") and organisation
    assert scalar(con, "SELECT count(*) FROM customer WHERE notes != ''") > 100


# -- tickets and contacts ------------------------------------------------------------------


def test_tickets_cover_every_status_kind_and_priority(con: sqlite3.Connection) -> None:
    numbers = [r[0] for r in con.execute("SELECT number FROM ticket ORDER BY number")]
    assert numbers == list(range(1, TICKETS + 1))
    status = dict(con.execute("SELECT status, count(*) FROM ticket GROUP BY status").fetchall())
    assert set(status) == {s.value for s in TicketStatus}
    done = status["resolved"] + status["closed"]
    assert done > 0.85 * TICKETS
    assert status["closed"] > status["resolved"]
    kinds = dict(con.execute("SELECT kind, count(*) FROM ticket GROUP BY kind").fetchall())
    assert set(kinds) == {k.value for k in TicketKind}
    priorities = dict(con.execute("SELECT priority, count(*) FROM ticket GROUP BY 1").fetchall())
    assert set(priorities) == {1, 2, 3, 4}
    assert max(priorities, key=priorities.__getitem__) == 3
    assert scalar(con, "SELECT count(DISTINCT subject) FROM ticket") > TICKETS / 3
    assert scalar(con, "SELECT count(DISTINCT department_id) FROM ticket") == 6


def test_owners_are_desk_agents(con: sqlite3.Connection) -> None:
    tiers = {r[0] for r in con.execute(
        "SELECT DISTINCT a.tier FROM ticket t JOIN agent a ON a.id = t.owner_id")}
    assert tiers == {1}
    unassigned = con.execute("SELECT DISTINCT status FROM ticket WHERE owner_id IS NULL")
    assert {r[0] for r in unassigned} <= {"new"}


def test_escalated_tickets_stay_with_the_desk(con: sqlite3.Connection) -> None:
    rows = con.execute(
        "SELECT a.tier, t.resolver_tier, t.resolver_group, t.escalation_reason, "
        "t.escalated_at, t.created_at FROM ticket t JOIN agent a ON a.id = t.owner_id "
        "WHERE t.status = 'escalated'").fetchall()
    assert rows
    assert scalar(con, "SELECT count(*) FROM ticket WHERE status = 'escalated'") == len(rows)
    for owner_tier, resolver_tier, group, reason, escalated_at, created_at in rows:
        assert owner_tier == 1 and resolver_tier in (2, 3)
        assert group and reason
        assert created_at <= escalated_at < ANCHOR_TEXT
    assert scalar(con, "SELECT count(*) FROM ticket WHERE status != 'escalated' "
                       "AND resolver_tier IS NOT NULL") == 0


def test_resolved_tickets(con: sqlite3.Connection) -> None:
    rows = con.execute(
        "SELECT resolution, resolved_at, created_at, first_contact_resolution FROM ticket "
        "WHERE status IN ('resolved', 'closed')").fetchall()
    assert all(r[0] and r[2] <= r[1] < ANCHOR_TEXT for r in rows)
    fcr = sum(r[3] for r in rows) / len(rows)
    assert 0.6 <= fcr <= 0.7
    open_rows = con.execute("SELECT count(*) FROM ticket WHERE status NOT IN "
                            "('resolved', 'closed') AND (resolved_at IS NOT NULL "
                            "OR first_contact_resolution IS NOT NULL)")
    assert open_rows.fetchone()[0] == 0


def test_times_are_utc_text_before_the_anchor(con: sqlite3.Connection) -> None:
    columns = {
        "ticket": ("created_at", "updated_at", "resolved_at", "last_contact_at",
                   "escalated_at"),
        "contact": ("occurred_at",), "ticket_event": ("created_at",),
        "goodwill_entry": ("created_at",), "mood_entry": ("created_at",),
        "kudos": ("created_at",), "kb_article": ("created_at", "updated_at"),
        "customer": ("created_at", "updated_at"), "agent": ("created_at",),
    }
    for table, names in columns.items():
        for name in names:
            values = [r[0] for r in con.execute(
                f"SELECT {name} FROM {table} WHERE {name} IS NOT NULL")]
            assert values, (table, name)
            assert all(STAMP.match(v) and v < ANCHOR_TEXT for v in values), (table, name)
    first = scalar(con, "SELECT min(created_at) FROM ticket")
    assert "2025-09-10" <= str(first) < "2025-09-25"  # about six months of history
    assert scalar(con, "SELECT count(*) FROM ticket WHERE updated_at < created_at") == 0


def test_last_contact_is_the_latest_contact(con: sqlite3.Connection) -> None:
    wrong = con.execute(
        "SELECT count(*) FROM ticket t WHERE t.last_contact_at IS NOT "
        "(SELECT max(occurred_at) FROM contact c WHERE c.ticket_id = t.id)").fetchone()[0]
    assert wrong == 0


def test_contacts(con: sqlite3.Connection) -> None:
    per_ticket = scalar(con, "SELECT count(*) FROM contact WHERE ticket_id IS NOT NULL")
    assert 1.2 * TICKETS < per_ticket < 2.0 * TICKETS  # type: ignore[operator]
    assert scalar(con, "SELECT count(*) FROM contact WHERE ticket_id IS NULL") > 0
    channels = {r[0] for r in con.execute("SELECT DISTINCT channel FROM contact")}
    assert channels == {c.value for c in Channel}
    assert {r[0] for r in con.execute("SELECT DISTINCT direction FROM contact")} == {
        "inbound", "outbound"}
    ratings = {r[0] for r in con.execute("SELECT DISTINCT self_rating FROM contact")}
    assert ratings == {None, 1, 2, 3, 4, 5}
    # A good share of customers come back within a week.
    times: dict[str, list[datetime]] = defaultdict(list)
    for customer, occurred in con.execute("SELECT customer_id, occurred_at FROM contact"):
        times[customer].append(datetime.fromisoformat(occurred))
    repeat = sum(any((b - a).days < 7 for a, b in zip(sorted(t), sorted(t)[1:], strict=False))
                 for t in times.values())
    assert repeat > 0.25 * len(times)


def test_events_and_article_links(con: sqlite3.Connection) -> None:
    kinds = {r[0] for r in con.execute("SELECT DISTINCT kind FROM ticket_event")}
    assert {"created", "assigned", "escalated", "resolved", "reopened", "article_linked",
            "note"} <= kinds
    assert scalar(con, "SELECT count(*) FROM ticket WHERE status = 'escalated' AND id NOT IN "
                       "(SELECT ticket_id FROM ticket_event WHERE kind = 'escalated')") == 0
    links = scalar(con, "SELECT count(*) FROM ticket_article")
    assert links > TICKETS * 0.05  # type: ignore[operator]
    assert scalar(con, "SELECT count(*) FROM ticket_article l JOIN kb_article k "
                       "ON k.id = l.article_id WHERE k.created_at > l.created_at") == 0


# -- knowledge base ------------------------------------------------------------------------


def test_articles(con: sqlite3.Connection) -> None:
    rows = con.execute("SELECT title, body, tags, version, a.tier FROM kb_article k "
                       "JOIN agent a ON a.id = k.author_id").fetchall()
    assert len(rows) >= 300
    titles = [r[0] for r in rows]
    assert len(set(titles)) == len(titles)
    for title, body, tags, version, tier in rows:
        assert body.startswith(f"# {title}\n") and "\n## " in body
        assert all(isinstance(t, str) for t in json.loads(tags))
        assert 1 <= version <= 5 and tier >= 2
    assert sum("\n1. " in r[1] for r in rows) > 250
    assert sum("> **Note:**" in r[1] or "> **Warning:**" in r[1] for r in rows) > 80


@pytest.mark.parametrize("word", ["vpn", "password", "badge", "payroll", "mfa", "printer",
                                  "sharepoint", "invoice", "parking", "onboarding"])
def test_search_finds_several_articles(con: sqlite3.Connection, word: str) -> None:
    found = con.execute("SELECT article_id FROM kb_fts WHERE kb_fts MATCH ?", (word,))
    assert len(found.fetchall()) >= 3


# -- goodwill, moods, kudos ----------------------------------------------------------------


def test_goodwill_ledger(con: sqlite3.Connection) -> None:
    rows = con.execute(
        "SELECT g.id, g.kind, g.budget_agent_id, g.period, g.amount_cents, g.currency, "
        "g.ticket_id, g.reverses_id, g.created_at, author.role FROM goodwill_entry g "
        "JOIN agent author ON author.id = g.author_id ORDER BY g.created_at, g.id").fetchall()
    kinds = {r[1] for r in rows}
    assert kinds == {"allocation", "spend", "reversal"}
    balances: dict[tuple[str, str], int] = defaultdict(int)
    by_id = {r[0]: r for r in rows}
    for entry_id, kind, agent, period, cents, currency, ticket, reverses, at, role in rows:
        assert currency == "EUR" and period == at[:7]
        if kind == "allocation":
            assert 15000 <= cents <= 30000 and role in ("lead", "admin")
        elif kind == "spend":
            assert cents < 0 and ticket
        else:
            reversed_entry = by_id[reverses]
            assert cents == -reversed_entry[4] and reversed_entry[2] == agent
            assert reversed_entry[8] < at and role in ("lead", "admin")
        balances[agent, period] += cents
        assert balances[agent, period] >= 0, entry_id
    agents = scalar(con, "SELECT count(*) FROM agent")
    periods = {r[3] for r in rows}
    assert len(periods) == 4 and max(periods) == "2026-03"
    assert sum(r[1] == "allocation" for r in rows) == agents * 4  # type: ignore[operator]


def test_moods(con: sqlite3.Connection) -> None:
    assert con.execute("SELECT agent_id, local_date FROM mood_entry GROUP BY 1, 2 "
                       "HAVING count(*) > 1").fetchall() == []
    rows = con.execute("SELECT local_date, score, created_at FROM mood_entry").fetchall()
    assert all(1 <= score <= 5 and created.startswith(day) for day, score, created in rows)
    assert all(datetime.fromisoformat(day).weekday() < 5 for day, _, _ in rows)
    assert sum(score >= 3 for _, score, _ in rows) > 0.7 * len(rows)
    people = scalar(con, "SELECT count(DISTINCT agent_id) FROM mood_entry")
    assert people > 0.7 * scalar(con, "SELECT count(*) FROM agent")  # type: ignore[operator]
    assert scalar(con, "SELECT count(*) FROM mood_entry WHERE note IS NOT NULL") > 0


def test_kudos(con: sqlite3.Connection) -> None:
    rows = con.execute("SELECT source, from_name, about_agent_id, team_id, customer_id, "
                       "ticket_id FROM kudos").fetchall()
    assert 150 <= len(rows) <= 250
    for source, name, about, team, customer, ticket in rows:
        assert name and (about is None) != (team is None)
        if source == "customer":
            assert customer and ticket
    assert {r[0] for r in rows} == {"customer", "lead"}


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
