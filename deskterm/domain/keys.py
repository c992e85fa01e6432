"""Ticket keys as people see them: `SD-1042` from the server, `new-3f9a2c` until then."""

from __future__ import annotations

#: Prefix of the human ticket key the server assigns: SD-1042.
KEY_PREFIX = "SD-"
#: Prefix of the provisional key a ticket shows until the server has numbered it.
PROVISIONAL_PREFIX = "new-"


def provisional_key(ticket_id: str) -> str:
    """The key shown for a ticket the server has not numbered yet: `new-` and 6 hex digits."""
    return PROVISIONAL_PREFIX + ticket_id.replace("-", "")[-6:]


def ticket_key(number: int | None, ticket_id: str) -> str:
    return f"{KEY_PREFIX}{number}" if number is not None else provisional_key(ticket_id)
