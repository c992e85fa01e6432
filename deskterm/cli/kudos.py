"""`deskterm kudos ...`: thank a colleague, share a customer's or a lead's compliment, and
read the feed."""

from __future__ import annotations

from deskterm.cli import shapes
from deskterm.cli.runtime import Run, Subparsers, add_command, add_group, add_limit
from deskterm.domain import Kudos
from deskterm.domain.enums import KudosSource
from deskterm.i18n import _
from deskterm.present import age, local_time
from deskterm.services.wellbeing import add_kudos, list_kudos


def register(subparsers: Subparsers) -> None:
    group = add_group(subparsers, "kudos", _("compliments for an agent or the whole team"))
    parser = add_command(
        group, "add", add, _("thank a colleague (or the team) in your own name"),
        description=_("Without --from/--customer/--lead: your own thanks to a colleague. A "
        "customer's compliment (--from or --customer) is entered by a lead; the feed says "
        "who entered it. Nobody sends kudos about themselves."))
    parser.add_argument("--message", required=True, metavar="M", help=_("the compliment, as said"))
    parser.add_argument("--about", metavar="HANDLE",
                        help=_("the agent it is about (default: team)"))
    parser.add_argument("--from", dest="from_name", metavar="NAME",
                        help=_("a customer's compliment: who said it (leads)"))
    parser.add_argument("--customer", metavar="REF",
                        help=_("a customer's compliment: the customer who said it (leads)"))
    parser.add_argument("--ticket", metavar="KEY", help=_("the ticket it was about"))
    parser.add_argument("--lead", action="store_true", help=_("from you, as team lead"))

    parser = add_command(group, "list", list_, _("the kudos feed, newest first"))
    parser.add_argument("--about", metavar="HANDLE", help=_("only about this agent"))
    add_limit(parser, 20)


def add(run: Run) -> None:
    args = run.args
    kudos = add_kudos(run.ctx, message=args.message,
                      source=KudosSource.LEAD if args.lead else None,
                      about=args.about, from_name=args.from_name, customer=args.customer,
                      ticket=args.ticket)
    if run.out.as_json:
        run.out.json(shapes.kudos(run, kudos))
        return
    about = run.handle_of(kudos.about_agent_id)
    shared = (_("Kudos for {about} from {sender} shared with the desk") if about
              else _("Kudos for the team from {sender} shared with the desk"))
    run.out.line(shared.format(about=about, sender=kudos.from_name))


def list_(run: Run) -> None:
    found = list_kudos(run.store(), about=run.args.about, limit=run.args.limit)
    if run.out.as_json:
        run.out.json([shapes.kudos(run, k) for k in found])
        return
    run.out.table(
        [_("WHEN"), _("AGO>"), _("FOR"), _("FROM"), _("MESSAGE")],
        ([local_time(k.created_at), age(k.created_at), run.handle_of(k.about_agent_id) or _("team"),
          sender(run, k), k.message] for k in found),
        empty=_("no kudos yet"),
    )


def sender(run: Run, kudos: Kudos) -> str:
    """Who it is from, and for a customer's compliment who entered it."""
    if kudos.source != KudosSource.CUSTOMER:
        return f"{kudos.from_name} ({kudos.source.label})"
    if kudos.feedback_id:
        return _("{sender} (customer, in their feedback)").format(sender=kudos.from_name)
    return _("{sender} (customer, entered by {agent})").format(
        sender=kudos.from_name, agent=run.handle_of(kudos.author_id))
