"""Erasures in a pulled page: each applied at its place in the log, and nothing about an
erased customer kept whole.

A replica scrubs a customer (services.erasure) when it pulls their erasure: what the
page brought before the erasure is covered by it, as it was on the server; what came
after it was written after the erasure and stays as the server logged it. Contacts,
feedback and compliments about an erased customer that this replica sent before it
knew arrive back scrubbed by the server; its own copies are scrubbed to match.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, select, update

from deskterm.domain import ENTITIES
from deskterm.domain.enums import KudosSource
from deskterm.services.erasure import (
    ERASURE,
    REPLICA_LOGS,
    WHOLE,
    checkpoint,
    customers_of,
    erasures_exist,
    scrub_customer,
)
from deskterm.sync.codec import DecodedChange
from deskterm.sync.merge import apply_changes

__all__ = ["checkpoint", "merge_pulled", "pulled_erasure"]

#: Rows with whole fields an erasure replaces: contact summaries, feedback comments and
#: the names on compliments customers sent.
_WHOLE_ROWS = frozenset(WHOLE) - {"customer"} | {"kudos"}


def merge_pulled(connection: Connection, changes: Sequence[DecodedChange], *,
                 bulk: bool = False) -> list[dict[str, Any]]:
    """`apply_changes` for a pulled page, with the erasures in it applied in log order.
    `bulk`: a bulk load (see sync.merge)."""
    won: list[dict[str, Any]] = []
    start = 0
    for index, change in enumerate(changes):
        if change.entity == ERASURE and change.op == "insert":
            won += apply_changes(connection, changes[start:index + 1], bulk=bulk)
            _erase(connection, change)
            start = index + 1
    if start < len(changes):
        won += apply_changes(connection, changes[start:], bulk=bulk)
    _match_server(connection, changes)
    return won


def pulled_erasure(changes: Sequence[Any]) -> bool:
    """Whether a page holds an erasure (its store then wants a checkpoint after commit)."""
    return any(change.entity == ERASURE for change in changes)


def _erase(connection: Connection, change: DecodedChange) -> None:
    erasures = ENTITIES[ERASURE].__table__
    held = connection.execute(select(erasures.c.reason).where(
        erasures.c.id == change.row_id)).first()
    if held is None:
        return
    if "reason" in change.fields and held.reason != change.fields["reason"]:
        # The server's copy: it scrubs a reason that names the customer.
        connection.execute(update(erasures).where(erasures.c.id == change.row_id)
                           .values(reason=change.fields["reason"]))
    scrub_customer(connection, change.fields["customer_id"], logs=REPLICA_LOGS,
                   erased_at=change.fields.get("erased_at"), stamp=change.hlc,
                   cutoff=change.hlc)


def _match_server(connection: Connection, changes: Sequence[DecodedChange]) -> None:
    """Scrub the whole fields of pulled rows about an erased customer, as the server did.

    Pulling a row this replica already holds changes nothing (insert-only rows merge by
    id), so its own copy of a contact it sent after the erasure keeps its summary
    unless scrubbed here. One look-up per page: a first pull brings a great many.
    """
    if not erasures_exist(connection):
        return
    about: set[str] = set()
    for change in changes:
        if change.op != "insert" or change.entity not in _WHOLE_ROWS:
            continue
        if change.entity == "kudos":
            if change.fields.get("source") == KudosSource.CUSTOMER:
                about |= customers_of(connection, change.entity, change.row_id, change.fields)
        elif change.fields.get("customer_id"):
            about.add(change.fields["customer_id"])
    if not about:
        return
    customers = ENTITIES["customer"].__table__
    erased = [customer_id for chunk in _chunks(about) for customer_id in connection.execute(
        select(customers.c.id).where(customers.c.id.in_(chunk),
                                     customers.c.erased_at.is_not(None))).scalars()]
    for customer_id in sorted(erased):
        scrub_customer(connection, customer_id, logs=REPLICA_LOGS, redact=False)


def _chunks(ids: set[str], size: int = 500) -> Iterator[list[str]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), size):
        yield ordered[start:start + size]
