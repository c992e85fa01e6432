"""The goodwill budget: allocate (leads), spend with a reason, reverse; balances from entries.

The ledger is append-only. A balance is always the sum of a budget's entries for a
period; nothing stores it. Every write takes the store's write lock first (BEGIN
IMMEDIATE), so the balance checked is the balance written against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection
from sqlmodel import Session, col, func, select

from deskterm.domain import Agent, GoodwillEntry
from deskterm.domain.clock import utcnow
from deskterm.domain.enums import LedgerKind
from deskterm.domain.errors import Conflict, Forbidden, InsufficientBudget, InvalidInput, NotFound
from deskterm.domain.goodwill import (
    amount_refusal,
    overdrawn,
    parse_period,
    period_of,
    refuse_overspend,
    short_reason,
)
from deskterm.domain.money import DEFAULT_CURRENCY, Money
from deskterm.domain.people import manages
from deskterm.domain.types import text_limit
from deskterm.i18n import _
from deskterm.services.context import ServiceContext, clean_text
from deskterm.services.lookup import find_agent_by_handle, find_customer, find_ticket
from deskterm.store import Store
from deskterm.store.outbox import record

REASON_LIMIT = text_limit(GoodwillEntry, "reason")
_ENTRY_REF = re.compile(r"^[0-9a-f-]+$")


def budget_balance(db: Session | Connection, agent_id: str, period: str, currency: str
                   ) -> Money:
    """An agent's balance for a period in one currency: the sum of its entries.

    The one balance query: the services read it in a store's session, the server's rules
    (server.rules) in the connection that judges a pushed entry.
    """
    query = (select(func.coalesce(func.sum(GoodwillEntry.amount_cents), 0))
             .where(GoodwillEntry.budget_agent_id == agent_id)
             .where(GoodwillEntry.period == period)
             .where(GoodwillEntry.currency == currency))
    total = db.exec(query).one() if isinstance(db, Session) else db.execute(query).scalar_one()
    return Money(int(total), currency)


def ledger_reason(kind: LedgerKind, text: str | None) -> str:
    """An entry's reason, trimmed: required, long enough for its kind, not too long."""
    reason = clean_text(text, _("reason"), limit=REASON_LIMIT)
    refusal = short_reason(kind, reason)
    if refusal:
        raise InvalidInput(refusal)
    return reason


@dataclass(frozen=True)
class Budget:
    agent: Agent
    period: str
    balance: Money
    allocated: Money
    spent: Money  # net of reversed spends, as a positive amount


def balance(store: Store, handle: str, *, period: str | None = None,
            currency: str = DEFAULT_CURRENCY) -> Budget:
    """An agent's budget for a period: balance, allocated and spent, all from entries."""
    period = parse_period(period or period_of(utcnow()))
    with store.reading() as session:
        agent = find_agent_by_handle(session, handle)
        entries = [e for e in _entries(session, agent.id, period) if e.currency == currency]
    kinds = {e.id: e.kind for e in entries}
    allocated = spent = 0
    for entry in entries:
        # A reversal counts against what it reverses (always in the same period).
        kind = kinds.get(entry.reverses_id or "", entry.kind)
        if kind == LedgerKind.ALLOCATION:
            allocated += entry.amount_cents
        else:
            spent -= entry.amount_cents
    return Budget(agent, period, Money(allocated - spent, currency), Money(allocated, currency),
                  Money(spent, currency))


def ledger(store: Store, handle: str, *, period: str | None = None, limit: int = 200
           ) -> list[GoodwillEntry]:
    """An agent's ledger entries, newest first (one period, or all when period is None)."""
    with store.reading() as session:
        agent = find_agent_by_handle(session, handle)
        query = select(GoodwillEntry).where(GoodwillEntry.budget_agent_id == agent.id)
        if period:
            query = query.where(GoodwillEntry.period == parse_period(period))
        return list(session.exec(
            query.order_by(col(GoodwillEntry.created_at).desc(), col(GoodwillEntry.id).desc())
            .limit(limit)
        ).all())


def allocate(ctx: ServiceContext, handle: str, amount: Money, *, period: str | None = None,
             reason: str = "Goodwill budget") -> GoodwillEntry:
    """Add to an agent's budget for a period. Leads (own team) and admins only."""
    ctx.require_lead(_("only a team lead or admin may allocate goodwill budgets"))
    _positive(amount, ctx.currency)
    reason = ledger_reason(LedgerKind.ALLOCATION, reason)
    period = parse_period(period or period_of(ctx.now()))
    with ctx.store.transaction() as session:
        agent = find_agent_by_handle(session, handle)
        _may_manage(ctx, agent)
        entry = GoodwillEntry(
            kind=LedgerKind.ALLOCATION, budget_agent_id=agent.id, period=period,
            amount_cents=amount.cents, currency=amount.currency, reason=reason,
            author_id=ctx.actor.id, created_at=ctx.now(),
        )
        return _append(ctx, session, entry)


def spend(ctx: ServiceContext, amount: Money, *, reason: str, ticket: str | None = None,
          customer: str | None = None) -> GoodwillEntry:
    """Spend from the actor's own budget for this period, for a ticket or a customer.

    Refused, with the balance in the message, when it would overdraw the budget.
    """
    _positive(amount, ctx.currency)
    reason = ledger_reason(LedgerKind.SPEND, reason)
    if not ticket and not customer:  # an empty name ("") names nothing either
        raise InvalidInput(_("a goodwill spend must name the ticket or the customer it is for"))
    period = period_of(ctx.now())
    with ctx.store.transaction() as session:
        found_ticket = find_ticket(session, ticket) if ticket else None
        found_customer = find_customer(session, customer) if customer else None
        if found_ticket and found_customer and found_ticket.customer_id != found_customer.id:
            raise InvalidInput(_("{key} belongs to another customer").format(key=found_ticket.key))
        if found_customer is not None:
            customer_id = found_customer.id
        else:
            assert found_ticket is not None  # one of the two is named (checked above)
            customer_id = found_ticket.customer_id
        refuse_overspend(budget_balance(session, ctx.actor.id, period, amount.currency),
                         -amount, period)
        entry = GoodwillEntry(
            kind=LedgerKind.SPEND, budget_agent_id=ctx.actor.id, period=period,
            amount_cents=-amount.cents, currency=amount.currency,
            ticket_id=found_ticket.id if found_ticket else None, customer_id=customer_id,
            reason=reason, author_id=ctx.actor.id, created_at=ctx.now(),
        )
        return _append(ctx, session, entry)


def reverse(ctx: ServiceContext, entry_ref: str, *, reason: str) -> GoodwillEntry:
    """Cancel an entry with a reversal that points at it. Leads and admins only."""
    ctx.require_lead(_("only a team lead or admin may reverse ledger entries"))
    reason = ledger_reason(LedgerKind.REVERSAL, reason)
    with ctx.store.transaction() as session:
        original = _find_entry(session, entry_ref)
        owner = session.get(Agent, original.budget_agent_id)
        assert owner is not None
        _may_manage(ctx, owner)
        if original.kind == LedgerKind.REVERSAL:
            raise Conflict(_("a reversal cannot be reversed; book a new entry instead"))
        already = session.exec(
            select(GoodwillEntry).where(GoodwillEntry.reverses_id == original.id)
        ).first()
        if already:
            raise Conflict(_("entry {entry} was already reversed").format(entry=original.id[-8:]))
        after = overdrawn(budget_balance(session, original.budget_agent_id, original.period,
                                         original.currency), -original.amount)
        if after is not None:
            # TRANSLATORS: {kind} is a ledger entry's kind: "allocation" or "spend".
            raise InsufficientBudget(_(
                "reversing this {kind} would leave {handle}'s {period} budget at {after}"
            ).format(kind=original.kind.label, handle=owner.handle, period=original.period,
                     after=after))
        entry = GoodwillEntry(
            kind=LedgerKind.REVERSAL, budget_agent_id=original.budget_agent_id,
            period=original.period, amount_cents=-original.amount_cents,
            currency=original.currency, ticket_id=original.ticket_id,
            customer_id=original.customer_id, reason=reason, reverses_id=original.id,
            author_id=ctx.actor.id, created_at=ctx.now(),
        )
        return _append(ctx, session, entry)


def _append(ctx: ServiceContext, session: Session, entry: GoodwillEntry) -> GoodwillEntry:
    session.add(entry)
    session.flush()
    record(session, "goodwill_entry", entry, author_id=ctx.actor.id)
    return entry


def _find_entry(session: Session, ref: str) -> GoodwillEntry:
    text = ref.strip().lower()
    if len(text) < 6:
        raise InvalidInput(_("give the entry's id (at least its last 6 characters)"))
    if not _ENTRY_REF.match(text):
        # Only hex digits and dashes reach the LIKE pattern: '%' or '_' would match any id.
        raise NotFound(_("no single ledger entry '{ref}'").format(ref=ref))
    rows = session.exec(
        select(GoodwillEntry).where(col(GoodwillEntry.id).like(f"%{text[-12:]}")).limit(2)
    ).all()
    if len(rows) != 1:
        raise NotFound(_("no single ledger entry '{ref}'").format(ref=ref))
    return rows[0]


def _may_manage(ctx: ServiceContext, agent: Agent) -> None:
    if not manages(ctx.actor.role, ctx.actor.team_id, agent.team_id):
        raise Forbidden(_("{handle} is not in your team").format(handle=agent.handle))


def _positive(amount: Money, currency: str) -> None:
    refusal = amount_refusal(amount, currency)
    if refusal:
        raise InvalidInput(refusal)


def _entries(session: Session, agent_id: str, period: str) -> list[GoodwillEntry]:
    return list(session.exec(
        select(GoodwillEntry).where(GoodwillEntry.budget_agent_id == agent_id)
        .where(GoodwillEntry.period == period)
    ).all())


def visible_budget_owner(ctx: ServiceContext, handle: str | None = None) -> str:
    """Whose budget the actor may look at: their own; a lead their team's; an admin anyone's.

    Returns the handle to pass to `balance` or `ledger` (the actor's own when None).
    """
    if handle is None:
        return ctx.actor.handle
    with ctx.store.reading() as session:
        agent = find_agent_by_handle(session, handle)
    if agent.id != ctx.actor.id:
        ctx.require_lead(_("only a team lead or admin may see another agent's goodwill "
                           "budget"))
        _may_manage(ctx, agent)
    return agent.handle
