"""Driver errors as the store's own: front ends name no database module to tell them apart.

The command line and the workspace catch what the store raises; the SQLite driver's
exception types stay here, where the store is made, not in `cli/` or `ui/`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from deskterm.i18n import _
from deskterm.store.files import StoreError


class StoreUnavailable(StoreError):
    """The store could not be used just now (locked past the busy timeout, disk full...)."""

    code = "store_unavailable"


def unavailable(error: BaseException) -> StoreUnavailable | None:
    """`error` as a StoreUnavailable when SQLite refused to work (directly, or wrapped by
    SQLAlchemy); None when it is any other error."""
    cause = getattr(error, "orig", None) or error
    if isinstance(cause, sqlite3.OperationalError):
        return StoreUnavailable(_("the store cannot be used right now: {cause}").format(
            cause=cause))
    return None


def is_interrupted(error: BaseException) -> bool:
    """Whether `error` is a read stopped on purpose (`QueueSource.interrupt`): no trouble,
    a newer read has taken its place."""
    return isinstance(error, sqlite3.OperationalError) and "interrupted" in str(error)


@contextmanager
def unless_interrupted() -> Iterator[None]:
    """Ends the block quietly when a read in it was interrupted on purpose."""
    try:
        yield
    except sqlite3.OperationalError as error:
        if not is_interrupted(error):
            raise
