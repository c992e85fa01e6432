"""Customer feedback intake over HTTP: survey tools post responses here (lead/admin tokens).

The body is a `FeedbackResponse`, the model a feedback CSV row is read with too, and it
becomes rows the way the desk's own import makes them (services.feedback.feedback_rows);
the server then logs them as it logs any write. A response the server already holds
(services.feedback.same_response) is refused with 409: a survey tool's retry counts once.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel
from sqlmodel import Session

from deskterm.domain import Feedback, Kudos
from deskterm.domain.clock import utcnow
from deskterm.domain.feedback import FeedbackResponse
from deskterm.server.changelog import write_as_server
from deskterm.server.deps import DatabaseDep, LeadDep, NotifierDep
from deskterm.server.routes.problems import AUTHENTICATED, WITH_BODY, problems
from deskterm.services.feedback import feedback_rows
from deskterm.sync.codec import DecodedChange

router = APIRouter(prefix="/api/v1", tags=["feedback"])


class FeedbackOut(BaseModel):
    id: str
    ticket_id: str
    kudos_id: str | None
    seq: int


@router.post("/feedback", response_model=FeedbackOut, status_code=201,
             summary="Record a customer's feedback on a ticket",
             responses=problems(*AUTHENTICATED, *WITH_BODY, 403, 404, 409))
def post_feedback(body: FeedbackResponse, caller: LeadDep, db: DatabaseDep,
                  notifier: NotifierDep) -> FeedbackOut:
    with Session(db.engine) as session:
        feedback, kudos = feedback_rows(session, body, author_id=caller.agent_id,
                                        now=utcnow(), source="api")
    changes = [_insert("feedback", feedback)]
    if kudos is not None:
        changes.append(_insert("kudos", kudos))
    head = write_as_server(db, changes, author_id=caller.agent_id)
    notifier.publish_threadsafe(head)
    return FeedbackOut(id=feedback.id, ticket_id=feedback.ticket_id,
                       kudos_id=kudos.id if kudos else None, seq=head)


def _insert(entity: str, row: Feedback | Kudos) -> DecodedChange:
    fields: dict[str, Any] = {name: getattr(row, name) for name in type(row).model_fields
                              if name != "id"}
    return DecodedChange(entity, row.id, "insert", fields)
