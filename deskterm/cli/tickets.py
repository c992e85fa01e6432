"""`deskterm ticket ...`: list the queue, show one ticket, and work tickets.

Every command that changes a ticket prints it afterwards as `ticket show` does
(`--json`: the same object as `ticket show --json`).
"""

from __future__ import annotations

from deskterm.cli import replies, shapes, tables
from deskterm.cli.runtime import Run, Subparsers, add_command, add_group, add_limit
from deskterm.domain.enums import OPEN_STATUSES, TicketKind, TicketStatus
from deskterm.i18n import _
from deskterm.i18n.formats import number
from deskterm.present import age, local_time
from deskterm.services import handback, tickets
from deskterm.services.feedback_loop import ticket_responses
from deskterm.services.lookup import short_id
from deskterm.services.ticket_views import (
    TicketDetail,
    filtered_tickets,
    queue_filter,
    ticket_detail,
)

_STATUSES = [s.value for s in TicketStatus]
_PLAIN_STATUSES = [s.value for s in tickets.PLAIN_STATUSES]
_KINDS = [k.value for k in TicketKind]


def register(subparsers: Subparsers) -> None:
    group = add_group(subparsers, "ticket", _("list, show and work tickets"))

    parser = add_command(group, "list", list_queue, _("the ticket queue, newest first"),
                         description=_("The ticket queue, newest first. Without --all or "
                         "--status only open tickets (new, open, waiting, escalated)."))
    who = parser.add_mutually_exclusive_group()
    who.add_argument("--mine", action="store_true", help=_("only tickets I own"))
    who.add_argument("--unassigned", action="store_true", help=_("only tickets nobody owns"))
    who.add_argument("--owner", metavar="HANDLE", help=_("only tickets this agent owns"))
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--status", nargs="+", choices=_STATUSES, metavar="S",
                       help=_("only these statuses: {statuses}").format(
                           statuses=", ".join(_STATUSES)))
    which.add_argument("--all", action="store_true", help=_("include resolved and closed"))
    parser.add_argument("--department", metavar="CODE", help=_("only this department"))
    parser.add_argument("--customer", metavar="REF", help=_("only this customer (id or email)"))
    parser.add_argument("--search", metavar="TEXT", help=_("subject contains TEXT, or key"))
    add_limit(parser, 50)

    parser = add_command(group, "show", show, _("one ticket in full"))
    parser.add_argument("key", metavar="KEY", help=_("SD-1042, 1042, new-3f9a2c or the id"))

    parser = add_command(group, "new", new, _("open a ticket (you own it unless told otherwise)"))
    parser.add_argument("--customer", required=True, metavar="ID_OR_EMAIL",
                        help=_("the customer's id, short id or email address"))
    parser.add_argument("--subject", required=True, metavar="TEXT",
                        help=_("one line: what is wrong"))
    parser.add_argument("--description", default="", metavar="TEXT",
                        help=_("the details (Markdown)"))
    parser.add_argument("--kind", choices=_KINDS, default=TicketKind.INCIDENT.value,
                        help=_("default: incident"))
    parser.add_argument("--priority", default="P3", metavar="P1..P4",
                        help=_("P1 is the most urgent (default: P3)"))
    parser.add_argument("--department", metavar="CODE", help=_("the department it concerns"))
    owner = parser.add_mutually_exclusive_group()
    owner.add_argument("--owner", metavar="HANDLE", help=_("who owns it (default: you)"))
    owner.add_argument("--unassigned", action="store_true", help=_("leave it in the queue"))

    parser = add_command(group, "update", update, _("change a ticket's plain fields"))
    parser.add_argument("key", metavar="KEY",
                        help=_("the ticket's key (SD-1042) or provisional key (new-3f9a2c)"))
    parser.add_argument("--subject", metavar="TEXT", help=_("a new subject"))
    parser.add_argument("--description", metavar="TEXT", help=_("a new description (Markdown)"))
    parser.add_argument("--kind", choices=_KINDS, help=_("a new kind"))
    parser.add_argument("--priority", metavar="P1..P4", help=_("a new priority, P1 most urgent"))
    parser.add_argument("--department", metavar="CODE", help=_("move it to this department"))
    parser.add_argument("--status", choices=_PLAIN_STATUSES,
                        help=_("escalate, resolve and reopen have their own commands"))

    parser = add_command(group, "assign", assign, _("give a ticket to an agent (or --none)"))
    parser.add_argument("key", metavar="KEY",
                        help=_("the ticket's key (SD-1042) or provisional key (new-3f9a2c)"))
    parser.add_argument("owner", nargs="?", metavar="HANDLE", help=_("the agent who will own it"))
    parser.add_argument("--none", action="store_true", help=_("unassign (only while new)"))

    parser = add_command(group, "escalate", escalate,
                         _("hand the work to a resolver group; you stay the customer's contact"))
    parser.add_argument("key", metavar="KEY",
                        help=_("the ticket's key (SD-1042) or provisional key (new-3f9a2c)"))
    parser.add_argument("--group", required=True, metavar="G",
                        help=_("the resolver group (deskterm group list)"))
    parser.add_argument("--tier", type=int,
                        choices=[int(tier) for tier in tickets.ESCALATION_TIERS],
                        help=_("the group's tier (a check; the group decides)"))
    parser.add_argument("--reason", required=True, metavar="R",
                        help=_("why (shown on the ticket's trail)"))

    parser = add_command(group, "resolve", resolve,
                         _("resolve a ticket (a resolver's resolve returns it to its owner)"),
                         description=_("Resolve a ticket. When a resolver (anyone but the "
                         "owner) resolves an escalated ticket, it returns to its owner, who "
                         "closes it after telling the customer: a contact logged since, or "
                         "--informed REASON."))
    parser.add_argument("key", metavar="KEY",
                        help=_("the ticket's key (SD-1042) or provisional key (new-3f9a2c)"))
    parser.add_argument("--resolution", metavar="TEXT",
                        help=_("required, except on a returned ticket (the solution stands)"))
    parser.add_argument("--first-contact", action="store_true",
                        help=_("solved during the customer's first contact"))
    parser.add_argument("--informed", metavar="REASON",
                        help=_("how the customer of a returned ticket was told, when no "
                        "contact was logged"))

    parser = add_command(group, "chase", chase, _("ask the resolver group of your escalation"))
    parser.add_argument("key", metavar="KEY",
                        help=_("the ticket's key (SD-1042) or provisional key (new-3f9a2c)"))
    parser.add_argument("--message", required=True, metavar="M", help=_("what to ask the group"))

    parser = add_command(group, "take-over", take_over,
                         _("a lead makes a complaint their own (the trail says so)"))
    parser.add_argument("key", metavar="KEY",
                        help=_("the ticket's key (SD-1042) or provisional key (new-3f9a2c)"))

    parser = add_command(group, "reopen", reopen, _("reopen a resolved or closed ticket"))
    parser.add_argument("key", metavar="KEY",
                        help=_("the ticket's key (SD-1042) or provisional key (new-3f9a2c)"))
    parser.add_argument("--reason", required=True, metavar="R",
                        help=_("why (shown on the ticket's trail)"))

    parser = add_command(group, "note", note, _("add an internal note to a ticket's trail"))
    parser.add_argument("key", metavar="KEY",
                        help=_("the ticket's key (SD-1042) or provisional key (new-3f9a2c)"))
    parser.add_argument("text", metavar="TEXT", help=_("the note (Markdown)"))

    replies.register(group)


def list_queue(run: Run) -> None:
    args = run.args
    statuses = args.status or ([] if args.all else list(OPEN_STATUSES))
    store = run.store()
    flt = queue_filter(
        store, statuses=statuses, owner=run.handle if args.mine else args.owner,
        unassigned=args.unassigned, department=args.department, customer=args.customer,
        text=args.search or "",
    )
    rows = filtered_tickets(store, flt, limit=args.limit)
    if run.out.as_json:
        run.out.json([shapes.ticket_row(row) for row in rows])
        return
    tables.tickets(run, rows, empty=_("no tickets match"))
    if len(rows) == args.limit:
        run.out.hint(_("showing the newest {limit}; use --limit or filters to see others").format(
            limit=number(args.limit)))


def show(run: Run) -> None:
    print_detail(run, ticket_detail(run.store(), run.args.key))


def print_detail(run: Run, detail: TicketDetail, *, done: str | None = None) -> None:
    """The ticket in full, or as JSON; `done` is a line saying what was just changed."""
    responses = ticket_responses(run.store(), detail.ticket.id)
    if run.out.as_json:
        run.out.json({**shapes.ticket_detail(run, detail),
                      "responses": [shapes.response(run, r) for r in responses]})
        return
    found = detail.ticket
    if done:
        run.out.line(done)
    resolver = None
    if found.escalated_at is not None:
        if found.status == TicketStatus.ESCALATED:
            resolver = _("tier {tier} · {group} — escalated {when} ({age}): {reason}")
        else:
            resolver = _("was tier {tier} · {group} — escalated {when} ({age}): {reason}")
        resolver = resolver.format(tier=found.resolver_tier, group=found.resolver_group,
                                   when=local_time(found.escalated_at),
                                   age=age(found.escalated_at), reason=found.escalation_reason)
    resolved = None
    if found.resolved_at is not None:
        if found.first_contact_resolution:
            resolved = _("{when} (first contact): {resolution}")
        else:
            resolved = _("{when}: {resolution}")
        resolved = resolved.format(when=local_time(found.resolved_at),
                                   resolution=found.resolution)
    run.out.card([
        (_("Status"), tables.status_text(found.status, found.resolver_tier, found.resolver_group,
                                      returned=handback.is_returned(found))),
        (_("Priority"), f"{found.priority} ({found.priority.label})"),
        (_("Kind"), found.kind.label),
        (_("Customer"), f"{shapes.customer_label(detail.customer)}  "
                        f"[{short_id(detail.customer.id)}]"),
        (_("Owner"), detail.owner.handle if detail.owner else _("— (unassigned)")),
        (_("Resolver"), resolver),
        (_("Department"), detail.department.code if detail.department else None),
        (_("Created"), f"{local_time(found.created_at)} ({age(found.created_at)})"),
        (_("Updated"), f"{local_time(found.updated_at)} ({age(found.updated_at)})"),
        (_("Last contact"), local_time(found.last_contact_at)),
        (_("Resolved"), resolved),
        (_("Description"), found.description),
    ], title=f"{found.key}  {found.subject}")
    run.out.table([_("WHEN"), _("WHO"), _("WHAT"), _("DETAIL")],
                  ([local_time(e.created_at), run.handle_of(e.agent_id), e.kind.label, e.detail]
                   for e in detail.events), title=_("Trail"))
    run.out.table([_("ID"), _("TITLE"), _("VERSION>")],
                  ([short_id(a.id), a.title, str(a.version)] for a in detail.articles),
                  title=_("Articles used"))
    tables.contacts(run, detail.contacts)
    if responses:
        tables.responses(run, responses, title=_("Customer feedback"))


def print_changed(run: Run, ref: str, done: str) -> None:
    """The ticket after a change; `done` is the translated line saying what changed, with
    {key} and {subject} (and {owner}: the ticket's owner) to fill in."""
    detail = ticket_detail(run.store(), ref)
    owner = detail.owner.handle if detail.owner else ""
    print_detail(run, detail, done=done.format(key=detail.ticket.key,
                                               subject=detail.ticket.subject, owner=owner))


def new(run: Run) -> None:
    args = run.args
    made = tickets.create_ticket(
        run.ctx, customer=args.customer, subject=args.subject, description=args.description,
        kind=args.kind, priority=args.priority, department=args.department, owner=args.owner,
        unassigned=args.unassigned,
    )
    print_changed(run, made.id, _("Created {key}: {subject}"))


def update(run: Run) -> None:
    args = run.args
    changed = tickets.update_ticket(
        run.ctx, args.key, subject=args.subject, description=args.description, kind=args.kind,
        priority=args.priority, department=args.department, status=args.status,
    )
    print_changed(run, changed.id, _("Updated {key}: {subject}"))


def assign(run: Run) -> None:
    args = run.args
    if args.none == (args.owner is not None):
        run.usage_error(_("give the new owner's HANDLE or --none, not both or neither"))
    changed = tickets.assign_ticket(run.ctx, args.key, None if args.none else args.owner)
    print_changed(run, changed.id, _("Assigned {key}: {subject}") if args.owner
                  else _("Unassigned {key}: {subject}"))


def escalate(run: Run) -> None:
    args = run.args
    changed = tickets.escalate_ticket(run.ctx, args.key, tier=args.tier, group=args.group,
                                      reason=args.reason)
    print_changed(run, changed.id, _("Escalated {key}: {subject}"))


def resolve(run: Run) -> None:
    args = run.args
    changed = tickets.resolve_ticket(run.ctx, args.key, resolution=args.resolution,
                                     first_contact=args.first_contact, informed=args.informed)
    if handback.is_returned(changed):
        print_changed(run, changed.id, _("Returned to {owner} {key}: {subject}"))
    else:
        print_changed(run, changed.id, _("Resolved {key}: {subject}"))


def chase(run: Run) -> None:
    event = handback.chase(run.ctx, run.args.key, run.args.message)
    print_changed(run, event.ticket_id, _("Chased the resolver group of {key}: {subject}"))


def take_over(run: Run) -> None:
    changed = handback.take_over(run.ctx, run.args.key)
    print_changed(run, changed.id, _("Took over {key}: {subject}"))


def reopen(run: Run) -> None:
    changed = tickets.reopen_ticket(run.ctx, run.args.key, reason=run.args.reason)
    print_changed(run, changed.id, _("Reopened {key}: {subject}"))


def note(run: Run) -> None:
    event = tickets.add_note(run.ctx, run.args.key, run.args.text)
    print_changed(run, event.ticket_id, _("Noted on {key}: {subject}"))
