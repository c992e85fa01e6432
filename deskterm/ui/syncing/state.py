"""How the workspace words the background sync: without a server, and a rejected change."""

from __future__ import annotations

from deskterm.domain.money import DEFAULT_CURRENCY, Money
from deskterm.i18n import N_, _
from deskterm.sync.loop import Rejection, SyncState

#: Why a desk without a server syncs nothing (shown translated: `_(LOCAL_ONLY_MESSAGE)`).
LOCAL_ONLY_MESSAGE = N_("not signed in to a server: this desk works from the local store only "
                        "(deskterm --db THIS.db login --server URL)")
LOCAL_ONLY = SyncState("local", message=LOCAL_ONLY_MESSAGE)

#: How a rejected change of each entity reads in a notification.
_LABELS = {"goodwill_entry": N_("Goodwill"), "mood_entry": N_("Mood entry"),
           "kb_article": N_("KB article"), "ticket_event": N_("Ticket event"),
           "ticket_article": N_("Linked article"), "kb_edit": N_("KB article edit")}
#: A rejected goodwill entry, by its kind: the amount is in the sentence.
_GOODWILL = {"spend": N_("Goodwill spend {amount} rejected: {reason}"),
             "allocation": N_("Goodwill allocation {amount} rejected: {reason}"),
             "reversal": N_("Goodwill reversal {amount} rejected: {reason}")}


def state_message(state: SyncState) -> str:
    """The state's own message, in the current language (the sync loop's are written so
    already; a desk without a server says so here)."""
    return _(LOCAL_ONLY_MESSAGE) if state.kind == "local" else state.message


def describe_rejection(rejection: Rejection) -> str:
    """`Goodwill spend €30.00 rejected: not enough goodwill budget …`."""
    fields = rejection.fields
    reason = rejection.reason or _("the server refused it")
    kind = str(fields.get("kind", ""))
    if rejection.entity == "goodwill_entry" and "amount_cents" in fields and kind in _GOODWILL:
        amount = Money(abs(int(fields["amount_cents"])),
                       str(fields.get("currency") or DEFAULT_CURRENCY))
        return _(_GOODWILL[kind]).format(amount=amount, reason=reason)
    if rejection.entity in _LABELS:
        what = _(_LABELS[rejection.entity])
    else:
        what = rejection.entity.replace("_", " ").capitalize()
    # TRANSLATORS: {what} names the kind of change ("KB article", "Mood entry", "Ticket").
    return _("{what} rejected: {reason}").format(what=what, reason=reason)
