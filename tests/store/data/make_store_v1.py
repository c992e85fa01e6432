"""Makes store-v1.db, a store as the first schema wrote it, for tests/store/test_migrations.py."""

# How the committed fixture was made (once, from the repository root):
#
#     /work/venv/bin/python tests/store/data/make_store_v1.py
#
# It applies migration 1 only (`migrate(conn, target=1)`) on a new sqlite3 connection in
# autocommit mode, then inserts one small desk with raw INSERT statements, the way rows
# looked on disk under schema 1: timestamps as 'YYYY-MM-DD HH:MM:SS.ffffff' UTC text
# (SQLAlchemy's SQLite format), booleans as 0/1, lists as JSON text. Every schema-1 table
# gets rows, and one KB article is deleted (the v2 search backfill must skip it). The file
# stays in rollback-journal mode with no -journal/-wal/-shm beside it. Migration scripts
# are frozen once released, so the file never needs remaking; test_migrations.py states
# the values it must hold, independently of this script.

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))  # run from anywhere: import the working tree

from deskterm.store.migrations import migrate, schema_version  # noqa: E402

TARGET = HERE / "store-v1.db"

TEAM = "019a8a40-0000-7000-8000-00000000a001"
DEPARTMENT = "019a8a40-0000-7000-8000-00000000d001"
ROOT = "019a8a40-0000-7000-8000-0000000000a1"
MORGAN = "019a8a40-0000-7000-8000-0000000000a2"
ALEX = "019a8a40-0000-7000-8000-0000000000a3"
CUSTOMER = "019a8a40-0000-7000-8000-00000000c001"
TICKET = "019a8a40-0000-7000-8000-00000000e001"
EVENT = "019a8a40-0000-7000-8000-00000000e101"
CONTACT = "019a8a40-0000-7000-8000-00000000f001"
ARTICLE_VPN = "019a8a40-0000-7000-8000-00000000b001"
ARTICLE_PRINTER = "019a8a40-0000-7000-8000-00000000b002"
ARTICLE_DELETED = "019a8a40-0000-7000-8000-00000000b003"
LINK = "019a8a40-0000-7000-8000-00000000b101"
ALLOCATION = "019a8a40-0000-7000-8000-000000006001"
SPEND = "019a8a40-0000-7000-8000-000000006002"
MOOD = "019a8a40-0000-7000-8000-000000007001"
KUDOS = "019a8a40-0000-7000-8000-000000008001"

ROWS: list[tuple[str, dict[str, object]]] = [
    ("team", {"id": TEAM, "name": "Desk North", "created_at": "2026-11-02 08:00:00.000000"}),
    ("department", {"id": DEPARTMENT, "code": "IT", "name": "IT"}),
    ("agent", {"id": ROOT, "handle": "root", "name": "Rosa Admin", "email": None,
               "role": "admin", "tier": 1, "team_id": TEAM, "active": 1,
               "created_at": "2026-11-02 08:00:01.000000"}),
    ("agent", {"id": MORGAN, "handle": "morgan", "name": "Morgan Lead",
               "email": "morgan@desk.example", "role": "lead", "tier": 1, "team_id": TEAM,
               "active": 1, "created_at": "2026-11-02 08:00:02.000000"}),
    ("agent", {"id": ALEX, "handle": "alex", "name": "Alex Agent", "email": None,
               "role": "agent", "tier": 1, "team_id": TEAM, "active": 1,
               "created_at": "2026-11-02 08:00:03.000000"}),
    ("customer", {"id": CUSTOMER, "name": "Jo Jansen", "organisation": "Acme",
                  "email": "jo@example.com", "phone": "+31 20 123 4567",
                  "products": '["Laptop", "VPN"]', "notes": "Prefers e-mail.",
                  "created_at": "2026-11-03 09:15:00.250000",
                  "updated_at": "2026-11-04 10:00:00.000000", "erased_at": None,
                  "deleted": 0}),
    ("ticket", {"id": TICKET, "number": 7, "subject": "VPN drops every hour",
                "description": "Since the update on Monday.", "kind": "incident",
                "status": "open", "priority": 2, "department_id": DEPARTMENT,
                "customer_id": CUSTOMER, "owner_id": ALEX, "resolver_tier": None,
                "resolver_group": None, "escalation_reason": None, "escalated_at": None,
                "resolution": None, "first_contact_resolution": None,
                "created_at": "2026-11-04 10:00:00.000000",
                "updated_at": "2026-11-04 10:05:00.000000", "resolved_at": None,
                "last_contact_at": "2026-11-04 10:05:00.000000", "deleted": 0}),
    ("ticket_event", {"id": EVENT, "ticket_id": TICKET, "agent_id": ALEX, "kind": "created",
                      "detail": "for Jo Jansen", "created_at": "2026-11-04 10:00:00.000000"}),
    ("contact", {"id": CONTACT, "customer_id": CUSTOMER, "agent_id": ALEX,
                 "ticket_id": TICKET, "channel": "phone", "direction": "inbound",
                 "summary": "Called about the VPN dropping.",
                 "occurred_at": "2026-11-04 10:05:00.000000", "self_rating": 4}),
    ("kb_article", {"id": ARTICLE_VPN, "title": "VPN keeps disconnecting",
                    "body": "Renew the certificate in the VPN client, then reconnect.",
                    "tags": '["vpn", "network"]', "department_id": DEPARTMENT,
                    "author_id": MORGAN, "version": 3,
                    "created_at": "2026-11-02 12:00:00.000000",
                    "updated_at": "2026-11-03 12:00:00.000000", "deleted": 0}),
    ("kb_article", {"id": ARTICLE_PRINTER, "title": "Printer jams on floor 3",
                    "body": "Open tray 2 and remove the crumpled paper.", "tags": "[]",
                    "department_id": None, "author_id": None, "version": 1,
                    "created_at": "2026-11-02 12:30:00.000000",
                    "updated_at": "2026-11-02 12:30:00.000000", "deleted": 0}),
    ("kb_article", {"id": ARTICLE_DELETED, "title": "Obsolete fax instructions",
                    "body": "Dial zero for an outside line, then the fax number.",
                    "tags": '["fax"]', "department_id": None, "author_id": MORGAN,
                    "version": 2, "created_at": "2026-11-02 13:00:00.000000",
                    "updated_at": "2026-11-05 13:00:00.000000", "deleted": 1}),
    ("ticket_article", {"id": LINK, "ticket_id": TICKET, "article_id": ARTICLE_VPN,
                        "agent_id": ALEX, "created_at": "2026-11-04 10:06:00.000000"}),
    ("goodwill_entry", {"id": ALLOCATION, "kind": "allocation", "budget_agent_id": ALEX,
                        "period": "2026-11", "amount_cents": 10000, "currency": "EUR",
                        "ticket_id": None, "customer_id": None,
                        "reason": "November budget", "reverses_id": None,
                        "author_id": MORGAN, "created_at": "2026-11-02 08:30:00.000000"}),
    ("goodwill_entry", {"id": SPEND, "kind": "spend", "budget_agent_id": ALEX,
                        "period": "2026-11", "amount_cents": -2500, "currency": "EUR",
                        "ticket_id": TICKET, "customer_id": CUSTOMER,
                        "reason": "Voucher for the outage", "reverses_id": None,
                        "author_id": ALEX, "created_at": "2026-11-04 10:10:00.000000"}),
    ("mood_entry", {"id": MOOD, "agent_id": ALEX, "local_date": "2026-11-04", "score": 4,
                    "note": "Busy but fine", "created_at": "2026-11-04 16:55:00.000000"}),
    ("kudos", {"id": KUDOS, "source": "customer", "from_name": "Jo Jansen",
               "message": "Alex fixed my VPN in minutes!", "about_agent_id": ALEX,
               "team_id": TEAM, "customer_id": CUSTOMER, "ticket_id": TICKET,
               "contact_id": CONTACT, "author_id": ALEX,
               "created_at": "2026-11-04 10:20:00.000000"}),
]


def make(target: Path = TARGET) -> Path:
    """Write the schema-1 store at `target`, replacing any earlier one."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    connection = sqlite3.connect(target, isolation_level=None)
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        migrate(connection, target=1)
        connection.execute("BEGIN")
        for table, row in ROWS:
            names = ", ".join(row)
            marks = ", ".join(f":{name}" for name in row)
            connection.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", row)
        connection.execute("COMMIT")
        assert schema_version(connection) == 1
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        connection.execute("VACUUM")
    finally:
        connection.close()
    return target


if __name__ == "__main__":
    print(f"wrote {make()}")
