"""The demo desk reads true: people, tickets, contacts, KB, ledger, moods and kudos."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from datetime import datetime

import pytest

from deskterm.demo import DEFAULT_AGENT, DEFAULT_LEAD
from deskterm.demo.corpus import ascii_fold
from deskterm.domain.enums import Channel, TicketKind, TicketStatus
from tests.demo.conftest import ANCHOR_TEXT, STAMP, TICKETS, scalar

# -- the desk's people ---------------------------------------------------------------------


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


def test_emails_keep_every_letter_of_the_name(con: sqlite3.Connection) -> None:
    """`Elif Yılmaz` is `elif.yilmaz@`, not `elif.ylmaz@`: letters are transliterated."""
    assert ascii_fold("Elif Yılmaz") == "elifyilmaz"
    assert ascii_fold("Søren Weiß") == "sorenweiss"
    assert ascii_fold("Sébastien") == "sebastien"
    rows = con.execute("SELECT name, email FROM customer WHERE name LIKE '%Yıldız%'").fetchall()
    assert rows, "the demo has a name with a dotless i"
    assert all("yildiz" in email for _name, email in rows), rows[:3]


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


def test_store_sort_keys_match_its_triggers(con: sqlite3.Connection) -> None:
    columns = {r[1] for r in con.execute("PRAGMA table_info(ticket)")}
    if not {"customer_sort", "owner_sort"} <= columns:
        pytest.skip("this schema keeps no sort keys on tickets")
    assert scalar(con, "SELECT count(*) FROM ticket t JOIN customer c ON c.id = t.customer_id "
                       "WHERE t.customer_sort != lower(c.name)") == 0
    assert scalar(con, "SELECT count(*) FROM ticket t LEFT JOIN agent a ON a.id = t.owner_id "
                       "WHERE t.owner_sort != ifnull(a.handle, '')") == 0
    assert scalar(con, "SELECT count(*) FROM customer WHERE name != lower(name) "
                       "AND name GLOB '*[^ -~]*'") > 0  # names beyond ASCII were tried


def test_escalated_tickets_stay_with_the_desk(con: sqlite3.Connection) -> None:
    rows = con.execute(
        "SELECT a.tier, t.resolver_tier, t.resolver_group, t.escalation_reason, "
        "t.escalated_at, t.created_at, g.name, g.tier FROM ticket t "
        "JOIN agent a ON a.id = t.owner_id "
        "LEFT JOIN resolver_group g ON g.id = t.resolver_group_id "
        "WHERE t.resolver_tier IS NOT NULL").fetchall()
    assert rows
    assert scalar(con, "SELECT count(*) FROM ticket WHERE status = 'escalated' "
                       "AND resolver_tier IS NOT NULL") == \
        scalar(con, "SELECT count(*) FROM ticket WHERE status = 'escalated'")
    for owner_tier, resolver_tier, group, reason, escalated_at, created_at, name, tier in rows:
        assert owner_tier == 1 and resolver_tier in (2, 3)
        assert group and reason and (name, tier) == (group, resolver_tier)
        assert created_at <= escalated_at < ANCHOR_TEXT
    # Only a ticket that was escalated names a group (it keeps it once it comes back).
    assert scalar(con, "SELECT count(*) FROM ticket WHERE resolver_tier IS NOT NULL AND id "
                       "NOT IN (SELECT ticket_id FROM ticket_event WHERE kind = 'escalated')") \
        == 0


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
        if "from-ticket" in json.loads(tags):  # drafted from a ticket (kb_origin)
            assert body.startswith("## Problem\n") and "\n## Solution\n" in body
        else:
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
    assert 200 <= len(rows) <= 300
    for source, name, about, team, customer, ticket in rows:
        if source == "peer":  # as the service writes it: the colleague and their team
            assert name and about and team
        else:
            assert name and (about is None) != (team is None)
        if source == "customer":
            assert customer and ticket
    assert {r[0] for r in rows} == {"customer", "lead", "peer"}
