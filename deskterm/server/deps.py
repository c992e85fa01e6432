"""Request dependencies: the database, the poke relay, and the calling account by role.

A route states who may call it by the dependency it takes: `CallerDep` (any valid
token), `LeadDep` (a lead or an admin), `AdminDep` (an admin). No route checks a role
itself.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from deskterm.domain.errors import Forbidden
from deskterm.i18n import _
from deskterm.server.accounts import caller_for_token
from deskterm.server.database import Database
from deskterm.server.notify import Notifier
from deskterm.server.rules import Caller

_bearer = HTTPBearer(auto_error=False, description="The token `deskterm server user add` printed")


class Unauthorized(Exception):
    """No token, or one the server does not know (or has revoked)."""


def database(request: Request) -> Database:
    db: Database = request.app.state.db  # set by the app factory
    return db


def notifier(request: Request) -> Notifier:
    found: Notifier = request.app.state.notifier  # set by the app factory
    return found


def caller(
    db: Annotated[Database, Depends(database)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    if credentials is None:
        raise Unauthorized(_("this call needs a bearer token (deskterm login --server URL asks "
                             "for it)"))
    found = caller_for_token(db, credentials.credentials)
    if found is None:
        raise Unauthorized(_("the token is unknown or revoked; ask an admin for a new one"))
    return found


def lead(found: Annotated[Caller, Depends(caller)]) -> Caller:
    if not found.is_lead:
        raise Forbidden(_("only a lead or admin token may do this (the team's figures and "
                          "feedback intake are theirs)"))
    return found


def admin(found: Annotated[Caller, Depends(caller)]) -> Caller:
    if not found.is_admin:
        raise Forbidden(_("only an admin token may do this"))
    return found


DatabaseDep = Annotated[Database, Depends(database)]
NotifierDep = Annotated[Notifier, Depends(notifier)]
CallerDep = Annotated[Caller, Depends(caller)]
LeadDep = Annotated[Caller, Depends(lead)]
AdminDep = Annotated[Caller, Depends(admin)]
