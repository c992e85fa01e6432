"""`insert_rows`, how a batched push writes its log and answers (COPY on PostgreSQL): the
rows read back exactly as an INSERT of the same values writes them, and a refusal is the
IntegrityError a push falls back on, leaving the transaction usable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from deskterm.server.database import Database, change_log, processed_mutation
from deskterm.sync.merge import insert_rows


def log_row(seq: int, **values: Any) -> dict[str, Any]:
    return {"seq": seq, "mutation_id": f"m-{seq}", "entity": "ticket", "row_id": f"t-{seq}",
            "op": "insert", "fields": '{"subject": "Café \\"Noord\\"\\t\\\\ 1\\n2", "x": null}',
            "hlc": f"0001-{seq:04d}-node", "author_id": None if seq % 2 else "agent-1",
            "audience": "all", "audience_agent_id": None, "audience_team_id": None,
            "created_at": datetime(2026, 11, 23, 14, 30, tzinfo=UTC)
            + timedelta(microseconds=seq)} | values


def read_back(db: Database, table: Any) -> list[tuple[Any, ...]]:
    with db.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(
            select(table).order_by(*table.primary_key.columns))]


def test_the_rows_read_back_as_an_insert_writes_them(database_url: str) -> None:
    db = Database(database_url)
    try:
        rows = [log_row(seq) for seq in range(1, 40)]
        answers = [{"mutation_id": f"m-{n}", "client_id": "c", "outcome": "rejected",
                    "code": None if n % 3 else "conflict", "reason": "it's\ta \"no\"\\",
                    "assigned": None if n % 2 else '{"number": 1001}', "seq": n,
                    "answered_at": datetime(2026, 11, 23, 15, 0, tzinfo=UTC)}
                   for n in range(1, 8)]
        with db.writing() as connection:
            connection.execute(insert(change_log), rows)
            connection.execute(insert(processed_mutation), answers)
        inserted = read_back(db, change_log), read_back(db, processed_mutation)
        with db.writing() as connection:
            connection.execute(delete(change_log))
            connection.execute(delete(processed_mutation))
            insert_rows(connection, change_log, rows)
            insert_rows(connection, processed_mutation, answers)
            insert_rows(connection, processed_mutation, [])
        assert (read_back(db, change_log), read_back(db, processed_mutation)) == inserted
        assert len(inserted[0]) == 39
    finally:
        db.dispose()


def test_a_clash_is_an_integrity_error_and_the_transaction_goes_on(database_url: str) -> None:
    db = Database(database_url)
    try:
        with db.writing() as connection:
            insert_rows(connection, change_log, [log_row(1)])
            with pytest.raises(IntegrityError), connection.begin_nested():
                insert_rows(connection, change_log, [log_row(2), log_row(1)])
            insert_rows(connection, change_log, [log_row(3)])
        assert [row[0] for row in read_back(db, change_log)] == [1, 3]
    finally:
        db.dispose()


def test_rows_of_every_kind_of_column_read_back_as_an_insert_writes_them(
        database_url: str) -> None:
    """Enums, lists kept as text, booleans, times, None and awkward text, in the tables
    a push writes most (the merge writes its new rows with insert_rows)."""
    from deskterm.domain import ENTITIES
    from deskterm.domain.enums import Priority, TicketKind, TicketStatus

    when = datetime(2026, 11, 23, 14, 30, 1, 250, tzinfo=UTC)
    customers = [{"id": f"c-{n}", "name": f"Jo\t\"{n}\"\\", "organisation": None,
                  "email": None, "phone": "+31 6", "products": ["router", "ø\nmodem"][:n % 3],
                  "notes": "", "created_at": when, "updated_at": when, "erased_at": None,
                  "deleted": bool(n % 2)} for n in range(6)]
    tickets = [{"id": f"t-{n}", "number": 1001 + n, "subject": "Printer\\N jams", "description": "",
                "kind": TicketKind.INCIDENT, "status": TicketStatus.NEW, "priority": Priority.P3,
                "department_id": None, "customer_id": f"c-{n}", "owner_id": None,
                "resolver_tier": 1, "resolver_group": None, "resolver_group_id": None,
                "escalation_reason": None, "escalated_at": None, "resolution": None,
                "first_contact_resolution": None if n % 2 else True, "created_at": when,
                "updated_at": when, "resolved_at": None, "last_contact_at": when,
                "returned_at": None, "deleted": False} for n in range(6)]
    articles = [{"id": f"a-{n}", "title": "VPN", "body": "stap 1\r\nstap 2\x1b", "tags": ["vpn"],
                 "department_id": None, "author_id": None, "version": 1, "created_at": when,
                 "updated_at": when, "deleted": False} for n in range(3)]
    written = [(ENTITIES["customer"].__table__, customers),
               (ENTITIES["ticket"].__table__, tickets),
               (ENTITIES["kb_article"].__table__, articles)]
    db = Database(database_url)
    try:
        with db.writing() as connection:
            for table, rows in written:
                connection.execute(insert(table), rows)
        inserted = [read_back(db, table) for table, _rows in written]
        with db.writing() as connection:
            for table, _rows in reversed(written):
                connection.execute(delete(table))
            for table, rows in written:
                insert_rows(connection, table, rows)
        assert [read_back(db, table) for table, _rows in written] == inserted
        assert len(inserted[1]) == 6
    finally:
        db.dispose()
