"""Migrations: a server database every earlier release made upgrades in place, keeping
every row, and the old desk's data syncs to a new client afterwards."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, create_engine, inspect, select, text
from sqlmodel import SQLModel

from deskterm.cli.main import main
from deskterm.server.database import Database, server_metadata
from deskterm.server.migrations import Migration, head
from deskterm.server.runner import ServerThread, free_port
from deskterm.sync.merge import field_clock
from tests.server.conftest import OldServer
from tests.support.sync import Replica, snapshot_store

#: What the upgrade may change: the log gains entries (the private fields logged apart),
#: its head and the server's clock move, and server_meta loses two bookkeeping keys.
REWRITTEN = {"change_log", "log_head", "server_meta", "alembic_version"}


def _engine(url: str) -> Any:
    return create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))


def _rows(url: str, columns: dict[str, list[str]] | None = None,
          ) -> dict[str, set[tuple[Any, ...]]]:
    """Every row of every table; with `columns`, only those tables and columns."""
    engine = _engine(url)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            return {name: {tuple(row) for row in connection.execute(
                select(*(table.c[c] for c in (columns[name] if columns else table.c.keys()))))}
                for name, table in metadata.tables.items() if not columns or name in columns}
    finally:
        engine.dispose()


def _columns(url: str) -> dict[str, list[str]]:
    engine = _engine(url)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        return {name: table.c.keys() for name, table in metadata.tables.items()}
    finally:
        engine.dispose()


def _migrate(url: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["server", "migrate", "--database-url", url]) == 0
    return capsys.readouterr().out


def test_migrate_upgrades_in_place_and_keeps_every_row(
        old_server: OldServer, capsys: pytest.CaptureFixture[str]) -> None:
    before = _rows(old_server.url)
    old_columns = _columns(old_server.url)
    assert "alembic_version" not in before and len(before["account"]) == 3
    said = _migrate(old_server.url, capsys)
    assert f"from schema revision 0001 to {head()}" in said
    after = _rows(old_server.url, old_columns)  # the columns it had (kudos gains one)
    for table, rows in before.items():
        if table not in REWRITTEN:
            assert rows == after[table], table  # every row, as it was
    after = _rows(old_server.url)
    old_log = {row[0]: row for row in before["change_log"]}
    new_log = {row[0]: row for row in after["change_log"]}
    assert old_log.keys() <= new_log.keys()  # no entry lost
    for seq, row in old_log.items():
        if row[2] != "contact":
            assert new_log[seq] == row
    contacts = [json.loads(new_log[seq][5]) for seq, row in old_log.items()
                if row[2] == "contact" and row[4] == "insert"]
    assert contacts and all("self_rating" not in fields for fields in contacts)
    # A rewrite of the contacts' entries is counted (see database.note_log_rewritten).
    rewritten = any(new_log[seq] != row for seq, row in old_log.items())
    meta = dict(after["server_meta"])
    assert meta.keys() == {"server_id", "hlc"} | ({"log_rewrites"} if rewritten else set())
    assert meta.get("log_rewrites") == ("1" if rewritten else None)
    assert after["alembic_version"] == {(head(),)}
    assert "up to date" in _migrate(old_server.url, capsys)  # again: nothing to do


def test_an_upgraded_database_has_every_table_and_column_of_todays_schema(
        old_server: OldServer, capsys: pytest.CaptureFixture[str]) -> None:
    import deskterm.domain as domain

    _ = domain.ENTITIES
    _migrate(old_server.url, capsys)
    engine = _engine(old_server.url)
    try:
        inspector = inspect(engine)
        for metadata in (SQLModel.metadata, server_metadata, field_clock.metadata):
            for table in metadata.sorted_tables:
                present = {column["name"] for column in inspector.get_columns(table.name)}
                assert present == {column.name for column in table.columns}, table.name
    finally:
        engine.dispose()


def test_the_old_desks_data_syncs_to_a_new_client_after_the_upgrade(
        old_server: OldServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _migrate(old_server.url, capsys)
    with ServerThread(old_server.url) as server:
        alex = Replica.open(tmp_path / "alex.db", server.url, old_server.tokens["alex"], "alex")
        morgan = Replica.open(tmp_path / "morgan.db", server.url, old_server.tokens["morgan"],
                              "morgan")
        try:
            for replica in (alex, morgan):
                seen = snapshot_store(replica.store)
                assert [c["name"] for c in seen["customer"].values()] == ["Jo Jansen"]
                assert [t["subject"] for t in seen["ticket"].values()] == ["Printer offline"]
                assert [a["title"] for a in seen["kb_article"].values()] == ["Printer offline"]
                assert [k["message"] for k in seen["kudos"].values()] == [
                    "Great save with the printer"]
                assert sorted(e["amount_cents"] for e in seen["goodwill_entry"].values()) \
                    == [-1250, 5000]
            ratings = {name: [c["self_rating"] for c in snapshot_store(
                replica.store, ["contact"])["contact"].values()]
                for name, replica in (("alex", alex), ("morgan", morgan))}
            assert ratings == {"alex": [4], "morgan": [None]}  # private to its agent
            assert len(snapshot_store(alex.store, ["mood_entry"])["mood_entry"]) == 1
        finally:
            alex.close()
            morgan.close()


def test_instances_starting_together_migrate_once(old_server: OldServer) -> None:
    found: list[Migration] = []
    failed: list[BaseException] = []
    start = threading.Barrier(3)

    def open_database() -> None:
        start.wait()
        try:
            db = Database(old_server.url)
            found.append(db.migration)
            db.dispose()
        except BaseException as error:  # reported below
            failed.append(error)

    threads = [threading.Thread(target=open_database) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failed, failed
    assert sorted(m.before for m in found) == ["0001", head(), head()]


def test_serve_refuses_a_database_newer_than_the_code(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    Database(url).dispose()
    engine = _engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    capsys.readouterr()
    assert main(["serve", "--database-url", url, "--port", str(free_port())]) == 1
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1
    assert "revision 9999" in error and "newer deskterm" in error
    assert main(["server", "migrate", "--database-url", url]) == 1


def test_escalations_free_text_groups_become_groups_that_new_clients_pull(
        old_server: OldServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from deskterm.domain.groups import migrated_group_id

    engine = _engine(old_server.url)
    try:
        with engine.begin() as connection:
            connection.execute(text(
                "UPDATE ticket SET status = 'escalated', resolver_tier = 3, "
                "resolver_group = ' Printer vendor '"))
    finally:
        engine.dispose()
    _migrate(old_server.url, capsys)
    rows = _rows(old_server.url, {"resolver_group": ["id", "name", "tier"],
                                  "ticket": ["resolver_group_id"]})
    group_id = migrated_group_id("Printer vendor")
    assert rows["resolver_group"] == {(group_id, "Printer vendor", 3)}
    assert rows["ticket"] == {(group_id,)}
    logged = _rows(old_server.url, {"change_log": ["entity", "row_id"]})["change_log"]
    assert ("resolver_group", group_id) in logged
    # Again (as on a second start): nothing added.
    engine = _engine(old_server.url)
    try:
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '0005'"))
    finally:
        engine.dispose()
    _migrate(old_server.url, capsys)
    assert _rows(old_server.url, {"change_log": ["entity", "row_id"]})["change_log"] == logged
    with ServerThread(old_server.url) as server:
        alex = Replica.open(tmp_path / "alex.db", server.url, old_server.tokens["alex"], "alex")
        try:
            seen = snapshot_store(alex.store, ["resolver_group", "ticket"])
            assert [g["name"] for g in seen["resolver_group"].values()] == ["Printer vendor"]
            assert [t["resolver_group_id"] for t in seen["ticket"].values()] == [group_id]
        finally:
            alex.close()
