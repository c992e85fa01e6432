"""Where an article comes from: the draft written from a ticket, its tickets, its editors.

- `article_draft` prefills a new article from a ticket: the subject as its title, the
  description as the problem, and as the solution what the resolver wrote in the trail
  (a RESOLVED event by someone other than the ticket's owner, i.e. 2nd/3rd line) and the
  ticket's resolution, each once. Saving it (`services.kb.create_article(...,
  from_ticket=...)`) links the article to the ticket.
- `article_origin` reads what an article shows of its past: the tickets it is linked to
  (written from or used on) and who saved each version: version 1 is the article's
  author, every later one a `KbEdit`. Two editors who saved the same version offline
  both show under that version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from deskterm.domain import Agent, Department, KbArticle, KbEdit, Ticket, TicketArticle, TicketEvent
from deskterm.domain.enums import TicketEventKind, TicketStatus
from deskterm.i18n import _
from deskterm.services.lookup import find_article, find_ticket
from deskterm.store import Store

#: Trail events whose text is a solution someone wrote for the ticket.
SOLUTION_EVENTS = frozenset({TicketEventKind.RESOLVED, TicketEventKind.RETURNED})
#: At most this many solutions from the trail go into a draft (the newest).
DRAFT_SOLUTIONS = 3
#: At most this many linked tickets an article lists.
ORIGIN_TICKETS = 50


@dataclass(frozen=True)
class ArticleDraft:
    """A new article as a ticket suggests it, for the agent to edit before saving."""

    ticket_id: str
    ticket_key: str
    title: str
    body: str
    department: str | None  # the ticket's department code; None: every department
    #: How many articles the ticket is already linked to.
    linked_articles: int


def article_draft(store: Store, ticket: str) -> ArticleDraft:
    """The draft of an article written from `ticket` (key, provisional key or id)."""
    with store.reading() as session:
        found = find_ticket(session, ticket)
        events = session.exec(
            select(TicketEvent).where(TicketEvent.ticket_id == found.id)
            .where(col(TicketEvent.kind).in_([kind.value for kind in SOLUTION_EVENTS]))
            .order_by(col(TicketEvent.created_at), col(TicketEvent.id))).all()
        department = session.get(Department, found.department_id) \
            if found.department_id else None
        linked = _linked_count(session, found.id)
    from_resolver = [event.detail for event in events
                     if event.agent_id != found.owner_id and event.detail.strip()]
    solutions = _distinct([*from_resolver[-DRAFT_SOLUTIONS:], found.resolution or ""])
    return ArticleDraft(found.id, found.key, found.subject,
                        draft_body(found.description or found.subject, solutions),
                        department.code if department else None, linked)


def linked_articles(store: Store, ticket: str) -> int:
    """How many articles `ticket` is linked to (written from it or used on it)."""
    with store.reading() as session:
        return _linked_count(session, find_ticket(session, ticket).id)


def _linked_count(session: Session, ticket_id: str) -> int:
    return len(session.exec(select(TicketArticle.id)
                            .where(TicketArticle.ticket_id == ticket_id)).all())


def draft_body(problem: str, solutions: list[str]) -> str:
    """The Markdown of a drafted article: the problem, then what solved it."""
    solved = "\n\n".join(solutions) if solutions else _("(what solved it)")
    # TRANSLATORS: the headings of an article drafted from a ticket.
    problem_heading, solution_heading = _("Problem"), _("Solution")
    return f"## {problem_heading}\n\n{problem.strip()}\n\n## {solution_heading}\n\n{solved}\n"


def _distinct(texts: list[str]) -> list[str]:
    seen: list[str] = []
    for text in texts:
        text = text.strip()
        if text and text not in seen:
            seen.append(text)
    return seen


@dataclass(frozen=True)
class LinkedTicket:
    id: str
    key: str
    subject: str
    status: TicketStatus


@dataclass(frozen=True)
class ArticleVersion:
    """One saved version and who saved it; `changed` is empty for version 1 (written)."""

    version: int
    editor: str | None  # a handle; None: not known on this replica
    at: datetime
    changed: tuple[str, ...]


@dataclass(frozen=True)
class ArticleOrigin:
    tickets: list[LinkedTicket]  # in the order they were linked
    versions: list[ArticleVersion]  # oldest first

    @property
    def editors(self) -> list[str]:
        """Everyone who saved a version, first author first, each once."""
        return list(dict.fromkeys(v.editor for v in self.versions if v.editor))


def article_origin(store: Store, ref: str) -> ArticleOrigin:
    """The tickets `ref` is linked to and who saved each of its versions."""
    with store.reading() as session:
        article: KbArticle = find_article(session, ref)
        tickets = session.exec(
            select(Ticket).join(TicketArticle, col(TicketArticle.ticket_id) == Ticket.id)
            .where(TicketArticle.article_id == article.id)
            .order_by(col(TicketArticle.created_at)).limit(ORIGIN_TICKETS)).all()
        edits = session.exec(
            select(KbEdit, Agent.handle).join(Agent, col(Agent.id) == KbEdit.editor_id,
                                              isouter=True)
            .where(KbEdit.article_id == article.id)
            .order_by(col(KbEdit.version), col(KbEdit.edited_at))).all()
        author = session.get(Agent, article.author_id) if article.author_id else None
    versions = [ArticleVersion(1, author.handle if author else None, article.created_at, ())]
    versions += [ArticleVersion(edit.version, handle, edit.edited_at, tuple(edit.changed))
                 for edit, handle in edits]
    return ArticleOrigin([LinkedTicket(t.id, t.key, t.subject, t.status) for t in tickets],
                         versions)
