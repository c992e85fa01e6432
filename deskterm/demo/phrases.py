"""Sentences the demo desk writes: contact summaries, ledger reasons, kudos, mood notes.

The sentences are text in content/phrases.toml (English) and content/nl/phrases.toml
(Dutch); this module names them for the code, per language.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from deskterm.demo.content import frozen, read_content


@dataclass(frozen=True)
class Trail:
    """The fixed lines of a ticket's trail and the ledger, as `str.format` templates."""

    escalated: str  # {group}, {tier}, {reason}
    chased: str  # {group}, {message}
    follow_up: str  # {summary}, {subject}
    reopened: str
    logged: str  # {channel}
    picked_up: str  # {handle}
    article_used: str  # {title}
    monthly_budget: str  # {period}


@dataclass(frozen=True)
class Phrases:
    """The sentences of one language's content/phrases.toml."""

    language: str
    #: How a first contact opens, per channel; the ticket subject follows.
    first_contact: dict[str, tuple[str, ...]]
    solved_on_contact: tuple[str, ...]
    logged_on_contact: tuple[str, ...]
    follow_up_out: tuple[str, ...]
    follow_up_in: tuple[str, ...]
    closing_contact: tuple[str, ...]
    #: Contacts that never became a ticket.
    loose_contacts: tuple[str, ...]
    description_context: tuple[str, ...]
    description_opening: tuple[str, ...]
    waiting_notes: tuple[str, ...]
    generic_escalations: tuple[str, ...]
    closing_remarks: tuple[str, ...]
    #: Goodwill spends: (reason, lowest euros, highest euros).
    goodwill_reasons: tuple[tuple[str, int, int], ...]
    reversal_reasons: tuple[str, ...]
    customer_kudos: tuple[str, ...]
    customer_team_kudos: tuple[str, ...]
    lead_kudos: tuple[str, ...]
    lead_team_kudos: tuple[str, ...]
    mood_notes: tuple[str, ...]
    chase_messages: tuple[str, ...]
    promises: tuple[str, ...]
    promise_move_reasons: tuple[str, ...]
    feedback_follow_ups: tuple[str, ...]
    peer_kudos: tuple[str, ...]
    feedback_comments_unhappy: tuple[str, ...]
    feedback_comments_happy: tuple[str, ...]
    #: How people vary a subject line: a word of urgency in front, some context behind.
    subject_prefixes: tuple[str, ...]
    subject_suffixes: tuple[str, ...]
    desk_tip: str
    #: A channel (its stored value) as the trail names it.
    channels: dict[str, str]
    trail: Trail


@cache
def phrases(language: str) -> Phrases:
    """The sentences of `language` (`en`, `nl`)."""
    content: dict[str, Any] = frozen(read_content("phrases", language))
    trail = Trail(**content.pop("trail"))
    return Phrases(language=language, trail=trail, **content)
