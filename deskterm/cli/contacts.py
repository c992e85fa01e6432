"""`deskterm contact log` and `deskterm history`: record an interaction, see who called before."""

from __future__ import annotations

from rich.text import Text

from deskterm.cli import shapes, tables
from deskterm.cli.customers import open_tickets_json, print_card, print_open_tickets
from deskterm.cli.output import money
from deskterm.cli.runtime import Run, Subparsers, add_command, add_group, add_limit
from deskterm.domain.clock import utcnow
from deskterm.domain.enums import Channel, Direction
from deskterm.domain.promises import PromiseStatus
from deskterm.domain.types import HIGHEST_SCORE, LOWEST_SCORE
from deskterm.i18n import _
from deskterm.i18n.formats import number
from deskterm.present import ago, ordinal, promised
from deskterm.services.contacts import REPEAT_WINDOW, CustomerHistory, customer_history, log_contact
from deskterm.services.lookup import short_id
from deskterm.services.promises import customer_open_promises


def register(subparsers: Subparsers) -> None:
    group = add_group(subparsers, "contact", _("log customer contacts"))
    parser = add_command(group, "log", log, _("record one interaction with a customer"))
    about = parser.add_mutually_exclusive_group(required=True)
    about.add_argument("--customer", metavar="REF", help=_("the customer (id or email)"))
    about.add_argument("--ticket", metavar="KEY", help=_("the ticket it was about"))
    parser.add_argument("--channel", required=True, choices=[c.value for c in Channel],
                        help=_("how the customer was in touch"))
    parser.add_argument("--summary", required=True, metavar="TEXT", help=_("what was said or done"))
    parser.add_argument("--direction", choices=[d.value for d in Direction],
                        default=Direction.INBOUND.value, help=_("who started it (default inbound)"))
    parser.add_argument("--rating", type=int, choices=range(LOWEST_SCORE, HIGHEST_SCORE + 1),
                        metavar=f"{LOWEST_SCORE}-{HIGHEST_SCORE}",
                        help=_("your own rating of how it went (private)"))
    parser.add_argument("--keeps", metavar="PROMISE",
                        help=_("the promise on this ticket this contact keeps (its id)"))

    parser = add_command(subparsers, "history", history,
                         _("a customer's contacts, promises, open tickets and goodwill received"))
    parser.add_argument("customer", metavar="CUSTOMER", help=_("id, short id or email address"))
    add_limit(parser, 20)


def log(run: Run) -> None:
    args = run.args
    contact = log_contact(run.ctx, channel=args.channel, summary=args.summary,
                          customer=args.customer, ticket=args.ticket,
                          direction=args.direction, self_rating=args.rating, keeps=args.keeps)
    if run.out.as_json:
        run.out.json(shapes.contact(run, contact, with_rating=True))
        return
    # TRANSLATORS: {direction} is inbound/outbound, {channel} phone/email/... (their words).
    run.out.line(_("Logged {direction} {channel} contact {id}").format(
        direction=contact.direction.label, channel=contact.channel.label,
        id=short_id(contact.id)))


def repeat_banner(found: CustomerHistory) -> str | None:
    """"3rd contact in 7 days — last one 2 days ago by phone", for a repeat contact."""
    last = found.last_contact
    if not found.is_repeat or last is None:
        return None
    days = REPEAT_WINDOW.days
    # TRANSLATORS: {nth} is an ordinal (3rd), {ago} how long ago (2 days ago), {channel}
    # how (phone, email, ...).
    return _("{nth} contact in {days} days — last one {ago} by {channel}").format(
        nth=ordinal(found.contacts_last_7_days), days=days, ago=ago(last.occurred_at),
        channel=last.channel.label)


def history(run: Run) -> None:
    found = customer_history(run.store(), run.args.customer, limit=run.args.limit,
                             currency=run.config.currency)
    banner = repeat_banner(found)
    now = utcnow()
    promises = customer_open_promises(run.store(), found.customer.id)
    if run.out.as_json:
        run.out.json({
            "customer": shapes.customer(found.customer),
            "repeat": {"is_repeat": found.is_repeat,
                       "contacts_last_7_days": found.contacts_last_7_days,
                       "banner": banner},
            "total_contacts": found.total_contacts,
            "contacts": [shapes.contact(run, c) for c in found.contacts],
            "promises": [{"id": line.promise.id, "short_id": line.short_id,
                          "ticket": line.ticket_key, "what": line.promise.what,
                          "due_at": line.promise.due_at.isoformat(),
                          "state": line.promise.status_at(now).value} for line in promises],
            "open_tickets": open_tickets_json(run, found),
            "goodwill_given": money(found.goodwill_given),
            "goodwill_entries": [shapes.ledger_entry(run, e) for e in found.goodwill_entries],
        })
        return
    print_card(run, found.customer)
    if banner:
        run.out.show(Text(f"⚠ {banner}", style="bold yellow"))
    for line in promises:
        status = line.promise.status_at(now)
        style = {PromiseStatus.BROKEN: "bold red", PromiseStatus.DUE_SOON: "yellow"}.get(
            status, "")
        run.out.show(Text(f"{line.ticket_key} {promised(line.promise, now)}", style=style))
    shown = len(found.contacts)
    if shown < found.total_contacts:
        title = _("Contacts (newest {shown} of {total})").format(
            shown=number(shown), total=number(found.total_contacts))
    else:
        title = _("Contacts")
    tables.contacts(run, found.contacts, title=title)
    print_open_tickets(run, found)
    if found.goodwill_entries:
        tables.ledger(run, found.goodwill_entries, title=_("Goodwill given: {amount}").format(
            amount=found.goodwill_given))
    else:
        run.out.line("")
        run.out.line(_("Goodwill given: none"))

