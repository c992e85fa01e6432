"""A promise's state as the queue shows it, without the promise_event table.

The queue marks each row with the state of its ticket's earliest unkept promise, on its
first frame; this module gives that reading without importing SQLModel (the table, and
the reading of a promise from its events, are in `domain.promises`, which re-exports
these names).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from deskterm.i18n import pgettext

#: An open promise due within this is "due soon" (the queue's marker, "Promises due").
DUE_SOON = timedelta(hours=2)


class PromiseStatus(StrEnum):
    OPEN = "open"
    #: Open, and due within DUE_SOON.
    DUE_SOON = "due soon"
    #: Its time passed unkept (derived, never stored).
    BROKEN = "broken"
    KEPT = "kept"

    @property
    def label(self) -> str:
        """`due soon` / `verloopt binnenkort`."""
        return {PromiseStatus.OPEN: pgettext("promise status", "open"),
                PromiseStatus.DUE_SOON: pgettext("promise status", "due soon"),
                PromiseStatus.BROKEN: pgettext("promise status", "broken"),
                PromiseStatus.KEPT: pgettext("promise status", "kept")}[self]


def due_status(due_at: datetime, now: datetime) -> PromiseStatus:
    """The state at `now` of a promise not kept, due at `due_at` (the time in force):
    broken once that time has come, due soon within DUE_SOON of it, else open. The queue
    reads its marker from the earliest such time of a ticket's unkept promises."""
    if due_at <= now:
        return PromiseStatus.BROKEN
    if due_at - now <= DUE_SOON:
        return PromiseStatus.DUE_SOON
    return PromiseStatus.OPEN


__all__ = ["DUE_SOON", "PromiseStatus", "due_status"]
