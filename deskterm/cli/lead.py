"""`deskterm board`, `deskterm nudge`, `deskterm mood-team`: the team lead's views."""

from __future__ import annotations

from deskterm.cli.output import iso
from deskterm.cli.runtime import Run, Subparsers, add_command
from deskterm.domain.errors import InvalidInput
from deskterm.i18n import _
from deskterm.i18n.formats import number
from deskterm.present import age


def register(subparsers: Subparsers) -> None:
    parser = add_command(subparsers, "board", board,
                         _("open escalations of your team, with who owns them (leads)"))
    parser.add_argument("--sort", choices=["age", "priority", "tier"], default="age",
                        help=_("order: oldest first, most urgent first, or by tier (default age)"))
    parser.add_argument("--department", metavar="CODE", help=_("only this department"))
    parser.add_argument("--stale-hours", type=float, default=None, metavar="H",
                        help=_("no customer contact for H hours is stale (default: config "
                        "`stale_hours`, else 24)"))
    parser.add_argument("--all-teams", action="store_true", help=_("every team (admins)"))

    parser = add_command(subparsers, "nudge", nudge,
                         _("a note to a ticket's owner: on the ticket and on their screen (leads)"))
    parser.add_argument("ticket", metavar="KEY",
                        help=_("the ticket's key (SD-1042) or provisional key (new-3f9a2c)"))
    parser.add_argument("--message", required=True, metavar="M",
                        help=_("what the owner should read"))

    parser = add_command(subparsers, "mood-team", mood_team,
                         _("the team's mood: aggregates of 3+ agents only (leads)"))
    parser.add_argument("--team", metavar="NAME", help=_("another team (admins)"))


def board(run: Run) -> None:
    from deskterm.services.board import DEFAULT_STALE_HOURS, escalation_board

    ctx = run.ctx
    ctx.require_lead(_("only a team lead or admin may see the escalation board"))
    if run.args.all_teams and ctx.actor.role.value != "admin":
        raise InvalidInput(_("--all-teams is for admins; leads see their own team"))
    hours = run.args.stale_hours if run.args.stale_hours is not None else \
        run.config.stale_hours or DEFAULT_STALE_HOURS
    if hours <= 0:
        raise InvalidInput(_("--stale-hours must be more than 0"))
    rows = escalation_board(run.store(), team_id=None if run.args.all_teams else
                            ctx.actor.team_id, department=run.args.department,
                            sort=run.args.sort, stale_hours=hours)
    if run.out.as_json:
        run.out.json([{"key": r.key, "subject": r.subject, "customer": r.customer,
                       "priority": r.priority.name, "tier": r.tier, "group": r.resolver_group,
                       "owner": r.owner_handle, "department": r.department, "reason": r.reason,
                       "escalated_at": iso(r.escalated_at),
                       "last_contact_at": iso(r.last_contact_at),
                       "repeat_contacts": r.repeat_contacts, "stale": r.stale} for r in rows])
        return
    run.out.table(
        [_("key"), _("subject"), _("customer"), _("pri"), _("line"), _("owner"), _("escalated>"),
         _("contact>"),
         _("7d>"), ""],
        [(r.key, r.subject, r.customer, r.priority.name, f"{r.tier or '?'}·{r.resolver_group}",
          r.owner_handle or "—", age(r.escalated_at), age(r.last_contact_at) or _("never"),
          str(r.repeat_contacts), _("stale") if r.stale else "") for r in rows],
        title=_("Open escalations ({count})").format(count=number(len(rows))),
                empty=_("none: nothing is escalated"))


def nudge(run: Run) -> None:
    from deskterm.services.board import nudge as send

    event = send(run.ctx, run.args.ticket, run.args.message)
    if run.out.as_json:
        run.out.json({"ticket": run.args.ticket, "message": event.detail,
                      "at": iso(event.created_at)})
        return
    run.out.line(_("Nudged the owner of {key}: {message}").format(key=run.args.ticket,
                                                                   message=event.detail))


def mood_team(run: Run) -> None:
    from deskterm.domain.types import HIGHEST_SCORE, LOWEST_SCORE
    from deskterm.services.team_mood import NOT_ENOUGH, to_wire
    from deskterm.sync.figures import team_mood

    mood = team_mood(run.ctx, run.login, run.args.team)
    if run.out.as_json:
        run.out.json(to_wire(mood))
        return
    # One right-aligned column per score: counts of 10 and more stay under their score.
    scores = [f"{score}>" for score in range(LOWEST_SCORE, HIGHEST_SCORE + 1)]
    rows = []
    for item in mood.weeks:
        mean = "" if item.mean is None else number(item.mean, 2)
        if item.shown and item.distribution:
            rows.append((item.label, mean, str(item.contributors),
                         *(str(n) for n in item.distribution), ""))
        elif item.shown:
            rows.append((item.label, mean, str(item.contributors),
                         *([""] * len(scores)), _("no spread: fewer than 5 agents")))
        else:
            rows.append((item.label, "", "", *([""] * len(scores)), NOT_ENOUGH))
    run.out.table([_("WEEK"), _("MEAN>"), _("AGENTS>"), *scores, _("NOTE")], rows,
                  title=_("Team mood per week"))
    if mood.warning:
        run.out.line(f"⚠ {mood.warning.message}")
