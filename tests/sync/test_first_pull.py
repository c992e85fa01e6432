"""A new replica's first pull is one bulk load (sync.replica.first_pull); it must leave
exactly the store that pulling the same log page by page leaves.

The log: a few thousand changes of a working desk (customers, tickets, their events and
contacts, seeded as the sync benchmark seeds them) and, made with the services on real
replicas, what the bulk load treats apart: knowledge-base articles in English and Dutch,
edited and one retired (the text indexes), a renamed customer (tickets' sort keys), a
goodwill allocation and spend, a mood, a contact's private self-rating, an erasure.
Compared: every synced table with the columns the store derives, the field clocks, the
cursor, both text indexes and the queue's, and searches in both languages.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from deskterm.bench.syncbench.seed import seed_bulk
from deskterm.domain import ENTITY_NAMES
from deskterm.domain.money import Money
from deskterm.store import Store, open_store
from deskterm.store.login import Login, save_login
from deskterm.store.search import search
from deskterm.sync import replica as local
from deskterm.sync.client import Offline, SyncClient
from tests.support.servers import RunningServer
from tests.support.sync import Replica, agent_ids, push_raw, stamp_now, wire_change

#: Changes seeded in bulk; the services add a few dozen more.
SEEDED = 2000
#: Searches compared, with the language whose index each goes to.
SEARCHES = [("vpn certificate", "en"), ("printer", "en"), ("restart", "en"),
            ("wachtwoord", "nl"), ("printers koppelen", "nl"), ("verbinding", "nl")]


def _desk(server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    """The log both stores pull (see the module's docstring)."""
    from deskterm.services import contacts, customers, goodwill, kb, tickets, wellbeing

    ids = agent_ids(server.db.engine)
    seed_bulk(server.db, ids["blake"], [ids["alex"], ids["blake"], ids["casey"]], SEEDED,
              lambda _message: None)
    alex, morgan = replica_of("alex"), replica_of("morgan")
    articles = [
        kb.create_article(alex.ctx, title="VPN drops every hour",
                          body="Restart the VPN client, then renew the certificate.",
                          tags=["vpn", "network"]),
        kb.create_article(alex.ctx, title="Printer offline",
                          body="Restart the printer and check its network cable.",
                          tags=["printer"]),
        kb.create_article(alex.ctx, title="Wachtwoord vergeten",
                          body="Herstel het wachtwoord in het portaal; de verbinding "
                               "werkt daarna weer.", tags=["wachtwoord"]),
        kb.create_article(alex.ctx, title="Printers koppelen",
                          body="Koppel de printers opnieuw en herstart de verbindingen.",
                          tags=["printer"]),
        kb.create_article(alex.ctx, title="Old VPN certificate",
                          body="Replaced: renew the certificate in the portal.", tags=["vpn"]),
    ]
    kb.edit_article(alex.ctx, articles[0].id, body="Restart the VPN client; if it still "
                    "drops, renew the certificate and restart again.", base_version=1)
    kb.edit_article(alex.ctx, articles[3].id, title="Printers koppelen na een update",
                    tags=["printer", "update"], base_version=1)
    customer = customers.create_customer(alex.ctx, name="Zoë Jansen", email="zoe@example.com")
    ticket = tickets.create_ticket(alex.ctx, customer=customer.id, subject="VPN drops")
    other = customers.create_customer(alex.ctx, name="Quinn Erased", email="q@example.com")
    tickets.create_ticket(alex.ctx, customer=other.id, subject="Printer jams")
    contacts.log_contact(alex.ctx, channel="phone", summary="Called about the VPN",
                         ticket=ticket.id, self_rating=4)
    contacts.log_contact(alex.ctx, channel="email", summary="Sent the manual",
                         customer=other.id)
    customers.update_customer(alex.ctx, customer.id, name="Zoë de Vries")
    wellbeing.record_mood(alex.ctx, 4)
    alex.sync()
    goodwill.allocate(morgan.ctx, "alex", Money(5000, "EUR"))
    morgan.sync()
    alex.sync()
    goodwill.spend(alex.ctx, Money(700, "EUR"), reason="sorry about the VPN", ticket=ticket.id)
    alex.sync()
    morgan.sync()
    customers.erase_customer(morgan.ctx, other.id, reason="asked by the customer")
    morgan.sync()
    retired = push_raw(server.url, server.tokens["alex"], [wire_change(
        "kb_article", {"deleted": True}, op="update", row_id=articles[4].id,
        hlc=stamp_now("retire"), author_id=ids["alex"])])
    assert retired.json()["results"][0]["status"] == "applied", retired.text


def _new_store(path: Path, server: RunningServer, handle: str = "alex"
               ) -> tuple[Store, SyncClient]:
    store = open_store(path)
    client = SyncClient(store, server.url, server.tokens[handle])
    me = client.me()
    save_login(path, Login(server.url, server.tokens[handle], me.agent_id, me.handle))
    return store, client


def _pulled_page_by_page(path: Path, server: RunningServer) -> Store:
    """A store filled the way every later pull fills one: pages merged one at a time."""
    store, client = _new_store(path, server)
    cursor = 0
    with client:
        while True:
            answer = client._pull_page(cursor, 100)
            local.apply_pulled(store, answer.changes, answer.cursor, answer.server_id)
            cursor = answer.cursor
            if not answer.more:
                return store


def _contents(store: Store) -> dict[str, Any]:
    """Everything a pull writes, as comparable values; rowids only where they mean a row."""
    found: dict[str, Any] = {}
    with store.raw() as connection:
        for table in ENTITY_NAMES:
            found[table] = connection.execute(f'SELECT * FROM "{table}" ORDER BY id').fetchall()
        for query in (
                "SELECT entity, row_id, field, hlc FROM field_clock ORDER BY 1, 2, 3",
                "SELECT key, value FROM meta WHERE key IN ('sync_cursor', 'sync_server_id') "
                "ORDER BY key",
                "SELECT * FROM pulled_aside ORDER BY seq",
                "SELECT article_id, title, tags, body FROM kb_fts ORDER BY article_id",
                "SELECT article_id, title, tags, body FROM kb_fts_nl ORDER BY article_id",
                "SELECT t.id, x.text FROM ticket_text AS x JOIN ticket AS t "
                "ON t.rowid = x.rowid ORDER BY t.id",
                "SELECT t.id, x.text FROM ticket_text AS x JOIN ticket AS t "
                "ON t.rowid = x.rowid WHERE ticket_text MATCH 'drops' ORDER BY t.id"):
            found[query] = connection.execute(query).fetchall()
        found["searches"] = [_hits(connection, text, language) for text, language in SEARCHES]
    return found


def _hits(connection: sqlite3.Connection, text: str, language: str) -> list[tuple[Any, ...]]:
    return [(hit.article_id, hit.title, hit.snippet, hit.matched_all)
            for hit in search(connection, text, language=language)]


def test_a_first_pull_leaves_the_store_that_pulling_page_by_page_leaves(
        server: RunningServer, replica_of: Callable[..., Replica], tmp_path: Path) -> None:
    _desk(server, replica_of)
    reference = _pulled_page_by_page(tmp_path / "page-by-page.db", server)
    store, client = _new_store(tmp_path / "first.db", server)
    assert local.is_new(store)
    with client:
        report = client.pull(page=700)  # several pages, one bulk load
    try:
        assert report.pulled > SEEDED
        assert not local.is_new(store)
        expected, got = _contents(reference), _contents(store)
        assert all(expected["searches"]), "every search finds something"
        assert len(expected["ticket"]) > SEEDED // 5
        assert got == expected
    finally:
        store.close()
        reference.close()


class _DropsThirdPull(httpx.HTTPTransport):
    """The network, which goes away at the third page of a pull."""

    def __init__(self) -> None:
        super().__init__()
        self.pulls = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/sync/pull"):
            self.pulls += 1
            if self.pulls == 3:
                raise httpx.ConnectError("the network went away", request=request)
        return super().handle_request(request)


def test_a_first_pull_interrupted_half_way_leaves_a_new_store_that_pulls_again_whole(
        server: RunningServer, replica_of: Callable[..., Replica], tmp_path: Path) -> None:
    _desk(server, replica_of)
    reference, client = _new_store(tmp_path / "whole.db", server)
    with client:
        client.pull()
    path = tmp_path / "interrupted.db"
    store, _unused = _new_store(path, server)
    _unused.close()
    network = _DropsThirdPull()
    with SyncClient(store, server.url, server.tokens["alex"], transport=network) as client, \
            pytest.raises(Offline):
        client.pull(page=500)
    try:
        assert network.pulls == 3
        # Nothing of it was kept: the store is as new, its cursor at 0.
        assert local.is_new(store) and local.read_cursor(store) == 0
        with store.raw() as connection:
            assert connection.execute("SELECT count(*) FROM ticket").fetchone() == (0,)
            assert connection.execute("SELECT count(*) FROM field_clock").fetchone() == (0,)
        with SyncClient(store, server.url, server.tokens["alex"]) as client:
            again = client.pull(page=500)
        assert again.pulled > SEEDED
        assert _contents(store) == _contents(reference)
    finally:
        store.close()
        reference.close()
