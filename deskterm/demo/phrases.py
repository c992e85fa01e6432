"""Sentences the demo desk writes: contact summaries, ledger reasons, kudos, mood notes.

The sentences are text in content/phrases.toml; this module names them for the code.
"""

from __future__ import annotations

from deskterm.demo.content import frozen, read_content

_PHRASES = frozen(read_content("phrases"))

#: How a first contact opens, per channel; the ticket subject follows.
FIRST_CONTACT: dict[str, tuple[str, ...]] = _PHRASES["first_contact"]
SOLVED_ON_CONTACT: tuple[str, ...] = _PHRASES["solved_on_contact"]
LOGGED_ON_CONTACT: tuple[str, ...] = _PHRASES["logged_on_contact"]
FOLLOW_UP_OUT: tuple[str, ...] = _PHRASES["follow_up_out"]
FOLLOW_UP_IN: tuple[str, ...] = _PHRASES["follow_up_in"]
CLOSING_CONTACT: tuple[str, ...] = _PHRASES["closing_contact"]
#: Contacts that never became a ticket.
LOOSE_CONTACTS: tuple[str, ...] = _PHRASES["loose_contacts"]
DESCRIPTION_CONTEXT: tuple[str, ...] = _PHRASES["description_context"]
DESCRIPTION_OPENING: tuple[str, ...] = _PHRASES["description_opening"]
WAITING_NOTES: tuple[str, ...] = _PHRASES["waiting_notes"]
GENERIC_ESCALATIONS: tuple[str, ...] = _PHRASES["generic_escalations"]
CLOSING_REMARKS: tuple[str, ...] = _PHRASES["closing_remarks"]
#: Goodwill spends: (reason, lowest euros, highest euros).
GOODWILL_REASONS: tuple[tuple[str, int, int], ...] = _PHRASES["goodwill_reasons"]
REVERSAL_REASONS: tuple[str, ...] = _PHRASES["reversal_reasons"]
CUSTOMER_KUDOS: tuple[str, ...] = _PHRASES["customer_kudos"]
CUSTOMER_TEAM_KUDOS: tuple[str, ...] = _PHRASES["customer_team_kudos"]
LEAD_KUDOS: tuple[str, ...] = _PHRASES["lead_kudos"]
LEAD_TEAM_KUDOS: tuple[str, ...] = _PHRASES["lead_team_kudos"]
MOOD_NOTES: tuple[str, ...] = _PHRASES["mood_notes"]
CHASE_MESSAGES: tuple[str, ...] = _PHRASES["chase_messages"]
PROMISES: tuple[str, ...] = _PHRASES["promises"]
PROMISE_MOVE_REASONS: tuple[str, ...] = _PHRASES["promise_move_reasons"]
FEEDBACK_FOLLOW_UPS: tuple[str, ...] = _PHRASES["feedback_follow_ups"]
PEER_KUDOS: tuple[str, ...] = _PHRASES["peer_kudos"]
FEEDBACK_COMMENTS_UNHAPPY: tuple[str, ...] = _PHRASES["feedback_comments_unhappy"]
FEEDBACK_COMMENTS_HAPPY: tuple[str, ...] = _PHRASES["feedback_comments_happy"]
