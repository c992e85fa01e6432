"""Issue 13, finding 6: New ticket finds its customer by name, organisation or phone, with
suggestions as you type that the keyboard picks; an ambiguous name is refused inline."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList

from deskterm.services.context import context_for
from deskterm.services.customers import create_customer
from deskterm.store import open_store
from deskterm.ui.forms.ticket import NewTicketForm
from tests.ui.helpers import make_app, query, save, settle, type_into, until, wait_ready


def add_customers(db: Path) -> dict[str, str]:
    """Two customers the partial name `wangari` finds, one only with its accent folded away."""
    store = open_store(db)
    try:
        ctx = context_for(store, "alex")
        made = [create_customer(ctx, name="Mei Wángari", organisation="Ölçek Lojistik",
                                email="mei@olcek.example", phone="+31 6 1234 5678"),
                create_customer(ctx, name="Li Wangari", email="li@wang.example")]
        return {customer.name: customer.id for customer in made}
    finally:
        store.close()


async def open_new_ticket(pilot) -> NewTicketForm:  # type: ignore[no-untyped-def]
    app = pilot.app
    await wait_ready(pilot)
    app.push_screen(NewTicketForm(app.session, None))
    await settle(pilot)
    form = app.screen
    assert isinstance(form, NewTicketForm)
    return form


async def test_a_partial_name_suggests_customers_and_the_pick_is_the_ticket_s(
        demo_db: Path) -> None:
    ids = add_customers(demo_db)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_new_ticket(pilot)
        customer = form.query_one("#new-customer", Input)
        await pilot.press(*"wangari")
        matches = form.query_one("#new-customer-matches", OptionList)
        await until(pilot, lambda: matches.display and matches.option_count > 0,
                    "suggestions show")
        listed = [matches.get_option_at_index(i).id for i in range(matches.option_count)]
        assert ids["Mei Wángari"] in listed and ids["Li Wangari"] in listed  # accent folded
        await pilot.press("down")
        assert matches.has_focus
        while matches.highlighted is None or \
                matches.get_option_at_index(matches.highlighted).id != ids["Mei Wángari"]:
            await pilot.press("down")
        await pilot.press("enter")
        assert customer.value == "Mei Wángari" and not matches.display
        assert form.query_one("#new-subject", Input).has_focus
        await pilot.press(*"Printer on fire")
        await save(pilot)
        assert not isinstance(app.screen, NewTicketForm)
    assert query(demo_db, "SELECT customer_id FROM ticket WHERE subject = ?",
                 "Printer on fire") == [(ids["Mei Wángari"],)]


async def test_organisation_and_phone_find_the_customer(demo_db: Path) -> None:
    ids = add_customers(demo_db)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_new_ticket(pilot)
        matches = form.query_one("#new-customer-matches", OptionList)
        for typed in ("olcek lojis", "6 1234 5678"):
            customer = form.query_one("#new-customer", Input)
            customer.value = ""
            await type_into(pilot, customer, typed)
            await until(pilot, lambda: matches.option_count == 1
                        and matches.get_option_at_index(0).id == ids["Mei Wángari"],
                        f"{typed!r} finds Mei Wángari")


async def test_an_ambiguous_name_without_a_pick_lists_the_matches(demo_db: Path) -> None:
    ids = add_customers(demo_db)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_new_ticket(pilot)
        await pilot.press(*"wangari")
        await type_into(pilot, form.query_one("#new-subject", Input), "Two of them")
        await save(pilot)
        assert isinstance(app.screen, NewTicketForm)
        error = str(form.query_one("#form-error").render())
        assert "matches several customers" in error
        assert "Mei Wángari" in error and "Li Wangari" in error
        # An exact email still needs no pick.
        customer = form.query_one("#new-customer", Input)
        customer.value = "LI@wang.example"
        await save(pilot)
        assert not isinstance(app.screen, NewTicketForm)
    assert query(demo_db, "SELECT customer_id FROM ticket WHERE subject = ?",
                 "Two of them") == [(ids["Li Wangari"],)]
