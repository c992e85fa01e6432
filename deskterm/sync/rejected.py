"""What an agent does with a change the server rejected: see it whole, copy it, or discard it.

Sync never drops a rejected change (sync.replica.answers): the store goes back to what the
server holds, but the change's outbox row keeps every field it carried, with the
server's code and reason, and stays in view until its agent decides. Two decisions:

- copy: the same content written again, now, as a new change (a new record with a new
  id for what was a new record, the same fields again for an edit), which syncs like
  any other; useful when what made the server refuse has passed (the budget was
  topped up, the ticket came back);
- discard: the agent lets it go.

Either way the rejected row leaves the outbox: its content lives on in the new change,
or the agent chose to drop it. Nothing else removes it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from deskterm.domain import ENTITIES
from deskterm.domain.enums import LedgerKind
from deskterm.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from deskterm.domain.goodwill import period_of
from deskterm.domain.ids import uuid7
from deskterm.i18n import _
from deskterm.i18n.formats import number
from deskterm.services.context import ServiceContext
from deskterm.store import Store
from deskterm.store.outbox import record
from deskterm.sync.codec import SERVER_FIELDS, decode_change, table_of
from deskterm.sync.names import entity_name
from deskterm.sync.replica.views import RejectedChange, rejected_by_mutation

#: The shortest part of a mutation id a person may type to name a rejected change.
SHORT_ID = 6
#: Fields a copy writes anew: it is made now.
_NOW_FIELDS = ("created_at", "updated_at")


def short_id(change: RejectedChange) -> str:
    """How a rejected change is named to people: the last 8 characters of its id."""
    return change.mutation_id[-8:]


def find_rejected(store: Store, ref: str) -> RejectedChange:
    """The rejected change whose mutation id is `ref` or ends with it (at least 6)."""
    wanted = ref.strip().lower()
    if len(wanted) < SHORT_ID:
        raise InvalidInput(_("'{ref}' is too short to name a rejected change: give at least "
                             "{count} characters of its id (deskterm sync --status)").format(
                                 ref=ref, count=SHORT_ID))
    with store.raw() as connection:
        found = [row[0] for row in connection.execute(
            "SELECT mutation_id FROM outbox WHERE state = 'rejected' AND "
            "(mutation_id = ? OR mutation_id LIKE ?)", (wanted, f"%{wanted}")).fetchall()]
    if not found:
        raise NotFound(_("no rejected change '{ref}' (deskterm sync --status lists them)"
                         ).format(ref=ref))
    if len(found) > 1:
        raise InvalidInput(_("'{ref}' names {count} rejected changes; give more of its id"
                             ).format(ref=ref, count=number(len(found))))
    return rejected_by_mutation(store, found)[0]


def discard(store: Store, ref: str) -> RejectedChange:
    """Let a rejected change go, for good."""
    change = find_rejected(store, ref)
    with store.transaction() as session:
        session.execute(text("DELETE FROM outbox WHERE mutation_id = :m AND state = 'rejected'"),
                        {"m": change.mutation_id})
    return change


def copy(ctx: ServiceContext, ref: str) -> str:
    """Write a rejected change's content again, now, as a new change; returns the row id
    the new change writes (a new one for a new record)."""
    change = find_rejected(ctx.store, ref)
    if change.change.author_id not in (None, ctx.actor.id):
        raise Forbidden(_("this rejected change was written by someone else; only they may "
                          "copy it"))
    decoded = decode_change(change.change)
    op, fields = decoded.op, decoded.fields
    model = ENTITIES[change.entity]
    try:
        with ctx.store.transaction() as session:
            if op == "insert":
                values = _fresh(ctx, change.entity, fields)
                _refuse_dangling(session, change.entity, values)
                row = model(id=uuid7(), **values)
                session.add(row)
                session.flush()
                record(session, change.entity, row, author_id=ctx.actor.id)
            else:
                row = session.get(model, change.row_id)
                if row is None:
                    raise NotFound(_("the {thing} this change was about is not in this "
                                     "store any more").format(thing=entity_name(change.entity)))
                written = {"deleted": True} if op == "delete" else \
                    {k: v for k, v in fields.items() if k != "id"}
                for name, value in written.items():
                    setattr(row, name, value)
                session.add(row)
                session.flush()
                record(session, change.entity, row, op=op, fields=list(written),
                       author_id=ctx.actor.id)
            session.execute(text("DELETE FROM outbox WHERE mutation_id = :m"),
                            {"m": change.mutation_id})
    except IntegrityError:
        raise Conflict(_("this store already holds what the copy would make (a mood for that "
                         "day, a link already made); discard the rejected change instead")
                       ) from None
    return str(row.id)


def _fresh(ctx: ServiceContext, entity: str, fields: dict[str, Any]) -> dict[str, Any]:
    """A new record's fields: no id or server-given number, made now, in this period."""
    now = ctx.now()
    model_fields = ENTITIES[entity].model_fields
    values = {name: value for name, value in fields.items()
              if name != "id" and name not in SERVER_FIELDS.get(entity, ())}
    for name in _NOW_FIELDS:
        if name in model_fields:
            values[name] = now
    if entity == "goodwill_entry" and values.get("kind") == LedgerKind.SPEND:
        values["period"] = period_of(now)  # a spend draws on the budget of its month
    return values


def _refuse_dangling(session: Any, entity: str, values: dict[str, Any]) -> None:
    for key in table_of(entity).foreign_keys:
        value = values.get(key.parent.name)
        target = key.column.table.name
        if value is not None and session.get(ENTITIES[target], value) is None:
            raise Conflict(_("it refers to a {thing} this store does not have (was that "
                             "rejected too? copy it first)").format(thing=entity_name(target)))
