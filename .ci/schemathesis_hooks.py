"""Schemathesis hooks for .ci/run: realistic values where a JSON Schema cannot say what is valid.

Only positive cases change (those Schemathesis generates as valid and expects the API to
accept); negative cases, and every check on every response, stay as they are.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

import schemathesis

#: A moment safely in the past, for survey responses generated "received" in the future.
PAST = "2026-01-05T09:30:00+00:00"


@schemathesis.hook
def map_case(context: Any, case: Any) -> Any:
    """POST /api/v1/feedback: about a ticket that exists, received no later than now.

    The server refuses feedback received in the future (a rule about the clock, which no
    schema can state) and answers 404 for an unknown ticket; without this, the feedback
    intake's 201 answer would never be reached.
    """
    if (case.operation.method.upper(), case.operation.path) != ("POST", "/api/v1/feedback"):
        return case
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return case
    if not isinstance(case.body, dict):
        return case
    body = dict(case.body)
    if _in_future(body.get("received_at")):
        body["received_at"] = PAST
    ticket = os.environ.get("DESKTERM_CI_TICKET")
    if ticket:
        body["ticket"] = ticket
    case.body = body
    return case


def _in_future(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return moment.tzinfo is not None and moment > datetime.now(UTC)
