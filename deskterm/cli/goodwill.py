"""`deskterm goodwill ...`: budget balance and ledger, spend with a reason, allocate, reverse.

Amounts are typed as people write them (`12.50`, `12,5`, `€12`), in the config's
currency. Entries are shown by the 8-hex short id that `goodwill reverse` accepts.
"""

from __future__ import annotations

import argparse

from deskterm.cli import goodwill_team, shapes, tables
from deskterm.cli.runtime import Run, Subparsers, add_command, add_group, add_limit
from deskterm.domain import GoodwillEntry
from deskterm.domain.money import Money
from deskterm.i18n import _
from deskterm.services import goodwill
from deskterm.services.lookup import short_id


def register(subparsers: Subparsers) -> None:
    group = add_group(subparsers, "goodwill", _("the goodwill budget and its ledger"))

    parser = add_command(group, "balance", balance,
                         _("a budget's balance for a period (yours unless HANDLE)"))
    _whose(parser)

    parser = add_command(group, "ledger", ledger, _("a budget's entries, newest first"))
    _whose(parser)
    add_limit(parser, 50)

    parser = add_command(group, "spend", spend, _("spend from your budget for this month"))
    parser.add_argument("amount", metavar="AMOUNT", help=_("e.g. 12.50"))
    parser.add_argument("--reason", required=True, metavar="TEXT", help=_("why: the ledger says"))
    parser.add_argument("--ticket", metavar="KEY", help=_("the ticket it was spent on"))
    parser.add_argument("--customer", metavar="ID", help=_("id, short id or email"))

    parser = add_command(group, "allocate", allocate, _("add to an agent's budget (leads)"))
    parser.add_argument("handle", metavar="HANDLE", help=_("the agent whose budget grows"))
    parser.add_argument("amount", metavar="AMOUNT", help=_("e.g. 50.00"))
    parser.add_argument("--period", metavar="YYYY-MM", help=_("default: this month"))
    parser.add_argument("--reason", default="Goodwill budget", metavar="R",
                        help=_("the ledger's text (default 'Goodwill budget')"))

    parser = add_command(group, "reverse", reverse, _("cancel an entry with a reversal (leads)"))
    parser.add_argument("entry", metavar="ENTRY_ID", help=_("the entry's short id (8 hex)"))
    parser.add_argument("--reason", required=True, metavar="R",
                        help=_("why it is reversed (the ledger says)"))
    goodwill_team.register(group)


def _whose(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("handle", nargs="?", metavar="HANDLE",
                        help=_("another agent's budget (leads: their team)"))
    parser.add_argument("--period", metavar="YYYY-MM", help=_("default: this month"))


def _amount(run: Run, text: str) -> Money:
    return Money.parse(text, run.config.currency)


def balance(run: Run) -> None:
    owner = goodwill.visible_budget_owner(run.ctx, run.args.handle)
    budget = goodwill.balance(run.store(), owner, period=run.args.period,
                              currency=run.config.currency)
    if run.out.as_json:
        run.out.json(shapes.budget(budget))
        return
    run.out.card([
        (_("Balance"), str(budget.balance)),
        (_("Allocated"), str(budget.allocated)),
        (_("Spent"), str(budget.spent)),
    ], title=_("Goodwill budget of {agent} for {period}").format(agent=budget.agent.handle,
                                                                  period=budget.period))


def ledger(run: Run) -> None:
    owner = goodwill.visible_budget_owner(run.ctx, run.args.handle)
    entries = goodwill.ledger(run.store(), owner, period=run.args.period, limit=run.args.limit)
    if run.out.as_json:
        run.out.json([shapes.ledger_entry(run, e) for e in entries])
        return
    if run.args.period:
        title = _("Goodwill ledger of {agent} for {period}").format(agent=owner,
                                                                    period=run.args.period)
    else:
        title = _("Goodwill ledger of {agent}").format(agent=owner)
    tables.ledger(run, entries, title=title)


def _print_entry(run: Run, entry: GoodwillEntry, done: str) -> None:
    if run.out.as_json:
        run.out.json(shapes.ledger_entry(run, entry))
        return
    left = goodwill.balance(run.store(), run.handle_of(entry.budget_agent_id) or "",
                            period=entry.period, currency=entry.currency).balance
    # TRANSLATORS: {done} is a whole sentence saying what was booked (Spent €12.50: ...).
    run.out.line(_("{done} (entry {entry}); {left} left in {agent}'s {period} budget").format(
        done=done, entry=short_id(entry.id), left=left,
        agent=run.handle_of(entry.budget_agent_id), period=entry.period))


def spend(run: Run) -> None:
    args = run.args
    entry = goodwill.spend(run.ctx, _amount(run, args.amount), reason=args.reason,
                           ticket=args.ticket, customer=args.customer)
    _print_entry(run, entry, _("Spent {amount}: {reason}").format(amount=-entry.amount,
                                                                    reason=entry.reason))


def allocate(run: Run) -> None:
    args = run.args
    entry = goodwill.allocate(run.ctx, args.handle, _amount(run, args.amount),
                              period=args.period, reason=args.reason)
    _print_entry(run, entry, _("Allocated {amount} to {agent}").format(
        amount=entry.amount, agent=args.handle.lstrip("@").lower()))


def reverse(run: Run) -> None:
    entry = goodwill.reverse(run.ctx, run.args.entry, reason=run.args.reason)
    _print_entry(run, entry, _("Reversed entry {entry} with {amount}").format(
        entry=short_id(entry.reverses_id or ""), amount=entry.amount))
