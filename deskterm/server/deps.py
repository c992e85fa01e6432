"""Request dependencies: the database, the poke relay, and the calling account by role.

A route states who may call it by the dependency it takes: `CallerDep` (any valid
token), `LeadDep` (a lead or an admin), `AdminDep` (an admin). No route checks a role
itself.

They are coroutines: FastAPI runs a plain function dependency on a worker thread, and at a
thousand requests a second the hand-offs cost more CPU than the work. The token's account
comes from the instance's memory when it has seen the token lately (`accounts.CallerCache`,
which a revocation reaches at once), else from the database on a worker thread.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from deskterm.domain.errors import Forbidden
from deskterm.i18n import _
from deskterm.server.accounts import CallerCache, caller_for_token
from deskterm.server.database import Database
from deskterm.server.notify import Notifier
from deskterm.server.rules import Caller
from deskterm.server.security import token_hash

_bearer = HTTPBearer(auto_error=False, description="The token `deskterm server user add` printed")


class Unauthorized(Exception):
    """No token, or one the server does not know (or has revoked)."""


async def database(request: Request) -> Database:
    db: Database = request.app.state.db  # set by the app factory
    return db


async def notifier(request: Request) -> Notifier:
    found: Notifier = request.app.state.notifier  # set by the app factory
    return found


async def caller(
    request: Request,
    db: Annotated[Database, Depends(database)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    if credentials is None:
        raise Unauthorized(_("this call needs a bearer token (deskterm login --server URL asks "
                             "for it)"))
    callers: CallerCache = request.app.state.callers  # set by the app factory
    revoked = request.app.state.notifier.revoked
    hashed = token_hash(credentials.credentials)
    found = callers.get(hashed, revoked)
    if found is None:
        found = await run_in_threadpool(caller_for_token, db, credentials.credentials,
                                        hashed=hashed)
        if found is None:
            raise Unauthorized(_("the token is unknown or revoked; ask an admin for a new "
                                 "one"))
        callers.put(hashed, found)
    return found


async def lead(found: Annotated[Caller, Depends(caller)]) -> Caller:
    if not found.is_lead:
        raise Forbidden(_("only a lead or admin token may do this (the team's figures and "
                          "feedback intake are theirs)"))
    return found


async def admin(found: Annotated[Caller, Depends(caller)]) -> Caller:
    if not found.is_admin:
        raise Forbidden(_("only an admin token may do this"))
    return found


DatabaseDep = Annotated[Database, Depends(database)]
NotifierDep = Annotated[Notifier, Depends(notifier)]
CallerDep = Annotated[Caller, Depends(caller)]
LeadDep = Annotated[Caller, Depends(lead)]
AdminDep = Annotated[Caller, Depends(admin)]
