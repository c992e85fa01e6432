"""Customers: create and update the people the desk serves."""

from __future__ import annotations

import re

from sqlmodel import Session, col, func, select

from deskterm.domain import Customer
from deskterm.domain.customers import PRODUCT_LIMIT
from deskterm.domain.errors import Conflict, InvalidInput
from deskterm.domain.types import text_limit
from deskterm.services.context import ServiceContext, clean_text
from deskterm.services.lookup import find_customer
from deskterm.store.outbox import record

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
    name = clean_text(name, "customer name", limit=text_limit(Customer, "name"))
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
        changes["name"] = clean_text(name, "customer name", limit=text_limit(Customer, "name"))
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
        raise InvalidInput("nothing to change: give at least one field")
    with ctx.store.transaction() as session:
        customer = find_customer(session, ref)
        if customer.erased_at is not None:
            raise Conflict("this customer's personal data was erased; create a new customer")
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


def _refuse_taken_email(session: Session, email: str) -> None:
    taken = session.exec(
        select(Customer).where(func.lower(Customer.email) == email.lower())
        .where(col(Customer.deleted).is_(False))
    ).first()
    if taken:
        raise Conflict(f"{email} already belongs to customer {taken.name}")


def _optional(value: str | None, name: str) -> str:
    """An optional text field of the customer, trimmed, within its limit."""
    return clean_text(value, name, required=False, limit=text_limit(Customer, name))


def _email(value: str | None) -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    if len(text) > text_limit(Customer, "email") or not _EMAIL.match(text):
        raise InvalidInput(f"'{text}' is not an email address")
    return text.lower()


def _phone(value: str | None) -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    if not _PHONE.match(text):
        raise InvalidInput(f"'{text}' is not a phone number")
    return text


def _products(values: list[str] | None) -> list[str]:
    cleaned = []
    for value in values or []:
        text = value.strip()
        if text and text not in cleaned:
            if len(text) > PRODUCT_LIMIT:
                raise InvalidInput(f"product name '{text[:20]}...' is too long")
            cleaned.append(text)
    return cleaned
