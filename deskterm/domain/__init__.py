"""The domain: tables, enums, value types and errors. Imports nothing else of deskterm.

The tables load on first use (PEP 562), so code that needs only enums, Money or the
errors (the UI's first frame, `deskterm --version`) does not pay for importing SQLModel.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from deskterm.domain.contacts import Contact
    from deskterm.domain.customers import Customer
    from deskterm.domain.erasure import CustomerErasure
    from deskterm.domain.feedback import Feedback
    from deskterm.domain.followup import FeedbackFollowUp
    from deskterm.domain.goodwill import GoodwillEntry
    from deskterm.domain.groups import GroupMember, ResolverGroup
    from deskterm.domain.kb import KbArticle, KbEdit
    from deskterm.domain.mail import MailAttachment, MailDelivery
    from deskterm.domain.people import Actor, Agent, Department, Team
    from deskterm.domain.promises import PromiseEvent
    from deskterm.domain.tickets import Ticket, TicketArticle, TicketEvent
    from deskterm.domain.wellbeing import Kudos, MoodEntry

_HOMES = {
    "Contact": "contacts",
    "Customer": "customers",
    "CustomerErasure": "erasure",
    "Feedback": "feedback",
    "FeedbackFollowUp": "followup",
    "GoodwillEntry": "goodwill",
    "GroupMember": "groups",
    "ResolverGroup": "groups",
    "KbArticle": "kb",
    "KbEdit": "kb",
    "MailAttachment": "mail",
    "MailDelivery": "mail",
    "Actor": "people",
    "Agent": "people",
    "Department": "people",
    "Team": "people",
    "PromiseEvent": "promises",
    "Ticket": "tickets",
    "TicketArticle": "tickets",
    "TicketEvent": "tickets",
    "Kudos": "wellbeing",
    "MoodEntry": "wellbeing",
}

#: Every synced table, by the entity name used in the outbox and on the wire.
ENTITY_NAMES = {
    "team": "Team",
    "department": "Department",
    "agent": "Agent",
    "resolver_group": "ResolverGroup",
    "group_member": "GroupMember",
    "customer": "Customer",
    "ticket": "Ticket",
    "ticket_event": "TicketEvent",
    "ticket_article": "TicketArticle",
    "contact": "Contact",
    "kb_article": "KbArticle",
    "kb_edit": "KbEdit",
    "goodwill_entry": "GoodwillEntry",
    "mood_entry": "MoodEntry",
    "kudos": "Kudos",
    "feedback": "Feedback",
    "feedback_follow_up": "FeedbackFollowUp",
    "customer_erasure": "CustomerErasure",
    "promise_event": "PromiseEvent",
    "mail_attachment": "MailAttachment",
    "mail_delivery": "MailDelivery",
}


def __getattr__(name: str) -> Any:
    if name == "ENTITIES":
        entities = {entity: __getattr__(cls) for entity, cls in ENTITY_NAMES.items()}
        globals()["ENTITIES"] = entities
        return entities
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'deskterm.domain' has no attribute '{name}'")
    value = getattr(import_module(f"deskterm.domain.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "ENTITIES",
    "ENTITY_NAMES",
    "Actor",
    "Agent",
    "Contact",
    "Customer",
    "CustomerErasure",
    "Department",
    "Feedback",
    "FeedbackFollowUp",
    "GoodwillEntry",
    "GroupMember",
    "KbArticle",
    "KbEdit",
    "Kudos",
    "MailAttachment",
    "MailDelivery",
    "MoodEntry",
    "PromiseEvent",
    "ResolverGroup",
    "Team",
    "Ticket",
    "TicketArticle",
    "TicketEvent",
]
