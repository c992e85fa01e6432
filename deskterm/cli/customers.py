"""`deskterm customer ...`: find, show, add and erase (AVG/GDPR) the people the desk serves."""

from __future__ import annotations

from deskterm.cli import shapes, tables
from deskterm.cli.output import iso
from deskterm.cli.runtime import Run, Subparsers, add_command, add_group, add_limit
from deskterm.domain import Customer, CustomerErasure
from deskterm.domain.clock import utcnow
from deskterm.i18n import _
from deskterm.present import local_time
from deskterm.services import customers
from deskterm.services.contacts import REPEAT_WINDOW, CustomerHistory, customer_history
from deskterm.services.lookup import short_id


def register(subparsers: Subparsers) -> None:
    group = add_group(subparsers, "customer", _("find, show, add and erase customers"))

    parser = add_command(group, "list", list_, _("customers by name"))
    parser.add_argument("--search", metavar="TEXT",
                        help=_("name, email or organisation contains TEXT"))
    add_limit(parser, 50)

    parser = add_command(group, "show", show,
                         _("a customer's card, open tickets and contacts of the last 7 days"))
    parser.add_argument("ref", metavar="ID_OR_EMAIL", help=_("id, short id or email address"))

    parser = add_command(group, "new", new, _("add a customer"))
    parser.add_argument("--name", required=True, metavar="N", help=_("the customer's name"))
    parser.add_argument("--email", metavar="E", help=_("their email address (unique)"))
    parser.add_argument("--organisation", metavar="O", help=_("the organisation they work for"))
    parser.add_argument("--phone", metavar="P", help=_("their phone number"))
    parser.add_argument("--product", action="append", dest="products", metavar="X",
                        help=_("a product they use (repeat for more)"))
    parser.add_argument("--notes", default="", metavar="T", help=_("notes for agents"))

    parser = add_command(group, "erase", erase,
                         _("erase a customer's personal data everywhere (AVG/GDPR; leads)"))
    parser.add_argument("ref", metavar="ID_OR_EMAIL", help=_("id, short id or email address"))
    parser.add_argument("--reason", required=True, metavar="TEXT",
                        help=_("why, for the erasure log (not their name, email or phone)"))

    parser = add_command(group, "erasures", erasures,
                         _("the erasure log: who erased which customer, when and why"))
    add_limit(parser, 50)


def list_(run: Run) -> None:
    rows = customers.customers_matching(run.store(), run.args.search or "",
                                        limit=run.args.limit)
    if run.out.as_json:
        run.out.json([shapes.customer(row) for row in rows])
        return
    run.out.table([_("ID"), _("NAME"), _("EMAIL"), _("ORGANISATION"), _("PHONE")],
                  ([short_id(r.id), r.name, r.email, r.organisation, r.phone] for r in rows),
                  empty=_("no customers match"))


def show(run: Run) -> None:
    history = customer_history(run.store(), run.args.ref, currency=run.config.currency)
    now = utcnow()
    recent = [c for c in history.contacts if c.occurred_at >= now - REPEAT_WINDOW]
    if run.out.as_json:
        run.out.json({
            "customer": shapes.customer(history.customer),
            "open_tickets": open_tickets_json(run, history),
            "recent_contacts": [shapes.contact(run, c) for c in recent],
        })
        return
    print_card(run, history.customer)
    print_open_tickets(run, history)
    tables.contacts(run, recent, title=_("Contacts in the last 7 days"))


def open_tickets_json(run: Run, history: CustomerHistory) -> list[shapes.JsonObject]:
    name = history.customer.name
    return [shapes.ticket_row(shapes.as_row(run, t, name)) for t in history.open_tickets]


def print_open_tickets(run: Run, history: CustomerHistory) -> None:
    name = history.customer.name
    tables.tickets(run, (shapes.as_row(run, t, name) for t in history.open_tickets),
                   title=_("Open tickets"))


def print_card(run: Run, found: Customer) -> None:
    run.out.card([
        (_("Id"), f"{short_id(found.id)}  ({found.id})"),
        (_("Email"), found.email),
        (_("Organisation"), found.organisation),
        (_("Phone"), found.phone),
        (_("Products"), ", ".join(found.products)),
        (_("Notes"), found.notes),
        (_("Customer since"), local_time(found.created_at)),
        (_("Erased"), local_time(found.erased_at)),
    ], title=found.name)


def new(run: Run) -> None:
    args = run.args
    made = customers.create_customer(
        run.ctx, name=args.name, email=args.email, organisation=args.organisation,
        phone=args.phone, products=args.products, notes=args.notes,
    )
    if run.out.as_json:
        run.out.json(shapes.customer(made))
        return
    run.out.line(_("Added customer {customer} [{id}]").format(
        customer=shapes.customer_label(made), id=short_id(made.id)))


def erase(run: Run) -> None:
    run.ctx.require_lead(_("only a team lead or admin may erase a customer's personal data"))
    preview = customers.erasure_preview(run.store(), run.args.ref)
    done = customers.erase_customer(run.ctx, run.args.ref, reason=run.args.reason)
    if run.out.as_json:
        run.out.json({**erasure_json(run, done), "scrubbed": {
            "fields": preview.fields, "rows": preview.rows}})
        return
    # TRANSLATORS: {scrubbed} lists what was scrubbed (fields and rows).
    run.out.line(_("Erased the personal data of customer {id}: {scrubbed}.").format(
        id=short_id(done.customer_id), scrubbed=preview.described()))
    run.out.hint(_("The server and every other store scrub it when they sync."))


def erasures(run: Run) -> None:
    found = customers.erasure_log(run.store(), limit=run.args.limit)
    if run.out.as_json:
        run.out.json([erasure_json(run, each) for each in found])
        return
    run.out.table([_("WHEN"), _("CUSTOMER"), _("BY"), _("REASON")],
                  ([local_time(e.erased_at), short_id(e.customer_id), run.handle_of(e.agent_id),
                    e.reason] for e in found),
                  empty=_("no customer was erased"))


def erasure_json(run: Run, found: CustomerErasure) -> shapes.JsonObject:
    return {"id": found.id, "customer_id": found.customer_id,
            "by": run.handle_of(found.agent_id), "reason": found.reason,
            "erased_at": iso(found.erased_at)}
