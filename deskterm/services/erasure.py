"""Erasing a customer's personal data (AVG/GDPR): the one scrub every copy of the desk runs.

An erasure (domain.erasure.CustomerErasure) is applied by this code wherever it lands:
on the lead's own store when they erase, on the server (its tables and its change log)
when it is pushed, and on every replica when it is pulled (tables, outbox, set-aside
pulls). It works on a SQLAlchemy connection of either dialect, inside the caller's
transaction. What it leaves of the customer:

- replaced whole, whenever it was written: the customer's name (ERASED_NAME), email,
  phone, organisation, notes and products; the summary of each of their contacts; the
  comment of each of their feedback responses; the sender's name of a compliment they
  sent. The server does the same to any such field pushed after the erasure.
- redacted (services.redaction): their name, email and phone in the free text about them:
  their tickets' subject, description, resolution and escalation reason, those tickets'
  event details, what was promised on them and why a promise moved, and the kudos and
  goodwill reasons about them or their tickets.

Rows stay: tickets, contacts, counts and figures keep their shape. The terms are read
from the customer's row before it is scrubbed, so every copy holding the same row
redacts alike; once scrubbed, the row names nobody and the server can no longer tell
whether new text mentions them. So the server logs an erasure at its own clock, above
every change it holds, and refuses free text about the customer stamped at or before
that (written before the erasure, by a replica that did not know of it); the replica
then holds the refused change with its text redacted. Text stamped after it is the
desk's own new writing and is left as written, on the server and on every replica
(`cutoff`).

On SQLite the scrub runs with secure_delete on, so what it overwrites is zeroed rather
than left in free space, the full-text indexes are merged so no deleted term survives
in them, and `checkpoint` afterwards empties the write-ahead log.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Row, RowMapping, column, or_, select, table, update

from deskterm.domain import ENTITIES
from deskterm.domain.customers import ERASED_NAME
from deskterm.domain.enums import KudosSource
from deskterm.services.redaction import REDACTED, Terms, terms_of
from deskterm.store.search import purge_deleted_text

ERASURE = "customer_erasure"
#: The customer's personal fields and what an erasure leaves in them.
CUSTOMER_SCRUBBED: dict[str, Any] = {
    "name": ERASED_NAME, "organisation": None, "email": None, "phone": None,
    "products": [], "notes": "",
}
#: Fields replaced whole on every row about an erased customer.
WHOLE: dict[str, dict[str, Any]] = {
    "customer": CUSTOMER_SCRUBBED,
    "contact": {"summary": REDACTED, "subject": None, "body": None, "address": None},
    "feedback": {"comment": None},
}
#: Free text about the customer, in which their name, email and phone are redacted.
FREE_TEXT: dict[str, tuple[str, ...]] = {
    "ticket": ("subject", "description", "resolution", "escalation_reason"),
    "ticket_event": ("detail",),
    "kudos": ("message", "from_name"),
    "goodwill_entry": ("reason",),
    "promise_event": ("what", "reason"),
}
#: The logs a server and a replica keep of changes (each: seq, entity, row_id, op, fields,
#: hlc), and whether one may hold changes of rows the tables do not have (a change the
#: server refused, kept for its agent; a pulled change set aside).
SERVER_LOGS = {"change_log": False, "change_log_quarantine": True}
REPLICA_LOGS = {"outbox": True, "pulled_aside": True}

_clock = table("field_clock", column("entity"), column("row_id"), column("field"),
               column("hlc"))
_CHUNK = 500


def scrub_fields(entity: str, fields: Mapping[str, Any] | RowMapping, terms: Terms, *,
                 free_text: Callable[[str], bool] | bool = True) -> dict[str, Any]:
    """The fields of a row (or of a change) about an erased customer that the erasure
    changes, with their new values. `free_text` says which free-text fields to redact."""
    changed: dict[str, Any] = {}
    for name, value in WHOLE.get(entity, {}).items():
        if name in fields and fields[name] != value:
            changed[name] = list(value) if isinstance(value, list) else value
    if entity == "kudos" and fields.get("source") == KudosSource.CUSTOMER \
            and fields.get("from_name") not in (None, ERASED_NAME):
        changed["from_name"] = ERASED_NAME  # a compliment the customer sent: their name
    if terms:
        for name in FREE_TEXT.get(entity, ()):
            value = fields.get(name)
            if name in changed or not isinstance(value, str):
                continue
            if free_text is True or (free_text and free_text(name)):
                redacted = terms.redact(value)
                if redacted != value:
                    changed[name] = redacted
    return changed


def scrub_customer(connection: Connection, customer_id: str, *, logs: Mapping[str, bool],
                   erased_at: datetime | None = None, stamp: str | None = None,
                   cutoff: str | None = None, redact: bool = True) -> bool:
    """Scrub one customer's personal data from this database. Returns whether any changed.

    `erased_at` marks the customer erased (the earliest erasure counts); `stamp` is the
    clock the erasure carries, written as the stamp of the customer's scrubbed fields
    (so no change from before it can win them back). `cutoff`: text written after this
    stamp is left (None: everything held here predates the erasure); a replica judges
    its own unsent rows by their outbox stamps. `redact=False` replaces the whole-field
    values only.
    """
    customers = ENTITIES["customer"].__table__
    row = connection.execute(select(customers).where(customers.c.id == customer_id)).first()
    if row is None:
        return False
    terms = terms_of(row.name, row.email, row.phone) if redact else Terms(None)
    with _secure_delete(connection):
        scope = _scope(connection, customer_id)
        changed, own = _scrub_logs(connection, logs, scope, customer_id, terms, cutoff)
        changed |= any(_scrub_rows(connection, scope, terms, cutoff, own).values())
        values = scrub_fields("customer", dict(row._mapping), terms)
        if erased_at is not None and (row.erased_at is None or erased_at < row.erased_at):
            values["erased_at"] = erased_at
        if values:
            connection.execute(update(customers).where(customers.c.id == customer_id)
                               .values(values))
        if stamp is not None:
            _stamp_fields(connection, customer_id, [*CUSTOMER_SCRUBBED, "erased_at"], stamp)
        changed |= bool(values)
        if changed and connection.dialect.name == "sqlite":
            driver = connection.connection.driver_connection
            assert driver is not None  # None only once the connection is closed
            purge_deleted_text(driver)
    return changed


def affected(connection: Connection, customer_id: str) -> dict[str, int]:
    """How many rows about the customer, by entity, an erasure would change now (their
    own row not counted): what a person confirming it is shown."""
    customers = ENTITIES["customer"].__table__
    row = connection.execute(select(customers).where(customers.c.id == customer_id)).first()
    if row is None:
        return {}
    terms = terms_of(row.name, row.email, row.phone)
    found = _scrub_rows(connection, _scope(connection, customer_id), terms, None, {},
                        write=False)
    return {entity: count for entity, count in found.items() if count}


def checkpoint(engine: Engine) -> None:
    """After a scrub, empty a SQLite database's write-ahead log of the pages it rewrote.

    Best effort: a reader still holding an old snapshot keeps the log from being reset
    (tried a few times, briefly); the next checkpoint after it ends does the rest.
    """
    if engine.dialect.name != "sqlite":
        return
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert driver is not None  # None only once the connection is closed
        timeout = driver.execute("PRAGMA busy_timeout").fetchone()[0]
        driver.execute("PRAGMA busy_timeout = 500")
        try:
            for _ in range(6):
                if driver.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0:
                    break
        finally:
            driver.execute(f"PRAGMA busy_timeout = {int(timeout)}")
    finally:
        raw.close()


# -- what an erasure covers --------------------------------------------------------------


def _table(entity: str) -> Any:
    return ENTITIES[entity].__table__


def _chunks(items: Iterable[str]) -> Iterator[list[str]]:
    ordered = sorted(items)
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start:start + _CHUNK]


def _ids(connection: Connection, entity: str, name: str, values: Iterable[str]) -> set[str]:
    """Ids of `entity` rows whose `name` is one of `values`."""
    target = _table(entity)
    found: set[str] = set()
    for chunk in _chunks(values):
        found.update(connection.execute(
            select(target.c.id).where(target.c[name].in_(chunk))).scalars())
    return found


def _scope(connection: Connection, customer_id: str) -> dict[str, set[str]]:
    """The rows about one customer, by entity: theirs, and those about their tickets
    (events, promises, ledger entries), contacts and feedback."""
    tickets = _ids(connection, "ticket", "customer_id", [customer_id])
    contacts = _ids(connection, "contact", "customer_id", [customer_id])
    feedback = _ids(connection, "feedback", "customer_id", [customer_id])
    kudos = (_ids(connection, "kudos", "customer_id", [customer_id])
             | _ids(connection, "kudos", "ticket_id", tickets)
             | _ids(connection, "kudos", "contact_id", contacts)
             | _ids(connection, "kudos", "feedback_id", feedback))
    return {
        "customer": {customer_id}, "ticket": tickets, "contact": contacts,
        "feedback": feedback, "kudos": kudos,
        "ticket_event": _ids(connection, "ticket_event", "ticket_id", tickets),
        "goodwill_entry": (_ids(connection, "goodwill_entry", "customer_id", [customer_id])
                           | _ids(connection, "goodwill_entry", "ticket_id", tickets)),
        "promise_event": _ids(connection, "promise_event", "ticket_id", tickets),
    }


#: A row found in a log (refused, so not in the tables) is about the customer when one
#: of these fields names the customer or a row of theirs.
_REFERENCES = {"customer_id": "customer", "ticket_id": "ticket", "contact_id": "contact",
               "feedback_id": "feedback"}


def _about(fields: Mapping[str, Any], scope: dict[str, set[str]]) -> bool:
    return any(fields.get(name) in scope[entity] for name, entity in _REFERENCES.items())


# -- the logs ----------------------------------------------------------------------------


def _scrub_logs(connection: Connection, logs: Mapping[str, bool], scope: dict[str, set[str]],
                customer_id: str, terms: Terms, cutoff: str | None
                ) -> tuple[bool, dict[tuple[str, str], str]]:
    """Rewrite every logged change that carries the customer's data. Returns whether any
    changed, and the stamp of each row this replica's outbox inserted (see _scrub_rows)."""
    changed = False
    own: dict[tuple[str, str], str] = {}
    for name, orphans in logs.items():
        log = table(name, column("seq"), column("entity"), column("row_id"),
                    column("fields"), column("op"), column("hlc"))
        for seq, entity, row_id, text, op, stamp in _entries(connection, log, scope,
                                                             customer_id, orphans):
            fields = json.loads(text)
            if name == "outbox" and op == "insert":
                own[(entity, row_id)] = stamp
            new = scrub_fields(entity, fields, terms,
                               free_text=cutoff is None or stamp <= cutoff)
            if new:
                connection.execute(update(log).where(log.c.seq == seq).values(
                    fields=json.dumps({**fields, **new}, ensure_ascii=False)))
                changed = True
    return changed, own


def _entries(connection: Connection, log: Any, scope: dict[str, set[str]], customer_id: str,
             orphans: bool) -> list[Any]:
    """The entries of `log` about the customer's rows, oldest first.

    With `orphans`, also those of rows only the log holds (a change the server refused):
    found by the id of the customer, or of a ticket, contact or feedback of theirs, in
    their fields, and then by the ids of such rows in turn (the events of a refused
    ticket). They join the scope.
    """
    columns = (log.c.seq, log.c.entity, log.c.row_id, log.c.fields, log.c.op, log.c.hlc)
    wanted = [customer_id, *(row_id for entity in ("ticket", "contact", "feedback")
                             for row_id in scope[entity])] if orphans else []
    while wanted:
        found: list[Row[*tuple[Any, ...]]] = []
        for start in range(0, len(wanted), 50):
            found += connection.execute(select(*columns).where(
                log.c.entity.in_(list(scope)),
                or_(*(log.c.fields.contains(value, autoescape=True)
                      for value in wanted[start:start + 50])))).all()
        wanted = []
        for entry in found:
            if entry.row_id in scope[entry.entity] or not _about(json.loads(entry.fields),
                                                                scope):
                continue
            scope[entry.entity].add(entry.row_id)
            if entry.entity in _REFERENCES.values():
                wanted.append(entry.row_id)
    # One pass over the log per 500 rows (ids are UUIDs, unique across entities): a log
    # has no index by row, and a server's holds every change ever made.
    entries: dict[int, Any] = {}
    for chunk in _chunks(set().union(*scope.values())):
        for entry in connection.execute(select(*columns).where(log.c.row_id.in_(chunk))):
            if entry.entity in scope and entry.row_id in scope[entry.entity]:
                entries[entry.seq] = entry
    return [entries[seq] for seq in sorted(entries)]


# -- the tables --------------------------------------------------------------------------


def _scrub_rows(connection: Connection, scope: dict[str, set[str]], terms: Terms,
                cutoff: str | None, own: dict[tuple[str, str], str], *, write: bool = True
                ) -> dict[str, int]:
    """Scrub every row about the customer but theirs (see scrub_customer). Returns how
    many rows of each entity changed (would change, when not `write`)."""
    changed: dict[str, int] = {}
    for entity, ids in scope.items():
        if entity == "customer" or not ids:
            continue
        target = _table(entity)
        names = [*WHOLE.get(entity, {}), *FREE_TEXT.get(entity, ())]
        if entity == "kudos":
            names.append("source")
        clocks = _field_clocks(connection, entity, ids) if cutoff and entity == "ticket" \
            else {}
        for chunk in _chunks(ids):
            rows = connection.execute(select(target.c.id, *(target.c[n] for n in names))
                                      .where(target.c.id.in_(chunk))).mappings().all()
            for row in rows:
                written = _written_before(cutoff, clocks.get(row["id"]),
                                          own.get((entity, row["id"])))
                new = scrub_fields(entity, row, terms, free_text=written)
                if new and write:
                    connection.execute(update(target).where(target.c.id == row["id"])
                                       .values(new))
                changed[entity] = changed.get(entity, 0) + bool(new)
    return changed


def _written_before(cutoff: str | None, clocks: dict[str, str] | None, own: str | None
                    ) -> Callable[[str], bool] | bool:
    """Whether a row's free-text field was written at or before `cutoff`: by the field's
    clock (mutable rows), by this replica's outbox stamp (rows it wrote), else yes."""
    if cutoff is None:
        return True
    if clocks is not None:
        return lambda name: (clocks.get(name) or clocks.get("*") or "") <= cutoff
    return own is None or own <= cutoff


def _field_clocks(connection: Connection, entity: str, ids: set[str]
                  ) -> dict[str, dict[str, str]]:
    clocks: dict[str, dict[str, str]] = {}
    for chunk in _chunks(ids):
        for row_id, name, stamp in connection.execute(
                select(_clock.c.row_id, _clock.c.field, _clock.c.hlc)
                .where(_clock.c.entity == entity, _clock.c.row_id.in_(chunk))):
            clocks.setdefault(row_id, {})[name] = stamp
    return clocks


def _stamp_fields(connection: Connection, customer_id: str, names: list[str], stamp: str
                  ) -> None:
    """Stamp the customer's scrubbed fields with the erasure's clock (never backwards)."""
    from sqlalchemy.dialects import postgresql, sqlite

    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    statement = insert(_clock).values([
        {"entity": "customer", "row_id": customer_id, "field": name, "hlc": stamp}
        for name in names])
    connection.execute(statement.on_conflict_do_update(
        index_elements=["entity", "row_id", "field"], set_={"hlc": statement.excluded.hlc},
        where=_clock.c.hlc < statement.excluded.hlc))


@contextmanager
def _secure_delete(connection: Connection) -> Iterator[None]:
    """SQLite's secure_delete for the block: what the scrub frees is zeroed, not left."""
    if connection.dialect.name != "sqlite":
        yield
        return
    before = int(connection.exec_driver_sql("PRAGMA secure_delete").scalar() or 0)
    connection.exec_driver_sql("PRAGMA secure_delete = ON")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA secure_delete = {before}")


# -- which customers a row is about ----------------------------------------------------


def erasures_exist(connection: Connection) -> bool:
    """Whether any customer was ever erased here (most desks: none, and nothing to check)."""
    erasures = _table(ERASURE)
    return connection.execute(select(erasures.c.id).limit(1)).first() is not None


def customers_of(connection: Connection, entity: str, row_id: str,
                 fields: Mapping[str, Any]) -> set[str]:
    """The customers a row, or a change of it, is about: named directly or through the
    ticket, contact or feedback it refers to (a field the change leaves out is read from
    the stored row)."""
    if entity == "customer":
        return {row_id}
    if entity not in WHOLE and entity not in FREE_TEXT:
        return set()
    target = _table(entity)
    names = [name for name in _REFERENCES if name in target.c]
    values = {name: fields[name] for name in names if name in fields}
    if len(values) < len(names):
        stored = connection.execute(select(*(target.c[n] for n in names))
                                    .where(target.c.id == row_id)).first()
        if stored is not None:
            values = {**dict(stored._mapping), **values}
    found = set()
    for name, value in values.items():
        if value is None:
            continue
        if name == "customer_id":
            found.add(value)
            continue
        referred = _table(_REFERENCES[name])
        customer = connection.execute(select(referred.c.customer_id)
                                      .where(referred.c.id == value)).scalar()
        if customer is not None:
            found.add(customer)
    return found


def erased_customers(connection: Connection, entity: str, row_id: str,
                     fields: Mapping[str, Any]) -> set[str]:
    """Those of `customers_of` whose personal data was erased."""
    if not erasures_exist(connection):
        return set()
    ids = customers_of(connection, entity, row_id, fields)
    if not ids:
        return set()
    customers = _table("customer")
    return set(connection.execute(select(customers.c.id).where(
        customers.c.id.in_(sorted(ids)), customers.c.erased_at.is_not(None))).scalars())


def erased_through(connection: Connection, customer_id: str) -> str:
    """The clock of the customer's latest erasure: the server held nothing newer then."""
    return connection.execute(select(_clock.c.hlc).where(
        _clock.c.entity == "customer", _clock.c.row_id == customer_id,
        _clock.c.field == "erased_at")).scalar() or ""
