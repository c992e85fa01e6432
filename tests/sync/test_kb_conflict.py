"""KB articles through sync: concurrent body edits keep both texts; other fields just merge.

Two agents edit the same article offline from the same version. The newer body wins
the article; the other text survives as a conflict copy (tag "conflict-copy") written
in its author's name, which every replica receives. An edit of the title on one side
and of the body on the other is no conflict at all and merges field by field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from deskterm.domain import KbArticle
from deskterm.domain.types import text_limit
from deskterm.services import kb
from deskterm.sync import replica as local
from tests.support.servers import RunningServer
from tests.support.sync import Replica, snapshot_server, snapshot_store, sync_until_quiet


def _articles(holder: Any) -> dict[str, dict[str, Any]]:
    if isinstance(holder, RunningServer):
        return snapshot_server(holder.db.engine, ["kb_article"])["kb_article"]
    return snapshot_store(holder.store, ["kb_article"])["kb_article"]


def _copies(articles: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [a for a in articles.values() if "conflict-copy" in a["tags"]]


def _shared_article(alex: Replica, blake: Replica, title: str) -> str:
    article = kb.create_article(alex.ctx, title=title, body="Restart the client.",
                                tags=["vpn"])
    alex.sync()
    blake.sync()
    return article.id


def test_concurrent_body_edits_keep_the_losing_text_as_a_conflict_copy(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    alex, blake = replica_of("alex"), replica_of("blake")
    # One article where the second to sync wrote last (its text wins), one where the
    # second to sync wrote first (the text already on the server wins).
    later = _shared_article(alex, blake, "VPN drops")
    earlier = _shared_article(alex, blake, "VPN slow")
    server.thread.stop()
    kb.edit_article(alex.ctx, later, body="Alex: reinstall the VPN client.", base_version=1)
    kb.edit_article(blake.ctx, earlier, body="Blake: switch to the wired network.",
                    base_version=1)
    kb.edit_article(blake.ctx, later, body="Blake: renew the certificate.", base_version=1)
    kb.edit_article(alex.ctx, earlier, body="Alex: check the proxy settings.", base_version=1)
    server.thread.start()
    alex.sync()
    blake.sync()  # blake's two edits reach the server second
    sync_until_quiet([alex, blake], server.db)

    on_server = _articles(server)
    assert on_server[later]["body"] == "Blake: renew the certificate."
    assert on_server[earlier]["body"] == "Alex: check the proxy settings."
    copies = {c["body"]: c for c in _copies(on_server)}
    assert set(copies) == {"Alex: reinstall the VPN client.",
                           "Blake: switch to the wired network."}
    alex_id, blake_id = alex.ctx.actor.id, blake.ctx.actor.id
    assert copies["Alex: reinstall the VPN client."]["author_id"] == alex_id
    assert copies["Blake: switch to the wired network."]["author_id"] == blake_id
    assert copies["Alex: reinstall the VPN client."]["title"] == "VPN drops (conflict copy)"
    assert all("vpn" in c["tags"] for c in copies.values())
    for replica in (alex, blake):
        assert _articles(replica) == on_server


def test_a_title_edit_and_a_body_edit_merge_without_a_copy(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    alex, blake = replica_of("alex"), replica_of("blake")
    article = _shared_article(alex, blake, "Printer offline")
    kb.edit_article(alex.ctx, article, title="Printer shows offline", base_version=1)
    kb.edit_article(blake.ctx, article, body="Power-cycle the printer, then re-add it.",
                    base_version=1)
    alex.sync()
    blake.sync()
    sync_until_quiet([alex, blake], server.db)

    on_server = _articles(server)
    assert not _copies(on_server)
    merged = on_server[article]
    assert (merged["title"], merged["body"]) == (
        "Printer shows offline", "Power-cycle the printer, then re-add it.")
    for replica in (alex, blake):
        assert _articles(replica) == on_server


def test_a_body_edit_made_after_seeing_the_other_is_no_conflict(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    alex, blake = replica_of("alex"), replica_of("blake")
    article = _shared_article(alex, blake, "Password reset")
    kb.edit_article(alex.ctx, article, body="Use the self-service portal.", base_version=1)
    alex.sync()
    blake.sync()
    kb.edit_article(blake.ctx, article, body="Use the self-service portal, then log out.",
                    base_version=2)
    sync_until_quiet([alex, blake], server.db)

    on_server = _articles(server)
    assert not _copies(on_server)
    assert on_server[article]["body"] == "Use the self-service portal, then log out."
    assert on_server[article]["version"] == 3
    for replica in (alex, blake):
        assert _articles(replica) == on_server


def test_the_conflict_copy_of_an_article_at_its_limits_reaches_every_replica(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    """The copy's title and tags stay within the article's field rules (domain.kb
    conflict_copy), so no replica sets it aside: a full title and all 20 tags."""
    alex, blake = replica_of("alex"), replica_of("blake")
    title = "Printer " + "x" * (text_limit(KbArticle, "title") - len("Printer "))
    tags = [f"tag{n}" for n in range(text_limit(KbArticle, "tags"))]
    article = kb.create_article(alex.ctx, title=title, body="Restart it.", tags=tags).id
    alex.sync()
    blake.sync()
    server.thread.stop()
    kb.edit_article(alex.ctx, article, body="Alex: replace the toner.", base_version=1)
    kb.edit_article(blake.ctx, article, body="Blake: clear the paper path.", base_version=1)
    server.thread.start()
    alex.sync()
    blake.sync()
    sync_until_quiet([alex, blake], server.db)

    [copy] = _copies(_articles(server))
    assert copy["title"].endswith(" (conflict copy)")
    assert len(copy["title"]) == len(title)
    assert len(copy["tags"]) == len(tags)
    for replica in (alex, blake):
        assert _articles(replica) == _articles(server)
        assert local.status(replica.store).set_aside == 0
