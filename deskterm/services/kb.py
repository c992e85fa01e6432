"""The knowledge base: write and edit articles (version bumps), search, link to tickets.

Every saved version after the first records who saved it (a `KbEdit`, insert-only, synced),
so an article shows each version's editor, not only its author (services.kb_origin).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session, select

from deskterm.domain import KbArticle, KbEdit, Ticket, TicketArticle
from deskterm.domain.enums import TicketEventKind
from deskterm.domain.errors import Conflict, InvalidInput
from deskterm.domain.types import item_limit, text_limit
from deskterm.i18n import _
from deskterm.services.context import ServiceContext, clean_text
from deskterm.services.lookup import find_article, find_department, find_ticket
from deskterm.services.tickets import log_event
from deskterm.store import Store
from deskterm.store.outbox import record
from deskterm.store.search import SearchHit, search

TITLE_LIMIT = text_limit(KbArticle, "title")
BODY_LIMIT = text_limit(KbArticle, "body")
TAG_COUNT = text_limit(KbArticle, "tags")
TAG_LENGTH = item_limit(KbArticle, "tags")


def create_article(ctx: ServiceContext, *, title: str, body: str, tags: list[str] | None = None,
                   department: str | None = None, from_ticket: str | None = None) -> KbArticle:
    """Write a new article; `from_ticket` (a key or id) links it to the ticket it was
    written from, in the same transaction (so it shows where it came from)."""
    title = clean_text(title, _("title"), limit=TITLE_LIMIT)
    body = clean_text(body, _("article body"), limit=BODY_LIMIT)
    now = ctx.now()
    with ctx.store.transaction() as session:
        ticket = find_ticket(session, from_ticket) if from_ticket is not None else None
        article = KbArticle(
            title=title, body=body, tags=_tags(tags),
            department_id=find_department(session, department).id if department else None,
            author_id=ctx.actor.id, version=1, created_at=now, updated_at=now,
        )
        session.add(article)
        session.flush()
        record(session, "kb_article", article, author_id=ctx.actor.id)
        if ticket is not None:
            _link(ctx, session, ticket, article)
    return article


def edit_article(ctx: ServiceContext, ref: str, *, title: str | None = None,
                 body: str | None = None, tags: list[str] | None = None,
                 department: str | None = None, base_version: int | None = None) -> KbArticle:
    """Change an article and bump its version.

    `base_version` is the version the editor started from: if someone saved a newer
    one meanwhile, the edit is refused instead of overwriting their text.
    """
    changes: dict[str, object] = {}
    if title is not None:
        changes["title"] = clean_text(title, _("title"), limit=TITLE_LIMIT)
    if body is not None:
        changes["body"] = clean_text(body, _("article body"), limit=BODY_LIMIT)
    if tags is not None:
        changes["tags"] = _tags(tags)
    with ctx.store.transaction() as session:
        article = find_article(session, ref)
        if department is not None:
            changes["department_id"] = find_department(session, department).id
        if base_version is not None and base_version != article.version:
            raise Conflict(_(
                "'{title}' changed since you opened it (version {opened} → {now}); reload it "
                "and apply your edit again").format(title=article.title, opened=base_version,
                                                   now=article.version))
        written = [k for k, v in changes.items() if getattr(article, k) != v]
        if not written:
            raise InvalidInput(_("nothing changed in the article"))
        for key in written:
            setattr(article, key, changes[key])
        article.version += 1
        article.updated_at = ctx.now()
        session.add(article)
        record(session, "kb_article", article, op="update",
               fields=[*written, "version", "updated_at"], author_id=ctx.actor.id)
        edit = KbEdit(article_id=article.id, version=article.version, editor_id=ctx.actor.id,
                      changed=[key.removesuffix("_id") for key in written],
                      edited_at=article.updated_at)
        session.add(edit)
        session.flush()
        record(session, "kb_edit", edit, author_id=ctx.actor.id)
    return article


def get_article(store: Store, ref: str) -> KbArticle:
    with store.reading() as session:
        return find_article(session, ref)


def search_articles(store: Store, query: str, *, limit: int = 20,
                    department: str | None = None,
                    stale: Callable[[], bool] | None = None) -> list[SearchHit]:
    """Articles for what a person typed, best first, with highlighted snippets. With
    `stale`, a search it says is no longer wanted stops early (store.search.StaleSearch)."""
    limit = max(1, min(limit, 200))
    department_id = None
    if department:
        with store.reading() as session:
            department_id = find_department(session, department).id
    with store.raw() as connection:
        return search(connection, query, limit=limit, department_id=department_id,
                      stale=stale)


def suggest_for_ticket(store: Store, ticket: str, *, limit: int = 8) -> list[SearchHit]:
    """Articles that may help with a ticket: its subject searched word by word."""
    with store.reading() as session:
        found = find_ticket(session, ticket)
        subject, department_id = found.subject, found.department_id
    with store.raw() as connection:
        hits = search(connection, subject, limit=limit, department_id=department_id)
        return hits or search(connection, subject, limit=limit)


def link_article(ctx: ServiceContext, ticket: str, article: str) -> TicketArticle:
    """Note that an article was used on a ticket (for reuse figures and the ticket's trail)."""
    with ctx.store.transaction() as session:
        found_ticket: Ticket = find_ticket(session, ticket)
        found_article = find_article(session, article)
        existing = session.exec(
            select(TicketArticle).where(TicketArticle.ticket_id == found_ticket.id)
            .where(TicketArticle.article_id == found_article.id)
        ).first()
        if existing:
            raise Conflict(_("'{title}' is already linked to {key}").format(
                title=found_article.title, key=found_ticket.key))
        return _link(ctx, session, found_ticket, found_article)


def _link(ctx: ServiceContext, session: Session, ticket: Ticket, article: KbArticle
          ) -> TicketArticle:
    link = TicketArticle(ticket_id=ticket.id, article_id=article.id, agent_id=ctx.actor.id,
                         created_at=ctx.now())
    session.add(link)
    session.flush()
    record(session, "ticket_article", link, author_id=ctx.actor.id)
    log_event(ctx, session, ticket, TicketEventKind.ARTICLE_LINKED, article.title)
    return link


def _tags(values: list[str] | None) -> list[str]:
    """Tags as people type them (`#VPN, client`) in their stored form, the first
    TAG_COUNT kept; InvalidInput for one longer than the article's field allows."""
    tags: list[str] = []
    for value in values or []:
        for tag in value.replace(",", " ").split():
            tag = tag.strip().lower().lstrip("#")
            if tag and tag not in tags:
                if len(tag) > TAG_LENGTH:
                    raise InvalidInput(_("tag '{tag}...' is too long: at most {limit} "
                                         "characters").format(tag=tag[:20], limit=TAG_LENGTH))
                tags.append(tag)
    return tags[:TAG_COUNT]
