"""What each CSV row becomes: a new row's fields, every reference found, or why not.

A row's fields are the whole row as a replica's service would push it (every column of
the entity, in the model's order, `id` included), checked against the entity's field
rules by the codec, as the server checks a pushed change. References: a ticket's
customer by an imported customer's old id (`customer`) or a customer's email
(`customer_email`); a contact's ticket by an imported ticket's old id or a ticket key
(`ticket`, SD-1042); departments by code and agents by handle, which must exist. A
customer who was erased, or deleted, takes nothing new.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import Connection, func, select

from deskterm.domain import ENTITIES
from deskterm.domain.customers import PRODUCT_LIMIT
from deskterm.domain.enums import (
    Channel,
    Direction,
    Priority,
    TicketKind,
    TicketStatus,
)
from deskterm.domain.errors import InvalidInput
from deskterm.domain.ids import uuid7
from deskterm.domain.keys import key_number
from deskterm.domain.people import plain_handle
from deskterm.domain.types import text_limit as field_limit
from deskterm.domain.wire_values import wire_value
from deskterm.i18n import _
from deskterm.server.importing.files import Kind, Row, choice, listed, moment, text_cell, whole
from deskterm.server.importing.imported import EXTERNAL_ID_LIMIT, rows_of
from deskterm.sync.codec import decode_fields

T = TypeVar("T")
#: A field's text limit, read from its model once.
text_limit = cache(field_limit)
#: Values the wire carries as they are (`wire_value` leaves them alone; enums are not these).
_PLAIN = frozenset({str, int, float, bool, type(None)})


@dataclass
class Planned:
    """A good row: the record's old id, the new row's id and fields (Python values) and
    the same fields as the wire carries them."""

    line: int
    external_id: str
    row_id: str
    fields: dict[str, Any]
    wire: dict[str, Any]


@dataclass
class Desk:
    """What the import knows of the server's rows: read once (departments, agents) or per
    batch (the records a batch names), plus what this run has planned so far."""

    departments: dict[str, str]
    agents: dict[str, str]
    #: entity -> old id -> row id: imported before, or planned in this run.
    imported: dict[str, dict[str, str]] = field(default_factory=dict)
    #: lowercase email -> customer id.
    emails: dict[str, str] = field(default_factory=dict)
    #: ticket id -> its customer's id.
    ticket_customer: dict[str, str] = field(default_factory=dict)
    #: ticket number -> ticket id.
    numbers: dict[int, str] = field(default_factory=dict)
    #: Customers who may take new rows (neither erased nor deleted).
    usable: set[str] = field(default_factory=set)

    @classmethod
    def read(cls, connection: Connection) -> Desk:
        departments = ENTITIES["department"].__table__
        agents = ENTITIES["agent"].__table__
        return cls(
            {code.lower(): row_id for row_id, code in
             connection.execute(select(departments.c.id, departments.c.code))},
            {handle: row_id for row_id, handle in
             connection.execute(select(agents.c.id, agents.c.handle))})

    def old(self, entity: str) -> dict[str, str]:
        return self.imported.setdefault(entity, {})

    def plan(self, kind: Kind, planned: Planned) -> None:
        """Remember a good row, so later rows of this run can name it."""
        self.old(kind.entity)[planned.external_id] = planned.row_id
        if kind.entity == "customer":
            self.usable.add(planned.row_id)
            email = planned.fields["email"]
            if email:
                self.emails.setdefault(email.lower(), planned.row_id)
        elif kind.entity == "ticket":
            self.ticket_customer[planned.row_id] = planned.fields["customer_id"]

    def look_up(self, connection: Connection, kind: Kind, rows: list[Row]) -> None:
        """Read what `rows` name that this run does not know yet."""
        self._imported(connection, kind.entity, [r["id"] for r in rows if r.get("id")])
        if kind.entity not in ("ticket", "contact"):
            return
        self._imported(connection, "customer", [r["customer"] for r in rows if r.get("customer")])
        self._emails(connection, [r["customer_email"] for r in rows if r.get("customer_email")])
        if kind.entity == "contact":
            refs = [r["ticket"] for r in rows if r.get("ticket")]
            self._imported(connection, "ticket", refs)
            self._numbers(connection, [n for n in map(key_number, refs) if n is not None])
            self._ticket_customers(connection, [self.old("ticket").get(r) for r in refs])
        self._usable(connection, [*self.old("customer").values(), *self.emails.values(),
                                  *self.ticket_customer.values()])

    def _imported(self, connection: Connection, entity: str, ids: list[str]) -> None:
        known = self.old(entity)
        self.old(entity).update(rows_of(connection, entity, [i for i in ids if i not in known]))

    def _emails(self, connection: Connection, emails: list[str]) -> None:
        wanted = sorted({e.lower() for e in emails} - set(self.emails))
        customers = ENTITIES["customer"].__table__
        for chunk in _chunks(wanted):
            for row_id, email in connection.execute(
                    select(customers.c.id, func.lower(customers.c.email))
                    .where(func.lower(customers.c.email).in_(chunk),
                           customers.c.deleted.is_(False), customers.c.erased_at.is_(None))
                    .order_by(customers.c.created_at.desc())):
                self.emails[email] = row_id  # the oldest is read last and wins

    def _numbers(self, connection: Connection, numbers: list[int]) -> None:
        tickets = ENTITIES["ticket"].__table__
        for chunk in _chunks(sorted(set(numbers) - set(self.numbers))):
            for row_id, number, customer_id in connection.execute(
                    select(tickets.c.id, tickets.c.number, tickets.c.customer_id)
                    .where(tickets.c.number.in_(chunk), tickets.c.deleted.is_(False))):
                self.numbers[number] = row_id
                self.ticket_customer[row_id] = customer_id

    def _ticket_customers(self, connection: Connection, ids: list[str | None]) -> None:
        tickets = ENTITIES["ticket"].__table__
        wanted = sorted({i for i in ids if i} - set(self.ticket_customer))
        for chunk in _chunks(wanted):
            self.ticket_customer.update(connection.execute(
                select(tickets.c.id, tickets.c.customer_id).where(tickets.c.id.in_(chunk)))
                .all())

    def _usable(self, connection: Connection, ids: list[str]) -> None:
        customers = ENTITIES["customer"].__table__
        for chunk in _chunks(sorted(set(ids) - self.usable)):
            self.usable.update(connection.execute(
                select(customers.c.id).where(customers.c.id.in_(chunk),
                                             customers.c.deleted.is_(False),
                                             customers.c.erased_at.is_(None))).scalars())


def _chunks(items: list[T], size: int = 500) -> list[list[T]]:
    return [items[start:start + size] for start in range(0, len(items), size)]


# -- the rows ------------------------------------------------------------------------------


def planned_row(kind: Kind, desk: Desk, line: int, row: Row, now: datetime) -> Planned:
    """The row a CSV row becomes; InvalidInput saying what is wrong with it."""
    external_id = text_cell(row, "id", EXTERNAL_ID_LIMIT)
    if not external_id:
        raise InvalidInput(_("id is required (the record's id in the desk it comes from)"))
    values = BUILDERS[kind.entity](row, desk, now)
    model = ENTITIES[kind.entity]
    row_id = uuid7()
    fields = {name: values.get(name, DEFAULTS[kind.entity].get(name)) for name in
              model.model_fields}
    fields["id"] = row_id
    for name in ("created_at", "updated_at"):
        if fields.get(name, 0) is None:
            fields[name] = now
    wire = {name: value if type(value) in _PLAIN else wire_value(value)
            for name, value in fields.items()}
    # The field rules, as the server holds a pushed change to them.
    decode_fields(kind.entity, wire, insert=True, op="insert")
    return Planned(line, external_id, row_id, fields, wire)


def _defaults(entity: str) -> dict[str, Any]:
    """A new row's values for the columns a file leaves out (times are filled per row)."""
    fields = ENTITIES[entity].model_fields
    return {name: info.get_default(call_default_factory=False) for name, info in fields.items()
            if name != "id" and not info.default_factory}


def _customer(row: Row, desk: Desk, now: datetime) -> dict[str, Any]:
    from deskterm.domain.customers import Customer

    name = text_cell(row, "name", text_limit(Customer, "name"))
    if not name:
        raise InvalidInput(_("name is required"))
    created = _past(row, "created_at", now)
    return {"name": name,
            "organisation": text_cell(row, "organisation", text_limit(Customer, "organisation"))
            or None,
            "email": text_cell(row, "email", text_limit(Customer, "email")) or None,
            "phone": text_cell(row, "phone", text_limit(Customer, "phone")) or None,
            "products": listed(row, "products", text_limit(Customer, "products"), PRODUCT_LIMIT),
            "notes": text_cell(row, "notes", text_limit(Customer, "notes")),
            "created_at": created, "updated_at": _past(row, "updated_at", now) or created}


def _article(row: Row, desk: Desk, now: datetime) -> dict[str, Any]:
    from deskterm.domain.kb import KbArticle

    title = text_cell(row, "title", text_limit(KbArticle, "title"))
    if not title:
        raise InvalidInput(_("title is required"))
    created = _past(row, "created_at", now)
    return {"title": title, "body": text_cell(row, "body", text_limit(KbArticle, "body")),
            "tags": listed(row, "tags", text_limit(KbArticle, "tags"), 40),
            "department_id": _department(row, desk), "author_id": _agent(row, "author", desk),
            "created_at": created, "updated_at": _past(row, "updated_at", now) or created}


def _ticket(row: Row, desk: Desk, now: datetime) -> dict[str, Any]:
    from deskterm.domain.tickets import Ticket

    subject = text_cell(row, "subject", text_limit(Ticket, "subject"))
    if not subject:
        raise InvalidInput(_("subject is required"))
    priority = row.get("priority", "").upper().removeprefix("P")
    created = _past(row, "created_at", now)
    updated = _past(row, "updated_at", now) or created
    status = choice(row, "status", TicketStatus) or TicketStatus.NEW
    resolved = _past(row, "resolved_at", now)
    if resolved is None and not status.is_open:
        resolved = updated or now  # a closed ticket of the old desk was resolved by its last change
    return {"subject": subject,
            "description": text_cell(row, "description", text_limit(Ticket, "description")),
            "kind": choice(row, "kind", TicketKind) or TicketKind.INCIDENT,
            "status": status,
            "priority": Priority(whole({"priority": priority}, "priority", 1, 4) or 3),
            "department_id": _department(row, desk), "customer_id": _customer_of(row, desk),
            "owner_id": _agent(row, "owner", desk),
            "resolution": text_cell(row, "resolution", text_limit(Ticket, "resolution")) or None,
            "created_at": created, "updated_at": updated, "resolved_at": resolved,
            "last_contact_at": _past(row, "last_contact_at", now)}


def _contact(row: Row, desk: Desk, now: datetime) -> dict[str, Any]:
    from deskterm.domain.contacts import Contact

    ticket_id = None
    customer_id = None
    if row.get("ticket"):
        ref = row["ticket"]
        number = key_number(ref)
        ticket_id = desk.old("ticket").get(ref) or (desk.numbers.get(number) if number else None)
        if ticket_id is None:
            raise InvalidInput(_("ticket '{ticket}' is neither a ticket of this import nor a "
                                 "ticket key the server has").format(ticket=ref))
        customer_id = desk.ticket_customer[ticket_id]
        if customer_id not in desk.usable:
            raise InvalidInput(_("the customer of ticket '{ticket}' was erased or deleted"
                                 ).format(ticket=ref))
    if row.get("customer") or row.get("customer_email") or customer_id is None:
        named = _customer_of(row, desk)
        if customer_id is not None and named != customer_id:
            raise InvalidInput(_("the customer is not the customer of ticket '{ticket}'"
                                 ).format(ticket=row["ticket"]))
        customer_id = named
    summary = text_cell(row, "summary", text_limit(Contact, "summary"))
    if not summary:
        raise InvalidInput(_("summary is required"))
    channel = choice(row, "channel", Channel)
    if channel is None:
        raise InvalidInput(_("channel is required"))
    occurred = _past(row, "occurred_at", now)
    if occurred is None:
        raise InvalidInput(_("occurred_at is required"))
    return {"customer_id": customer_id, "agent_id": _agent(row, "agent", desk),
            "ticket_id": ticket_id, "channel": channel,
            "direction": choice(row, "direction", Direction) or Direction.INBOUND,
            "summary": summary, "occurred_at": occurred,
            "subject": text_cell(row, "subject", text_limit(Contact, "subject")) or None,
            "body": text_cell(row, "body", text_limit(Contact, "body")) or None,
            "address": text_cell(row, "address", text_limit(Contact, "address")) or None}


def _customer_of(row: Row, desk: Desk) -> str:
    """The customer a row names by old id or by email; it must be able to take new rows."""
    if row.get("customer"):
        found = desk.old("customer").get(row["customer"])
        if found is None:
            raise InvalidInput(_("customer '{customer}' is not a customer of this import"
                                 ).format(customer=row["customer"]))
    elif row.get("customer_email"):
        found = desk.emails.get(row["customer_email"].lower())
        if found is None:
            raise InvalidInput(_("no customer has the email {email}").format(
                email=row["customer_email"]))
    else:
        raise InvalidInput(_("customer or customer_email is required"))
    if found not in desk.usable:
        raise InvalidInput(_("that customer was erased or deleted: nothing new is added "
                             "to their history"))
    return found


def _department(row: Row, desk: Desk) -> str | None:
    code = row.get("department", "")
    if not code:
        return None
    found = desk.departments.get(code.lower())
    if found is None:
        raise InvalidInput(_("no department has the code {code}").format(code=code))
    return found


def _agent(row: Row, column: str, desk: Desk) -> str | None:
    handle = plain_handle(row.get(column, ""))
    if not handle:
        return None
    found = desk.agents.get(handle)
    if found is None:
        raise InvalidInput(_("{column}: no agent has the handle {handle}").format(
            column=column, handle=handle))
    return found


def _past(row: Row, column: str, now: datetime) -> datetime | None:
    value = moment(row, column)
    if value is not None and value > now:
        raise InvalidInput(_("{column} is in the future").format(column=column))
    return value


BUILDERS: dict[str, Callable[[Row, Desk, datetime], dict[str, Any]]] = {
    "customer": _customer, "kb_article": _article, "ticket": _ticket, "contact": _contact}
DEFAULTS = {entity: _defaults(entity) for entity in BUILDERS}
