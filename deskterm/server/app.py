"""The FastAPI application factory: routes, error forms, request limits, the poke relay.

Every error leaves as JSON `{"detail": "<one sentence>"}`, in the caller's language
(`server.language`: `Accept-Language`, else English), with a 4xx status for the
caller's mistakes (401 no or bad token, 403 role, 404, 409, 413 body too large, 422
malformed or wrongly typed) and 503 when the database is unreachable, so a client
retries the same mutation ids later. A 500 would be a bug. /openapi.json says so: each
route declares the statuses it can answer with these forms (`routes.problems`), and
.ci/run has Schemathesis hold the server to that document.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from deskterm import __version__
from deskterm.domain.errors import Conflict, DeskError, Forbidden, InvalidInput, NotFound
from deskterm.i18n import _, using
from deskterm.server.accounts import CallerCache
from deskterm.server.database import Database
from deskterm.server.deps import Unauthorized
from deskterm.server.language import Language, request_language
from deskterm.server.notify import Notifier, watch
from deskterm.server.routes import attachments, feedback, health, sync, team
from deskterm.server.routes.quick_pull import QuickPull
from deskterm.server.settings import Settings, load
from deskterm.server.tail import LogTail, SharedReads

log = logging.getLogger("deskterm.server")

#: The defaults (see `Settings`): largest request body accepted (a push of 500 changes is
#: far below it), and the idle time after which an event stream gets a heartbeat.
MAX_BODY_BYTES: int = Settings.model_fields["max_body_bytes"].default
HEARTBEAT_SECONDS: float = Settings.model_fields["heartbeat_seconds"].default

_STATUS = {InvalidInput: 422, NotFound: 404, Forbidden: 403, Conflict: 409}


def create_app(database_url: str | None = None, *, settings: Settings | None = None,
               **overrides: Any) -> FastAPI:
    """The app on `settings` (default: `settings.load`, with `database_url` and any other
    setting given here taking precedence). Opening the database migrates it (see
    `server.migrations`): instances started together migrate it once."""
    settings = settings or load(database_url=database_url, **overrides)
    db = Database(settings=settings)
    notifier = Notifier()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        notifier.bind(asyncio.get_running_loop())
        watcher = asyncio.create_task(watch(db, notifier))
        try:
            yield
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
            db.dispose()

    app = FastAPI(title="deskterm", version=__version__, lifespan=lifespan,
                  summary="The shared server of a deskterm service desk: sync and live pokes.",
                  dependencies=[Depends(one_value_per_query_parameter)])
    app.state.db = db
    app.state.notifier = notifier
    app.state.tail = LogTail()
    app.state.log_reads = SharedReads(db, app.state.tail)
    app.state.callers = CallerCache()
    app.state.settings = settings
    app.state.heartbeat_seconds = settings.heartbeat_seconds
    app.include_router(health.router)
    app.include_router(sync.router)
    app.include_router(team.router)
    app.include_router(feedback.router)
    app.include_router(attachments.router)
    _error_forms(app)
    # The ordinary pull skips FastAPI's machinery (see routes.quick_pull); inside Language.
    app.add_middleware(QuickPull)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    # Outermost but for Starlette's own error middleware: a 413 speaks the language too.
    app.add_middleware(Language)
    return app


async def one_value_per_query_parameter(request: Request) -> None:
    """No query parameter of the API takes a list: `?cursor=0&cursor=5` is refused as a
    malformed request (422), not read as whichever value the framework keeps."""
    names = [name for name, _value in request.query_params.multi_items()]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise RequestValidationError([{
            "loc": ("query", name), "type": "repeated",
            "msg": _("given more than once; give it once")} for name in repeated])


def _error_forms(app: FastAPI) -> None:
    @app.exception_handler(Unauthorized)
    async def unauthorized(request: Request, error: Unauthorized) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=401,
                            headers={"WWW-Authenticate": "Bearer"})

    @app.exception_handler(DeskError)
    async def refused(request: Request, error: DeskError) -> JSONResponse:
        return JSONResponse({"detail": error.message},
                            status_code=_STATUS.get(type(error), 409))

    @app.exception_handler(RequestValidationError)
    async def malformed(request: Request, error: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _first_problem(error.errors()),
                             "errors": _jsonable(error.errors())}, status_code=422)

    @app.exception_handler(DataError)
    async def unstorable(request: Request, error: DataError) -> JSONResponse:
        # A value the database cannot hold is the caller's to fix: a 503 would make the
        # client resend it forever and wedge its outbox behind it.
        log.warning("value refused by the database: %s", error.orig)
        return JSONResponse({"detail": _("a value in the request cannot be stored (out of "
                                           "range or not valid text)")}, status_code=422)

    @app.exception_handler(Exception)
    async def bug(request: Request, error: Exception) -> JSONResponse:
        # A bug: still an answer in the API's one form (uvicorn logs the traceback). This
        # handler runs outside every middleware (Starlette's rule for a 500), `Language`
        # included, so it chooses the language itself.
        language = request_language(request.scope)
        with using(language):
            detail = _("the server failed on this request (a bug); it is logged, and "
                       "retrying may not help")
        return JSONResponse({"detail": detail}, status_code=500,
                            headers={"Content-Language": language})

    @app.exception_handler(OperationalError)
    @app.exception_handler(DBAPIError)
    async def unavailable(request: Request, error: Exception) -> JSONResponse:
        log.warning("database trouble: %s", error)
        return JSONResponse({"detail": _("the server's database is not reachable right "
                                           "now; retry in a moment")}, status_code=503,
                            headers={"Retry-After": "2"})


def _first_problem(errors: Any) -> str:
    if not errors:
        return _("the request is malformed")
    first = errors[0]
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
    message = first.get("msg", "is not valid")
    return f"{where}: {message}" if where else message


def _jsonable(errors: Any) -> list[dict[str, Any]]:
    return [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in errors][:20]


class BodyLimit:
    """Refuse request bodies over a size with 413, before reading them whole.

    Checks Content-Length up front and counts streamed chunks for bodies sent without
    one, so neither way gets a giant body into memory.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _too_large(send, self.max_bytes)
            return
        seen = 0
        started = too_large = replaced = False

        async def counting_receive() -> Message:
            nonlocal seen, too_large
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    too_large = True
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started, replaced
            if replaced:
                return
            if too_large and not started:
                # FastAPI catches what the body reader raised and answers 400 ("error
                # parsing the body"): send the 413 instead and drop the app's answer.
                replaced = started = True
                await _too_large(send, self.max_bytes)
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        with contextlib.suppress(_TooLarge):
            await self.app(scope, counting_receive, tracking_send)
        if too_large and not started:
            await _too_large(send, self.max_bytes)


class _TooLarge(Exception):
    pass


async def _too_large(send: Callable[[Message], Awaitable[None]], limit: int) -> None:
    detail = _("the request body is larger than the server accepts ({size} KiB); send "
               "fewer changes at once").format(size=limit // 1024)
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
