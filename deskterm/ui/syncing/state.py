"""How the workspace words the background sync: without a server, and a rejected change."""

from __future__ import annotations

from deskterm.domain.money import DEFAULT_CURRENCY, Money
from deskterm.sync.loop import Rejection, SyncState

LOCAL_ONLY = SyncState("local", message="not signed in to a server: this desk works "
                       "from the local store only (deskterm --db THIS.db login --server URL)")

#: How a rejected change of each entity reads in a notification.
_LABELS = {"goodwill_entry": "Goodwill", "mood_entry": "Mood entry", "kb_article": "KB article",
           "ticket_event": "Ticket event", "ticket_article": "Linked article",
           "kb_edit": "KB article edit"}


def describe_rejection(rejection: Rejection) -> str:
    """`Goodwill spend €30.00 rejected: not enough goodwill budget …`."""
    fields = rejection.fields
    if rejection.entity == "goodwill_entry" and "amount_cents" in fields:
        amount = Money(abs(int(fields["amount_cents"])),
                       str(fields.get("currency") or DEFAULT_CURRENCY))
        what = f"Goodwill {fields.get('kind', 'entry')} {amount}"
    else:
        what = _LABELS.get(rejection.entity, rejection.entity.replace("_", " ").capitalize())
    return f"{what} rejected: {rejection.reason or 'the server refused it'}"
