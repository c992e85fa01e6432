"""What the server does about erased customers when changes are pushed (AVG/GDPR).

The scrub itself is services.erasure's, the same on every copy. Here is what only the
server can judge, since it sees pushes from replicas that may not know of an erasure yet:

- an erasure may come from a lead or admin only (rules.check), its reason is scrubbed
  of the customer's name, email and phone, and it is logged at the server's clock,
  above every change the scrub covered (log.py);
- nothing writes an erased customer's personal fields again: refused;
- a contact, feedback comment or compliment about them arrives scrubbed like theirs;
- free text about them stamped at or before their erasure was written before it, by a
  replica that did not know, and may hold what was erased: refused, since the server no
  longer knows what to look for. The replica keeps it, redacted when it pulls the
  erasure, for its agent to write again. A lead's own work after erasing counts as
  written after, whatever its stamp: they knew.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from deskterm.domain import ENTITIES
from deskterm.domain.enums import KudosSource
from deskterm.domain.hlc import Hlc
from deskterm.i18n import _
from deskterm.services.erasure import (
    CUSTOMER_SCRUBBED,
    ERASURE,
    FREE_TEXT,
    erased_customers,
    erased_through,
    scrub_fields,
)
from deskterm.services.redaction import Terms, terms_of
from deskterm.sync.names import entity_name


def refusal(connection: Connection, agent_id: str, entity: str, row_id: str,
            fields: dict[str, Any], stamp: str) -> str | None:
    """Why a pushed change may not touch an erased customer's data; None when it may."""
    erased = erased_customers(connection, entity, row_id, fields)
    if not erased:
        return None
    if entity == "customer":
        personal = sorted(set(fields) & {*CUSTOMER_SCRUBBED, "erased_at"})
        if not personal:
            return None
        # TRANSLATORS: {fields} are field names as the wire spells them ("name, email").
        return _("this customer's personal data was erased; their {fields} cannot be "
                 "written again (add them as a new customer if they come back)").format(
                     fields=", ".join(personal))
    texts = [name for name in FREE_TEXT.get(entity, ()) if fields.get(name)
             and not (name == "from_name" and fields.get("source") == KudosSource.CUSTOMER)]
    if not texts:
        return None
    for customer_id in sorted(erased):
        if stamp > erased_through(connection, customer_id) or \
                _erased_it_before(connection, agent_id, customer_id, stamp):
            continue
        # TRANSLATORS: {thing} is the kind of record; {fields} field names ("summary").
        return _("the customer's personal data was erased after this {thing} was written, "
                 "and its {fields} may hold it: write it again without their name, email or "
                 "phone").format(thing=entity_name(entity),
                                 fields=", ".join(t.replace("_", " ") for t in texts))
    return None


def scrub_pushed(connection: Connection, entity: str, row_id: str, fields: dict[str, Any]
                 ) -> dict[str, Any]:
    """The fields of an accepted change the server replaces before it applies and logs it."""
    if entity == ERASURE:
        customers = ENTITIES["customer"].__table__
        row = connection.execute(select(customers).where(
            customers.c.id == fields.get("customer_id"))).first()
        reason = fields.get("reason")
        if row is None or not isinstance(reason, str):
            return {}
        redacted = terms_of(row.name, row.email, row.phone).redact(reason)
        return {"reason": redacted} if redacted != reason else {}
    if not erased_customers(connection, entity, row_id, fields):
        return {}
    return scrub_fields(entity, fields, Terms(None))


def _erased_it_before(connection: Connection, agent_id: str, customer_id: str, stamp: str
                      ) -> bool:
    """Whether `agent_id` erased the customer before writing at `stamp`."""
    erasures = ENTITIES[ERASURE].__table__
    times = connection.execute(select(erasures.c.erased_at).where(
        erasures.c.customer_id == customer_id, erasures.c.agent_id == agent_id)).scalars()
    written = Hlc.parse(stamp).wall_ms
    return any(int(moment.timestamp() * 1000) < written for moment in times)
