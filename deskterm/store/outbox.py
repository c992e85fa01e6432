"""The outbox: every service write records its change here, in the same transaction.

An outbox row is a change in its wire shape (sync.wire.Change: the entity, the row,
the fields written with their values as JSON carries them (domain.wire_values), one
hybrid-logical-clock stamp for those fields, the author), numbered by `seq`. Sync
reads the rows straight into that shape and pushes pending ones in `seq` order; the
server's answer moves each to applied or rejected (rejected ones stay visible to the
agent; nothing is dropped).
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import text
from sqlmodel import Session, SQLModel

from deskterm.domain.clock import utcnow
from deskterm.domain.hlc import Hlc
from deskterm.domain.ids import uuid7
from deskterm.domain.wire_values import row_fields

#: Entities merged field by field (last writer wins); the rest are insert-only.
MUTABLE_ENTITIES = frozenset({"ticket", "customer", "kb_article", "agent", "team", "department",
                              "resolver_group"})


def node_id(session: Session) -> str:
    """This replica's node id, made once when first asked for."""
    found = session.execute(text("SELECT value FROM meta WHERE key = 'node_id'")).scalar()
    if found:
        return str(found)
    made = uuid7().replace("-", "")[-12:]
    session.execute(text("INSERT INTO meta (key, value) VALUES ('node_id', :v)"), {"v": made})
    return made


def next_stamp(session: Session, now: datetime | None = None) -> Hlc:
    """Advance this replica's clock and persist it, inside the caller's transaction."""
    now_ms = int((now or utcnow()).timestamp() * 1000)
    stored = session.execute(text("SELECT value FROM meta WHERE key = 'hlc'")).scalar()
    current = Hlc.parse(stored) if stored else Hlc(0, 0, node_id(session))
    stamp = current.tick(now_ms)
    session.execute(
        text("INSERT INTO meta (key, value) VALUES ('hlc', :v) "
             "ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
        {"v": str(stamp)},
    )
    return stamp


def record(
    session: Session,
    entity: str,
    row: SQLModel,
    *,
    op: str = "insert",
    fields: list[str] | None = None,
    author_id: str | None = None,
) -> str:
    """Append one change for `row` to the outbox and stamp its fields; returns the stamp.

    `fields` lists what an update wrote; an insert carries every column.
    """
    values = row_fields(row, fields if op != "insert" else None)
    stamp = str(next_stamp(session))
    # Every synced table has an `id`; SQLModel, the type all of them share, declares none.
    row_id = str(row.id)  # type: ignore[attr-defined]
    session.execute(
        text(
            "INSERT INTO outbox (mutation_id, entity, row_id, op, fields, hlc, author_id, "
            "created_at) VALUES (:m, :e, :r, :op, :f, :h, :a, :t)"
        ),
        {"m": uuid7(), "e": entity, "r": row_id, "op": op,
         "f": json.dumps(values, ensure_ascii=False), "h": stamp, "a": author_id,
         "t": utcnow().isoformat()},
    )
    if entity in MUTABLE_ENTITIES:
        # An insert stamps the whole row at once ("*"); an update stamps each field.
        stamped = ["*"] if op == "insert" else list(values)
        session.execute(
            text(
                "INSERT INTO field_clock (entity, row_id, field, hlc) VALUES (:e, :r, :f, :h) "
                "ON CONFLICT (entity, row_id, field) DO UPDATE SET hlc = excluded.hlc"
            ),
            [{"e": entity, "r": row_id, "f": name, "h": stamp} for name in stamped],
        )
    return stamp


def pending_count(session: Session) -> int:
    return int(session.execute(text("SELECT count(*) FROM outbox WHERE state = 'pending'"))
               .scalar_one())
