"""Feedback back to the agent: a ticket's responses, an agent's own feedback and trend,
the follow-up of an unhappy customer, and the team's count of those still open.

- A ticket shows its customer's responses (CSAT, the drivers answered, the comment):
  a response is part of the ticket's history, which the whole desk reads.
- Each agent's own view lists the responses on the tickets they owned, the unhappy ones
  (CSAT 1-2, or a comment) first; "follow up" logs a contact with the customer and marks
  the response followed up (a `feedback_follow_up` row, insert-only, one per response).
- Beside it, the agent's own 8-week trend: their self-ratings next to their customers'
  CSAT. Self-ratings are private (domain.privacy): a replica holds only its own agent's,
  and this reads only the acting agent's rows.
- A lead sees how many unhappy responses on the team's tickets are still without a
  follow-up, never which (`unhappy_without_follow_up` returns a number only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, func, or_, select

from deskterm.domain import Agent, Contact, Customer, Feedback, FeedbackFollowUp, Ticket
from deskterm.domain.enums import Channel, Direction
from deskterm.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from deskterm.domain.feedback import DRIVERS
from deskterm.domain.followup import follow_up_refusal
from deskterm.domain.types import text_limit
from deskterm.i18n import _
from deskterm.services.contacts import write_contact
from deskterm.services.context import ServiceContext, clean_text
from deskterm.services.lookup import find_ticket, parse_choice
from deskterm.store import Store
from deskterm.store.outbox import record

#: CSAT at or below this is unhappy (a comment makes any response worth reading too).
UNHAPPY_CSAT = 2
#: Weeks of the agent's own trend.
TREND_WEEKS = 8
#: A week where the agent's mean self-rating is this much above their customers' mean
#: CSAT stands out: they think it went better than their customers do.
GAP_THAT_STANDS_OUT = 1.0
#: The most responses one agent's view lists.
VIEW_LIMIT = 200


def is_unhappy(feedback: Feedback) -> bool:
    """CSAT 1-2, or a comment: a response the agent should read and may follow up."""
    return feedback.csat <= UNHAPPY_CSAT or bool(feedback.comment)


def drivers_text(feedback: Feedback) -> str:
    """The drivers the customer answered, as a person reads them: `empathy 2 · waiting
    time 4` (the CLI and the workspace both show it)."""
    return " · ".join(f"{name.replace('_', ' ')} {getattr(feedback, name)}"
                      for name in DRIVERS if getattr(feedback, name) is not None)


def _unhappy_clause() -> Any:
    return or_(col(Feedback.csat) <= UNHAPPY_CSAT, col(Feedback.comment).is_not(None))


@dataclass(frozen=True)
class Response:
    """One response as a person reads it, with its ticket and customer."""

    feedback: Feedback
    ticket_key: str
    subject: str
    customer: str
    #: When it was followed up, and by whom (a handle); None while it is not.
    followed_up_at: datetime | None
    followed_up_by: str | None

    @property
    def unhappy(self) -> bool:
        return is_unhappy(self.feedback)


def _responses(session: Session, where: list[Any], limit: int) -> list[Response]:
    query = (select(Feedback, Ticket, Customer, FeedbackFollowUp)
             .join(Ticket, col(Ticket.id) == Feedback.ticket_id)
             .join(Customer, col(Customer.id) == Feedback.customer_id)
             .join(FeedbackFollowUp, col(FeedbackFollowUp.feedback_id) == Feedback.id,
                   isouter=True))
    for condition in where:
        query = query.where(condition)
    rows = session.exec(query.order_by(col(Feedback.received_at).desc()).limit(limit)).all()
    followers = {follow.agent_id for *_unused, follow in rows if follow is not None}
    handles = dict(session.exec(select(Agent.id, Agent.handle)
                                .where(col(Agent.id).in_(followers))).all()) if followers \
        else {}
    return [Response(feedback, ticket.key, ticket.subject, customer.name,
                     follow.created_at if follow is not None else None,
                     handles.get(follow.agent_id) if follow is not None else None)
            for feedback, ticket, customer, follow in rows]


def ticket_responses(store: Store, ticket_id: str) -> list[Response]:
    """The customer's responses on one ticket, newest first."""
    with store.reading() as session:
        return _responses(session, [Feedback.ticket_id == ticket_id], VIEW_LIMIT)


def my_feedback(ctx: ServiceContext, *, limit: int = VIEW_LIMIT) -> list[Response]:
    """The responses on the acting agent's tickets: the unhappy ones not yet followed up
    first, then the other unhappy ones, then the rest; newest first within each."""
    with ctx.store.reading() as session:
        found = _responses(session, [Feedback.agent_id == ctx.actor.id], limit)

    def rank(response: Response) -> int:
        if not response.unhappy:
            return 2
        return 0 if response.followed_up_at is None else 1

    return sorted(found, key=rank)  # stable: newest first within each rank


def follow_up(ctx: ServiceContext, ref: str, *, summary: str,
              channel: str | Channel = Channel.PHONE) -> FeedbackFollowUp:
    """Log the contact that followed up a response and mark the response followed up,
    in one transaction. `ref` is the response's id (or its short id) or its ticket's
    key (that ticket's newest response not yet followed up)."""
    channel = parse_choice(Channel, channel, _("channel"))
    summary = clean_text(summary, _("summary"), limit=text_limit(Contact, "summary"))
    with ctx.store.transaction() as session:
        feedback = _find_response(session, ref)
        refused = follow_up_refusal(actor_id=ctx.actor.id, actor_is_lead=ctx.actor.is_lead,
                                    feedback_agent_id=feedback.agent_id)
        if refused:
            raise Forbidden(refused)
        if session.exec(select(FeedbackFollowUp.id)
                        .where(FeedbackFollowUp.feedback_id == feedback.id)).first():
            raise Conflict(_("that response is already followed up"))
        ticket = session.get(Ticket, feedback.ticket_id)
        contact = Contact(customer_id=feedback.customer_id, agent_id=ctx.actor.id,
                          ticket_id=feedback.ticket_id, channel=channel,
                          direction=Direction.OUTBOUND, summary=summary,
                          occurred_at=ctx.now())
        write_contact(session, ctx, contact, ticket)
        mark = FeedbackFollowUp(feedback_id=feedback.id, agent_id=ctx.actor.id,
                                contact_id=contact.id, created_at=ctx.now())
        session.add(mark)
        session.flush()
        record(session, "feedback_follow_up", mark, author_id=ctx.actor.id)
    return mark


def _find_response(session: Session, ref: str) -> Feedback:
    text = ref.strip().lower()
    if not text:
        raise InvalidInput(_("name the response (its id) or its ticket (SD-1042)"))
    if len(text) == 36:
        whole = session.get(Feedback, text)
        if whole is not None:
            return whole
    if len(text) >= 6 and all(c in "0123456789abcdef" for c in text):
        # The short id (lookup.short_id): the end of the id.
        found = session.exec(select(Feedback).where(col(Feedback.id).like(f"%{text[-12:]}"))
                             .limit(2)).all()
        if len(found) == 1:
            return found[0]
    ticket = find_ticket(session, ref)
    followed = select(FeedbackFollowUp.feedback_id)
    open_one = session.exec(
        select(Feedback).where(Feedback.ticket_id == ticket.id)
        .where(col(Feedback.id).not_in(followed))
        .order_by(col(Feedback.received_at).desc())).first()
    if open_one is None:
        raise NotFound(_("{key} has no customer response waiting for a follow-up").format(
            key=ticket.key))
    return open_one


def unhappy_without_follow_up(store: Store, *, team_id: str | None) -> int:
    """How many unhappy responses on the team's agents' tickets (None: the whole desk)
    have no follow-up yet. A number only: a lead never sees which."""
    with store.reading() as session:
        query = (select(func.count()).select_from(Feedback)
                 .where(_unhappy_clause())
                 .where(col(Feedback.id).not_in(select(FeedbackFollowUp.feedback_id))))
        if team_id is not None:
            query = query.join(Agent, col(Agent.id) == Feedback.agent_id) \
                .where(Agent.team_id == team_id)
        return int(session.exec(query).one())


@dataclass(frozen=True)
class TrendWeek:
    """One ISO week of the agent's own trend: means and how many each rests on."""

    label: str  # 2026-W47
    monday: date
    self_rating: float | None
    self_ratings: int
    csat: float | None
    responses: int

    @property
    def gap(self) -> float | None:
        """Customers' CSAT minus the agent's self-rating: negative when the agent rated
        their work higher than their customers did."""
        if self.self_rating is None or self.csat is None:
            return None
        return self.csat - self.self_rating

    @property
    def stands_out(self) -> bool:
        return self.gap is not None and self.gap <= -GAP_THAT_STANDS_OUT


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def my_trend(ctx: ServiceContext, *, weeks: int = TREND_WEEKS) -> list[TrendWeek]:
    """The acting agent's own self-ratings beside their customers' CSAT, per ISO week,
    oldest first. Only the acting agent's rows are read (their self-ratings are theirs)."""
    now = ctx.now()
    first = _monday(now.date()) - timedelta(weeks=weeks - 1)
    since = datetime.combine(first, datetime.min.time(), tzinfo=now.tzinfo)
    with ctx.store.reading() as session:
        ratings = session.exec(
            select(Contact.occurred_at, Contact.self_rating)
            .where(Contact.agent_id == ctx.actor.id)
            .where(col(Contact.self_rating).is_not(None))
            .where(Contact.occurred_at >= since)).all()
        scores = session.exec(
            select(Feedback.received_at, Feedback.csat)
            .where(Feedback.agent_id == ctx.actor.id)
            .where(Feedback.received_at >= since)).all()
    mine: dict[date, list[int]] = {}
    theirs: dict[date, list[int]] = {}
    for when, rating in ratings:
        if rating is not None:
            mine.setdefault(_monday(when.date()), []).append(rating)
    for when, csat in scores:
        theirs.setdefault(_monday(when.date()), []).append(csat)
    trend = []
    for n in range(weeks):
        monday = first + timedelta(weeks=n)
        year, week, _weekday = monday.isocalendar()
        own, customers = mine.get(monday, []), theirs.get(monday, [])
        trend.append(TrendWeek(
            f"{year}-W{week:02d}", monday,
            sum(own) / len(own) if own else None, len(own),
            sum(customers) / len(customers) if customers else None, len(customers)))
    return trend
