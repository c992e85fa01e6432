"""The JSON shape of each thing the CLI prints (see `deskterm.cli.output` for conventions)."""

from __future__ import annotations

from typing import Any

from deskterm.cli.output import iso, money
from deskterm.cli.runtime import Run
from deskterm.domain import (
    Agent,
    Contact,
    Customer,
    Department,
    GoodwillEntry,
    KbArticle,
    Kudos,
    MoodEntry,
    Ticket,
)
from deskterm.domain.feedback import DRIVERS
from deskterm.domain.wellbeing import SMILEYS
from deskterm.present import marked_words
from deskterm.services.feedback_loop import Response
from deskterm.services.goodwill import Budget
from deskterm.services.kb_origin import ArticleOrigin
from deskterm.services.lookup import short_id
from deskterm.services.ticket_views import TicketDetail
from deskterm.store.queries import CustomerRow, TicketRow
from deskterm.store.search import SearchHit, strip_marks

JsonObject = dict[str, Any]


def agent(found: Agent, team: str | None) -> JsonObject:
    return {"id": found.id, "handle": found.handle, "name": found.name, "email": found.email,
            "role": found.role.value, "tier": int(found.tier), "team": team,
            "active": found.active, "created_at": iso(found.created_at)}


def department(found: Department) -> JsonObject:
    return {"id": found.id, "code": found.code, "name": found.name}


def customer(found: Customer | CustomerRow) -> JsonObject:
    shape: JsonObject = {
        "id": found.id, "short_id": short_id(found.id), "name": found.name,
        "email": found.email, "organisation": found.organisation, "phone": found.phone,
    }
    if isinstance(found, Customer):
        shape.update(products=found.products, notes=found.notes,
                     updated_at=iso(found.updated_at), erased=found.erased_at is not None)
    shape["created_at"] = iso(found.created_at)
    return shape


def ticket_row(row: TicketRow) -> JsonObject:
    """A ticket as the queue lists it."""
    return {
        "id": row.id, "key": row.key, "number": row.number, "subject": row.subject,
        "status": row.status.value, "priority": str(row.priority),
        "customer": {"id": row.customer_id, "name": row.customer},
        "owner": row.owner, "department": row.department,
        "resolver": _resolver(row.resolver_tier, row.resolver_group),
        "created_at": iso(row.created_at), "updated_at": iso(row.updated_at),
        "last_contact_at": iso(row.last_contact_at),
    }


def as_row(run: Run, found: Ticket, customer_name: str) -> TicketRow:
    """A full ticket as the queue would list it."""
    return TicketRow(
        id=found.id, number=found.number, subject=found.subject, customer_id=found.customer_id,
        customer=customer_name, status=found.status, priority=found.priority,
        owner=run.handle_of(found.owner_id),
        department=run.departments.get(found.department_id or ""),
        resolver_tier=found.resolver_tier, resolver_group=found.resolver_group,
        created_at=found.created_at, updated_at=found.updated_at,
        last_contact_at=found.last_contact_at,
    )


def ticket_detail(run: Run, detail: TicketDetail) -> JsonObject:
    """A ticket in full: the queue's fields, then the rest, its trail, articles and contacts."""
    found = detail.ticket
    shape = ticket_row(as_row(run, found, detail.customer.name))
    shape.update(
        description=found.description, kind=found.kind.value,
        customer=customer(detail.customer),
        escalation=None if found.escalated_at is None else {
            "tier": found.resolver_tier, "group": found.resolver_group,
            "reason": found.escalation_reason, "escalated_at": iso(found.escalated_at),
        },
        resolution=found.resolution, first_contact_resolution=found.first_contact_resolution,
        resolved_at=iso(found.resolved_at),
        returned_at=iso(found.returned_at),  # back from the resolver; None once closed
        events=[{"id": e.id, "kind": e.kind.value, "agent": run.handle_of(e.agent_id),
                 "detail": e.detail, "created_at": iso(e.created_at)} for e in detail.events],
        articles=[{"id": a.id, "short_id": short_id(a.id), "title": a.title,
                   "version": a.version} for a in detail.articles],
        contacts=[contact(run, c) for c in detail.contacts],
    )
    return shape


def _resolver(tier: int | None, group: str | None) -> JsonObject | None:
    return None if tier is None else {"tier": int(tier), "group": group}


def contact(run: Run, found: Contact, *, with_rating: bool = False) -> JsonObject:
    """A logged contact; the agent's self-rating only where it is their own just-logged one."""
    shape: JsonObject = {
        "id": found.id, "customer_id": found.customer_id, "ticket_id": found.ticket_id,
        "agent": run.handle_of(found.agent_id), "channel": found.channel.value,
        "direction": found.direction.value, "summary": found.summary,
        "occurred_at": iso(found.occurred_at),
    }
    if with_rating:
        shape["self_rating"] = found.self_rating
    return shape


def article(run: Run, found: KbArticle, origin: ArticleOrigin) -> JsonObject:
    """An article with the tickets it is linked to and who saved each version."""
    return {"id": found.id, "short_id": short_id(found.id), "title": found.title,
            "body": found.body, "tags": found.tags,
            "department": run.departments.get(found.department_id or ""),
            "author": run.handle_of(found.author_id), "version": found.version,
            "created_at": iso(found.created_at), "updated_at": iso(found.updated_at),
            "tickets": [{"id": t.id, "key": t.key, "subject": t.subject,
                         "status": t.status.value} for t in origin.tickets],
            "versions": [{"version": v.version, "editor": v.editor, "at": iso(v.at),
                          "changed": list(v.changed)} for v in origin.versions]}


def search_hit(hit: SearchHit) -> JsonObject:
    """A KB search hit: plain title and snippet, and the words that matched in them."""
    return {"id": hit.article_id, "short_id": short_id(hit.article_id),
            "title": strip_marks(hit.title), "snippet": strip_marks(hit.snippet),
            "highlights": marked_words(hit.title, hit.snippet), "rank": hit.rank,
            "matched_all": hit.matched_all}


def ledger_entry(run: Run, entry: GoodwillEntry) -> JsonObject:
    return {"id": entry.id, "short_id": short_id(entry.id), "kind": entry.kind.value,
            "agent": run.handle_of(entry.budget_agent_id), "period": entry.period,
            "amount": money(entry.amount), "reason": entry.reason,
            "ticket_id": entry.ticket_id, "customer_id": entry.customer_id,
            "reverses": short_id(entry.reverses_id) if entry.reverses_id else None,
            "author": run.handle_of(entry.author_id), "created_at": iso(entry.created_at)}


def budget(found: Budget) -> JsonObject:
    return {"agent": found.agent.handle, "period": found.period,
            "balance": money(found.balance), "allocated": money(found.allocated),
            "spent": money(found.spent)}


def mood(entry: MoodEntry) -> JsonObject:
    return {"id": entry.id, "date": entry.local_date, "score": entry.score,
            "smiley": SMILEYS[entry.score], "note": entry.note,
            "created_at": iso(entry.created_at)}


def kudos(run: Run, found: Kudos) -> JsonObject:
    return {"id": found.id, "source": found.source.value, "from": found.from_name,
            "message": found.message, "about": run.handle_of(found.about_agent_id),
            "team_id": found.team_id, "customer_id": found.customer_id,
            "ticket_id": found.ticket_id, "author": run.handle_of(found.author_id),
            "created_at": iso(found.created_at)}


def customer_label(found: Customer | CustomerRow) -> str:
    """How a customer is named in one line: name, and email or organisation."""
    if found.email:
        return f"{found.name} <{found.email}>"
    if found.organisation:
        return f"{found.name} ({found.organisation})"
    return found.name


def response(run: Run, found: Response) -> JsonObject:
    """A customer's feedback response, with its follow-up."""
    feedback = found.feedback
    return {"id": feedback.id, "ticket": found.ticket_key, "csat": feedback.csat,
            "drivers": {name: getattr(feedback, name) for name in DRIVERS
                        if getattr(feedback, name) is not None},
            "comment": feedback.comment, "received_at": iso(feedback.received_at),
            "unhappy": found.unhappy, "followed_up_at": iso(found.followed_up_at)
            if found.followed_up_at else None, "followed_up_by": found.followed_up_by}
