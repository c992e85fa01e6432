"""What the background sync is doing, as the footer shows it, and how long it waits to retry."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

#: local: no server configured; starting: before the first round answered;
#: synced / pending: the last round reached the server; offline: it could not;
#: error: the server refused (a revoked token, an incompatible server).
SyncKind = Literal["local", "starting", "synced", "pending", "offline", "error"]


@dataclass(frozen=True)
class SyncState:
    """One snapshot, published on the app's `sync_state` signal whenever it changes."""

    kind: SyncKind
    #: Local changes not yet answered by the server.
    pending: int = 0
    #: When a round last reached the server (UTC).
    last_synced: datetime | None = None
    #: `time.monotonic()` at which the next attempt is due, while offline or failing.
    retry_at: float | None = None
    #: Why sync is offline or failing, in words.
    message: str = ""


LOCAL_ONLY = SyncState("local", message="not signed in to a server: this desk works "
                       "from the local store only (deskterm --db THIS.db login --server URL)")


class Backoff:
    """Exponential waits between failed attempts: 1, 2, 4 … `ceiling` seconds, jittered.

    The jitter (up to a quarter either way) keeps a desk full of clients that lost the
    server together from coming back at the same instant.
    """

    def __init__(self, first: float = 1.0, ceiling: float = 60.0,
                 rng: random.Random | None = None) -> None:
        self.first = first
        self.ceiling = ceiling
        self.failures = 0
        self._rng = rng or random.Random()

    def next(self) -> float:
        """The wait before the next attempt, counting one more failure."""
        base: float = min(self.ceiling, self.first * 2 ** self.failures)
        self.failures += 1
        return base * self._rng.uniform(0.75, 1.25)

    def reset(self) -> None:
        self.failures = 0


#: How a rejected change of each entity reads in a notification.
_LABELS = {"goodwill_entry": "Goodwill", "mood_entry": "Mood entry", "kb_article": "KB article",
           "ticket_event": "Ticket event", "ticket_article": "Linked article"}


def describe_rejection(entity: str, fields: dict[str, Any], reason: str) -> str:
    """`Goodwill spend €30.00 rejected: not enough goodwill budget …`."""
    if entity == "goodwill_entry" and "amount_cents" in fields:
        from deskterm.domain.money import Money

        amount = Money(abs(int(fields["amount_cents"])), str(fields.get("currency") or "EUR"))
        what = f"Goodwill {fields.get('kind', 'entry')} {amount}"
    else:
        what = _LABELS.get(entity, entity.replace("_", " ").capitalize())
    return f"{what} rejected: {reason or 'the server refused it'}"
