"""Domain errors: exception types whose message a person understands.

The CLI, the UI and the HTTP layer each turn these into their own form in one place.
"""

from __future__ import annotations


class DeskError(Exception):
    """Base of every error a user may see. `str(error)` is the message to show."""

    code = "refused"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DeskError):
    """Something the user named does not exist (or is not visible to them)."""

    code = "not_found"


class InvalidInput(DeskError):
    """The input is malformed or out of range: fix it and try again."""

    code = "invalid"


class Forbidden(DeskError):
    """The acting person's role does not allow this."""

    code = "forbidden"


class Conflict(DeskError):
    """The request clashes with the current state (already resolved, already logged today...)."""

    code = "conflict"


class CustomerNotTold(Conflict):
    """A returned ticket closed before its customer was told (services.handback). The
    message names no front end's controls: the CLI adds its flags (cli/errors.py), the
    resolve form has its field."""


class InsufficientBudget(DeskError):
    """A goodwill spend or reversal would take a budget below zero."""

    code = "insufficient_budget"
