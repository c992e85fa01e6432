"""A queue reader opened ahead of its screen, with its first rows already read.

A front end that opens the store while it is still building the screen the queue goes
in (loading modules, mounting widgets) can have the first read run beside that work,
on another thread, rather than after it: `QueueSource` keeps what it read for as long
as its spec stays (and the store is not said to have changed), so the screen's own
first read of the same rows finds them there.
"""

from __future__ import annotations

import sqlite3

from deskterm.store.queue.source import QueueSource
from deskterm.store.queue.spec import QueueSpec


def opened_ahead(path: str, spec: QueueSpec, *, rows: int) -> QueueSource | None:
    """A reader of `spec` with its first `rows` read; None when the store could not be
    read: whoever opens the queue then opens its own reader, and reports what goes
    wrong as it always does."""
    try:
        source = QueueSource(path, spec)
    except sqlite3.Error:
        return None
    try:
        source.rows(0, rows)
    except sqlite3.Error:
        source.close()
        return None
    return source
