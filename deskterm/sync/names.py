"""What each synced entity is called in a sentence a person reads (a refusal, a change
set aside): `goodwill entry`, in Dutch `coulanceboeking`. Entity names on the wire and in
the store stay as they are (`goodwill_entry`)."""

from __future__ import annotations

from deskterm.i18n import N_, _

#: Each entity's name in a sentence, marked for the catalog (translated where shown).
_NAMES = {
    "team": N_("team"),
    "department": N_("department"),
    "agent": N_("agent"),
    "resolver_group": N_("resolver group"),
    "group_member": N_("group membership"),
    "customer": N_("customer"),
    "ticket": N_("ticket"),
    "ticket_event": N_("ticket event"),
    "ticket_article": N_("article linked to a ticket"),
    "contact": N_("contact"),
    "kb_article": N_("KB article"),
    "kb_edit": N_("KB edit"),
    "goodwill_entry": N_("goodwill entry"),
    "mood_entry": N_("mood entry"),
    "kudos": N_("kudos"),
    "feedback": N_("feedback response"),
    "feedback_follow_up": N_("feedback follow-up"),
    "customer_erasure": N_("customer erasure"),
    "promise_event": N_("promise event"),
    "mail_attachment": N_("mail attachment"),
    "mail_delivery": N_("mail delivery"),
}


def entity_name(entity: str) -> str:
    """`entity` as a reader of the current language names it; an entity this deskterm
    does not know (a newer server's) by its own name, underscores as spaces."""
    name = _NAMES.get(entity)
    return _(name) if name is not None else entity.replace("_", " ")
