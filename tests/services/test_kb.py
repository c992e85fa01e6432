"""Knowledge base service: write, edit with version checks, find, suggest and link."""

from __future__ import annotations

import pytest

from deskterm.domain import KbArticle, TicketArticle
from deskterm.domain.errors import Conflict, InvalidInput, NotFound
from deskterm.services import kb, org, tickets
from deskterm.services.lookup import short_id
from deskterm.sync.codec import decode_fields
from tests.conftest import FIXED_NOW, Desk
from tests.services.conftest import Outbox, Refuse, fixed, mark_deleted, trail


def department_id(desk: Desk, code: str) -> str:
    return {d.code: d.id for d in org.list_departments(desk.store)}[code]


@pytest.fixture
def article(desk: Desk) -> KbArticle:
    return kb.create_article(fixed(desk, "sam"), title="VPN keeps disconnecting",
                             body="Renew the certificate.", tags=["vpn"], department="IT")


def test_create_article(desk: Desk, outbox: Outbox) -> None:
    sam = fixed(desk, "sam")
    made = kb.create_article(sam, title="  Printer jams ", body="Open tray 2.\n",
                             tags=["#Printer, hardware", "printer", " floor-3 "],
                             department="it")
    assert made.title == "Printer jams"
    assert made.body == "Open tray 2."
    assert made.tags == ["printer", "hardware", "floor-3"]
    assert made.department_id == department_id(desk, "IT")
    assert made.author_id == sam.actor.id
    assert made.version == 1
    assert made.created_at == made.updated_at == FIXED_NOW
    assert kb.get_article(desk.store, made.id) == made
    [change] = outbox.new()
    assert (change.entity, change.op, change.row_id) == ("kb_article", "insert", made.id)
    assert change.fields["tags"] == ["printer", "hardware", "floor-3"]


def test_tags_are_capped_at_twenty(desk: Desk) -> None:
    made = kb.create_article(desk.alex, title="Many tags", body="Body",
                             tags=[" ".join(f"t{i}" for i in range(30))])
    assert made.tags == [f"t{i}" for i in range(20)]


def test_the_tags_a_writer_keeps_are_what_the_sync_codec_takes(desk: Desk) -> None:
    """One rule on both ends: the most tags the service keeps, each at its longest, is a
    change every replica and the server apply; one tag more, or one character more, is
    one they refuse (so no replica's edit is refused after it was saved)."""
    longest = [f"{i:02d}" + "x" * 38 for i in range(25)]
    made = kb.create_article(desk.alex, title="Tags at their limit", body="Body", tags=longest)
    assert made.tags == longest[:20]
    decode_fields("kb_article", {"tags": made.tags}, insert=False)
    for too_much in ([*made.tags, "one-more"], [made.tags[0] + "x"]):
        with pytest.raises(InvalidInput):
            decode_fields("kb_article", {"tags": too_much}, insert=False)


def test_create_refusals(desk: Desk, refuse: Refuse) -> None:
    alex = desk.alex

    def create(**changes: object) -> object:
        options: dict[str, object] = {"title": "Title", "body": "Body"}
        options.update(changes)
        return lambda: kb.create_article(alex, **options)  # type: ignore[arg-type]

    refuse(InvalidInput, create(title=""), "title is required")
    refuse(InvalidInput, create(title="x" * 201), "title is too long", "at most 200")
    refuse(InvalidInput, create(body="\n\n"), "article body is required")
    refuse(InvalidInput, create(body="x" * 200_001), "article body is too long")
    refuse(InvalidInput, create(tags=["x" * 41]), "tag 'xxxxxxxxxxxxxxxxxxxx...' is too long",
           "at most 40 characters")
    refuse(NotFound, create(department="Legal"), "no department 'Legal'")


# --- edit ------------------------------------------------------------------------------


def test_edit_bumps_the_version(desk: Desk, article: KbArticle, outbox: Outbox) -> None:
    later = fixed(desk, "alex", minutes=15)
    outbox.mark()
    edited = kb.edit_article(later, short_id(article.id), body="Reinstall the client.",
                             title=article.title, base_version=1)
    assert edited.version == 2
    assert edited.body == "Reinstall the client."
    assert kb.get_article(desk.store, article.id).version == 2
    change, edit = outbox.new()
    assert (change.entity, change.op) == ("kb_article", "update")
    assert change.fields == {"body": "Reinstall the client.", "version": 2,
                             "updated_at": edited.updated_at.isoformat()}
    assert change.author_id == later.actor.id
    # Who saved the version, and what it changed: an insert-only row of its own.
    assert (edit.entity, edit.op, edit.author_id) == ("kb_edit", "insert", later.actor.id)
    assert {k: edit.fields[k] for k in ("article_id", "version", "editor_id", "changed")} == {
        "article_id": article.id, "version": 2, "editor_id": later.actor.id,
        "changed": ["body"]}
    kb.edit_article(desk.alex, article.id, tags=["vpn", "client"], department="HR")
    again = kb.get_article(desk.store, article.id)
    assert (again.version, again.tags) == (3, ["vpn", "client"])
    assert again.department_id == department_id(desk, "HR")


def test_a_stale_edit_is_refused(desk: Desk, article: KbArticle, refuse: Refuse) -> None:
    kb.edit_article(desk.blake, article.id, body="Blake's version", base_version=1)
    error = refuse(Conflict, lambda: kb.edit_article(desk.alex, article.id, body="Alex's",
                                                     base_version=1),
                   "'VPN keeps disconnecting' changed since you opened it",
                   "version 1 → 2", "reload it")
    assert error.code == "conflict"
    assert kb.get_article(desk.store, article.id).body == "Blake's version"


def test_edit_refusals(desk: Desk, article: KbArticle, refuse: Refuse) -> None:
    alex, ref = desk.alex, article.id
    refuse(InvalidInput, lambda: kb.edit_article(alex, ref), "nothing changed in the article")
    refuse(InvalidInput, lambda: kb.edit_article(alex, ref, title=article.title,
                                                 body=article.body, tags=["VPN"]),
           "nothing changed")
    refuse(InvalidInput, lambda: kb.edit_article(alex, ref, title=" "), "title is required")
    refuse(InvalidInput, lambda: kb.edit_article(alex, ref, body=""),
           "article body is required")
    refuse(InvalidInput, lambda: kb.edit_article(alex, ref, tags=["y" * 41]), "is too long")
    refuse(NotFound, lambda: kb.edit_article(alex, ref, department="Legal"),
           "no department 'Legal'")
    refuse(NotFound, lambda: kb.edit_article(alex, "abcdef", title="New"),
           "no knowledge-base article 'abcdef'")
    refuse(NotFound, lambda: kb.edit_article(alex, "vpn", title="New"),
           "no knowledge-base article 'vpn'")
    mark_deleted(desk.store, "kb_article", ref)
    refuse(NotFound, lambda: kb.edit_article(alex, ref, title="New"),
           "no knowledge-base article")


def test_get_article_refusals(desk: Desk, article: KbArticle, refuse: Refuse) -> None:
    assert kb.get_article(desk.store, f" {short_id(article.id).upper()} ").id == article.id
    refuse(NotFound, lambda: kb.get_article(desk.store, "ffffffff"),
           "no knowledge-base article 'ffffffff'")
    refuse(NotFound, lambda: kb.get_article(desk.store, "12345"),
           "no knowledge-base article '12345'")


# --- search and suggestions ------------------------------------------------------------


def test_search_through_the_service(desk: Desk, article: KbArticle) -> None:
    [hit] = kb.search_articles(desk.store, "certificate", department="IT")
    assert hit.article_id == article.id
    assert kb.search_articles(desk.store, "certificate", department="HR") == []
    assert len(kb.search_articles(desk.store, "vpn", limit=10_000)) == 1


def test_suggestions_for_a_ticket(desk: Desk, article: KbArticle) -> None:
    made = tickets.create_ticket(desk.alex, customer="jo@example.com",
                                 subject="VPN disconnects after lunch", department="IT")
    assert [h.article_id for h in kb.suggest_for_ticket(desk.store, made.id)] == [article.id]


def test_suggestions_fall_back_to_every_department(desk: Desk, article: KbArticle) -> None:
    made = tickets.create_ticket(desk.alex, customer="jo@example.com",
                                 subject="VPN for HR laptops", department="HR")
    assert [h.article_id for h in kb.suggest_for_ticket(desk.store, made.key)] == [article.id]


def test_suggestions_refusal(desk: Desk, refuse: Refuse) -> None:
    refuse(NotFound, lambda: kb.suggest_for_ticket(desk.store, "SD-1"), "no ticket 'SD-1'")


# --- links -----------------------------------------------------------------------------


def test_link_an_article_to_a_ticket(desk: Desk, article: KbArticle, outbox: Outbox) -> None:
    made = tickets.create_ticket(desk.alex, customer="jo@example.com", subject="VPN")
    outbox.mark()
    link = kb.link_article(fixed(desk, "blake"), made.key, short_id(article.id))
    assert (link.ticket_id, link.article_id) == (made.id, article.id)
    assert link.agent_id == desk.blake.actor.id
    with desk.store.reading() as session:
        assert session.get(TicketArticle, link.id) == link
    assert outbox.summary() == [("ticket_article", "insert"), ("ticket_event", "insert")]
    assert trail(desk.store, made.id)[-1] == ("article_linked", "VPN keeps disconnecting",
                                              "blake")


def test_link_refusals(desk: Desk, article: KbArticle, refuse: Refuse) -> None:
    made = tickets.create_ticket(desk.alex, customer="jo@example.com", subject="VPN")
    refuse(NotFound, lambda: kb.link_article(desk.alex, "SD-3", article.id), "no ticket 'SD-3'")
    refuse(NotFound, lambda: kb.link_article(desk.alex, made.id, "abcdef12"),
           "no knowledge-base article 'abcdef12'")
    kb.link_article(desk.alex, made.id, article.id)
    refuse(Conflict, lambda: kb.link_article(desk.blake, made.id, article.id),
           f"'VPN keeps disconnecting' is already linked to {made.key}")
