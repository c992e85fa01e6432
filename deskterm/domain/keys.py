"""Ticket keys as people see them: `SD-1042` from the server, `new-3f9a2c` until then.

This is the one definition of what a typed key means; the lookup of a ticket
(services.lookup), the ticket list's `--search` (store.queries) and the workspace's
filter (store.queue_filter) all read keys through `key_number`.
"""

from __future__ import annotations

from deskterm.domain.bounds import MAX_INT

#: Prefix of the human ticket key the server assigns: SD-1042.
KEY_PREFIX = "SD-"
#: Prefix of the provisional key a ticket shows until the server has numbered it.
PROVISIONAL_PREFIX = "new-"
#: The highest number a ticket can carry (its `number` field's bound).
MAX_TICKET_NUMBER = MAX_INT


def provisional_key(ticket_id: str) -> str:
    """The key shown for a ticket the server has not numbered yet: `new-` and 6 hex digits."""
    return PROVISIONAL_PREFIX + ticket_id.replace("-", "")[-6:]


def ticket_key(number: int | None, ticket_id: str) -> str:
    return f"{KEY_PREFIX}{number}" if number is not None else provisional_key(ticket_id)


def key_number(text: str) -> int | None:
    """The ticket number `text` names as a key (`SD-1042`, `sd-042`, `1042`), else None.

    The prefix is optional and any case; surrounding blanks are ignored. Only ASCII
    digits make a number: `SD-١٢`, `²` or full-width digits are not a key (Python's
    `int()` would read some of them, people do not type them as keys). A number no
    ticket can carry (0, or above MAX_TICKET_NUMBER) is not a key either, so it never
    reaches a database as a number it cannot hold.
    """
    digits = text.strip()
    if digits[:len(KEY_PREFIX)].upper() == KEY_PREFIX:
        digits = digits[len(KEY_PREFIX):]
    if not digits or not (digits.isascii() and digits.isdigit()):
        return None
    number = int(digits)
    return number if 1 <= number <= MAX_TICKET_NUMBER else None
