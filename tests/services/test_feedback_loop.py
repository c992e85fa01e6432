"""Feedback back to the agent: the own view, follow-up, the lead's count, the own trend;
and kudos between colleagues, never about oneself."""

from __future__ import annotations

from datetime import timedelta

import pytest

from deskterm.domain.errors import Conflict, Forbidden, NotFound
from deskterm.domain.feedback import FeedbackResponse
from deskterm.services import contacts, tickets, wellbeing
from deskterm.services.feedback import TOP_SCORE_KUDOS, record_feedback
from deskterm.services.feedback_loop import (
    follow_up,
    my_feedback,
    my_trend,
    ticket_responses,
    unhappy_without_follow_up,
)
from deskterm.services.lookup import short_id
from tests.conftest import FIXED_NOW, Desk, table_counts


def _ticket(desk: Desk, subject: str = "Printer jams", owner: str = "alex") -> str:
    return tickets.create_ticket(desk.as_(owner), customer=desk.customer.id,
                                 subject=subject).id


def _respond(desk: Desk, ticket_id: str, csat: int, comment: str | None = None,
             hours_ago: int = 1) -> str:
    return record_feedback(desk.lead, FeedbackResponse(
        ticket=ticket_id, csat=csat, comment=comment, empathy=csat,
        received_at=FIXED_NOW - timedelta(hours=hours_ago))).id


def test_the_own_view_lists_unhappy_responses_first_and_only_the_agents_own(desk: Desk) -> None:
    happy = _respond(desk, _ticket(desk, "VPN"), 4, hours_ago=1)
    unhappy = _respond(desk, _ticket(desk, "Printer"), 1, hours_ago=5)
    commented = _respond(desk, _ticket(desk, "Mail"), 3, "took long", hours_ago=9)
    _respond(desk, _ticket(desk, "Blake's", owner="blake"), 1)
    listed = my_feedback(desk.alex)
    assert [r.feedback.id for r in listed] == [unhappy, commented, happy]
    assert [r.unhappy for r in listed] == [True, True, False]
    assert listed[0].subject == "Printer" and listed[0].customer == "Jo Jansen"
    assert len(my_feedback(desk.blake)) == 1 and my_feedback(desk.casey) == []


def test_follow_up_logs_the_contact_and_marks_the_response_once(desk: Desk) -> None:
    ticket_id = _ticket(desk)
    response = _respond(desk, ticket_id, 2, "nobody called back")
    assert unhappy_without_follow_up(desk.store, team_id=desk.lead.actor.team_id) == 1
    mark = follow_up(desk.alex, ticket_id,
                     summary="Called Jo: sorry, fixed the callback list")
    assert mark.feedback_id == response
    history = contacts.customer_history(desk.store, desk.customer.id).contacts
    assert history[0].id == mark.contact_id and history[0].direction == "outbound"
    [shown] = ticket_responses(desk.store, ticket_id)
    assert shown.followed_up_at is not None and shown.followed_up_by == "alex"
    assert unhappy_without_follow_up(desk.store, team_id=desk.lead.actor.team_id) == 0
    before = table_counts(desk.store)
    with pytest.raises(Conflict, match="already followed up"):
        follow_up(desk.alex, response, summary="again")
    with pytest.raises(NotFound, match="no customer response waiting"):
        follow_up(desk.alex, ticket_id, summary="again")
    assert table_counts(desk.store) == before


def test_only_the_tickets_agent_or_a_lead_follows_up(desk: Desk) -> None:
    response = _respond(desk, _ticket(desk), 1)
    before = table_counts(desk.store)
    with pytest.raises(Forbidden, match="only the agent whose ticket it was"):
        follow_up(desk.blake, response, summary="Called")
    assert table_counts(desk.store) == before
    follow_up(desk.lead, short_id(response), summary="Called as lead")


def test_the_leads_count_is_per_team(desk: Desk) -> None:
    _respond(desk, _ticket(desk), 1)
    _respond(desk, _ticket(desk, owner="casey"), 2)
    _respond(desk, _ticket(desk, owner="blake"), 5)
    assert unhappy_without_follow_up(desk.store, team_id=desk.lead.actor.team_id) == 1
    assert unhappy_without_follow_up(desk.store, team_id=None) == 2


def test_the_own_trend_puts_self_ratings_beside_csat_and_flags_a_big_gap(desk: Desk) -> None:
    ticket_id = _ticket(desk)
    for rating in (5, 5):
        contacts.log_contact(desk.alex, channel="phone", summary="call", ticket=ticket_id,
                             self_rating=rating)
    contacts.log_contact(desk.blake, channel="phone", summary="call", ticket=ticket_id,
                         self_rating=1)
    _respond(desk, ticket_id, 2)
    _respond(desk, ticket_id, 4, hours_ago=24 * 3)  # last week: no self-rating then
    trend = my_trend(desk.alex)
    assert len(trend) == 8 and trend[-1].label == "2026-W48"
    this_week, last_week = trend[-1], trend[-2]
    assert (this_week.self_rating, this_week.self_ratings, this_week.csat) == (5.0, 2, 2.0)
    assert this_week.gap == -3.0 and this_week.stands_out
    assert (last_week.csat, last_week.gap, last_week.stands_out) == (4.0, None, False)
    assert my_trend(desk.blake)[-1].self_rating == 1.0  # each their own


def test_a_top_score_reaches_the_kudos_feed(desk: Desk) -> None:
    made = _respond(desk, _ticket(desk), 5)
    [kudos] = wellbeing.list_kudos(desk.store)
    assert (kudos.message, kudos.feedback_id, kudos.about_agent_id) == \
        (TOP_SCORE_KUDOS, made, desk.alex.actor.id)


def test_agents_thank_colleagues_in_their_own_name(desk: Desk) -> None:
    kudos = wellbeing.add_kudos(desk.alex, message="Thanks for covering my calls",
                                about="blake")
    assert (kudos.source, kudos.from_name, kudos.author_id) == \
        ("peer", "Alex Agent", desk.alex.actor.id)


def test_nobody_sends_kudos_about_themselves(desk: Desk) -> None:
    before = table_counts(desk.store)
    with pytest.raises(Forbidden, match="nobody sends kudos about themselves"):
        wellbeing.add_kudos(desk.alex, message="I was great", about="alex")
    with pytest.raises(Forbidden, match="nobody sends kudos about themselves"):
        wellbeing.add_kudos(desk.lead, message="Me", about="morgan", source="lead")
    assert table_counts(desk.store) == before


def test_an_agent_does_not_enter_a_customers_compliment(desk: Desk) -> None:
    before = table_counts(desk.store)
    with pytest.raises(Forbidden, match="comes from their feedback response or is entered "
                       "by a lead"):
        wellbeing.add_kudos(desk.alex, message="Great", about="blake", from_name="Jo")
    assert table_counts(desk.store) == before
    entered = wellbeing.add_kudos(desk.lead, message="Great", about="blake", from_name="Jo")
    assert (entered.source, entered.author_id) == ("customer", desk.lead.actor.id)
