"""Finding rows by the names people type: ticket keys, emails, handles, short ids."""

from __future__ import annotations

import re
from enum import Enum
from typing import TypeVar

from sqlmodel import Session, col, func, or_, select

from deskterm.domain import Agent, Customer, Department, KbArticle, Ticket
from deskterm.domain.errors import InvalidInput, NotFound
from deskterm.domain.keys import PROVISIONAL_PREFIX, key_number
from deskterm.domain.people import plain_handle
from deskterm.i18n import _

E = TypeVar("E", bound=Enum)

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_HEX = re.compile(r"^[0-9a-f]{6,32}$")


def short_id(row_id: str) -> str:
    """Eight hex digits that identify a row to a person (the random end of its UUIDv7)."""
    return row_id.replace("-", "")[-8:]


def parse_choice(enum_type: type[E], value: object, what: str) -> E:
    """An enum member from what a person typed, or InvalidInput listing the choices."""
    if isinstance(value, enum_type):
        return value
    text = str(value).strip().lower()
    for member in enum_type:
        if text in (str(member.value).lower(), member.name.lower(), str(member).lower()):
            return member
    choices = ", ".join(str(m).lower() if isinstance(m.value, int) else str(m.value)
                        for m in enum_type)
    # TRANSLATORS: {what} names what was asked for, e.g. "channel", "ticket kind"; the
    # choices are what may be typed, as they are stored (not translated).
    raise InvalidInput(_("'{value}' is not a {what}; choose one of: {choices}").format(
        value=value, what=what, choices=choices))


def find_ticket(session: Session, ref: str) -> Ticket:
    """A ticket by key (`SD-1042`, `1042`), provisional key (`new-3f9a2c`) or id."""
    text = ref.strip()
    lowered = text.lower()
    ticket: Ticket | None = None
    number = key_number(text)
    if number is not None:
        ticket = session.exec(select(Ticket).where(Ticket.number == number)).first()
    elif _UUID.match(lowered):
        ticket = session.get(Ticket, lowered)
    elif lowered.startswith(PROVISIONAL_PREFIX) and _HEX.match(lowered[len(PROVISIONAL_PREFIX):]):
        suffix = lowered[len(PROVISIONAL_PREFIX):]
        # Only unnumbered tickets carry a provisional key, and there are few of them.
        candidates = session.exec(select(Ticket).where(col(Ticket.number).is_(None))).all()
        matches = [t for t in candidates if t.id.replace("-", "").endswith(suffix)]
        ticket = matches[0] if len(matches) == 1 else None
    if ticket is None or ticket.deleted:
        raise NotFound(_("no ticket '{ref}'").format(ref=ref))
    return ticket


def find_customer(session: Session, ref: str) -> Customer:
    """A customer by id, short id or email address (case does not matter)."""
    text = ref.strip().lower()
    customer: Customer | None = None
    if _UUID.match(text):
        customer = session.get(Customer, text)
    elif "@" in text:
        customer = session.exec(
            select(Customer).where(func.lower(Customer.email) == text)
            .where(col(Customer.deleted).is_(False))
        ).first()
    elif _HEX.match(text) and len(text) >= 6:
        customer = _by_id_suffix(session, Customer, text)
    if customer is None or customer.deleted:
        raise NotFound(_("no customer '{ref}' (give an id or an email address)").format(ref=ref))
    return customer


def find_article(session: Session, ref: str) -> KbArticle:
    """A KB article by id or short id."""
    text = ref.strip().lower()
    article: KbArticle | None = None
    if _UUID.match(text):
        article = session.get(KbArticle, text)
    elif _HEX.match(text) and len(text) >= 6:
        article = _by_id_suffix(session, KbArticle, text)
    if article is None or article.deleted:
        raise NotFound(_("no knowledge-base article '{ref}'").format(ref=ref))
    return article


def find_department(session: Session, ref: str) -> Department:
    text = ref.strip()
    department = session.exec(
        select(Department).where(
            or_(func.lower(Department.code) == text.lower(),
                func.lower(Department.name) == text.lower())
        )
    ).first()
    if department is None:
        known = ", ".join(d.code for d in session.exec(select(Department)).all())
        raise NotFound(_("no department '{ref}'; known: {known}").format(ref=ref, known=known)
                       if known else _("no department '{ref}'").format(ref=ref))
    return department


def find_agent_by_handle(session: Session, handle: str) -> Agent:
    text = plain_handle(handle)
    agent = session.exec(select(Agent).where(Agent.handle == text)).first()
    if agent is None:
        raise NotFound(_("no agent with handle '{handle}'").format(handle=handle))
    return agent


#: The tables looked up by the end of their id.
IdRow = TypeVar("IdRow", Customer, KbArticle)


def _by_id_suffix(session: Session, table: type[IdRow], suffix: str) -> IdRow | None:
    """A row whose id ends in `suffix` (as `short_id` shows it); None unless exactly one.

    The dashed form of a UUID ends in 12 hex digits, so suffixes up to 12 match on
    the text directly; the id index cannot help with a suffix, so this scans: fine
    for customers and articles, which number thousands, not millions.
    """
    pattern = f"%{suffix[-12:]}"
    rows = session.exec(select(table).where(col(table.id).like(pattern)).limit(2)).all()
    return rows[0] if len(rows) == 1 else None
