"""The error answers routes declare in /openapi.json: the forms `server.app` gives them.

Every error is `{"detail": "<one sentence>"}` (`Problem`); a 422 may add `errors`, where
the request broke its schema (`ValidationProblem`). A route lists the statuses it can
answer with `responses=problems(401, 422, ...)`; declaring 422 here also keeps FastAPI
from documenting its own HTTPValidationError, a form this server never sends.
"""

from __future__ import annotations

from typing import Any

from deskterm.sync.wire import Problem, ValidationProblem

_WHEN = {
    400: "The body could not be read (broken off, or not UTF-8 text).",
    401: "No bearer token, or one the server does not know or has revoked.",
    403: "The token's role may not do this.",
    404: "What the request names does not exist.",
    409: "The request conflicts with what the server holds.",
    413: "The body is larger than the server accepts (4 MiB); send less at once.",
    422: "The request is malformed: a field missing, of the wrong type or out of range, "
         "or a value no database can store.",
    503: "The server's database is not reachable right now; retry the same request in "
         "a moment (Retry-After says when).",
}

_HEADERS: dict[int, dict[str, Any]] = {
    401: {"WWW-Authenticate": {"description": "`Bearer`: the scheme a token is sent with",
                               "schema": {"type": "string"}}},
    503: {"Retry-After": {"description": "seconds to wait before retrying",
                          "schema": {"type": "string"}}},
}

#: Every route with a token: it may be missing or revoked, the database may be away.
AUTHENTICATED = (401, 503)
#: A route that reads a JSON body: unreadable, too large or malformed.
WITH_BODY = (400, 413, 422)


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route that can answer these error statuses."""
    unknown = set(statuses) - _WHEN.keys()
    if unknown:
        raise ValueError(f"no problem form for status {sorted(unknown)}")
    return {status: {"model": ValidationProblem if status == 422 else Problem,
                     "description": _WHEN[status], **({"headers": _HEADERS[status]}
                                                      if status in _HEADERS else {})}
            for status in sorted(statuses)}
