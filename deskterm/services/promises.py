"""Promises to customers: make, keep and move one (as insert-only events), and read them.

A promise's state is always `domain.promises.promises_from` over its events; nothing
here stores a state. Only the ticket's owner or the promise's maker keeps or moves it
(`domain.promises.keep_refusal`, which the server asks too).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlmodel import Session, col, select

from deskterm.domain import Contact, Ticket
from deskterm.domain.errors import Conflict, InvalidInput, NotFound
from deskterm.domain.ids import uuid7
from deskterm.domain.promises import (
    REASON_LIMIT,
    WHAT_LIMIT,
    Promise,
    PromiseEvent,
    PromiseEventKind,
    PromiseStatus,
    event_refusal,
    parse_when,
    promises_from,
    refuse_keeper,
)
from deskterm.i18n import _
from deskterm.services.context import ServiceContext, clean_text
from deskterm.services.lookup import find_ticket, short_id
from deskterm.store import Store
from deskterm.store.outbox import record

_SHORT = re.compile(r"^[0-9a-f]{6,32}$")


def make_promise(ctx: ServiceContext, ticket: str, *, what: str, by: str | datetime,
                 zone: tzinfo | None = None) -> Promise:
    """Promise `what` on `ticket` by `by` (a time as a person says it, read in `zone`,
    None: this machine's; or a zone-aware moment). Refused when that time has passed."""
    what = clean_text(what, _("what is promised"), limit=WHAT_LIMIT)
    now = ctx.now()
    due = _when(by, now, zone)
    with ctx.store.transaction() as session:
        found = find_ticket(session, ticket)
        if not found.status.is_open:
            raise Conflict(_("{key} is {status}; reopen it before promising more").format(
                key=found.key, status=found.status.label))
        promise_id = uuid7()
        event = PromiseEvent(id=promise_id, promise_id=promise_id, ticket_id=found.id,
                             kind=PromiseEventKind.MADE, agent_id=ctx.actor.id, what=what,
                             due_at=due, occurred_at=now)
        _write(ctx, session, event)
        return promises_from([event])[0]


def keep_promise(ctx: ServiceContext, ref: str) -> Promise:
    """Mark a promise kept (done). Only its maker or the ticket's owner may."""
    with ctx.store.transaction() as session:
        return keep_in(ctx, session, ref)


def keep_in(ctx: ServiceContext, session: Session, ref: str,
            contact: Contact | None = None) -> Promise:
    """Keep a promise inside a transaction already open: logging `contact` keeps one,
    when it is about the promise's ticket."""
    promise = _open_promise(session, ref)
    _refuse_keeper(ctx, session, promise)
    if contact is not None and contact.ticket_id != promise.ticket_id:
        raise InvalidInput(_("a contact keeps only a promise made on its own ticket"))
    event = PromiseEvent(promise_id=promise.id, ticket_id=promise.ticket_id,
                         kind=PromiseEventKind.KEPT, agent_id=ctx.actor.id,
                         contact_id=contact.id if contact else None, occurred_at=ctx.now())
    _write(ctx, session, event)
    return _promise(session, promise.id)


def move_promise(ctx: ServiceContext, ref: str, *, by: str | datetime, reason: str,
                 zone: tzinfo | None = None) -> Promise:
    """Move a promise to a new time, with a reason (it lands in the promise's history)."""
    reason = clean_text(reason, _("a reason for moving the promise"), limit=REASON_LIMIT)
    now = ctx.now()
    due = _when(by, now, zone)
    with ctx.store.transaction() as session:
        promise = _open_promise(session, ref)
        _refuse_keeper(ctx, session, promise)
        event = PromiseEvent(promise_id=promise.id, ticket_id=promise.ticket_id,
                             kind=PromiseEventKind.MOVED, agent_id=ctx.actor.id, due_at=due,
                             reason=reason, occurred_at=now)
        _write(ctx, session, event)
        return _promise(session, promise.id)


def promise_ticket(store: Store, ref: str) -> str:
    """The id of the ticket a promise (by id or short id) is on."""
    with store.reading() as session:
        return _promise(session, _promise_id(session, ref)).ticket_id


# --- Reading --------------------------------------------------------------------------


@dataclass(frozen=True)
class PromiseLine:
    """A promise with what a list shows beside it: its ticket and the ticket's owner."""

    promise: Promise
    ticket_key: str
    ticket_subject: str
    owner_id: str | None
    customer_id: str

    @property
    def short_id(self) -> str:
        return short_id(self.promise.id)

    def answerable_by(self, agent_id: str) -> bool:
        """Whether the promise is `agent_id`'s to answer for: the ticket's owner's and its
        maker's (the same people domain.promises.keep_refusal lets keep it)."""
        return agent_id in (self.owner_id, self.promise.maker_id)


def ticket_promises(store: Store, ticket_id: str) -> list[Promise]:
    """Every promise on one ticket, kept ones too, in the order they were made."""
    with store.reading() as session:
        return promises_from(session.exec(
            select(PromiseEvent).where(PromiseEvent.ticket_id == ticket_id)).all())


def customer_promises(store: Store, customer_id: str, *, limit: int = 50) -> list[PromiseLine]:
    """A customer's promises (for their history), newest first."""
    with store.reading() as session:
        tickets = session.exec(select(Ticket.id).where(Ticket.customer_id == customer_id)
                               .limit(1000)).all()
        lines = _lines(session, _events(session, ticket_ids=list(tickets)))
    return sorted(lines, key=lambda line: line.promise.made_at, reverse=True)[:limit]


def customer_open_promises(store: Store, customer_id: str) -> list[PromiseLine]:
    """A customer's promises not kept yet (open, due soon or broken), soonest first: what
    their history shows ("promised: call back by Thu 12:00")."""
    unkept = [line for line in customer_promises(store, customer_id) if not line.promise.kept]
    return sorted(unkept, key=lambda line: line.promise.due_at)


def open_promises(store: Store, *, now: datetime, agent_id: str | None = None,
                  due_only: bool = False) -> list[PromiseLine]:
    """Promises not yet kept, soonest first. `agent_id`: only those that agent answers
    for (owner of the ticket or maker); `due_only`: only due soon or already broken."""
    with store.reading() as session:
        kept = select(PromiseEvent.promise_id).where(PromiseEvent.kind == PromiseEventKind.KEPT)
        events = session.exec(select(PromiseEvent).where(
            col(PromiseEvent.promise_id).not_in(kept))).all()
        lines = _lines(session, events)
    wanted = [line for line in lines
              if (agent_id is None or line.answerable_by(agent_id))
              and (not due_only or line.promise.status_at(now) in (
                  PromiseStatus.DUE_SOON, PromiseStatus.BROKEN))]
    return sorted(wanted, key=lambda line: line.promise.due_at)


def fallen_due(store: Store, agent_id: str, now: datetime) -> list[PromiseLine]:
    """The agent's promises whose time has come and that are not kept: what their screen
    announces. Derived from synced rows alone, so it holds after a restart and on any
    machine the agent works on."""
    return [line for line in open_promises(store, now=now, agent_id=agent_id)
            if line.promise.due_at <= now]


def ticket_markers(store: Store, ticket_ids: Iterable[str], now: datetime
                   ) -> dict[str, PromiseStatus]:
    """Per ticket, the most pressing state of its unkept promises (broken before due soon);
    tickets whose promises are all kept or far off are left out."""
    ids = list(ticket_ids)
    if not ids:
        return {}
    with store.reading() as session:
        promises = promises_from(_events(session, ticket_ids=ids))
    markers: dict[str, PromiseStatus] = {}
    for promise in promises:
        status = promise.status_at(now)
        if status is PromiseStatus.BROKEN or (
                status is PromiseStatus.DUE_SOON and promise.ticket_id not in markers):
            markers[promise.ticket_id] = status
    return markers


def _events(session: Session, *, ticket_ids: list[str]) -> list[PromiseEvent]:
    found: list[PromiseEvent] = []
    for start in range(0, len(ticket_ids), 500):
        found.extend(session.exec(select(PromiseEvent).where(
            col(PromiseEvent.ticket_id).in_(ticket_ids[start:start + 500]))).all())
    return found


def _lines(session: Session, events: Iterable[PromiseEvent]) -> list[PromiseLine]:
    promises = promises_from(events)
    ids = sorted({p.ticket_id for p in promises})
    tickets: dict[str, Ticket] = {}
    for start in range(0, len(ids), 500):
        tickets.update((t.id, t) for t in session.exec(
            select(Ticket).where(col(Ticket.id).in_(ids[start:start + 500]))))
    return [PromiseLine(p, tickets[p.ticket_id].key, tickets[p.ticket_id].subject,
                        tickets[p.ticket_id].owner_id, tickets[p.ticket_id].customer_id)
            for p in promises if p.ticket_id in tickets and not tickets[p.ticket_id].deleted]


# --- Helpers --------------------------------------------------------------------------


def _when(by: str | datetime, now: datetime, zone: tzinfo | None) -> datetime:
    if isinstance(by, datetime):
        if by.tzinfo is None:
            raise InvalidInput(_("give the promise's time with its time zone"))
        if by <= now:
            raise InvalidInput(_("that time has already passed; a promise is made for a "
                                 "time still to come"))
        return by
    return parse_when(by, now, zone)


def _write(ctx: ServiceContext, session: Session, event: PromiseEvent) -> None:
    refused = event_refusal(event.kind, event.promise_id, event.id, event.what,
                            event.due_at, event.reason, event.occurred_at)
    if refused:
        raise InvalidInput(refused)
    session.add(event)
    session.flush()
    record(session, "promise_event", event, author_id=ctx.actor.id)


def _promise_id(session: Session, ref: str) -> str:
    """A promise's id from what a person typed: its id or its short id (`short_id`)."""
    text = ref.strip().lower().replace("-", "")
    if not _SHORT.match(text):
        raise NotFound(_("no promise '{ref}' (give the id `promise list` shows)").format(ref=ref))
    made = session.exec(select(PromiseEvent.id).where(
        PromiseEvent.kind == PromiseEventKind.MADE)
        .where(col(PromiseEvent.id).like(f"%{text[-12:]}")).limit(2)).all()
    matches = [found for found in made if found.replace("-", "").endswith(text)]
    if len(matches) != 1:
        raise NotFound(_("no promise '{ref}' (give the id `promise list` shows)").format(ref=ref))
    return matches[0]


def _promise(session: Session, promise_id: str) -> Promise:
    events = session.exec(select(PromiseEvent).where(
        PromiseEvent.promise_id == promise_id)).all()
    found = promises_from(events)
    if not found:
        raise NotFound(_("no promise '{promise}'").format(promise=short_id(promise_id)))
    return found[0]


def _open_promise(session: Session, ref: str) -> Promise:
    promise = _promise(session, _promise_id(session, ref))
    if promise.kept:
        raise Conflict(_("promise {promise} is already kept").format(
            promise=short_id(promise.id)))
    return promise


def _refuse_keeper(ctx: ServiceContext, session: Session, promise: Promise) -> None:
    ticket = session.get(Ticket, promise.ticket_id)
    refuse_keeper(ctx.actor.id, promise.maker_id, ticket.owner_id if ticket else None)
