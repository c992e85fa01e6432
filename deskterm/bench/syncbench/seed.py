"""Putting changes into the server's log for a run: through the push path, or in bulk.

`push_direct` calls `deskterm.server.changelog.push` in this process (rules, merge, numbering
and answers per change, exactly as a push over HTTP, less the HTTP). It takes about a
millisecond and a half per change, so `seed_bulk` writes the long history instead: per
transaction of 5,000 changes, the same decoding (codec), ticket numbers from the same
counter, one `apply_changes` for the batch (the shared merge) and the log rows with
their audience (rules.audience), numbered under the same log lock. The log and the rows
are what pushes of those changes would leave, less the per-change judgement (they are
the seeder's own, well-formed work) and the processed-mutation answers nobody asks for.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable

from sqlalchemy import update

from deskterm.domain import ENTITY_NAMES
from deskterm.domain.clock import utcnow
from deskterm.server import changelog
from deskterm.server.accounts import caller_for_token
from deskterm.server.database import (
    Database,
    change_log,
    counter,
    lock_log,
    log_head,
    refresh_statistics,
)
from deskterm.server.rules import audience
from deskterm.sync.merge import apply_changes, insert_rows
from deskterm.sync.wire import MAX_PUSH_CHANGES, Change, PushRequest

from .changes import Clock, history

Progress = Callable[[str], None]
BULK_BATCH = 5000


def push_direct(db: Database, token: str, changes: list[Change], client_id: str) -> None:
    """Push through the server's own push path, in process; every change must be applied."""
    caller = caller_for_token(db, token)
    assert caller is not None
    for start in range(0, len(changes), MAX_PUSH_CHANGES):
        request = PushRequest.model_construct(
            client_id=client_id, changes=changes[start:start + MAX_PUSH_CHANGES])
        answer, _ = changelog.push(db, caller, request)
        refused = [r for r in answer.results if r.status == "rejected"]
        if refused:
            raise RuntimeError(f"the server refused a seeded change: {refused[0].reason}")


def seed_bulk(db: Database, agent_id: str, owners: list[str], count: int,
              progress: Progress) -> float:
    """Put `count` changes of a working desk in the log; returns the seconds it took."""
    clock = Clock("benchseed")
    changes = history(agent_id, owners, clock, count)
    started = time.perf_counter()
    done = 0
    while batch := list(itertools.islice(changes, BULK_BATCH)):
        refresh_statistics(db, *_write_batch(db, batch))  # as pushes do, when the log grows
        done += len(batch)
        if done % (BULK_BATCH * 4) == 0 or done == count:
            progress(f"seeding the log: {done:,} of {count:,} changes")
    return time.perf_counter() - started


def _write_batch(db: Database, batch: list[Change]) -> tuple[int, int]:
    """Write one batch; returns the log's head before and after it."""
    decoded = changelog.decode(PushRequest.model_construct(client_id="bench-seed", changes=batch))
    now = utcnow()
    with db.writing() as connection:
        head = lock_log(connection)
        new_tickets = [i for i, c in enumerate(decoded)
                       if c.entity == "ticket" and c.op == "insert" and not c.fields.get("number")]
        wire = [change.fields for change in batch]
        if new_tickets:
            last = int(connection.execute(
                update(counter).where(counter.c.name == "ticket_number")
                .values(value=counter.c.value + len(new_tickets))
                .returning(counter.c.value)).scalar_one())
            for number, index in enumerate(new_tickets, start=last - len(new_tickets) + 1):
                decoded[index] = decoded[index].with_fields({"number": number})
                wire[index] = dict(wire[index], number=number)
        # The merge writes a batch grouped by table; PostgreSQL checks foreign keys per
        # statement, so the tables go in dependency order (each row's own order is kept).
        for entity in ENTITY_NAMES:
            group = [change for change in decoded if change.entity == entity]
            if group:
                apply_changes(connection, group)
        rows = []
        for seq, (change, incoming, fields) in enumerate(zip(batch, decoded, wire, strict=True),
                                                         start=head + 1):
            who, audience_agent, audience_team = audience(connection, incoming)
            rows.append({"seq": seq, "mutation_id": change.mutation_id, "entity": change.entity,
                         "row_id": change.row_id, "op": change.op,
                         "fields": json.dumps(fields, ensure_ascii=False), "hlc": change.hlc,
                         "author_id": change.author_id, "audience": who,
                         "audience_agent_id": audience_agent,
                         "audience_team_id": audience_team, "created_at": now})
        insert_rows(connection, change_log, rows)  # COPY on PostgreSQL, as pushes write it
        connection.execute(update(log_head).where(log_head.c.id == 1)
                           .values(seq=head + len(rows)))
    return head, head + len(rows)
