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
from deskterm.services import goodwill
from deskterm.services.lookup import short_id


def register(subparsers: Subparsers) -> None:
    group = add_group(subparsers, "goodwill", "the goodwill budget and its ledger")

    parser = add_command(group, "balance", balance,
                         "a budget's balance for a period (yours unless HANDLE)")
    _whose(parser)

    parser = add_command(group, "ledger", ledger, "a budget's entries, newest first")
    _whose(parser)
    add_limit(parser, 50)

    parser = add_command(group, "spend", spend, "spend from your budget for this month")
    parser.add_argument("amount", metavar="AMOUNT", help="e.g. 12.50")
    parser.add_argument("--reason", required=True, metavar="TEXT", help="why: the ledger says")
    parser.add_argument("--ticket", metavar="KEY", help="the ticket it was spent on")
    parser.add_argument("--customer", metavar="ID", help="id, short id or email")

    parser = add_command(group, "allocate", allocate, "add to an agent's budget (leads)")
    parser.add_argument("handle", metavar="HANDLE", help="the agent whose budget grows")
    parser.add_argument("amount", metavar="AMOUNT", help="e.g. 50.00")
    parser.add_argument("--period", metavar="YYYY-MM", help="default: this month")
    parser.add_argument("--reason", default="Goodwill budget", metavar="R",
                        help="the ledger's text (default 'Goodwill budget')")

    parser = add_command(group, "reverse", reverse, "cancel an entry with a reversal (leads)")
    parser.add_argument("entry", metavar="ENTRY_ID", help="the entry's short id (8 hex)")
    parser.add_argument("--reason", required=True, metavar="R",
                        help="why it is reversed (the ledger says)")
    goodwill_team.register(group)


def _whose(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("handle", nargs="?", metavar="HANDLE",
                        help="another agent's budget (leads: their team)")
    parser.add_argument("--period", metavar="YYYY-MM", help="default: this month")


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
        ("Balance", str(budget.balance)),
        ("Allocated", str(budget.allocated)),
        ("Spent", str(budget.spent)),
    ], title=f"Goodwill budget of {budget.agent.handle} for {budget.period}")


def ledger(run: Run) -> None:
    owner = goodwill.visible_budget_owner(run.ctx, run.args.handle)
    entries = goodwill.ledger(run.store(), owner, period=run.args.period, limit=run.args.limit)
    if run.out.as_json:
        run.out.json([shapes.ledger_entry(run, e) for e in entries])
        return
    period = f" for {run.args.period}" if run.args.period else ""
    tables.ledger(run, entries, title=f"Goodwill ledger of {owner}{period}")


def _print_entry(run: Run, entry: GoodwillEntry, done: str) -> None:
    if run.out.as_json:
        run.out.json(shapes.ledger_entry(run, entry))
        return
    left = goodwill.balance(run.store(), run.handle_of(entry.budget_agent_id) or "",
                            period=entry.period, currency=entry.currency).balance
    run.out.line(f"{done} (entry {short_id(entry.id)}); "
                 f"{left} left in {run.handle_of(entry.budget_agent_id)}'s {entry.period} budget")


def spend(run: Run) -> None:
    args = run.args
    entry = goodwill.spend(run.ctx, _amount(run, args.amount), reason=args.reason,
                           ticket=args.ticket, customer=args.customer)
    _print_entry(run, entry, f"Spent {-entry.amount}: {entry.reason}")


def allocate(run: Run) -> None:
    args = run.args
    entry = goodwill.allocate(run.ctx, args.handle, _amount(run, args.amount),
                              period=args.period, reason=args.reason)
    _print_entry(run, entry, f"Allocated {entry.amount} to {args.handle.lstrip('@').lower()}")


def reverse(run: Run) -> None:
    entry = goodwill.reverse(run.ctx, run.args.entry, reason=run.args.reason)
    _print_entry(run, entry, f"Reversed entry {short_id(entry.reverses_id or '')} "
                             f"with {entry.amount}")
