"""Bring a change log an older server wrote in line with today's rules, once, at start.

An older server logged every contact with its agent's private self-rating, for every
reader. Each such entry is rewritten without the private fields (domain.privacy), and
the values are logged again as changes of their own that only their owner pulls. A
marker in `server_meta` makes it run once; it holds the writers' lock, so instances that
start together on one database do it one after the other (the later ones find the
marker and do nothing).
"""

from __future__ import annotations

import json

from sqlalchemy import insert, select, update

from deskterm.domain.clock import utcnow
from deskterm.domain.ids import uuid7
from deskterm.domain.privacy import PRIVATE_FIELDS
from deskterm.server.database import Database, change_log, lock_log, server_meta
from deskterm.server.log import LogWriter
from deskterm.sync.codec import DecodedChange

MARKER = "private_fields_logged_apart"
PAGE = 5000


def upgrade(db: Database) -> int:
    """Run what an older log needs; returns how many entries were rewritten."""
    with db.writing() as connection:
        head = lock_log(connection)
        if connection.execute(select(server_meta.c.value)
                              .where(server_meta.c.key == MARKER)).first() is not None:
            return 0
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
                    values = {name: fields.pop(name) for name in private.fields
                              if name in fields}
                    connection.execute(update(change_log).where(change_log.c.seq == seq)
                                       .values(fields=json.dumps(fields, ensure_ascii=False)))
                    rewritten += 1
                    values = {name: value for name, value in values.items()
                              if value is not None}
                    owner = fields.get(private.owner)
                    if values and owner is not None:
                        writer.log_apart(uuid7(), DecodedChange(entity, row_id, "update",
                                                                values, stamp),
                                         values, author_id, owner)
                if len(rows) < PAGE:
                    break
                after = rows[-1].seq
        connection.execute(insert(server_meta).values(key=MARKER, value="1"))
        writer.finish()
        return rewritten
