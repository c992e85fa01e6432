"""Customer feedback intake over HTTP: survey tools post responses here (lead/admin tokens)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlmodel import Session

from deskterm.domain import Agent, Customer
from deskterm.domain.clock import utcnow
from deskterm.domain.enums import KudosSource
from deskterm.domain.errors import Forbidden, InvalidInput
from deskterm.domain.ids import uuid7
from deskterm.server.deps import CallerDep, DatabaseDep, NotifierDep
from deskterm.server.log import write_as_server
from deskterm.server.routes.problems import AUTHENTICATED, WITH_BODY, problems
from deskterm.services.lookup import find_ticket
from deskterm.sync.codec import DecodedChange

router = APIRouter(prefix="/api/v1", tags=["feedback"])

Score = Field(default=None, ge=1, le=5)


class FeedbackIn(BaseModel):
    """One survey response about a ticket."""

    model_config = ConfigDict(extra="forbid")

    ticket: str = Field(min_length=1, max_length=64, description="SD-1042, 1042 or the id")
    csat: int = Field(ge=1, le=5, description="overall satisfaction, 1-5")
    reliability: int | None = Score
    empathy: int | None = Score
    customer_focus: int | None = Score
    customer_knowledge: int | None = Score
    waiting_time: int | None = Score
    accessibility: int | None = Score
    phone_menu: int | None = Score
    comment: str | None = Field(default=None, max_length=4000)
    received_at: AwareDatetime | None = None
    kudos: str | None = Field(default=None, max_length=2000,
                              description="a compliment to share on the kudos feed")


class FeedbackOut(BaseModel):
    id: str
    ticket_id: str
    kudos_id: str | None
    seq: int


@router.post("/feedback", response_model=FeedbackOut, status_code=201,
             summary="Record a customer's feedback on a ticket",
             responses=problems(*AUTHENTICATED, *WITH_BODY, 403, 404))
def post_feedback(body: FeedbackIn, caller: CallerDep, db: DatabaseDep,
                  notifier: NotifierDep) -> FeedbackOut:
    if not caller.is_lead:
        raise Forbidden("only a lead or admin token may post customer feedback")
    now = utcnow()
    received = body.received_at or now
    if received > now:
        raise InvalidInput("received_at is in the future")
    with Session(db.engine) as session:
        # The same lookup the desk's own commands use: SD-1042, 1042 or the id.
        ticket = find_ticket(session, body.ticket)
        customer = session.get(Customer, ticket.customer_id)
        owner = session.get(Agent, ticket.owner_id) if ticket.owner_id else None
    team_id = owner.team_id if owner else None
    feedback_id = uuid7()
    fields = body.model_dump(exclude={"ticket", "kudos", "received_at"})
    changes = [DecodedChange("feedback", feedback_id, "insert", {
        **fields, "ticket_id": ticket.id, "customer_id": ticket.customer_id,
        "agent_id": ticket.owner_id, "source": "api", "received_at": received,
        "author_id": caller.agent_id}, "")]
    kudos_id = None
    if body.kudos and body.kudos.strip():
        kudos_id = uuid7()
        changes.append(DecodedChange("kudos", kudos_id, "insert", {
            "source": KudosSource.CUSTOMER,
            "from_name": customer.name if customer else "a customer",
            "message": body.kudos.strip(), "about_agent_id": ticket.owner_id,
            "team_id": team_id, "customer_id": ticket.customer_id,
            "ticket_id": ticket.id, "contact_id": None, "feedback_id": feedback_id,
            "author_id": caller.agent_id, "created_at": received}, ""))
    head = write_as_server(db, changes, author_id=caller.agent_id)
    notifier.publish_threadsafe(head)
    return FeedbackOut(id=feedback_id, ticket_id=ticket.id, kudos_id=kudos_id, seq=head)
