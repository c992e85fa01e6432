"""Leases: one worker per mailbox (intake, sending) across every server instance.

A lease is a row of the server-only table `lease`: its name (`intake:support`), the
instance holding it and until when. A worker calls `hold_lease` before each round (and
while it waits on IDLE); it gets or keeps the lease while nobody else holds an unexpired
one. An instance that dies stops renewing, and another takes over after LEASE_SECONDS.
The same rows work on SQLite and PostgreSQL; the check-and-take is one transaction under
the database's write lock (SQLite) or a row lock (PostgreSQL).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Column, String, Table, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from deskterm.domain.clock import utcnow
from deskterm.domain.ids import uuid7
from deskterm.domain.types import UtcDateTime
from deskterm.server.database import Database, server_metadata

#: How long a lease lasts without renewal.
LEASE_SECONDS = 60.0
#: This process: the holder its leases name.
INSTANCE = uuid7()

lease = Table(
    "lease", server_metadata,
    Column("name", String(100), primary_key=True),
    Column("holder", String(64), nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
)


def hold_lease(db: Database, name: str, *, holder: str = INSTANCE,
               seconds: float = LEASE_SECONDS) -> bool:
    """Take or renew the lease `name` for `holder`; False while another holds it."""
    now = utcnow()
    until = now + timedelta(seconds=seconds)
    try:
        with db.writing() as connection:
            current = connection.execute(
                select(lease.c.holder, lease.c.expires_at).where(lease.c.name == name)
                .with_for_update()).first()
            if current is None:
                connection.execute(insert(lease).values(name=name, holder=holder,
                                                        expires_at=until))
                return True
            if current.holder != holder and current.expires_at > now:
                return False
            connection.execute(update(lease).where(lease.c.name == name)
                               .values(holder=holder, expires_at=until))
            return True
    except IntegrityError:
        return False  # another instance inserted it first


def release_lease(db: Database, name: str, *, holder: str = INSTANCE) -> None:
    """Give a lease up (a worker stopping), so another instance need not wait it out."""
    with db.writing() as connection:
        connection.execute(delete(lease).where(lease.c.name == name,
                                               lease.c.holder == holder))
