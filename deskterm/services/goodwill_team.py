"""Goodwill oversight for leads: the team's budgets at once, spend by reason and month, export.

Leads see and manage their own team (admins every team). Allocating to the whole team is
one transaction: every active agent of the team gets the same allocation, or nobody does.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass

from sqlmodel import col, select

from deskterm.domain import Agent, Customer, GoodwillEntry, Ticket
from deskterm.domain.enums import LedgerKind, Role
from deskterm.domain.errors import Forbidden, NotFound
from deskterm.domain.goodwill import parse_period, period_of
from deskterm.domain.money import Money
from deskterm.domain.people import manages
from deskterm.i18n import _
from deskterm.i18n.formats import convention
from deskterm.services.context import ServiceContext
from deskterm.services.goodwill import Budget, _append, _positive, balance, ledger_reason

EXPORT_COLUMNS = ("entry_id", "created_at", "period", "kind", "agent", "amount", "currency",
                  "reason", "ticket", "customer", "author", "reverses")


def _team_agents(ctx: ServiceContext, team_id: str | None) -> list[Agent]:
    """The active people of `team_id` (the actor's own team when None) whose goodwill the
    actor oversees: who may is `domain.people.manages`, as for one person's budget. An
    admin with no team named sees everyone; a lead in no team oversees nobody."""
    ctx.require_lead(_("only a team lead or admin may oversee the team's goodwill"))
    team_id = team_id or ctx.actor.team_id
    if not manages(ctx.actor.role, ctx.actor.team_id, team_id):
        raise Forbidden(_("a lead oversees their own team's goodwill only")
                        if ctx.actor.team_id else
                        _("a lead in no team oversees nobody's goodwill: ask an admin to "
                          "put you in your team"))
    with ctx.store.reading() as session:
        query = select(Agent).where(col(Agent.active).is_(True))
        if team_id is not None:
            query = query.where(Agent.team_id == team_id)
        return list(session.exec(query.order_by(Agent.handle)).all())


def allocate_team(ctx: ServiceContext, amount: Money, *, period: str | None = None,
                  reason: str = "Goodwill budget", team_id: str | None = None
                  ) -> list[GoodwillEntry]:
    """The same allocation for every active agent of the team, in one transaction."""
    _positive(amount, ctx.currency)
    reason = ledger_reason(LedgerKind.ALLOCATION, reason)
    period = parse_period(period or period_of(ctx.now()))
    agents = [a for a in _team_agents(ctx, team_id) if a.role == Role.AGENT]
    if not agents:
        raise NotFound(_("the team has no active agents to allocate to"))
    with ctx.store.transaction() as session:
        return [_append(ctx, session, GoodwillEntry(
            kind=LedgerKind.ALLOCATION, budget_agent_id=agent.id, period=period,
            amount_cents=amount.cents, currency=amount.currency, reason=reason,
            author_id=ctx.actor.id, created_at=ctx.now())) for agent in agents]


def team_budgets(ctx: ServiceContext, *, period: str | None = None, team_id: str | None = None
                 ) -> list[Budget]:
    period = parse_period(period or period_of(ctx.now()))
    return [balance(ctx.store, agent.handle, period=period, currency=ctx.currency)
            for agent in _team_agents(ctx, team_id) if agent.role != Role.ADMIN]


@dataclass(frozen=True)
class SpendSummary:
    by_reason: list[tuple[str, Money, int]]  # reason, net spent, entries
    by_month: list[tuple[str, Money, int]]  # period, net spent, entries


def spend_summary(ctx: ServiceContext, *, months: int = 6, team_id: str | None = None
                  ) -> SpendSummary:
    """Net spend (spends minus their reversals) of the team, by reason and by month."""
    agents = {a.id for a in _team_agents(ctx, team_id)}
    with ctx.store.reading() as session:
        entries = session.exec(select(GoodwillEntry).where(
            col(GoodwillEntry.budget_agent_id).in_(agents))).all()
    kinds = {e.id: e.kind for e in entries}
    reasons = {e.id: e.reason for e in entries}
    periods = sorted({e.period for e in entries})[-months:]
    by_reason: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_month: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for entry in entries:
        kind = kinds.get(entry.reverses_id or "", entry.kind)
        if kind != LedgerKind.SPEND or entry.currency != ctx.currency:
            continue
        reason = reasons.get(entry.reverses_id or "", entry.reason) if entry.reverses_id \
            else entry.reason
        by_reason[_reason_key(reason)][0] -= entry.amount_cents
        by_reason[_reason_key(reason)][1] += entry.kind == LedgerKind.SPEND
        if entry.period in periods:
            by_month[entry.period][0] -= entry.amount_cents
            by_month[entry.period][1] += entry.kind == LedgerKind.SPEND
    return SpendSummary(
        sorted(((r, Money(c, ctx.currency), n) for r, (c, n) in by_reason.items()),
               key=lambda item: -item[1].cents),
        [(p, Money(by_month[p][0], ctx.currency), by_month[p][1]) for p in periods],
    )


def _reason_key(reason: str) -> str:
    """Reasons grouped loosely: case and surrounding space do not split a group."""
    return " ".join(reason.split()).capitalize()


def export_csv(ctx: ServiceContext, period: str, *, team_id: str | None = None) -> str:
    """Every ledger entry of the period for the team (admins: all teams), as CSV for finance,
    in the current language's convention (`formats.convention`): `,` and `12.50` in English,
    `;` and `12,50` in Dutch, as each language's spreadsheets read them."""
    period = parse_period(period)
    if ctx.actor.role == Role.ADMIN and team_id is None:
        ctx.require_lead(_("only a team lead or admin may export the ledger"))
        agent_filter = None
    else:
        agent_filter = {a.id for a in _team_agents(ctx, team_id)}
    with ctx.store.reading() as session:
        query = (select(GoodwillEntry, Ticket.number, Customer.name)
                 .outerjoin(Ticket, col(Ticket.id) == GoodwillEntry.ticket_id)
                 .outerjoin(Customer, col(Customer.id) == GoodwillEntry.customer_id)
                 .where(GoodwillEntry.period == period))
        if agent_filter is not None:
            query = query.where(col(GoodwillEntry.budget_agent_id).in_(agent_filter))
        rows = session.exec(query.order_by(col(GoodwillEntry.created_at))).all()
        handles = {a.id: a.handle for a in session.exec(select(Agent)).all()}
    out = io.StringIO()
    written = convention()
    writer = csv.writer(out, delimiter=written.csv_delimiter, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for entry, number, customer in rows:
        writer.writerow([
            entry.id, entry.created_at.isoformat(), entry.period, entry.kind.value,
            handles.get(entry.budget_agent_id, entry.budget_agent_id),
            Money(entry.amount_cents, entry.currency).plain.replace(".", written.decimal),
            entry.currency,
            _safe_cell(entry.reason), f"SD-{number}" if number else (entry.ticket_id or ""),
            _safe_cell(customer or ""), handles.get(entry.author_id, entry.author_id),
            entry.reverses_id or "",
        ])
    return out.getvalue()


def _safe_cell(text: str) -> str:
    """Text that a spreadsheet will not run as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
