"""The data half of revision 0005: an older server's log, rewritten so private fields travel apart.

An older server logged every contact with its agent's private self-rating, for every
reader. Each such entry is rewritten without the private fields (domain.privacy), and
the values are logged again as changes of their own that only their owner pulls. An
entry without private fields is left alone, so running it again rewrites nothing.
"""

from __future__ import annotations

import json

from sqlalchemy import Connection, select, update

from deskterm.domain.clock import utcnow
from deskterm.domain.ids import uuid7
from deskterm.domain.privacy import PRIVATE_FIELDS
from deskterm.server.changelog import LogWriter
from deskterm.server.database import change_log, lock_log, note_log_rewritten
from deskterm.sync.codec import DecodedChange

PAGE = 5000


def log_private_fields_apart(connection: Connection) -> int:
    """Rewrite the log entries that carry private fields; returns how many were rewritten.

    Runs inside the caller's transaction and takes the writers' lock first.
    """
    head = lock_log(connection)
    writer = LogWriter(connection, head, utcnow())
    rewritten = 0
    for entity, private in PRIVATE_FIELDS.items():
        after = 0
        while True:
            rows = connection.execute(
                select(change_log.c.seq, change_log.c.row_id, change_log.c.fields,
                       change_log.c.hlc, change_log.c.author_id)
                .where(change_log.c.entity == entity, change_log.c.op == "insert",
                       change_log.c.seq > after, change_log.c.seq <= head)
                .order_by(change_log.c.seq).limit(PAGE)).all()
            for seq, row_id, text, stamp, author_id in rows:
                fields = json.loads(text)
                if not private.fields & fields.keys():
                    continue
                values = {name: fields.pop(name) for name in private.fields if name in fields}
                connection.execute(update(change_log).where(change_log.c.seq == seq)
                                   .values(fields=json.dumps(fields, ensure_ascii=False)))
                rewritten += 1
                values = {name: value for name, value in values.items() if value is not None}
                owner = fields.get(private.owner)
                if values and owner is not None:
                    change = DecodedChange(entity, row_id, "update", values, stamp)
                    writer.log_apart(uuid7(), change, values, author_id, owner)
            if len(rows) < PAGE:
                break
            after = rows[-1].seq
    writer.finish()
    if rewritten:
        note_log_rewritten(connection)
    return rewritten
