"""Issue 13, finding 6: a form opens with the cursor in the first field a person must fill."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual import events
from textual.widgets import Input

from deskterm.ui.forms.goodwill import SpendForm
from deskterm.ui.forms.ticket import NewTicketForm
from tests.ui.helpers import make_app, open_form, settle, wait_ready


async def test_new_ticket_without_a_customer_starts_in_customer(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert app.session is not None
        app.push_screen(NewTicketForm(app.session, None))
        await settle(pilot)
        form = app.screen
        assert isinstance(form, NewTicketForm)
        customer = form.query_one("#new-customer", Input)
        assert customer.value == "" and customer.has_focus


async def test_new_ticket_for_the_selected_customer_starts_in_subject(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        form = await open_form(pilot, "n", NewTicketForm)
        assert form.query_one("#new-customer", Input).value
        assert form.query_one("#new-subject", Input).has_focus


async def test_a_key_typed_right_after_enter_lands_in_the_next_field(demo_db: Path) -> None:
    """Keys already on their way when Enter is handled (a fast typist, a browser's burst)
    go to the field Enter moved to, not the one it left."""
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        form = await open_form(pilot, "$", SpendForm)
        amount = form.query_one("#spend-amount", Input)
        assert amount.has_focus
        await pilot.press(*"12.50")
        driver = app._driver
        assert driver is not None
        for key, character in (("enter", "\r"), ("F", "F"), ("l", "l")):  # one burst
            event = events.Key(key, character)
            event.set_sender(app)
            driver.send_message(event)
        await settle(pilot)
        assert amount.value == "12.50"
        assert form.query_one("#spend-reason", Input).value == "Fl"
        assert form.query_one("#spend-reason", Input).has_focus


async def test_keys_typed_with_the_key_that_opens_a_form_go_to_its_first_field(
        demo_db: Path) -> None:
    """`n`, then a subject typed at once: the subject is in Subject, and the customer the
    form took from the selected ticket is still there (the customer box selects all on
    focus, so keys that reached it before the form moved on replaced the customer)."""
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        driver = app._driver
        assert driver is not None
        n = events.Key("n", "n")
        n.set_sender(app)
        driver.send_message(n)
        while not isinstance(app.screen, NewTicketForm):  # pushed, maybe not yet shown
            await asyncio.sleep(0)
        for key in "Printer":  # one burst, right after n has been handled
            event = events.Key(key, key)
            event.set_sender(app)
            driver.send_message(event)
        await settle(pilot)
        form = app.screen
        assert isinstance(form, NewTicketForm)
        assert form.query_one("#new-subject", Input).value == "Printer"
        assert form.query_one("#new-customer", Input).value  # the ticket's customer, kept
        assert "Printer" not in form.query_one("#new-customer", Input).value
