"""A server restored from a backup "goes back in time": replicas notice and bring their work back.

The backup is real: on SQLite a copy of the server's file (made with SQLite's backup
API) that is copied back; on PostgreSQL a copy of the database made with
`CREATE DATABASE ... TEMPLATE`, from which the server's database is made again. The
server is stopped around both, as an operator would. Everything the server committed
after the backup is gone: rows, change log, answers, ticket numbers.

A replica that pulled past the restored head is told `reset`: it pulls again from 0 and
pushes every change it ever had applied again. The server answers `duplicate` for what
the backup still holds and applies the rest, so nothing is lost and nothing doubled.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from deskterm.services import contacts, customers, kb, tickets
from deskterm.sync import replica as local
from tests.support.servers import RunningServer
from tests.support.sync import (
    Replica,
    logged_twice,
    pg_admin_url,
    server_head,
    snapshot_server,
    snapshot_store,
    sync_until_quiet,
    visible_to,
)


class Backup:
    """One backup of the running server's database, and putting it back."""

    def __init__(self, server: RunningServer, where: Path) -> None:
        self.server = server
        self.url = server.thread.database_url
        self.file = where / "server-backup.db"
        self.copy_name: str | None = None

    def _offline(self, action: Callable[[], None]) -> None:
        self.server.thread.stop()
        self.server.db.dispose()  # no connection may hold the database during the copy
        try:
            action()
        finally:
            self.server.thread.start()

    def take(self) -> None:
        self._offline(self._copy_out)

    def restore(self) -> None:
        self._offline(self._copy_back)

    def _copy_out(self) -> None:
        if self.url.startswith("sqlite"):
            with sqlite3.connect(self._path()) as source, sqlite3.connect(self.file) as target:
                source.backup(target)
            return
        self.copy_name = f"{self._name()}_backup"
        self._admin(f'CREATE DATABASE "{self.copy_name}" TEMPLATE "{self._name()}"')

    def _copy_back(self) -> None:
        if self.url.startswith("sqlite"):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self._path()}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(self.file, self._path())
            return
        self._admin(f'DROP DATABASE "{self._name()}" WITH (FORCE)')
        self._admin(f'CREATE DATABASE "{self._name()}" TEMPLATE "{self.copy_name}"')

    def drop(self) -> None:
        if self.copy_name:
            self._admin(f'DROP DATABASE IF EXISTS "{self.copy_name}" WITH (FORCE)')

    def _path(self) -> str:
        return self.url.removeprefix("sqlite:///")

    def _name(self) -> str:
        return self.url.rsplit("/", 1)[1]

    def _admin(self, statement: str) -> None:
        admin = pg_admin_url()
        assert admin is not None
        engine = create_engine(admin, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text(statement))
        finally:
            engine.dispose()


@pytest.fixture
def backup(server: RunningServer, tmp_path: Path) -> Iterator[Backup]:
    made = Backup(server, tmp_path)
    yield made
    made.drop()


def _everything(replica: Replica) -> dict[str, Any]:
    return snapshot_store(replica.store)


def test_a_restored_server_gets_every_replicas_lost_work_back_once(
        server: RunningServer, replica_of: Callable[..., Replica], backup: Backup) -> None:
    alex, blake = replica_of("alex"), replica_of("blake")
    customer = customers.create_customer(alex.ctx, name="Kim Kuipers")
    first = tickets.create_ticket(alex.ctx, customer=customer.id, subject="Laptop fan noise")
    alex.sync()
    blake.sync()
    backup.take()
    at_backup = server_head(server.db)

    # Work the server will lose: new tickets on both sides (numbered by the server),
    # an edit of a ticket the backup holds, an article and a contact.
    second = tickets.create_ticket(alex.ctx, customer=customer.id, subject="Dock not charging")
    tickets.update_ticket(alex.ctx, first.id, priority="p2")
    alex.sync()
    third = tickets.create_ticket(blake.ctx, customer=customer.id, subject="Headset crackles")
    article = kb.create_article(blake.ctx, title="Fan noise", body="Clean the vents.")
    contacts.log_contact(blake.ctx, channel="chat", summary="Sent the article",
                         ticket=first.id)
    blake.sync()
    alex.sync()
    assert local.read_cursor(alex.store) > at_backup

    backup.restore()
    assert server_head(server.db) == at_backup
    lost = snapshot_server(server.db.engine, ["ticket", "kb_article"])
    assert second.id not in lost["ticket"] and article.id not in lost["kb_article"]

    # blake comes back first: its ticket takes the number alex's lost ticket had held.
    report = blake.sync()
    assert report.reset and not report.rejected
    report = alex.sync()
    assert report.reset and not report.rejected
    sync_until_quiet([alex, blake], server.db)

    on_server = snapshot_server(server.db.engine)
    assert {first.id, second.id, third.id} <= set(on_server["ticket"])
    assert on_server["ticket"][first.id]["priority"] == 2
    assert article.id in on_server["kb_article"]
    assert len(on_server["contact"]) == 1
    assert logged_twice(server.db.engine) == []
    numbers = [t["number"] for t in on_server["ticket"].values()]
    assert None not in numbers and len(set(numbers)) == len(numbers)
    for replica in (alex, blake):
        assert _everything(replica) == visible_to(on_server, replica.handle)
        assert local.status(replica.store).pending == 0
        assert local.status(replica.store).rejected == 0


def test_work_on_another_replicas_lost_rows_waits_for_them_and_arrives(
        server: RunningServer, replica_of: Callable[..., Replica], backup: Backup) -> None:
    alex, blake = replica_of("alex"), replica_of("blake")
    customer = customers.create_customer(alex.ctx, name="Kim Kuipers")
    alex.sync()
    blake.sync()
    backup.take()
    lost = tickets.create_ticket(alex.ctx, customer=customer.id, subject="Dock not charging")
    alex.sync()
    blake.sync()
    tickets.update_ticket(blake.ctx, lost.id, priority="p1")
    contacts.log_contact(blake.ctx, channel="phone", summary="Tried another cable",
                         ticket=lost.id)
    blake.sync()
    alex.sync()
    backup.restore()

    # blake comes back first, with work on a ticket only alex can give back to the server:
    # refused as unknown for now, that work waits (pending, not rejected, not undone).
    first = blake.sync()
    assert first.reset and not first.rejected
    assert local.status(blake.store).pending == 4  # update, its event, contact, its event
    assert local.rejected_changes(blake.store) == []
    waiting = snapshot_store(blake.store, ["ticket", "contact"])
    assert waiting["ticket"][lost.id]["priority"] == 1 and len(waiting["contact"]) == 1

    assert alex.sync().reset
    sync_until_quiet([blake, alex], server.db)
    on_server = snapshot_server(server.db.engine)
    assert on_server["ticket"][lost.id]["priority"] == 1
    assert len(on_server["contact"]) == 1
    assert logged_twice(server.db.engine) == []
    for replica in (alex, blake):
        assert _everything(replica) == visible_to(on_server, replica.handle)
        assert local.rejected_changes(replica.store) == []
