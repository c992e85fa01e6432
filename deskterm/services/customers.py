"""Customers: create, update and erase (AVG/GDPR) the people the desk serves."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from deskterm.domain import Customer, CustomerErasure
from deskterm.domain.customers import PRODUCT_LIMIT
from deskterm.domain.errors import Conflict, InvalidInput, NotFound
from deskterm.domain.types import text_limit
from deskterm.i18n import _, formats, ngettext, pgettext
from deskterm.i18n.formats import number
from deskterm.services.context import ServiceContext, clean_text
from deskterm.services.erasure import (
    CUSTOMER_SCRUBBED,
    ERASURE,
    REPLICA_LOGS,
    affected,
    checkpoint,
    scrub_customer,
)
from deskterm.services.lookup import find_customer
from deskterm.services.redaction import terms_of
from deskterm.store import Store
from deskterm.store.fold import fold
from deskterm.store.outbox import record
from deskterm.store.queries import CustomerRow, list_customers

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()./-]{5,25}$")


def create_customer(
    ctx: ServiceContext,
    *,
    name: str,
    email: str | None = None,
    organisation: str | None = None,
    phone: str | None = None,
    products: list[str] | None = None,
    notes: str = "",
) -> Customer:
    name = clean_text(name, _("customer name"), limit=text_limit(Customer, "name"))
    email = _email(email)
    phone = _phone(phone)
    now = ctx.now()
    with ctx.store.transaction() as session:
        if email:
            _refuse_taken_email(session, email)
        customer = Customer(
            name=name, email=email, phone=phone,
            organisation=_optional(organisation, "organisation") or None,
            products=_products(products), notes=_optional(notes, "notes"),
            created_at=now, updated_at=now,
        )
        session.add(customer)
        session.flush()
        record(session, "customer", customer, author_id=ctx.actor.id)
    return customer


def update_customer(
    ctx: ServiceContext,
    ref: str,
    *,
    name: str | None = None,
    email: str | None = None,
    organisation: str | None = None,
    phone: str | None = None,
    products: list[str] | None = None,
    notes: str | None = None,
) -> Customer:
    changes: dict[str, object] = {}
    if name is not None:
        changes["name"] = clean_text(name, _("customer name"), limit=text_limit(Customer, "name"))
    if email is not None:
        changes["email"] = _email(email)
    if organisation is not None:
        changes["organisation"] = _optional(organisation, "organisation") or None
    if phone is not None:
        changes["phone"] = _phone(phone)
    if products is not None:
        changes["products"] = _products(products)
    if notes is not None:
        changes["notes"] = _optional(notes, "notes")
    if not changes:
        raise InvalidInput(_("nothing to change: give at least one field"))
    with ctx.store.transaction() as session:
        customer = find_customer(session, ref)
        if customer.erased_at is not None:
            raise Conflict(_("this customer's personal data was erased; create a new customer"))
        if changes.get("email") and changes["email"] != customer.email:
            _refuse_taken_email(session, str(changes["email"]))
        written = [k for k, v in changes.items() if getattr(customer, k) != v]
        if written:
            for key in written:
                setattr(customer, key, changes[key])
            customer.updated_at = ctx.now()
            session.add(customer)
            record(session, "customer", customer, op="update", fields=[*written, "updated_at"],
                   author_id=ctx.actor.id)
    return customer


def erase_customer(ctx: ServiceContext, ref: str, *, reason: str) -> CustomerErasure:
    """Erase a customer's personal data here and, through sync, everywhere (AVG/GDPR).

    Leads and admins only. The reason is kept in the erasure log and may not name the
    customer. The scrub (services.erasure) runs in this transaction: the customer's
    personal fields, their contacts' summaries, their feedback comments and their name,
    email and phone in the text about them, in the tables and in this store's outbox;
    the erasure goes up with the next sync and every other copy scrubs when it arrives.
    """
    ctx.require_lead(_("only a team lead or admin may erase a customer's personal data"))
    reason = clean_text(reason, _("the reason for the erasure"),
                        limit=text_limit(CustomerErasure, "reason"))
    with ctx.store.transaction() as session:
        customer = find_customer(session, ref)
        if customer.erased_at is not None:
            raise Conflict(_("this customer's personal data was already erased, on {day}")
                           .format(day=formats.day_month(customer.erased_at.astimezone(),
                                                         year=True)))
        if terms_of(customer.name, customer.email, customer.phone).mentions(reason):
            raise InvalidInput(_("the reason is kept in the erasure log: leave out the "
                                 "customer's name, email and phone"))
        erasure = CustomerErasure(customer_id=customer.id, agent_id=ctx.actor.id,
                                  reason=reason, erased_at=ctx.now())
        session.add(erasure)
        session.flush()
        stamp = record(session, ERASURE, erasure, author_id=ctx.actor.id)
        scrub_customer(session.connection(), customer.id, logs=REPLICA_LOGS,
                       erased_at=erasure.erased_at, stamp=stamp)
    checkpoint(ctx.store.engine)
    return erasure


@dataclass(frozen=True)
class ErasurePreview:
    """What erasing a customer would scrub, for the person about to confirm it."""

    customer: Customer
    #: Their personal fields that hold something (name, email, phone, ...).
    fields: list[str]
    #: Rows about them whose text would change, by entity (contact, ticket, ...).
    rows: dict[str, int]

    def described(self) -> str:
        """`name, email and phone; text in 3 tickets and 2 contacts`, for a person."""
        fields = _listed([field_label(name) for name in self.fields])
        if not self.rows:
            return fields or _("nothing on their card")
        rows = _listed([_row_count(entity, count) for entity, count in self.rows.items()])
        if not fields:
            return _("nothing on their card; text in {rows}").format(rows=rows)
        # TRANSLATORS: {fields} lists a customer's fields ("name, email and phone"), {rows}
        # counts rows ("3 tickets and 2 contacts").
        return _("{fields}; text in {rows}").format(fields=fields, rows=rows)


def field_label(name: str) -> str:
    """A customer field's name for a person: `phone` / `telefoon`."""
    return {"name": pgettext("customer field", "name"),
            "organisation": pgettext("customer field", "organisation"),
            "email": pgettext("customer field", "email"),
            "phone": pgettext("customer field", "phone"),
            "products": pgettext("customer field", "products"),
            "notes": pgettext("customer field", "notes")}.get(name, name)


def _row_count(entity: str, count: int) -> str:
    """`3 tickets` / `3 meldingen`: a count of the rows an erasure changes."""
    shown = number(count)
    forms = {
        "ticket": ngettext("{count} ticket", "{count} tickets", count),
        "ticket_event": ngettext("{count} ticket event", "{count} ticket events", count),
        "contact": ngettext("{count} contact", "{count} contacts", count),
        "feedback": ngettext("{count} feedback response", "{count} feedback responses", count),
        "kudos": ngettext("{count} kudos", "{count} kudos", count),
        "goodwill_entry": ngettext("{count} goodwill entry", "{count} goodwill entries", count),
        "promise_event": ngettext("{count} promise event", "{count} promise events", count),
    }
    return forms.get(entity, "{count} " + entity).format(count=shown)


def _listed(words: list[str]) -> str:
    """`a, b and c` / `a, b en c`."""
    if len(words) < 2:
        return "".join(words)
    # TRANSLATORS: the end of a list: "name, email and phone".
    return _("{items} and {last}").format(items=", ".join(words[:-1]), last=words[-1])


def erasure_preview(store: Store, ref: str) -> ErasurePreview:
    """What `erase_customer` would scrub of a customer here, now."""
    with store.reading() as session:
        customer = find_customer(session, ref)
        rows = affected(session.connection(), customer.id)
    held = [name for name, empty in CUSTOMER_SCRUBBED.items()
            if getattr(customer, name) not in (empty, None, "")]
    return ErasurePreview(customer, held, rows)


def erasure_log(store: Store, limit: int = 50) -> list[CustomerErasure]:
    """The newest erasures: who erased which customer (by id), when and why."""
    with store.reading() as session:
        return list(session.exec(select(CustomerErasure).order_by(
            col(CustomerErasure.erased_at).desc()).limit(limit)).all())


def customers_matching(store: Store, text: str, *, limit: int) -> list[CustomerRow]:
    """Customers whose name, email, organisation or phone holds `text` (all when empty),
    case and accents aside, by name, at most `limit` of them (store.queries)."""
    with store.raw() as connection:
        return list_customers(connection, text, limit=limit)


#: How many customers an ambiguous name lists in its refusal.
AMBIGUOUS_LISTED = 5


def customer_for(store: Store, text: str) -> str:
    """The id of the one customer `text` names: an id, short id or email exactly
    (services.lookup), else the one whose name, organisation, email or phone holds it
    (one whose whole name it is, when several hold it). NotFound when none does;
    InvalidInput naming the first few when several do, so a person can say which."""
    ref = text.strip()
    if not ref:
        raise InvalidInput(_("customer is required: a name, organisation, phone, email or id"))
    with store.reading() as session:
        try:
            return find_customer(session, ref).id
        except NotFound:
            pass
    rows = customers_matching(store, ref, limit=AMBIGUOUS_LISTED + 1)
    exact = [row for row in rows if fold(row.name) == fold(ref)]
    if len(rows) == 1 or len(exact) == 1:
        return (exact or rows)[0].id
    if not rows:
        raise NotFound(_("no customer matches '{ref}' (a name, organisation, phone, email "
                         "or id)").format(ref=ref))
    listed = "; ".join(_described(row) for row in rows[:AMBIGUOUS_LISTED])
    if len(rows) > AMBIGUOUS_LISTED:
        raise InvalidInput(_("'{ref}' matches several customers: {listed} and more. Pick one "
                             "from the list under Customer, or type more of the name or the "
                             "email").format(ref=ref, listed=listed))
    raise InvalidInput(_("'{ref}' matches several customers: {listed}. Pick one from the list "
                         "under Customer, or type more of the name or the email").format(
        ref=ref, listed=listed))


def _described(row: CustomerRow) -> str:
    """`Mei Wang (Acme, mei@acme.example)`: enough of a customer to tell two apart."""
    extra = ", ".join(part for part in (row.organisation, row.email) if part)
    return f"{row.name} ({extra})" if extra else row.name


def _refuse_taken_email(session: Session, email: str) -> None:
    taken = session.exec(
        select(Customer).where(func.lower(Customer.email) == email.lower())
        .where(col(Customer.deleted).is_(False))
    ).first()
    if taken:
        raise Conflict(_("{email} already belongs to customer {name}").format(email=email,
                                                                          name=taken.name))


def _optional(value: str | None, name: str) -> str:
    """An optional text field of the customer, trimmed, within its limit."""
    return clean_text(value, field_label(name), required=False,
                      limit=text_limit(Customer, name))


def _email(value: str | None) -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    if len(text) > text_limit(Customer, "email") or not _EMAIL.match(text):
        raise InvalidInput(_("'{text}' is not an email address").format(text=text))
    return text.lower()


def _phone(value: str | None) -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    if not _PHONE.match(text):
        raise InvalidInput(_("'{text}' is not a phone number").format(text=text))
    return text


def _products(values: list[str] | None) -> list[str]:
    cleaned = []
    for value in values or []:
        text = value.strip()
        if text and text not in cleaned:
            if len(text) > PRODUCT_LIMIT:
                raise InvalidInput(_("product name '{text}...' is too long").format(text=text[:20]))
            cleaned.append(text)
    return cleaned
