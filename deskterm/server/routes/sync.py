"""Push, pull and the live stream of pokes."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response, StreamingResponse

from deskterm.i18n import _
from deskterm.server import changelog
from deskterm.server.deps import CallerDep, DatabaseDep, NotifierDep
from deskterm.server.routes.problems import AUTHENTICATED, WITH_BODY, problems
from deskterm.server.teams import team_name
from deskterm.sync.wire import (
    DEFAULT_PULL_LIMIT,
    MAX_PULL_LIMIT,
    Me,
    PullResponse,
    PushRequest,
    PushResponse,
)

router = APIRouter(prefix="/api/v1", tags=["sync"])

EVENT_STREAM = "text/event-stream"


@router.get("/me", response_model=Me, summary="Who the token belongs to",
            responses=problems(*AUTHENTICATED))
def me(caller: CallerDep, db: DatabaseDep) -> Me:
    return Me(handle=caller.handle, agent_id=caller.agent_id, role=caller.role.value,
              team=team_name(db, caller.team_id), server_id=db.server_id)


@router.post("/sync/push", response_model=PushResponse, summary="Send local changes",
             responses=problems(*AUTHENTICATED, *WITH_BODY))
def push(request: PushRequest, caller: CallerDep, db: DatabaseDep,
         notifier: NotifierDep) -> PushResponse:
    """Apply changes in order; each is answered applied, duplicate or rejected."""
    answer, grew = changelog.push(db, caller, request)
    if grew:
        notifier.publish_threadsafe(answer.head)
    return answer


@router.get("/sync/pull", response_model=PullResponse, summary="Fetch changes after a cursor",
            responses=problems(*AUTHENTICATED, 422))
def pull(caller: CallerDep, db: DatabaseDep,
         cursor: Annotated[int, Query(ge=0)] = 0,
         limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = DEFAULT_PULL_LIMIT,
         ) -> Response:
    """Pages of `limit` changes; `more` says whether to ask again from `cursor`."""
    # Served as ready-made JSON (see changelog.pull); the schema above still documents it.
    return Response(changelog.pull(db, caller, cursor, limit), media_type="application/json")


@router.get("/sync/stream", summary="Server-sent events: a poke whenever the log grows",
            # StreamingResponse has no media type of its own, so the errors below stay
            # documented as JSON and the 200 as what it is.
            response_class=StreamingResponse, responses={
                200: {"description": "Never ends while the token is valid: `event: poke` "
                      "lines, heartbeat comments, and `event: revoked` before it closes.",
                      "content": {EVENT_STREAM: {"schema": {"type": "string"}}}},
                **problems(*AUTHENTICATED)})
async def stream(request: Request, caller: CallerDep, notifier: NotifierDep) -> StreamingResponse:
    """`event: poke` with `{"seq": N}` when the log grows, a comment line as heartbeat.

    When the token is revoked the stream ends within seconds, with `event: revoked`; when
    the server stops, at once (a clean end: the client reconnects as after a drop).
    """
    heartbeat = request.app.state.heartbeat_seconds
    account_id = caller.account_id

    async def events() -> AsyncIterator[str]:
        seen = notifier.head
        yield _poke(seen)
        while not notifier.closing and not await request.is_disconnected():
            head = await notifier.wait_newer(seen, heartbeat, account_id)
            if notifier.closing:
                return
            if notifier.is_revoked(account_id):
                yield _revoked()
                return
            if head > seen:
                seen = head
                yield _poke(head)
            else:
                yield ": heartbeat\n\n"

    return StreamingResponse(events(), media_type=EVENT_STREAM,
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


def _revoked() -> str:
    """The stream's last event for a revoked token, in the language of its request."""
    detail = _("the token is unknown or revoked; ask an admin for a new one")
    return f"event: revoked\ndata: {json.dumps({'detail': detail})}\n\n"


def _poke(seq: int) -> str:
    return f"event: poke\ndata: {json.dumps({'seq': seq})}\n\n"

