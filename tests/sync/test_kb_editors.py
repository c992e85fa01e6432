"""Who saved each version of an article, through sync: every replica shows every editor.

The editors travel as insert-only `kb_edit` rows beside the article's own change. Two
agents who edit the same version offline both saved "version 2": both rows reach every
replica (beside the conflict copy of the losing text), and the server takes an edit
only in its caller's own name.
"""

from __future__ import annotations

from collections.abc import Callable

from deskterm.domain.kb import CONFLICT_COPY_TAG
from deskterm.services import kb, kb_origin
from tests.support.servers import RunningServer
from tests.support.sync import (
    Replica,
    agent_ids,
    push_raw,
    snapshot_server,
    snapshot_store,
    sync_until_quiet,
    wire_change,
)


def _editors(replica: Replica, article_id: str) -> list[tuple[int, str | None]]:
    return [(v.version, v.editor)
            for v in kb_origin.article_origin(replica.store, article_id).versions]


def test_every_replica_shows_the_editor_of_each_version(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    alex, blake = replica_of("alex"), replica_of("blake")
    article = kb.create_article(alex.ctx, title="VPN drops", body="Restart the client.").id
    alex.sync()
    blake.sync()
    kb.edit_article(blake.ctx, article, body="Renew the certificate.", base_version=1)
    blake.sync()
    alex.sync()
    kb.edit_article(alex.ctx, article, tags=["vpn"], base_version=2)
    sync_until_quiet([alex, blake], server.db)

    for replica in (alex, blake):
        assert _editors(replica, article) == [(1, "alex"), (2, "blake"), (3, "alex")]
    on_server = snapshot_server(server.db.engine, ["kb_edit"])["kb_edit"]
    assert on_server == snapshot_store(blake.store, ["kb_edit"])["kb_edit"]
    assert sorted(e["changed"] for e in on_server.values()) == [["body"], ["tags"]]


def test_concurrent_edits_keep_both_editors_and_the_losing_text(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    alex, blake = replica_of("alex"), replica_of("blake")
    article = kb.create_article(alex.ctx, title="Printer", body="Power-cycle it.").id
    alex.sync()
    blake.sync()
    server.thread.stop()
    kb.edit_article(alex.ctx, article, body="Alex: re-add the printer.", base_version=1)
    kb.edit_article(blake.ctx, article, body="Blake: update the driver.", base_version=1)
    server.thread.start()
    alex.sync()
    blake.sync()
    sync_until_quiet([alex, blake], server.db)

    for replica in (alex, blake):
        assert sorted(_editors(replica, article)) == [(1, "alex"), (2, "alex"), (2, "blake")]
        articles = snapshot_store(replica.store, ["kb_article"])["kb_article"]
        [copy] = [a for a in articles.values() if CONFLICT_COPY_TAG in a["tags"]]
        assert copy["body"] == "Alex: re-add the printer."
        # The copy is a new article of its losing author: version 1, no edits.
        assert _editors(replica, copy["id"]) == [(1, "alex")]


def test_the_server_takes_an_edit_only_in_its_callers_name(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    alex = replica_of("alex")
    article = kb.create_article(alex.ctx, title="Password reset", body="Use the portal.").id
    alex.sync()
    ids = agent_ids(server.db.engine)
    fields = {"article_id": article, "version": 2, "changed": ["body"],
              "edited_at": "2026-11-23T14:30:00+00:00"}
    answer = push_raw(server.url, server.tokens["alex"], [
        wire_change("kb_edit", {**fields, "editor_id": ids["blake"]}),
        wire_change("kb_edit", {**fields, "editor_id": ids["alex"]})])
    assert answer.status_code == 200
    first, second = answer.json()["results"]
    assert (first["status"], first["code"]) == ("rejected", "forbidden")
    assert "your own name" in first["reason"]
    assert second["status"] == "applied"
