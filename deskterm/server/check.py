"""`deskterm server check`: read the whole change log as every reader would, and repair it.

An older server accepted changes its replicas cannot apply (a self-rating of 99, a spend
pointing at a lead's allocation, a contact re-inserted with new text). Replicas of this
version set such changes aside and go on, but older ones stop at them, and the log keeps
them forever. The check reads every entry in order and reports each one that:

- a replica's schema refuses (the same `decode_fields` a replica applies it with);
- refers to a row no earlier entry made (a replica has nothing to point it at);
- refers to a row some of its readers may not have (its audience is wider);
- re-inserts an insert-only row an earlier entry made (a forged rewrite);
- names someone other than its author as its writer (an impersonation), or points at
  another ledger entry without being a reversal.

`repair` moves those entries to `change_log_quarantine`, with the reason, in one
transaction under the writers' lock. A row the server itself holds only because of a
quarantined insert is removed from the server's tables too, unless something refers to
it (then it stays, and the report says so).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from deskterm.domain import ENTITIES
from deskterm.domain.clock import utcnow
from deskterm.domain.enums import LedgerKind
from deskterm.domain.errors import InvalidInput
from deskterm.server.database import (
    Database,
    change_log,
    lock_log,
    note_log_rewritten,
    quarantine,
)
from deskterm.server.rules import WRITER_FIELDS, within
from deskterm.sync.codec import MUTABLE_ENTITIES, decode_fields, table_of

PAGE = 5000
Audience = tuple[str, str | None, str | None]


@dataclass(frozen=True)
class Finding:
    """One log entry that not every reader can apply, and why."""

    seq: int
    entity: str
    row_id: str
    op: str
    reason: str
    #: For an insert: whether the server holds the row only because of this entry.
    first_insert: bool = False


@dataclass
class CheckReport:
    entries: int = 0
    findings: list[Finding] = field(default_factory=list)
    #: After a repair: entries moved to the quarantine, and server rows removed or kept.
    quarantined: int = 0
    rows_removed: int = 0
    rows_kept: list[str] = field(default_factory=list)


def check(db: Database) -> CheckReport:
    """Read the whole log, oldest first; report every entry a reader could not apply."""
    report = CheckReport()
    made: dict[tuple[str, str], Audience] = {}
    with db.reading() as connection:
        for entry in _entries(connection):
            report.entries += 1
            reason, first = _judge(entry, made)
            if reason is not None:
                report.findings.append(Finding(entry.seq, entry.entity, entry.row_id,
                                               entry.op, reason, first))
    return report


def repair(db: Database) -> CheckReport:
    """Check, then quarantine every finding; the log and the server's rows, in one go."""
    report = check(db)
    if not report.findings:
        return report
    now = utcnow()
    with db.writing() as connection:
        lock_log(connection)  # no push interleaves with the move
        for finding in report.findings:
            row = connection.execute(select(change_log).where(
                change_log.c.seq == finding.seq)).first()
            if row is None:
                continue  # quarantined meanwhile by another repair
            connection.execute(insert(quarantine).values(
                **row._mapping, reason=finding.reason, quarantined_at=now))
            connection.execute(delete(change_log).where(change_log.c.seq == finding.seq))
            report.quarantined += 1
            if finding.first_insert:
                _remove_row(connection, finding, report)
        if report.quarantined:
            note_log_rewritten(connection)
    return report


def _remove_row(connection: Connection, finding: Finding, report: CheckReport) -> None:
    table = table_of(finding.entity)
    try:
        with connection.begin_nested():
            connection.execute(delete(table).where(table.c.id == finding.row_id))
    except Exception:  # something still refers to it: keep it, and say so
        report.rows_kept.append(f"{finding.entity} {finding.row_id}")
    else:
        report.rows_removed += 1


def _entries(connection: Connection) -> Iterator[Any]:
    after = -1
    while True:
        rows = connection.execute(select(change_log).where(change_log.c.seq > after)
                                  .order_by(change_log.c.seq).limit(PAGE)).all()
        yield from rows
        if len(rows) < PAGE:
            return
        after = rows[-1].seq


def _judge(entry: Any, made: dict[tuple[str, str], Audience]) -> tuple[str | None, bool]:
    """Why a reader could not apply `entry` (None: every reader can), and whether it is
    the insert that made its row. Records the rows the entry makes in `made`."""
    key = (entry.entity, entry.row_id)
    mine: Audience = (entry.audience, entry.audience_agent_id, entry.audience_team_id)
    first = entry.op == "insert" and key not in made
    if entry.entity not in ENTITIES:
        return f"no replica knows the entity '{entry.entity}'", first
    try:
        fields = decode_fields(entry.entity, json.loads(entry.fields),
                               insert=entry.op == "insert", op=entry.op)
    except (InvalidInput, ValueError) as error:
        return f"a replica refuses it: {error}", first
    if entry.op == "insert" and not first and entry.entity not in MUTABLE_ENTITIES:
        return "it inserts again a row an earlier change made (insert-only rows are " \
               "never rewritten)", False
    if entry.op != "insert" and key not in made:
        return "it changes a row no earlier change made", False
    for column in table_of(entry.entity).foreign_keys:
        value = fields.get(column.parent.name)
        if value is None:
            continue
        target = (column.column.table.name, value)
        if target not in made:
            return f"its {column.parent.name} refers to a {target[0].replace('_', ' ')} " \
                   "no earlier change made", first
        if not within(mine, made[target]):
            return f"its {column.parent.name} refers to a row some of its readers may not " \
                   "have", first
    writer = WRITER_FIELDS.get(entry.entity)
    if writer and entry.op == "insert" and entry.author_id is not None \
            and fields.get(writer) != entry.author_id:
        return f"its {writer} does not name its author (written in another's name)", first
    if entry.entity == "goodwill_entry" and fields.get("reverses_id") is not None \
            and fields.get("kind") != LedgerKind.REVERSAL:
        return "only a reversal points at another ledger entry", first
    if first:
        made[key] = mine
    return None, first
