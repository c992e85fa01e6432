"""Bounds and the stored form of a time, for code that reads the store with plain SQL.

Defined here, without SQLModel, so that the queue and ticket keys (the workspace's first
frame) need not import the tables; `domain.types` re-exports them beside the rules they
bound.
"""

from __future__ import annotations

from datetime import UTC, datetime

#: The widest integer an int field may hold: the tables' int fields are INTEGER columns,
#: which PostgreSQL keeps in 32 bits (SQLite in 64).
MAX_INT = 2**31 - 1
#: The widest integer both databases store: SQLite's INTEGER, PostgreSQL's BIGINT (a
#: signed 64-bit number). A wider one must never reach a driver (it raises, not refuses).
MAX_BIGINT = 2**63 - 1


def stored_time(moment: datetime) -> str:
    """A zone-aware time as UtcDateTime keeps it in SQLite: UTC, without a zone,
    `2026-11-23 14:30:00.000000`; for raw SQL that compares with such a column."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given for a UTC column")
    utc = moment.astimezone(UTC).replace(tzinfo=None)
    return utc.isoformat(sep=" ", timespec="microseconds")
