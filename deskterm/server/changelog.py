"""The change log: apply pushed changes in commit order and serve pulls from the log.

A push is one database transaction. It first locks the log head (so pushes from every
instance are serialized and sequence numbers follow commit order), then judges each
change on its own: a duplicate gets its first answer again, a change the rules refuse
is answered `rejected` and nothing of it is written (a savepoint around each change),
and an accepted one is merged with the shared rule and appended to the change log.
Numbers, answers and rows commit together or not at all, so a client that never heard
the answer can resend the same mutation ids safely.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from datetime import datetime
from enum import Enum
from functools import cache
from types import SimpleNamespace
from typing import Any

from pydantic.fields import FieldInfo
from sqlalchemy import Connection, insert, literal, select, text, tuple_, update
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, StatementError

from deskterm.domain import ENTITIES
from deskterm.domain.clock import utcnow
from deskterm.domain.errors import InvalidInput
from deskterm.domain.hlc import Hlc
from deskterm.domain.ids import uuid7
from deskterm.domain.kb import conflict_copy
from deskterm.domain.privacy import PRIVATE_FIELDS, split_private
from deskterm.domain.wire_values import wire_fields
from deskterm.i18n import _
from deskterm.server.batch import BatchReads, fits
from deskterm.server.database import (
    Database,
    change_log,
    counter,
    lock_log,
    lock_log_and_clock,
    log_head,
    note_log_rewritten,
    processed_mutation,
    refresh_statistics,
    server_meta,
)
from deskterm.server.erasure import scrub_pushed
from deskterm.server.rules import (
    Caller,
    Reads,
    Rejected,
    audience,
    check,
    may_pull_row,
    pull_clause,
    repeats_stored_row,
)
from deskterm.services.erasure import ERASURE, SERVER_LOGS, checkpoint, scrub_customer
from deskterm.sync.codec import MUTABLE_ENTITIES, DecodedChange, decode_change, encode_change
from deskterm.sync.merge import (
    ROW_CLOCK,
    Merger,
    MissingRow,
    apply_changes,
    insert_rows,
    row_clocks,
)
from deskterm.sync.names import entity_name
from deskterm.sync.wire import PullResponse, PushRequest, PushResponse, PushResult

SERVER_NODE = "server"
#: About the most a pull page carries, in characters of the changes' fields: a page ends
#: after the change that reaches it (one change alone may be bigger: a push is bounded
#: by the server's body limit, so no single change is ever much bigger than that).
PAGE_BYTES = 4 * 1024 * 1024
#: Refusals for a row this server lacks. They are not recorded as the mutation's answer:
#: after a restore from a backup the row may come back (its author pushes it again), and
#: a replica that worked on it sends its change again then (see sync.replica.answers).
NOT_YET = frozenset({"unknown_row", "unknown_reference"})


def decode(request: PushRequest) -> list[DecodedChange]:
    """Every change of a push decoded before anything is written: one bad field, 422."""
    decoded = []
    for index, change in enumerate(request.changes):
        try:
            decoded.append(decode_change(change))
        except InvalidInput as error:
            raise InvalidInput(_("change {index} ({mutation_id}): {error}").format(
                index=index, mutation_id=change.mutation_id, error=error)) from None
    return decoded


def push(db: Database, caller: Caller, request: PushRequest, now: datetime | None = None,
         *, batched: bool = True) -> tuple[PushResponse, bool]:
    """Apply a push. Returns the answer and whether anything new reached the log.

    `batched`: judge the whole push against its rows read at once and write it with one
    statement per table (`BatchWriter`) where it can be; otherwise, and whenever the
    database refuses a batch's writes, change by change (`LogWriter`), which answers
    every change the same way.
    """
    decoded = decode(request)
    now = now or utcnow()
    try:
        writer, results, start = _write(db, caller, request, decoded, now, batch=batched)
    except _BatchRefused:  # something only the database saw: judged again, one by one
        writer, results, start = _write(db, caller, request, decoded, now, batch=False)
    head = writer.head
    if writer.erased:
        checkpoint(db.engine)  # the pages the scrub rewrote leave the write-ahead log
    refresh_statistics(db, start, head)
    return PushResponse(results=results, head=head), head > start


def _write(db: Database, caller: Caller, request: PushRequest, decoded: list[DecodedChange],
           now: datetime, *, batch: bool) -> tuple[LogWriter, list[PushResult], int]:
    """Judge and write a push in one transaction: (the writer, the answers, the head it
    started from). _BatchRefused when the database refused a batch's writes: the
    transaction is rolled back whole, so a batch needs no savepoint (two round trips
    fewer under the lock)."""
    batched = False
    try:
        with db.writing() as connection:
            start, clock = lock_log_and_clock(connection)
            batched = batch and BatchWriter.fits(connection, decoded)
            writer = (BatchWriter(connection, start, now, decoded, clock=clock) if batched
                      else LogWriter(connection, start, now, clock=clock))
            results = _judge(writer, caller, request, decoded)
            writer.finish()
    except (IntegrityError, DataError):
        if not batched:
            raise
        raise _BatchRefused from None
    return writer, results, start


class _BatchRefused(Exception):
    """The database refused a batch's writes (see `_write`)."""


def _judge(writer: LogWriter, caller: Caller, request: PushRequest,
           decoded: list[DecodedChange]) -> list[PushResult]:
    """Each change of a push judged in order, and its answer recorded."""
    seen = _answers(writer.connection, [c.mutation_id for c in request.changes])
    results = []
    for change, incoming in zip(request.changes, decoded, strict=True):
        if change.mutation_id in seen:
            sender, first = seen[change.mutation_id]
            results.append(_repeat(writer, caller, first, incoming)
                           if sender == request.client_id else
                           _taken(writer, caller, change.mutation_id, incoming))
            continue
        result = writer.accept(caller, incoming, change.fields)
        if result.code in NOT_YET:
            # Not remembered: the same mutation is judged again when it is sent again.
            results.append(result)
            continue
        writer.answer({
            "mutation_id": change.mutation_id, "client_id": request.client_id,
            "outcome": result.status, "code": result.code, "reason": result.reason,
            "assigned": json.dumps(result.assigned) if result.assigned else None,
            "seq": writer.head, "answered_at": writer.now})
        seen[change.mutation_id] = (request.client_id, result.model_copy(
            update={"status": "duplicate", "outcome": result.status, "current": None,
                    "current_clocks": None}))
        results.append(result)
    return results


def _repeat(writer: LogWriter, caller: Caller, first: PushResult, change: DecodedChange
             ) -> PushResult:
    """A duplicate's answer; a refused one carries the server's row as it is now.

    The client that resends a refused change never heard the first answer (it died
    before recording it), so it still holds the refused values: it needs the server's
    row to put them back, as it would have the first time.
    """
    if first.outcome != "rejected":
        return first
    current, clocks = writer.current(caller, change.entity, change.row_id)
    return first.model_copy(update={"current": current, "current_clocks": clocks})


def _taken(writer: LogWriter, caller: Caller, mutation_id: str, change: DecodedChange
           ) -> PushResult:
    """The answer to a change whose mutation id another client has used already.

    A processed id belongs to the client that sent it. Answered as a duplicate, this
    change would be dropped without a word (its replica would think it applied) and its
    sender told how another's change went. It is refused instead, and not remembered.
    """
    current, clocks = writer.current(caller, change.entity, change.row_id)
    return PushResult(mutation_id=mutation_id, status="rejected", code="conflict",
                      reason=_("another client has already sent a change with this "
                               "mutation id; this one was not applied"), current=current,
                      current_clocks=clocks)


def _answers(connection: Connection, mutation_ids: list[str]
             ) -> dict[str, tuple[str, PushResult]]:
    """The first answer to each mutation id already processed, and the client it went to."""
    found = {}
    for start in range(0, len(mutation_ids), 500):
        chunk = mutation_ids[start:start + 500]
        for row in connection.execute(
                select(processed_mutation).where(processed_mutation.c.mutation_id.in_(chunk))):
            found[row.mutation_id] = (row.client_id, PushResult(
                mutation_id=row.mutation_id, status="duplicate", outcome=row.outcome,
                code=row.code, reason=row.reason,
                assigned=json.loads(row.assigned) if row.assigned else None))
    return found


class LogWriter:
    """Merges accepted changes and numbers them, inside the push's transaction."""

    def __init__(self, connection: Connection, head: int, now: datetime, *,
                 clock: str | None = None) -> None:
        """`clock`: the server's clock as stored, when the caller read it with the lock
        (`lock_log_and_clock`); else it is read when first needed."""
        self.connection = connection
        self.head = head
        self.now = now
        self._clock: Hlc | None = Hlc.parse(clock) if clock else None
        #: Whether a customer was erased in this transaction (see `push`).
        self.erased = False
        self.reads = Reads(connection)

    def accept(self, caller: Caller, change: DecodedChange, wire: dict[str, Any]
               ) -> PushResult:
        """Judge, merge and log one pushed change; `wire` is its fields as sent, which the
        log keeps as they came (decoding and encoding again could spell a value anew)."""
        mutation_id, author_id = change.mutation_id, change.author_id
        try:
            with self._judging():
                # The row the change names, read once for every rule that needs it.
                stored = self.reads.row(change.entity, change.row_id)
                check(self.reads, caller, change, author_id, self.now, stored)
                change, wire = self._scrubbed(change, wire)
                repeated = repeats_stored_row(change, stored)
                if repeated is not None:
                    if not repeated:
                        raise Rejected("conflict", _(
                            "a {thing} with this id is already recorded, and recorded rows "
                            "are never rewritten").format(thing=entity_name(change.entity)))
                    # The row as it is already held: nothing to write, nothing to log.
                    return PushResult(mutation_id=mutation_id, status="applied")
                filled = self._defaults(change, held=stored is not None)
                copy = self._kb_conflict_copy(change, author_id or caller.agent_id)
                self._admit(change.with_fields(filled))
                assigned = self._assign(change)
                merged = change.with_fields({**filled, **assigned})
                self._apply(merged)
                if change.entity == ERASURE:
                    scrub_customer(self.connection, merged.fields["customer_id"],
                                   logs=SERVER_LOGS, erased_at=merged.fields["erased_at"],
                                   stamp=change.hlc)
                    self.erased = True
                self.append(replace(change, author_id=author_id or caller.agent_id),
                            {**wire, **wire_fields(filled), **assigned})
                if copy is not None:
                    self.write_as_server(copy)
        except Rejected as refusal:
            return self._rejected(caller, mutation_id, change, refusal.code, refusal.reason)
        except MissingRow as missing:
            return self._rejected(caller, mutation_id, change, "unknown_row", str(missing))
        except IntegrityError as error:
            return self._rejected(caller, mutation_id, change, *_integrity(change, error))
        except StatementError as error:
            if isinstance(error, DBAPIError) and not isinstance(error, DataError):
                raise  # the database is unwell (a 503), not the change
            return self._rejected(caller, mutation_id, change, "invalid",
                                  _("a value of this change cannot be stored"))
        return PushResult(mutation_id=mutation_id, status="applied", assigned=assigned or None)

    def _scrubbed(self, change: DecodedChange, wire: dict[str, Any]
                  ) -> tuple[DecodedChange, dict[str, Any]]:
        """The change as the server takes it in when it concerns an erased customer (see
        server.erasure); an erasure itself is stamped by the server's clock, above every
        change its scrub covers."""
        scrubbed = self._scrub(change)
        if change.entity == ERASURE:
            change = replace(change, hlc=str(self.stamp()))
        return change.with_fields(scrubbed), {**wire, **scrubbed}

    def _defaults(self, change: DecodedChange, *, held: bool) -> dict[str, Any]:
        """The fields a new row leaves out, filled here once and logged with the insert.

        Otherwise every replica would fill them itself (a `created_at` of its own "now")
        and the replicas would not hold the same row. `held`: the server has the row.
        """
        if change.op != "insert" or held:
            return {}
        # (An insert of a row held merges field by field, defaults aside: `held`.)
        return {name: default() for name, default in _defaulted_fields(change.entity)
                if name not in change.fields}

    def write_as_server(self, change: DecodedChange) -> None:
        """A change the server makes itself (accounts, conflict copies), stamped by its clock
        and given a mutation id here."""
        change = replace(change, hlc=str(self.stamp()), mutation_id=uuid7())
        change = change.with_fields(self._scrub(change))
        self._apply(change)
        self.append(change, encode_change(change).fields)

    # What the one-by-one writer does at once, and the batch (BatchWriter) at the end.

    def _judging(self) -> AbstractContextManager[Any]:
        """Around the judging of one change: what it wrote goes again if it is refused."""
        return self.connection.begin_nested()

    def _admit(self, change: DecodedChange) -> None:
        """Refuse what the database would refuse of `change` (here: the database does)."""

    def _apply(self, change: DecodedChange) -> None:
        apply_changes(self.connection, [change])

    def _scrub(self, change: DecodedChange) -> dict[str, Any]:
        return scrub_pushed(self.connection, change.entity, change.row_id, change.fields)

    def _next_number(self) -> int:
        return int(self.connection.execute(
            update(counter).where(counter.c.name == "ticket_number")
            .values(value=counter.c.value + 1).returning(counter.c.value)).scalar_one())

    def _row_clocks(self, entity: str, row_id: str) -> dict[str, str]:
        return row_clocks(self.connection, entity, row_id)

    def _write_log(self, row: dict[str, Any]) -> None:
        self.connection.execute(insert(change_log).values(**row))

    def answer(self, row: dict[str, Any]) -> None:
        """Record the answer to a mutation (a processed_mutation row)."""
        self.connection.execute(insert(processed_mutation).values(**row))

    def current(self, caller: Caller, entity: str, row_id: str
                ) -> tuple[dict[str, Any] | None, dict[str, str] | None]:
        """The server's copy of a row for a refused change's answer (see `current_row`)."""
        if entity not in MUTABLE_ENTITIES:
            return None, None
        row = self.reads.row(entity, row_id)
        if row is None or not may_pull_row(self.reads, caller, entity, row):
            return None, None
        values = wire_fields({name: row[name] for name in ENTITIES[entity].model_fields})
        return values, self._row_clocks(entity, row_id)

    def append(self, change: DecodedChange, wire: dict[str, Any]) -> None:
        """Log an applied change, its fields as `wire` (JSON values), for its readers.

        Private fields (domain.privacy) are left out of it and logged as a change of
        their own that only their owner pulls."""
        shared, private = split_private(change.entity, wire)
        self._log(change.mutation_id, change, change.op, shared, change.author_id,
                  audience(self.reads, change))
        owner = _private_owner(self.reads, change)
        if private and owner is not None:
            self.log_apart(uuid7(), change, private, change.author_id, owner)
        self._observe(change.hlc)

    def log_apart(self, mutation_id: str, change: DecodedChange, private: dict[str, Any],
                  author_id: str | None, owner: str) -> None:
        """Log private fields of a row as a change only their owner pulls."""
        self._log(mutation_id, change, "update", private, author_id, ("agent", owner, None))

    def _log(self, mutation_id: str, change: DecodedChange, op: str, wire: dict[str, Any],
             author_id: str | None, readers: tuple[str, str | None, str | None]) -> None:
        self.head += 1
        who, agent_id, team_id = readers
        self._write_log({
            "seq": self.head, "mutation_id": mutation_id, "entity": change.entity,
            "row_id": change.row_id, "op": op, "fields": json.dumps(wire, ensure_ascii=False),
            "hlc": change.hlc, "author_id": author_id, "audience": who,
            "audience_agent_id": agent_id, "audience_team_id": team_id,
            "created_at": self.now})

    def stamp(self) -> Hlc:
        clock = self._server_clock().tick(int(self.now.timestamp() * 1000))
        self._clock = clock
        return clock

    def finish(self) -> None:
        """Write the new head and the server's clock, and (PostgreSQL) announce the head:
        on PostgreSQL in one statement, as the lock is held for each round trip."""
        if self.erased:
            note_log_rewritten(self.connection)  # the scrub rewrote logged changes
        clock = None if self._clock is None else str(self._clock)
        if self.connection.dialect.name == "postgresql":
            self.connection.execute(text(
                "WITH head AS (UPDATE log_head SET seq = :seq WHERE id = 1)"
                + (", clock AS (UPDATE server_meta SET value = :clock WHERE key = 'hlc')"
                   if clock is not None else "")
                + " SELECT pg_notify('deskterm_log', :announced)"),
                {"seq": self.head, "clock": clock, "announced": str(self.head)})
            return
        self.connection.execute(update(log_head).where(log_head.c.id == 1)
                                .values(seq=self.head))
        if clock is not None:
            self.connection.execute(update(server_meta).where(server_meta.c.key == "hlc")
                                    .values(value=clock))

    def _server_clock(self) -> Hlc:
        if self._clock is None:
            stored = self.connection.execute(
                select(server_meta.c.value).where(server_meta.c.key == "hlc")).scalar()
            self._clock = Hlc.parse(stored) if stored else Hlc(0, 0, SERVER_NODE)
        return self._clock

    def _observe(self, stamp: str) -> None:
        """Keep the server's clock ahead of every stamp it has logged."""
        seen = Hlc.parse(stamp)
        current = self._server_clock()
        if (seen.wall_ms, seen.counter) > (current.wall_ms, current.counter):
            self._clock = Hlc(seen.wall_ms, seen.counter, SERVER_NODE)

    def _assign(self, change: DecodedChange) -> dict[str, Any]:
        if change.entity != "ticket" or change.op != "insert" or change.fields.get("number"):
            return {}
        return {"number": self._next_number()}

    def _kb_conflict_copy(self, change: DecodedChange, author_id: str) -> DecodedChange | None:
        """Two edits of an article's body from the same version: keep the losing text.

        The body itself merges like any field (newest stamp wins); the text that lost
        becomes a new article marked as a conflict copy, so neither edit is lost and its
        author can merge it by hand. It is a conflict only when the body on the server
        was written at a version the editor had not seen (the edit's version is not
        above it): an edit of the title made meanwhile bumps the version too, but
        leaves the body alone and so does not count.
        """
        if change.entity != "kb_article" or change.op != "update" or "body" not in change.fields:
            return None
        found = self.reads.row("kb_article", change.row_id)
        incoming_version = change.fields.get("version")
        if found is None or incoming_version is None or found["body"] == change.fields["body"]:
            return None
        current = SimpleNamespace(**found)
        clocks = self._row_clocks("kb_article", change.row_id)
        body_stamp = clocks.get("body") or clocks.get("*", "")
        body_version, body_author = self._body_written_by(change.row_id, body_stamp)
        if incoming_version > (body_version or current.version):
            return None
        if change.hlc > body_stamp:
            loser_body, loser_author = current.body, body_author
        else:
            loser_body, loser_author = change.fields["body"], author_id
        loser_author = loser_author or current.author_id
        title, tags = conflict_copy(current.title, current.tags)
        return DecodedChange("kb_article", uuid7(), "insert", {
            "title": title,
            "body": loser_body,
            "tags": tags,
            "department_id": current.department_id,
            "author_id": loser_author,
            "version": 1,
            "created_at": self.now,
            "updated_at": self.now,
            "deleted": False,
        }, author_id=loser_author)

    def _body_written_by(self, row_id: str, stamp: str) -> tuple[int | None, str | None]:
        """The version and author of the logged change that wrote an article's body.

        Found by its stamp (the body's field clock), not as the newest body change in
        the log: a later change whose body lost to an older stamp did not write it.
        """
        found = self.connection.execute(
            select(change_log.c.author_id, change_log.c.fields)
            # The entity written into the statement, so that PostgreSQL's generic plans
            # too see that the partial index (ix_change_log_kb_article) covers it.
            .where(change_log.c.entity == literal("kb_article", literal_execute=True),
                   change_log.c.row_id == row_id,
                   change_log.c.hlc == stamp)
            .order_by(change_log.c.seq.desc()).limit(1)).first()
        if found is None:
            return None, None
        return _writer(found.fields, found.author_id)

    def _rejected(self, caller: Caller, mutation_id: str, change: DecodedChange, code: str,
                  reason: str) -> PushResult:
        current, clocks = self.current(caller, change.entity, change.row_id)
        return PushResult(mutation_id=mutation_id, status="rejected", code=code, reason=reason,
                          current=current, current_clocks=clocks)


@cache
def _defaulted_fields(entity: str) -> tuple[tuple[str, Callable[[], Any]], ...]:
    """(name, what gives its default) of each field of an entity's rows but the id, in the
    model's order: a constant's value as it is, anything else as the model makes it."""
    return tuple((name, _default_of(field))
                 for name, field in ENTITIES[entity].model_fields.items() if name != "id")


def _default_of(field: FieldInfo) -> Callable[[], Any]:
    value = field.default
    if field.default_factory is None and (value is None or isinstance(value, _CONSTANTS)):
        return lambda: value
    return lambda: field.get_default(call_default_factory=True)


#: Default values that need no copy per row (pydantic copies the others).
_CONSTANTS = (bool, int, float, str, Enum)


def _writer(fields: str, author_id: str | None) -> tuple[int | None, str | None]:
    """The version an article's logged change (its fields as JSON) wrote, and its author."""
    version = json.loads(fields).get("version")
    return (int(version) if version is not None else None,
            str(author_id) if author_id else None)


def _private_owner(reads: Reads, change: DecodedChange) -> str | None:
    """The agent whose private fields a change of this entity carries (domain.privacy)."""
    private = PRIVATE_FIELDS.get(change.entity)
    if private is None:
        return None
    owner = change.fields.get(private.owner)
    if owner is None and change.op != "insert":
        stored = reads.row(change.entity, change.row_id)
        owner = stored.get(private.owner) if stored else None
    return str(owner) if owner is not None else None


def _unknown_reference(change: DecodedChange) -> tuple[str, str]:
    return "unknown_reference", _("this {thing} refers to something the server does not "
                                  "have").format(thing=entity_name(change.entity))


def _integrity(change: DecodedChange, error: IntegrityError) -> tuple[str, str]:
    message = str(error.orig).lower()
    thing = entity_name(change.entity)
    if "foreign key" in message:
        return _unknown_reference(change)
    if change.entity == "mood_entry":
        return "conflict", _("a mood for that day is already logged")
    return "conflict", _("this {thing} clashes with one the server already has").format(
        thing=thing)


def current_row(connection: Connection, caller: Caller, entity: str, row_id: str
                ) -> tuple[dict[str, Any] | None, dict[str, str] | None]:
    """The server's copy of a mutable row, ready for the wire, and its field stamps.

    Sent back with a refused change so the replica can put back what the server holds;
    only ever a row the caller may pull (an insert-only row is never sent: the replica
    that was refused it has nothing to put back).
    """
    return LogWriter(connection, 0, utcnow()).current(caller, entity, row_id)


def pull(db: Database, caller: Caller, cursor: int, limit: int) -> bytes:
    """Changes after `cursor` the caller may see, oldest first, and where to continue.

    Returns the PullResponse as JSON bytes, put together from the log's stored JSON
    text rather than parsed and serialized again: a new replica pulls every change
    there is, and this is most of what the server does for it.
    """
    with db.reading_statements() as connection:  # the page is bounded by the head read
        head = int(connection.execute(select(log_head.c.seq).where(log_head.c.id == 1))
                   .scalar_one())
        if cursor > head:
            return PullResponse(changes=[], cursor=0, head=head, more=True, reset=True,
                                server_id=db.server_id).model_dump_json().encode()
        rows = connection.execute(
            select(change_log.c.seq, change_log.c.mutation_id, change_log.c.entity,
                   change_log.c.row_id, change_log.c.op, change_log.c.fields,
                   change_log.c.hlc, change_log.c.author_id)
            .where(change_log.c.seq > cursor, change_log.c.seq <= head,
                   pull_clause(caller, change_log))
            .order_by(change_log.c.seq).limit(limit)).all()
    return page_json([(row.seq, change_json(*row), len(row.fields)) for row in rows],
                     limit, head, db.server_id)


def change_json(seq: int, mutation_id: str, entity: str, row_id: str, op: str, fields: str,
                hlc: str, author_id: str | None) -> str:
    """One logged change as a pull answers it (`fields` is the log's JSON text)."""
    dumps = json.dumps
    return (f'{{"seq":{seq},"mutation_id":{dumps(mutation_id)},"entity":{dumps(entity)},'
            f'"row_id":{dumps(row_id)},"op":{dumps(op)},"fields":{fields},'
            f'"hlc":{dumps(hlc)},"author_id":{dumps(author_id)}}}')


def page_json(changes: Sequence[tuple[int, str, int]], limit: int, head: int,
              server_id: str) -> bytes:
    """A PullResponse as JSON bytes: `changes` (seq, change_json, size of its fields), the
    first `limit` changes after the cursor the caller may see up to `head`, as many of
    them as fit in PAGE_BYTES (at least one); `more` when the page may not be the last."""
    more = len(changes) == limit
    parts: list[str] = []
    size = 0
    for _seq, change, fields_size in changes:
        if parts and size + fields_size > PAGE_BYTES:
            more = True  # the rest comes with the next page
            break
        size += fields_size + 200
        parts.append(change)
    cursor = changes[len(parts) - 1][0] if more else head
    tail = json.dumps({"cursor": cursor, "head": head, "more": more, "server_id": server_id,
                       "reset": False})
    return f'{{"changes":[{",".join(parts)}],{tail[1:]}'.encode()


def write_as_server(db: Database, changes: Iterable[DecodedChange], *,
                    author_id: str | None = None) -> int:
    """Apply and log changes the server makes itself (accounts, feedback intake), written
    by `author_id` where a change does not name its author. Returns the new head.
    """
    now = utcnow()
    with db.writing() as connection:
        writer = LogWriter(connection, lock_log(connection), now)
        for change in changes:
            writer.write_as_server(change if change.author_id else
                                   replace(change, author_id=author_id))
        writer.finish()
        return writer.head


class BatchWriter(LogWriter):
    """A push judged as one batch: the same judging as LogWriter's, change by change in
    order, against the push's rows read at once (server.batch.BatchReads), which see what
    each change before did; nothing is written until `finish`, one statement per table.

    What the database alone would refuse (a reference to a row it lacks) is refused here
    before anything is merged; whatever it still refuses at `finish` (a clash with a
    unique key) makes `push` judge the whole push again change by change.
    """

    def __init__(self, connection: Connection, head: int, now: datetime,
                 changes: list[DecodedChange], *, clock: str | None = None) -> None:
        super().__init__(connection, head, now, clock=clock)
        self.batch = BatchReads(connection, changes)
        self.reads = self.batch
        self.merger = Merger(connection, changes, held=self.batch.held(changes))
        self._log_rows: list[dict[str, Any]] = []
        #: Who wrote which article body: (row id, stamp) to (version, author), from this
        #: batch's log rows and, read at once here, the log (see `_body_written_by`).
        self._bodies = self._bodies_written(changes)
        self._answers: list[dict[str, Any]] = []
        self._number: int | None = None

    @staticmethod
    def fits(connection: Connection, changes: list[DecodedChange]) -> bool:
        return fits(connection, changes)

    def _judging(self) -> AbstractContextManager[Any]:
        return nullcontext()  # nothing is written before the change is accepted

    def _admit(self, change: DecodedChange) -> None:
        values = self.merger.preview(change)
        self.batch.check_references(change, values, _unknown_reference)

    def _apply(self, change: DecodedChange) -> None:
        self.batch.applied(change, self.merger.add(change))

    def _scrub(self, change: DecodedChange) -> dict[str, Any]:
        return {}  # no customer was ever erased here (server.batch.fits)

    def _next_number(self) -> int:
        if self._number is None:
            self._number = int(self.connection.execute(
                select(counter.c.value).where(counter.c.name == "ticket_number")).scalar_one())
        self._number += 1
        return self._number

    def _row_clocks(self, entity: str, row_id: str) -> dict[str, str]:
        if (entity, row_id) in self.merger.clocks:
            return self.merger.row_clocks(entity, row_id)
        return super()._row_clocks(entity, row_id)

    def _write_log(self, row: dict[str, Any]) -> None:
        self._log_rows.append(row)
        if row["entity"] == "kb_article":
            self._bodies[(row["row_id"], row["hlc"])] = _writer(row["fields"], row["author_id"])

    def answer(self, row: dict[str, Any]) -> None:
        self._answers.append(row)

    def _bodies_written(self, changes: list[DecodedChange]
                        ) -> dict[tuple[str, str], tuple[int | None, str | None]]:
        """The logged writers of the bodies the batch's article edits may conflict with,
        read in one query: each (row id, stamp of its body) asked, found or not."""
        asked = set()
        for change in changes:
            if change.entity == "kb_article" and change.op == "update" \
                    and "body" in change.fields:
                clocks = self.merger.clocks.get(("kb_article", change.row_id), {})
                asked.add((change.row_id, clocks.get("body") or clocks.get(ROW_CLOCK, "")))
        found: dict[tuple[str, str], tuple[int | None, str | None]] = dict.fromkeys(
            asked, (None, None))
        pairs = sorted(asked)
        for start in range(0, len(pairs), 500):
            for row in self.connection.execute(
                    select(change_log.c.row_id, change_log.c.hlc, change_log.c.author_id,
                           change_log.c.fields)
                    .where(change_log.c.entity == literal("kb_article", literal_execute=True),
                           tuple_(change_log.c.row_id, change_log.c.hlc)
                           .in_(pairs[start:start + 500]))
                    .order_by(change_log.c.seq)):
                found[(row.row_id, row.hlc)] = _writer(row.fields, row.author_id)
        return found

    def _body_written_by(self, row_id: str, stamp: str) -> tuple[int | None, str | None]:
        key = (row_id, stamp)
        if key in self._bodies:
            return self._bodies[key]
        return super()._body_written_by(row_id, stamp)

    def finish(self) -> None:
        self.merger.flush()
        insert_rows(self.connection, change_log, self._log_rows)
        insert_rows(self.connection, processed_mutation, self._answers)
        if self._number is not None:
            self.connection.execute(update(counter).where(counter.c.name == "ticket_number")
                                    .values(value=self._number))
        super().finish()
