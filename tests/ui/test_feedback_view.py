"""The agent's own Feedback view: an unhappy response imported through the server's API
reaches the agent's open app, leads the list, and is followed up from there."""

from __future__ import annotations

import httpx
from textual.widgets import OptionList, Static, TextArea

from deskterm.domain import Ticket
from deskterm.domain.feedback import FeedbackResponse
from deskterm.services import customers, tickets
from deskterm.services.feedback import record_feedback
from deskterm.ui.forms.follow_up import FollowUpForm
from deskterm.ui.screens.feedback_view import FeedbackScreen
from deskterm.ui.screens.lead.quality import QualityScreen
from deskterm.ui.screens.ticket import TicketScreen
from tests.conftest import Desk
from tests.ui.helpers import (
    ServerDesk,
    make_app,
    palette,
    syncing_app,
    text_of,
    until,
    wait_ready,
)


def _ticket_of_alex(desk: ServerDesk) -> Ticket:
    """A ticket alex owns, numbered by the server (made on alex's other machine)."""
    phone = desk.replica("alex", "alex-laptop")
    customer = customers.create_customer(phone.ctx, name="Jo Jansen")
    made = tickets.create_ticket(phone.ctx, customer=customer.id, subject="Printer jams")
    phone.sync()
    with phone.store.reading() as session:
        found = session.get(Ticket, made.id)
    assert found is not None and found.number is not None
    return found


def _post_feedback(desk: ServerDesk, body: dict[str, object]) -> str:
    answer = httpx.post(f"{desk.server.url}/api/v1/feedback", json=body, timeout=10,
                        headers={"Authorization": f"Bearer {desk.tokens['morgan']}"})
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


async def test_an_unhappy_response_posted_to_the_api_leads_the_agents_feedback_view(
        server_desk: ServerDesk) -> None:
    desk = server_desk
    ticket = _ticket_of_alex(desk)
    happy = _post_feedback(desk, {"ticket": ticket.key, "csat": 4})
    app = desk.app_for("alex")
    async with syncing_app(app) as pilot:
        await pilot.press("F")
        await until(pilot, lambda: isinstance(app.screen, FeedbackScreen), "the view opened")
        screen = app.screen
        assert isinstance(screen, FeedbackScreen)
        await until(pilot, lambda: screen.own is not None and len(screen.own.responses) == 1,
                    "the earlier response listed")

        unhappy = _post_feedback(desk, {"ticket": ticket.key, "csat": 1, "empathy": 2,
                                        "comment": "Nobody called me back"})
        await until(pilot, lambda: screen.own is not None and len(screen.own.responses) == 2,
                    "the new response pulled and shown without a key press")
        assert screen.own is not None
        assert [r.feedback.id for r in screen.own.responses] == [unhappy, happy]
        first = screen.query_one("#feedback-list", OptionList).get_option_at_index(0)
        assert first.id == unhappy
        shown = str(first.prompt)
        assert "CSAT 1/5" in shown and "Nobody called me back" in shown
        assert "to follow up" in shown and "empathy 2" in shown
        assert "1 to follow up" in text_of(screen.query_one("#feedback-title", Static))

        await pilot.press("home")  # the list kept the response that was highlighted
        assert screen.current is not None and screen.current.feedback.id == unhappy
        await pilot.press("c")  # follow up: the ticket opens with the follow-up form on it
        await until(pilot, lambda: isinstance(app.screen, FollowUpForm), "the form")
        assert isinstance(app.screen_stack[-2], TicketScreen)
        await pilot.click("#follow-up-summary")
        app.screen.query_one("#follow-up-summary", TextArea).insert("Called Jo, apologised")
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, TicketScreen), "back on the ticket")
        await until(pilot, lambda: "followed up by @alex" in text_of(
            app.screen.query_one("#ticket-feedback", Static)), "the ticket shows it")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "back on the feedback view")
        await until(pilot, lambda: screen.own is not None
                    and screen.own.responses[0].followed_up_by == "alex", "marked")
        await until(pilot, lambda: any(row["feedback_id"] == unhappy
                                       for row in desk.server_rows("feedback_follow_up")),
                    "the follow-up reached the server")
    assert [row["agent_id"] for row in desk.server_rows("feedback_follow_up")] == \
        [ticket.owner_id]


async def test_the_view_is_each_agents_own_and_the_lead_sees_only_the_count(
        desk: Desk) -> None:
    ticket = tickets.create_ticket(desk.alex, customer=desk.customer.id, subject="VPN")
    record_feedback(desk.lead, FeedbackResponse(ticket=ticket.id, csat=2,
                                                comment="slow and unfriendly"))
    app = make_app(desk.store.path, "alex")
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_ready(pilot)
        assert any(line.startswith("My feedback") for line in await palette(pilot, "my feedb"))
        await pilot.press("escape")
        await pilot.press("F")
        await until(pilot, lambda: isinstance(app.screen, FeedbackScreen)
                    and app.screen.own is not None, "alex's view")
        assert isinstance(app.screen, FeedbackScreen) and app.screen.own is not None
        assert [r.feedback.comment for r in app.screen.own.responses] == \
            ["slow and unfriendly"]
    app = make_app(desk.store.path, "blake")
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("F")
        await until(pilot, lambda: isinstance(app.screen, FeedbackScreen)
                    and app.screen.own is not None, "blake's view")
        assert isinstance(app.screen, FeedbackScreen)
        assert app.screen.query_one("#feedback-empty").display
    app = make_app(desk.store.path, "morgan")
    async with app.run_test(size=(150, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, QualityScreen)
                    and "follow-up: 1" in text_of(app.screen.query_one("#quality-follow-ups",
                                                                       Static)),
                    "the lead's count")
        shown = " ".join(text_of(s) for s in app.screen.query(Static))
        assert "slow and unfriendly" not in shown
