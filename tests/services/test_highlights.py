"""The board's weekly highlight: the team's interactions rated 5 in the last 7 days, and the
drivers whose mean rose on the week before with enough answers each week."""

from __future__ import annotations

from datetime import timedelta

from deskterm.domain.clock import utcnow
from deskterm.domain.feedback import FeedbackResponse
from deskterm.services.contacts import log_contact
from deskterm.services.feedback import record_feedback
from deskterm.services.highlights import MIN_RESPONSES, weekly_highlights
from deskterm.services.tickets import create_ticket
from tests.conftest import Desk


def test_best_rated_are_the_customers_fives_of_the_last_seven_days_never_self_ratings(
        desk: Desk) -> None:
    now = utcnow()
    ticket = create_ticket(desk.alex, customer=desk.customer.id, subject="VPN drops")
    south = create_ticket(desk.casey, customer=desk.other_customer.id, subject="Printer")

    def contact(ctx, rating: int, days: float, summary: str, on=ticket):  # type: ignore[no-untyped-def]
        log_contact(ctx, channel="phone", summary=summary, ticket=on.id, self_rating=rating,
                    occurred_at=now - timedelta(days=days))

    contact(desk.alex, 5, 1, "Fixed it together on the phone")
    contact(desk.blake, 5, 3, "Walked the customer through the new client")
    contact(desk.alex, 4, 0.5, "Good, not great")
    contact(desk.alex, 5, 9, "Too long ago")
    contact(desk.casey, 5, 1, "Another team's", on=south)
    record_feedback(desk.lead, FeedbackResponse(
        ticket=ticket.id, csat=5, comment="Brilliant help", received_at=now - timedelta(days=2)))
    record_feedback(desk.lead, FeedbackResponse(
        ticket=ticket.id, csat=3, received_at=now - timedelta(hours=5)))

    best = weekly_highlights(desk.store, team_id=desk.lead.actor.team_id, now=now).best
    # Agents' own 5s are private to them: only customers' 5s are highlights.
    assert [(h.what, h.rated_by) for h in best] == [("Brilliant help", "customer")]
    assert {h.customer for h in best} == {"Jo Jansen"}
    assert {h.ticket_id for h in best} == {ticket.id}
    south_feedback = FeedbackResponse(ticket=south.id, csat=5, comment="Another team's",
                                      received_at=now - timedelta(days=1))
    record_feedback(desk.admin, south_feedback)
    everyone = weekly_highlights(desk.store, team_id=None, now=now).best
    assert "Another team's" in [h.what for h in everyone]


def test_a_driver_improved_only_with_a_higher_mean_and_enough_answers_each_week(
        desk: Desk) -> None:
    now = utcnow()
    ticket = create_ticket(desk.alex, customer=desk.customer.id, subject="Laptop")

    def answers(count: int, days: float, **drivers: int) -> None:
        for n in range(count):
            record_feedback(desk.lead, FeedbackResponse(
                ticket=ticket.id, csat=4, **drivers,
                received_at=now - timedelta(days=days, minutes=n)))

    answers(MIN_RESPONSES, 10, empathy=3, reliability=4, waiting_time=2)
    answers(MIN_RESPONSES, 2, empathy=4, reliability=3)
    answers(MIN_RESPONSES - 1, 2, waiting_time=5)  # up, but too few answers this week

    improved = weekly_highlights(desk.store, team_id=desk.lead.actor.team_id,
                                 now=now).improved
    assert [(c.driver, c.before, c.after, c.gain, c.responses) for c in improved] == [
        ("empathy", 3.0, 4.0, 1.0, MIN_RESPONSES)]
