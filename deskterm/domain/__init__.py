"""The domain: tables, enums, value types and errors. Imports nothing else of deskterm."""

from deskterm.domain.contacts import Contact
from deskterm.domain.customers import Customer
from deskterm.domain.goodwill import GoodwillEntry
from deskterm.domain.kb import KbArticle
from deskterm.domain.people import Actor, Agent, Department, Team
from deskterm.domain.tickets import Ticket, TicketArticle, TicketEvent
from deskterm.domain.wellbeing import Kudos, MoodEntry

#: Every synced table, by the entity name used in the outbox and on the wire.
ENTITIES = {
    "team": Team,
    "department": Department,
    "agent": Agent,
    "customer": Customer,
    "ticket": Ticket,
    "ticket_event": TicketEvent,
    "ticket_article": TicketArticle,
    "contact": Contact,
    "kb_article": KbArticle,
    "goodwill_entry": GoodwillEntry,
    "mood_entry": MoodEntry,
    "kudos": Kudos,
}

__all__ = [
    "ENTITIES",
    "Actor",
    "Agent",
    "Contact",
    "Customer",
    "Department",
    "GoodwillEntry",
    "KbArticle",
    "Kudos",
    "MoodEntry",
    "Team",
    "Ticket",
    "TicketArticle",
    "TicketEvent",
]
