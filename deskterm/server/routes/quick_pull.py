"""The plainest pull, answered without FastAPI's machinery: a desk's agents ask it every 2 s.

A pull whose every part is ordinary (GET, at most `cursor` and `limit` once each as plain
digits within their bounds, a bearer token this instance already knows: see
`accounts.CallerCache`) is served here, by the same `changelog.pull` the route calls, with
the same answer: FastAPI's routing, dependency solving and request objects cost more CPU
than the pull itself at a thousand requests a second. Anything else, and any failure
before the answer starts, goes to the app unchanged (`routes.sync.pull`), which answers
it as it always has (its errors in their forms, in the caller's language). It sits inside
`Language`, so the answer says its language like every other.

Such a pull reads the log's head and only what is new since the instance's copy of the
log's tail (`server.tail`), in a read it may share with the pulls that came with it
(`tail.SharedReads`); its page comes from that copy when the copy holds it: most of a
desk's pulls.
"""

from __future__ import annotations

import re

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from deskterm.server import changelog
from deskterm.server.security import token_hash
from deskterm.sync.wire import DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT

PULL_PATH = "/api/v1/sync/pull"
_DIGITS = re.compile(rb"[0-9]{1,18}")


class QuickPull:
    """Serve the ordinary pull directly; hand everything else to `app`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # An app with dependencies overridden (a test watching the token check) takes the
        # route, which uses them.
        if scope["type"] != "http" or scope["path"] != PULL_PATH or scope["method"] != "GET" \
                or scope["app"].dependency_overrides:
            await self.app(scope, receive, send)
            return
        asked = _ordinary(scope)
        state = scope["app"].state  # Starlette puts the app there before any middleware
        token = _bearer(scope) if asked is not None else None
        found = None if token is None else state.callers.get(token_hash(token),
                                                             state.notifier.revoked)
        if asked is None or found is None:
            await self.app(scope, receive, send)
            return
        cursor, limit = asked
        db = state.db
        try:
            log = await state.log_reads.read()
            await state.notifier.publish(log.head)  # news for this instance's streams
            body = state.tail.page(found, cursor, limit, log, db.server_id)
            if body is None:
                body = await run_in_threadpool(changelog.pull, db, found, cursor, limit)
        except Exception:  # the app answers it again, in the error's own form
            await self.app(scope, receive, send)
            return
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-length", str(len(body)).encode()),
                                (b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": body})


def _ordinary(scope: Scope) -> tuple[int, int] | None:
    """(cursor, limit) when the query is plain and in bounds; None: let the app judge it."""
    values = {"cursor": 0, "limit": DEFAULT_PULL_LIMIT}
    seen: set[bytes] = set()
    query: bytes = scope.get("query_string", b"")
    for item in query.split(b"&") if query else ():
        name, equals, value = item.partition(b"=")
        if not equals or name in seen or name not in (b"cursor", b"limit") \
                or not _DIGITS.fullmatch(value):
            return None
        seen.add(name)
        values[name.decode()] = int(value)
    if not 1 <= values["limit"] <= MAX_PULL_LIMIT:
        return None
    return values["cursor"], values["limit"]


def _bearer(scope: Scope) -> str | None:
    """The token of the one `Authorization: Bearer …` header; None for anything else."""
    found = [value for name, value in scope["headers"] if name == b"authorization"]
    if len(found) != 1:
        return None
    scheme, _sep, token = found[0].decode("latin-1").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None
