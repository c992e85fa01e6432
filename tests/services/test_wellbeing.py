"""Moods (one per agent per local day, private) and kudos (shared, from customers or leads)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest

from deskterm.domain.enums import KudosSource
from deskterm.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from deskterm.services import contacts, tickets, wellbeing
from tests.conftest import FIXED_NOW, Desk
from tests.services.conftest import Outbox, Refuse, fixed

TODAY = date(2026, 11, 23)  # FIXED_NOW's date in UTC, the zone `local_zone` starts in

SetZone = Callable[[str], None]


@pytest.fixture(autouse=True)
def _utc_local_zone(local_zone: SetZone) -> SetZone:
    return local_zone


# --- mood ------------------------------------------------------------------------------


def test_record_todays_mood(desk: Desk, outbox: Outbox) -> None:
    alex = desk.as_("alex", clock=lambda: FIXED_NOW)
    entry = wellbeing.record_mood(alex, 4, note="  Long queue, nice team  ")
    assert (entry.agent_id, entry.local_date, entry.score) == (alex.actor.id, "2026-11-23", 4)
    assert entry.note == "Long queue, nice team"
    assert entry.created_at == FIXED_NOW
    [change] = outbox.new()
    assert (change.entity, change.op, change.row_id) == ("mood_entry", "insert", entry.id)
    assert change.author_id == alex.actor.id
    assert wellbeing.mood_logged_today(alex) is True
    assert wellbeing.mood_logged_today(fixed(desk, "blake")) is False


def test_one_mood_per_agent_per_day(desk: Desk, refuse: Refuse) -> None:
    alex = desk.as_("alex", clock=lambda: FIXED_NOW)
    wellbeing.record_mood(alex, 3)
    later = fixed(desk, "alex", minutes=120)
    refuse(Conflict, lambda: wellbeing.record_mood(later, 5),
           "you already logged your mood for Mon 23 Nov")
    wellbeing.record_mood(fixed(desk, "blake"), 5)  # another agent, same day
    wellbeing.record_mood(alex, 2, on=TODAY - timedelta(days=1))  # an earlier day


def test_the_day_is_the_agents_local_day(desk: Desk, local_zone: SetZone,
                                         refuse: Refuse) -> None:
    local_zone("CET-1")  # one hour ahead of UTC, as Amsterdam in winter
    evening = datetime(2026, 11, 23, 22, 30, tzinfo=UTC)  # 23:30 local
    after_midnight = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)  # 00:30 local, next day
    first = wellbeing.record_mood(desk.as_("alex", clock=lambda: evening), 3)
    second = wellbeing.record_mood(desk.as_("alex", clock=lambda: after_midnight), 4)
    assert (first.local_date, second.local_date) == ("2026-11-23", "2026-11-24")
    local_zone("UTC0")  # in UTC both moments are the 23rd: the second is a repeat
    wellbeing.record_mood(desk.as_("blake", clock=lambda: evening), 3)
    refuse(Conflict, lambda: wellbeing.record_mood(
        desk.as_("blake", clock=lambda: after_midnight), 4),
        "you already logged your mood for Mon 23 Nov")


def test_mood_refusals(desk: Desk, refuse: Refuse) -> None:
    alex = desk.as_("alex", clock=lambda: FIXED_NOW)
    for score in (0, 6, -1, 3.5):
        refuse(InvalidInput, lambda s=score: wellbeing.record_mood(alex, s),  # type: ignore[arg-type]
               f"mood score {score} is out of range", "1 (bad) to 5 (great)")
    refuse(InvalidInput, lambda: wellbeing.record_mood(alex, 3, note="x" * 1001),
           "note is too long")
    refuse(InvalidInput, lambda: wellbeing.record_mood(alex, 3, on=TODAY + timedelta(days=1)),
           "a mood can only be logged for today or earlier")


def test_my_moods_are_only_my_own(desk: Desk) -> None:
    for days_back, score in [(0, 4), (2, 2), (40, 5)]:
        wellbeing.record_mood(fixed(desk, "alex"), score, on=TODAY - timedelta(days=days_back))
    wellbeing.record_mood(fixed(desk, "blake"), 1)
    wellbeing.record_mood(fixed(desk, "morgan"), 5)
    alex = fixed(desk, "alex")
    mine = wellbeing.my_moods(alex)
    assert [(m.local_date, m.score) for m in mine] == [("2026-11-21", 2), ("2026-11-23", 4)]
    assert {m.agent_id for m in mine} == {alex.actor.id}
    assert len(wellbeing.my_moods(alex, days=60)) == 3
    assert [m.local_date for m in wellbeing.my_moods(alex, days=1)] == ["2026-11-23"]
    assert [m.score for m in wellbeing.my_moods(fixed(desk, "blake"))] == [1]
    assert wellbeing.my_moods(fixed(desk, "casey")) == []


# --- kudos -----------------------------------------------------------------------------


def test_customer_kudos_with_a_name(desk: Desk, outbox: Outbox) -> None:
    kudos = wellbeing.add_kudos(fixed(desk, "morgan"), message="  Alex was brilliant  ",
                                about="alex", from_name=" Mrs. Pieters ")
    assert kudos.source is KudosSource.CUSTOMER
    assert (kudos.from_name, kudos.message) == ("Mrs. Pieters", "Alex was brilliant")
    assert kudos.about_agent_id == desk.alex.actor.id
    assert kudos.team_id == desk.alex.actor.team_id
    assert kudos.author_id == desk.lead.actor.id  # who entered it
    assert kudos.created_at == FIXED_NOW
    assert outbox.summary() == [("kudos", "insert")]


def test_customer_kudos_take_the_customers_name(desk: Desk) -> None:
    ticket = tickets.create_ticket(desk.alex, customer="jo@example.com", subject="VPN")
    contact = contacts.log_contact(desk.alex, channel="phone", summary="Thanks!",
                                   customer="kim@example.com")
    lead = desk.lead
    by_customer = wellbeing.add_kudos(lead, message="Thanks", customer="JO@example.com")
    by_ticket = wellbeing.add_kudos(lead, message="Thanks", ticket=ticket.key,
                                    source="customer")
    by_contact = wellbeing.add_kudos(lead, message="Thanks", contact=contact.id.upper())
    both = wellbeing.add_kudos(lead, message="Thanks", ticket=ticket.id,
                               customer="jo@example.com")
    assert (by_customer.from_name, by_customer.customer_id) == ("Jo Jansen", desk.customer.id)
    assert (by_ticket.from_name, by_ticket.ticket_id) == ("Jo Jansen", ticket.id)
    assert by_ticket.customer_id == desk.customer.id
    assert (by_contact.from_name, by_contact.contact_id) == ("Kim Klaassen", contact.id)
    assert by_contact.customer_id == desk.other_customer.id
    assert both.customer_id == desk.customer.id


def test_team_kudos_go_to_the_authors_team(desk: Desk) -> None:
    kudos = wellbeing.add_kudos(desk.casey, message="Great desk")
    assert kudos.about_agent_id is None
    assert kudos.team_id == desk.casey.actor.team_id
    assert kudos.team_id != desk.alex.actor.team_id


def test_a_lead_gives_kudos_in_their_own_name(desk: Desk) -> None:
    kudos = wellbeing.add_kudos(desk.lead, message="Calm under pressure", source="lead",
                                about="@blake", from_name="ignored")
    assert (kudos.source, kudos.from_name) == (KudosSource.LEAD, "Morgan Lead")
    assert kudos.about_agent_id == desk.blake.actor.id
    admin = wellbeing.add_kudos(desk.admin, message="Thanks all", source="LEAD")
    assert admin.from_name == "Rosa Admin"


def test_kudos_refusals(desk: Desk, refuse: Refuse) -> None:
    alex = desk.alex
    ticket = tickets.create_ticket(alex, customer="jo@example.com", subject="VPN")
    refuse(Forbidden, lambda: wellbeing.add_kudos(alex, message="Me!", source="lead"),
           "only a team lead gives kudos as a lead")
    refuse(InvalidInput, lambda: wellbeing.add_kudos(alex, message="Hi", source="boss"),
           "'boss' is not a kudos source", "customer, lead, peer")
    alex = desk.lead  # the rest are about a customer's compliment, which a lead enters
    refuse(InvalidInput, lambda: wellbeing.add_kudos(alex, message=" ", from_name="Jo"),
           "message is required")
    refuse(InvalidInput, lambda: wellbeing.add_kudos(alex, message="x" * 2001, from_name="Jo"),
           "message is too long")
    refuse(InvalidInput, lambda: wellbeing.add_kudos(alex, message="Thanks", source="customer"),
           "say who the compliment is from")
    refuse(InvalidInput, lambda: wellbeing.add_kudos(alex, message="Thanks", from_name="x" * 201),
           "customer's name is too long")
    refuse(InvalidInput, lambda: wellbeing.add_kudos(alex, message="Thanks", ticket=ticket.id,
                                                     customer="kim@example.com"),
           f"{ticket.key} belongs to another customer")
    refuse(NotFound, lambda: wellbeing.add_kudos(alex, message="Thanks", from_name="Jo",
                                                 about="zed"),
           "no agent with handle 'zed'")
    refuse(NotFound, lambda: wellbeing.add_kudos(alex, message="Thanks", ticket="SD-8",
                                                 source="customer"),
           "no ticket 'SD-8'")
    refuse(NotFound, lambda: wellbeing.add_kudos(alex, message="Thanks",
                                                 customer="nobody@example.com"),
           "no customer 'nobody@example.com'")
    refuse(NotFound, lambda: wellbeing.add_kudos(alex, message="Thanks", contact="abc123"),
           "no contact 'abc123'")


def test_the_kudos_feed(desk: Desk, refuse: Refuse) -> None:
    first = wellbeing.add_kudos(fixed(desk, "morgan"), message="One", source="lead",
                                about="alex")
    second = wellbeing.add_kudos(fixed(desk, "morgan", minutes=1), message="Two",
                                 source="lead", about="blake")
    third = wellbeing.add_kudos(fixed(desk, "blake", minutes=2), message="Three",
                                about="alex")
    assert [k.id for k in wellbeing.list_kudos(desk.store)] == [third.id, second.id, first.id]
    assert [k.id for k in wellbeing.list_kudos(desk.store, about="alex")] == [third.id,
                                                                             first.id]
    assert len(wellbeing.list_kudos(desk.store, limit=0)) == 1
    refuse(NotFound, lambda: wellbeing.list_kudos(desk.store, about="zed"),
           "no agent with handle 'zed'")
