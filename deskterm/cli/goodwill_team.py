"""`deskterm goodwill team|summary|allocate-team|export`: goodwill oversight for leads."""

from __future__ import annotations

import os
from pathlib import Path

from deskterm.cli.output import money
from deskterm.cli.runtime import Run, Subparsers, add_command
from deskterm.domain.errors import InvalidInput
from deskterm.domain.money import Money
from deskterm.i18n import _, ngettext
from deskterm.i18n.formats import number
from deskterm.services import goodwill_team


def register(group: Subparsers) -> None:
    parser = add_command(group, "team", team, _("every team member's balance (leads)"))
    parser.add_argument("--period", metavar="YYYY-MM", help=_("default: this month"))

    parser = add_command(group, "summary", summary,
                         _("the team's net spend by reason and by month (leads)"))
    parser.add_argument("--months", type=int, default=6, metavar="N",
                        help=_("months to show (default 6)"))

    parser = add_command(group, "allocate-team", allocate_team,
                         _("the same allocation for every agent of your team (leads)"))
    parser.add_argument("amount", metavar="AMOUNT", help=_("per agent, e.g. 50.00"))
    parser.add_argument("--period", metavar="YYYY-MM", help=_("default: this month"))
    parser.add_argument("--reason", default="Goodwill budget", metavar="R",
                        help=_("the ledger's text (default 'Goodwill budget')"))

    parser = add_command(group, "export", export, _("a period's ledger as CSV for finance (leads)"))
    parser.add_argument("--period", required=True, metavar="YYYY-MM", help=_("the month to export"))
    parser.add_argument("--csv", required=True, metavar="FILE", help=_("the file to write "
                        "('-' for stdout)"))


def team(run: Run) -> None:
    budgets = goodwill_team.team_budgets(run.ctx, period=run.args.period)
    if run.out.as_json:
        run.out.json([{"handle": b.agent.handle, "period": b.period,
                       "balance": money(b.balance), "allocated": money(b.allocated),
                       "spent": money(b.spent)} for b in budgets])
        return
    period = budgets[0].period if budgets else run.args.period or ""
    run.out.table([_("agent"), _("allocated>"), _("spent>"), _("balance>")], [
        (b.agent.handle, str(b.allocated), str(b.spent), str(b.balance)) for b in budgets],
        title=_("Team goodwill for {period}").format(period=period))


def summary(run: Run) -> None:
    if not 1 <= run.args.months <= 36:
        raise InvalidInput(_("--months must be 1 to 36"))
    found = goodwill_team.spend_summary(run.ctx, months=run.args.months)
    if run.out.as_json:
        run.out.json({
            "by_reason": [{"reason": r, "spent": money(m), "entries": n}
                          for r, m, n in found.by_reason],
            "by_month": [{"period": p, "spent": money(m), "entries": n}
                         for p, m, n in found.by_month]})
        return
    run.out.table([_("reason"), _("spent>"), _("entries>")],
                  [(r, str(m), str(n)) for r, m, n in found.by_reason],
                  title=_("Spend by reason"), empty=_("no spends yet"))
    run.out.table([_("month"), _("spent>"), _("entries>")],
                  [(p, str(m), str(n)) for p, m, n in found.by_month],
                  title=_("Spend by month"), empty=_("no spends yet"))


def allocate_team(run: Run) -> None:
    amount = Money.parse(run.args.amount, run.config.currency)
    entries = goodwill_team.allocate_team(run.ctx, amount, period=run.args.period,
                                          reason=run.args.reason)
    if run.out.as_json:
        run.out.json({"allocated": money(amount), "agents": [run.handle_of(e.budget_agent_id)
                                                             for e in entries]})
        return
    names = ", ".join(run.handle_of(e.budget_agent_id) or "?" for e in entries)
    run.out.line(ngettext("Allocated {amount} to {count} agent ({names}) for {period}",
                          "Allocated {amount} to each of {count} agents ({names}) for {period}",
                          len(entries)).format(amount=amount, count=number(len(entries)),
                                               names=names, period=entries[0].period))


def export(run: Run) -> None:
    text = goodwill_team.export_csv(run.ctx, run.args.period)
    rows = text.count("\n") - 1
    if run.args.csv == "-":
        print(text, end="")
        return
    target = Path(run.args.csv).expanduser()
    if target.is_dir():
        raise InvalidInput(_("{path} is a directory; name the CSV file to write").format(
            path=target))
    if not target.parent.exists():
        raise InvalidInput(_("the folder {path} does not exist").format(path=target.parent))
    partial = target.with_name(f".{target.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, target)
    run.out.line(ngettext("Wrote {count} ledger entry of {period} to {path}",
                          "Wrote {count} ledger entries of {period} to {path}", rows).format(
        count=number(rows), period=run.args.period, path=target))
