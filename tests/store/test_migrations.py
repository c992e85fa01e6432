"""Migrations: a store from the first schema upgrades whole; bad files are refused untouched."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from deskterm.domain import (
    ENTITIES,
    Agent,
    Contact,
    Customer,
    Department,
    GoodwillEntry,
    KbArticle,
    Kudos,
    MoodEntry,
    Team,
    Ticket,
    TicketArticle,
    TicketEvent,
)
from deskterm.domain.enums import (
    Channel,
    Direction,
    KudosSource,
    LedgerKind,
    Priority,
    Role,
    TicketEventKind,
    TicketKind,
    TicketStatus,
    Tier,
)
from deskterm.domain.money import Money
from deskterm.services import goodwill, kb, org, tickets
from deskterm.services.context import context_for
from deskterm.store import Store, migrations, open_store
from deskterm.store.engine import StoreError
from deskterm.store.fold import match_text, register_functions
from deskterm.store.migrations import (
    DERIVED_COLUMNS,
    LATEST_VERSION,
    Migration,
    migrate,
    schema_version,
)
from tests.conftest import FIXED_NOW, table_counts

DATA = Path(__file__).parent / "data"
FIXTURE = DATA / "store-v1.db"
#: The tables schema 1 made; every one holds rows in the fixture.
V1_TABLES = ("team", "department", "agent", "customer", "ticket", "ticket_event", "contact",
             "kb_article", "ticket_article", "goodwill_entry", "mood_entry", "kudos")


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def raw_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the schema-1 tables, as SQLite holds them, read without writing."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {
            table: connection.execute(
                f"SELECT {', '.join(_v1_columns(connection, table))} FROM {table} ORDER BY id"
            ).fetchall()
            for table in V1_TABLES
        }
    finally:
        connection.close()


#: Columns later schemas added to schema-1 tables (schema 6: kudos from a feedback response;
#: schema 9: a ticket's resolver group and its return; schema 15: a contact's mail).
ADDED_COLUMNS = {"kudos": {"feedback_id"}, "ticket": {"resolver_group_id", "returned_at"},
                 "contact": {"subject", "body", "address", "message_id"}}


def _v1_columns(connection: sqlite3.Connection, table: str) -> list[str]:
    left_out = DERIVED_COLUMNS.get(table, set()) | ADDED_COLUMNS.get(table, set())
    return [r[1] for r in connection.execute(f"PRAGMA table_info({table})")
            if r[1] not in left_out]


def dump(path: Path) -> tuple[int, list[str]]:
    """The schema version and the full SQL text of a store: equal dumps, equal stores."""
    connection = sqlite3.connect(path)
    try:
        return schema_version(connection), list(connection.iterdump())
    finally:
        connection.close()


def object_names(path: Path) -> set[str]:
    connection = sqlite3.connect(path)
    try:
        return {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
    finally:
        connection.close()


def set_user_version(path: Path, version: int) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.execute(f"PRAGMA user_version = {version}")
        connection.commit()
    finally:
        connection.close()


def sidecar_files(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name != path.name
                  and p.name.startswith(path.name))


@pytest.fixture
def old_store_path(tmp_path: Path) -> Path:
    """A private copy of the committed schema-1 fixture."""
    copy = tmp_path / "old-store.db"
    shutil.copyfile(FIXTURE, copy)
    return copy


# --- the committed fixture itself ---------------------------------------------------------


def test_fixture_is_a_schema_1_store_without_sidecar_files() -> None:
    assert FIXTURE.is_file()
    assert sidecar_files(FIXTURE) == []
    connection = sqlite3.connect(f"file:{FIXTURE}?mode=ro", uri=True)
    try:
        assert schema_version(connection) == 1
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        names = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        assert set(V1_TABLES) <= names
        assert not {"kb_fts", "meta", "outbox", "field_clock"} & names
        for table in V1_TABLES:
            assert connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, table
    finally:
        connection.close()


# --- the upgrade ---------------------------------------------------------------------------


def test_upgrade_reaches_the_latest_schema(old_store_path: Path) -> None:
    store = open_store(old_store_path)
    try:
        with store.raw() as connection:
            assert schema_version(connection) == LATEST_VERSION >= 5
            assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
            assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        store.close()
    assert {"kb_fts", "meta", "outbox", "field_clock", "kb_article_ai", "kb_article_au",
            "kb_article_ad", "ticket_text", "ticket_text_source", "ticket_text_ai",
            "ticket_text_au", "ticket_text_ad"} <= object_names(old_store_path)


def text_index_drift(path: Path) -> list[tuple[object, ...]]:
    """Entries of the queue's text index that differ from what its source view says."""
    connection = sqlite3.connect(path)
    register_functions(connection)  # the view folds text with them (schema 14)
    try:
        connection.execute("INSERT INTO ticket_text (ticket_text) VALUES ('integrity-check')")
        return connection.execute(
            "SELECT 'stale', rowid, text FROM (SELECT rowid, text FROM ticket_text "
            "EXCEPT SELECT ticket_rowid, text FROM ticket_text_source) "
            "UNION ALL SELECT 'missing', * FROM (SELECT ticket_rowid, text "
            "FROM ticket_text_source EXCEPT SELECT rowid, text FROM ticket_text)").fetchall()
    finally:
        connection.close()


def test_the_upgrade_indexes_the_old_tickets_for_the_queue_filter(
        old_store_path: Path) -> None:
    open_store(old_store_path).close()
    connection = sqlite3.connect(old_store_path)
    try:
        tickets_live = connection.execute(
            "SELECT count(*) FROM ticket WHERE NOT deleted").fetchone()[0]
        indexed = connection.execute("SELECT count(*) FROM ticket_text").fetchone()[0]
    finally:
        connection.close()
    assert indexed == tickets_live > 0
    assert text_index_drift(old_store_path) == []


def test_the_upgrade_folds_the_old_tickets_text_for_the_queue_filter(
        old_store_path: Path) -> None:
    """Schema 14: the index holds each ticket's text folded (no case, no accents)."""
    with closing(sqlite3.connect(old_store_path)) as old:
        old.execute("UPDATE ticket SET subject = 'ÇELİK Straße' WHERE rowid = 1")
        old.commit()
    open_store(old_store_path).close()
    connection = sqlite3.connect(old_store_path)
    register_functions(connection)
    try:
        rows = connection.execute(
            "SELECT t.subject, t.customer_sort, t.owner_sort, x.text FROM ticket AS t "
            "JOIN ticket_text AS x ON x.rowid = t.rowid").fetchall()
    finally:
        connection.close()
    assert rows
    assert all(text == match_text(subject, customer, owner)
               for subject, customer, owner, text in rows)
    assert any(text.startswith("celik strasse\n") for *_fields, text in rows)


def test_upgrade_keeps_every_row_as_it_was(old_store_path: Path) -> None:
    before = raw_rows(old_store_path)
    open_store(old_store_path).close()
    assert raw_rows(old_store_path) == before
    connection = sqlite3.connect(old_store_path)
    try:
        for table, columns in ADDED_COLUMNS.items():
            for column in columns:
                assert connection.execute(
                    f"SELECT count(*) FROM {table} WHERE {column} IS NOT NULL").fetchone() == (0,)
    finally:
        connection.close()


def test_upgraded_rows_read_back_through_the_tables(old_store_path: Path) -> None:
    store = open_store(old_store_path)
    with store.reading() as session:
        team = session.exec(select(Team)).one()
        department = session.exec(select(Department)).one()
        agents = {a.handle: a for a in session.exec(select(Agent)).all()}
        customer = session.exec(select(Customer)).one()
        ticket = session.exec(select(Ticket)).one()
        event = session.exec(select(TicketEvent)).one()
        contact = session.exec(select(Contact)).one()
        articles = {a.title: a for a in session.exec(select(KbArticle)).all()}
        link = session.exec(select(TicketArticle)).one()
        entries = {e.kind: e for e in session.exec(select(GoodwillEntry)).all()}
        mood = session.exec(select(MoodEntry)).one()
        kudos = session.exec(select(Kudos)).one()
    store.close()

    assert (team.name, team.created_at) == ("Desk North", utc("2026-11-02 08:00:00"))
    assert (department.code, department.name) == ("IT", "IT")

    assert set(agents) == {"root", "morgan", "alex"}
    assert (agents["root"].role, agents["morgan"].role, agents["alex"].role) == (
        Role.ADMIN, Role.LEAD, Role.AGENT)
    assert agents["alex"].tier is Tier.FIRST
    assert agents["morgan"].email == "morgan@desk.example"
    assert agents["alex"].active is True
    assert {a.team_id for a in agents.values()} == {team.id}

    assert customer.name == "Jo Jansen"
    assert customer.organisation == "Acme"
    assert customer.email == "jo@example.com"
    assert customer.phone == "+31 20 123 4567"
    assert customer.products == ["Laptop", "VPN"]
    assert customer.notes == "Prefers e-mail."
    assert customer.created_at == utc("2026-11-03 09:15:00.250000")
    assert customer.created_at.tzinfo is UTC
    assert customer.erased_at is None
    assert customer.deleted is False

    assert ticket.key == "SD-7"
    assert ticket.subject == "VPN drops every hour"
    assert ticket.description == "Since the update on Monday."
    assert ticket.kind is TicketKind.INCIDENT
    assert ticket.status is TicketStatus.OPEN
    assert ticket.priority is Priority.P2
    assert ticket.department_id == department.id
    assert ticket.customer_id == customer.id
    assert ticket.owner_id == agents["alex"].id
    assert ticket.resolver_tier is None
    assert ticket.first_contact_resolution is None
    assert ticket.created_at == utc("2026-11-04 10:00:00")
    assert ticket.last_contact_at == utc("2026-11-04 10:05:00")

    assert (event.ticket_id, event.kind, event.detail) == (
        ticket.id, TicketEventKind.CREATED, "for Jo Jansen")

    assert contact.channel is Channel.PHONE
    assert contact.direction is Direction.INBOUND
    assert contact.summary == "Called about the VPN dropping."
    assert contact.occurred_at == utc("2026-11-04 10:05:00")
    assert contact.self_rating == 4
    assert (contact.customer_id, contact.ticket_id, contact.agent_id) == (
        customer.id, ticket.id, agents["alex"].id)

    assert set(articles) == {"VPN keeps disconnecting", "Printer jams on floor 3",
                             "Obsolete fax instructions"}
    vpn = articles["VPN keeps disconnecting"]
    assert vpn.tags == ["vpn", "network"]
    assert vpn.version == 3
    assert vpn.department_id == department.id
    assert vpn.author_id == agents["morgan"].id
    assert articles["Printer jams on floor 3"].tags == []
    assert articles["Obsolete fax instructions"].deleted is True
    assert (link.ticket_id, link.article_id) == (ticket.id, vpn.id)

    assert set(entries) == {LedgerKind.ALLOCATION, LedgerKind.SPEND}
    assert entries[LedgerKind.ALLOCATION].amount == Money(10000, "EUR")
    assert entries[LedgerKind.SPEND].amount == Money(-2500, "EUR")
    assert entries[LedgerKind.SPEND].ticket_id == ticket.id
    assert entries[LedgerKind.SPEND].customer_id == customer.id
    assert entries[LedgerKind.SPEND].reason == "Voucher for the outage"
    assert {e.period for e in entries.values()} == {"2026-11"}

    assert (mood.agent_id, mood.local_date, mood.score, mood.note) == (
        agents["alex"].id, "2026-11-04", 4, "Busy but fine")

    assert kudos.source is KudosSource.CUSTOMER
    assert kudos.from_name == "Jo Jansen"
    assert kudos.message == "Alex fixed my VPN in minutes!"
    assert (kudos.about_agent_id, kudos.team_id, kudos.customer_id, kudos.ticket_id,
            kudos.contact_id) == (agents["alex"].id, team.id, customer.id, ticket.id,
                                  contact.id)


def test_the_upgrade_indexes_the_old_articles_for_search(old_store_path: Path) -> None:
    store = open_store(old_store_path)
    try:
        assert [h.plain_title for h in kb.search_articles(store, "vpn")] == [
            "VPN keeps disconnecting"]
        assert [h.plain_title for h in kb.search_articles(store, "certificate")] == [
            "VPN keeps disconnecting"]
        assert [h.plain_title for h in kb.search_articles(store, "network")] == [
            "VPN keeps disconnecting"]  # found by its tag
        assert [h.plain_title for h in kb.search_articles(store, "printer tray")] == [
            "Printer jams on floor 3"]
        assert kb.search_articles(store, "fax") == []  # deleted before the upgrade
    finally:
        store.close()


def test_services_work_on_the_upgraded_store(old_store_path: Path) -> None:
    store = open_store(old_store_path)
    try:
        alex = context_for(store, "alex", clock=lambda: FIXED_NOW)
        counts = table_counts(store)
        assert counts["outbox"] == 0

        old = tickets.add_note(alex, "SD-7", "Customer confirmed it works again")
        ticket = tickets.create_ticket(alex, customer="JO@example.com",
                                       subject="Second VPN profile")
        spent = goodwill.spend(alex, Money(2000), reason="Another voucher", ticket=ticket.key)
        article = kb.edit_article(context_for(store, "morgan"), "00000000b001",
                                  body="Reinstall the VPN client.", base_version=3)

        after = table_counts(store)
        assert after["ticket"] == counts["ticket"] + 1
        assert after["ticket_event"] == counts["ticket_event"] + 2
        assert after["goodwill_entry"] == counts["goodwill_entry"] + 1
        with store.raw() as connection:
            changes = connection.execute(
                "SELECT entity, row_id, op, state FROM outbox ORDER BY seq").fetchall()
            node = connection.execute("SELECT value FROM meta WHERE key = 'node_id'").fetchone()
        assert [(entity, op, state) for entity, _row, op, state in changes] == [
            ("ticket_event", "insert", "pending"),
            ("ticket", "insert", "pending"),
            ("ticket_event", "insert", "pending"),
            ("goodwill_entry", "insert", "pending"),
            ("kb_article", "update", "pending"),
            ("kb_edit", "insert", "pending"),
        ]
        assert [changes[i][1] for i in (0, 1, 3, 4)] == [old.id, ticket.id, spent.id,
                                                         article.id]
        assert node is not None
        assert article.version == 4
        assert goodwill.balance(store, "alex", period="2026-11").balance == Money(5500)
        assert [h.plain_title for h in kb.search_articles(store, "reinstall")] == [
            "VPN keeps disconnecting"]
        assert kb.search_articles(store, "certificate") == []
    finally:
        store.close()
    # The services' writes (a new ticket, an event on an old one) kept the queue's
    # text index in step through its triggers.
    assert text_index_drift(old_store_path) == []


def test_opening_an_upgraded_store_again_changes_nothing(old_store_path: Path) -> None:
    open_store(old_store_path).close()
    before = dump(old_store_path)
    open_store(old_store_path).close()
    assert dump(old_store_path) == before


# --- refusals ------------------------------------------------------------------------------


def test_a_store_newer_than_this_program_is_refused_untouched(old_store_path: Path) -> None:
    set_user_version(old_store_path, 99)
    before = old_store_path.read_bytes()
    with pytest.raises(StoreError) as caught:
        open_store(old_store_path)
    message = str(caught.value)
    assert "schema 99" in message
    assert "newer" in message
    assert "upgrade deskterm" in message
    assert old_store_path.read_bytes() == before
    assert sidecar_files(old_store_path) == []


@pytest.mark.parametrize(
    "content",
    [b"this is a text file, not a database\n" * 200, b"SQLite format 3\x00" + b"\xff" * 4000,
     b"\x00\x01\x02"],
    ids=["text", "broken-header", "tiny"],
)
def test_a_file_that_is_no_database_is_refused_untouched(tmp_path: Path,
                                                          content: bytes) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    with pytest.raises(StoreError) as caught:
        open_store(path)
    assert "is not a deskterm store" in str(caught.value)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == content
    assert sidecar_files(path) == []


def test_another_programs_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "places.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE bookmark (url TEXT)")
    connection.execute("INSERT INTO bookmark VALUES ('https://example.com')")
    connection.commit()
    connection.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="is not a deskterm store"):
        open_store(path)
    assert path.read_bytes() == before
    assert object_names(path) == {"bookmark"}


def test_an_empty_file_becomes_a_store(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    store = open_store(path)
    store.close()
    assert "outbox" in object_names(path)


def test_a_missing_store_is_refused_when_it_may_not_be_made(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "store.db"
    with pytest.raises(StoreError, match="no store at"):
        open_store(path, create=False)
    assert not path.parent.exists()


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot open store"):
        open_store(tmp_path)


def test_a_failed_step_leaves_the_old_store_exactly_as_it_was(old_store_path: Path) -> None:
    # A table of the next schema already exists: the v2 step fails half-way through.
    connection = sqlite3.connect(old_store_path)
    connection.execute("CREATE TABLE meta (key TEXT)")
    connection.commit()
    connection.close()
    before = old_store_path.read_bytes()
    with pytest.raises(StoreError) as caught:
        open_store(old_store_path)
    assert "cannot upgrade" in str(caught.value)
    assert "meta" in str(caught.value)
    assert old_store_path.read_bytes() == before
    assert sidecar_files(old_store_path) == []
    assert "kb_fts" not in object_names(old_store_path)


def test_a_broken_new_migration_leaves_the_store_at_its_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "store.db"
    store = open_store(path)
    org.add_agent(None, store, handle="root", name="Rosa Admin")
    kb.create_article(context_for(store, "root"), title="Kept", body="Still here")
    store.close()
    before = dump(path)

    released = migrations.all_migrations()
    broken = Migration(LATEST_VERSION + 1, "v999_broken.sql", (
        "CREATE TABLE extra (id TEXT PRIMARY KEY);\n"
        "ALTER TABLE team ADD COLUMN colour TEXT;\n"
        "INSERT INTO no_such_table VALUES (1);\n"
    ))
    monkeypatch.setattr(migrations, "all_migrations", lambda: [*released, broken])
    monkeypatch.setattr(migrations, "LATEST_VERSION", LATEST_VERSION + 1)
    with pytest.raises(StoreError) as caught:
        open_store(path)
    assert "cannot upgrade" in str(caught.value)
    assert "left as it was" in str(caught.value)
    monkeypatch.undo()

    assert dump(path) == before
    assert before[0] == LATEST_VERSION
    assert "extra" not in object_names(path)
    reopened = open_store(path)
    try:
        assert [h.plain_title for h in kb.search_articles(reopened, "kept")] == ["Kept"]
    finally:
        reopened.close()


# --- the migration runner ------------------------------------------------------------------


def test_migrate_applies_each_step_once_and_in_order(tmp_path: Path) -> None:
    connection = sqlite3.connect(tmp_path / "steps.db", isolation_level=None)
    try:
        assert migrate(connection, target=1) == [1]
        assert schema_version(connection) == 1
        assert migrate(connection) == list(range(2, LATEST_VERSION + 1))
        assert migrate(connection) == []
        assert schema_version(connection) == LATEST_VERSION
    finally:
        connection.close()


def test_released_migrations_are_numbered_without_gaps() -> None:
    found = migrations.all_migrations()
    assert [m.version for m in found] == list(range(1, LATEST_VERSION + 1))
    assert all(m.name.startswith(f"v{m.version:03d}_") for m in found)


# --- models and migrations can never drift -------------------------------------------------


@pytest.mark.parametrize("entity", sorted(ENTITIES))
def test_table_model_matches_the_migrated_schema(store: Store, entity: str) -> None:
    table = ENTITIES[entity].__table__  # type: ignore[attr-defined]
    assert table.name == entity
    with store.raw() as connection:
        info = {r[1]: r for r in connection.execute(f"PRAGMA table_info({entity})")}
        foreign = {(r[3], r[2], r[4]) for r in
                   connection.execute(f"PRAGMA foreign_key_list({entity})")}
    assert set(info) - DERIVED_COLUMNS.get(entity, set()) == set(table.columns.keys()), \
        "columns differ"
    for column in table.columns:
        _cid, _name, _type, notnull, _default, pk = info[column.name]
        assert bool(pk) == column.primary_key, f"{column.name}: primary key differs"
        if not column.primary_key:
            assert bool(notnull) == (not column.nullable), f"{column.name}: NOT NULL differs"
    model_foreign = {(column.name, fk.column.table.name, fk.column.name)
                     for column in table.columns for fk in column.foreign_keys}
    assert foreign == model_foreign, "foreign keys differ"


def test_escalations_free_text_groups_become_groups(old_store_path: Path) -> None:
    """Schema 9: each escalation's group text becomes a group, its id derived from the
    text as the server derives it (domain.groups.migrated_group_id); run again, it adds
    nothing."""
    from deskterm.domain.groups import migrated_group_id
    from deskterm.store.groups import adopt_text_groups

    connection = sqlite3.connect(old_store_path)
    connection.execute("UPDATE ticket SET status = 'escalated', resolver_tier = 3, "
                       "resolver_group = ' Printer vendor ', escalated_at = created_at")
    connection.commit()
    connection.close()
    open_store(old_store_path).close()
    connection = sqlite3.connect(old_store_path)
    try:
        group_id = migrated_group_id("Printer vendor")
        groups = connection.execute("SELECT id, name, tier FROM resolver_group").fetchall()
        assert groups == [(group_id, "Printer vendor", 3)]
        assert connection.execute("SELECT resolver_group_id FROM ticket").fetchall() == \
            [(group_id,)]
        adopt_text_groups(connection)
        assert connection.execute("SELECT id, name, tier FROM resolver_group").fetchall() \
            == groups
    finally:
        connection.close()
