"""Issue 10, finding 11 in the workspace: a lead erases the customer on the card (`E`)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from deskterm.domain.customers import ERASED_NAME
from deskterm.store import open_store
from deskterm.ui.widgets.history.erase import EraseCustomerForm
from tests.conftest import table_counts
from tests.ui.helpers import customer_pane, text_of, until


def personal_fields(db: Path, customer_id: str) -> tuple[str, str | None, str | None, str]:
    """Name, email, phone and notes of a customer, as the store file holds them."""
    store = open_store(db)
    try:
        with store.raw() as connection:
            return connection.execute(  # type: ignore[no-any-return]
                "SELECT name, email, phone, notes FROM customer WHERE id = ?",
                (customer_id,)).fetchone()
    finally:
        store.close()


async def test_11_a_lead_erases_the_customer_from_the_card(demo_db: Path) -> None:
    async with customer_pane(demo_db, "morgan") as (app, pilot, pane):
        assert pane.view is not None
        customer = pane.view.customer
        await pilot.press("2", "E")
        await until(pilot, lambda: isinstance(app.screen, EraseCustomerForm))
        form = app.screen
        what = form.query_one("#erase-what", Static)
        await until(pilot, lambda: text_of(what).startswith("Scrubbed: "))
        assert "name" in text_of(what) and "email" in text_of(what)
        assert customer.name in text_of(form.query_one("#erase-who", Static))
        await pilot.press("ctrl+o")  # no reason yet: refused inline, nothing written
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is form and "say why" in text_of(form.query_one("#form-error",
                                                                          Static))
        assert form.query_one("#erase-reason", Input).has_focus
        await pilot.press(*"written request of the customer", "enter")
        await until(pilot, lambda: not isinstance(app.screen, EraseCustomerForm))
        await until(pilot, lambda: pane.view is not None
                    and pane.view.customer.erased_at is not None)

        assert personal_fields(demo_db, customer.id) == (ERASED_NAME, None, None, "")
        card = text_of(pane.query_one("#history-card", Static))
        assert card.startswith("Erased customer") and customer.name not in card
        assert any("Erased the personal data" in n.message for n in app._notifications)
        await pilot.press("E")  # again: said, not asked
        await pilot.pause()
        assert not isinstance(app.screen, EraseCustomerForm)
        assert any("already erased" in n.message for n in app._notifications)


async def test_11_an_agent_pressing_erase_is_refused_with_a_notification(demo_db: Path
                                                                          ) -> None:
    async with customer_pane(demo_db, "alex") as (app, pilot, pane):
        counts = table_counts(app.session.store)
        await pilot.press("2", "E")
        await pilot.pause()
        assert not isinstance(app.screen, EraseCustomerForm)
        assert any(n.severity == "error" and "Only a team lead or admin" in n.message
                   for n in app._notifications)
        assert table_counts(app.session.store) == counts
        assert pane.view is not None and pane.view.customer.erased_at is None
