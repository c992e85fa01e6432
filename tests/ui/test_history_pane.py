"""Pane 2: the selected ticket's customer, their history as the service reads it, logging."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Select, Static, TextArea

from deskterm.domain import Contact
from deskterm.domain.money import Money
from deskterm.present import ordinal
from deskterm.services import goodwill
from deskterm.services.contacts import customer_history, log_contact
from deskterm.services.context import context_for
from deskterm.store import open_store
from deskterm.ui.forms.contact import LogContactForm
from deskterm.ui.widgets.queue import QueuePane
from tests.conftest import table_counts
from tests.ui.helpers import customer_pane, ensure_budget, history_follows_queue, text_of, until


def contact_ids(db: Path) -> set[str]:
    """The ids of every contact in the store file."""
    store = open_store(db)
    try:
        with store.raw() as connection:
            return {row[0] for row in connection.execute("SELECT id FROM contact")}
    finally:
        store.close()


def stored_contact(db: Path, contact_id: str) -> Contact:
    store = open_store(db)
    try:
        with store.reading() as session:
            found = session.get(Contact, contact_id)
            assert found is not None
            return found
    finally:
        store.close()


async def test_the_pane_shows_the_selected_customer_as_the_service_reads_them(demo_db) -> None:  # type: ignore[no-untyped-def]
    async with customer_pane(demo_db) as (app, _pilot, pane):
        assert pane.view is not None and pane.ticket is not None
        expected = customer_history(app.session.store, pane.ticket.customer_id,
                                    now=pane.view.now)
        shown = pane.view.history
        assert shown.customer.id == expected.customer.id
        assert shown.total_contacts == expected.total_contacts
        assert shown.contacts_last_7_days == expected.contacts_last_7_days
        assert text_of(pane.query_one("#history-card", Static)).startswith(
            expected.customer.name)
        contacts_text = text_of(pane.query_one("#history-contacts", Static))
        assert f"Contacts ({expected.total_contacts}" in contacts_text
        banner = pane.query_one("#history-banner", Static)
        assert banner.display == expected.is_repeat
        if expected.is_repeat:
            assert f"{ordinal(expected.contacts_last_7_days)} contact in 7 days" \
                in text_of(banner)


async def test_a_repeat_customer_gets_the_banner(demo_db) -> None:  # type: ignore[no-untyped-def]
    async with customer_pane(demo_db) as (app, pilot, pane):
        assert pane.ticket is not None
        for number in range(3):  # whatever the demo had, now it is a repeat contact
            log_contact(app.session.ctx, channel="email", summary=f"follow-up {number}",
                        ticket=pane.ticket.id)
        app.changed("contact")
        await until(pilot, lambda: pane.view is not None
                    and pane.view.history.contacts_last_7_days >= 3)
        banner = text_of(pane.query_one("#history-banner", Static))
        count = pane.view.history.contacts_last_7_days
        assert f"{ordinal(count)} contact in 7 days · last just now by email (alex)" in banner


async def test_moving_the_queue_cursor_changes_the_customer(demo_db) -> None:  # type: ignore[no-untyped-def]
    async with customer_pane(demo_db) as (app, pilot, pane):
        assert pane.view is not None
        first = pane.view.customer.id
        table = app.screen.query_one(QueuePane).table
        for _ in range(40):
            await pilot.press("down")
            await pilot.app.workers.wait_for_complete()
            if table.current is not None and table.current.customer_id != first:
                break
        pane = await history_follows_queue(pilot)
        assert pane.view is not None and table.current is not None
        assert pane.view.customer.id == table.current.customer_id != first
        assert text_of(pane.query_one("#history-card", Static)).startswith(
            table.current.customer)


async def test_logging_a_contact_writes_one_row_and_the_pane_shows_it(demo_db) -> None:  # type: ignore[no-untyped-def]
    async with customer_pane(demo_db) as (app, pilot, pane):
        ticket, before = pane.ticket, pane.view.history.total_contacts  # type: ignore[union-attr]
        assert ticket is not None
        ids_before = contact_ids(demo_db)
        await pilot.press("2", "c")
        form = app.screen
        assert isinstance(form, LogContactForm)
        form.query_one("#contact-channel", Select).value = "email"
        form.query_one("#contact-direction", Select).value = "outbound"
        form.query_one("#contact-rating", Select).value = 4
        await pilot.press(*"Sent the VPN guide")
        await pilot.press("ctrl+o")
        await until(pilot, lambda: not isinstance(app.screen, LogContactForm))
        await until(pilot, lambda: pane.view is not None
                    and pane.view.history.total_contacts == before + 1)

        added = contact_ids(demo_db) - ids_before
        assert len(added) == 1 and len(contact_ids(demo_db)) == len(ids_before) + 1
        new = stored_contact(demo_db, added.pop())
        assert (new.channel.value, new.direction.value, new.summary, new.self_rating) == \
            ("email", "outbound", "Sent the VPN guide", 4)
        assert (new.ticket_id, new.customer_id, new.agent_id) == \
            (ticket.id, ticket.customer_id, app.session.ctx.actor.id)
        shown = text_of(pane.query_one("#history-contacts", Static))
        assert "→ email" in shown and "Sent the VPN guide" in shown
        assert "you rated it 4/5" in shown  # the agent's own rating, on their own contact


async def test_an_empty_summary_is_refused_inline_and_writes_nothing(demo_db) -> None:  # type: ignore[no-untyped-def]
    async with customer_pane(demo_db) as (app, pilot, _pane):
        counts = table_counts(app.session.store)
        await pilot.press("2", "c")
        form = app.screen
        assert isinstance(form, LogContactForm)
        await pilot.press("space", "space", "ctrl+o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is form
        error = form.query_one("#form-error", Static)
        assert error.has_class("-shown") and "summary" in text_of(error)
        assert form.query_one("#contact-summary", TextArea).has_focus
        assert table_counts(app.session.store) == counts


async def test_other_agents_self_ratings_stay_private(demo_db) -> None:  # type: ignore[no-untyped-def]
    async with customer_pane(demo_db) as (app, pilot, pane):
        assert pane.ticket is not None
        priya = context_for(app.session.store, "priya")
        log_contact(priya, channel="chat", summary="Priya's private chat", self_rating=1,
                    ticket=pane.ticket.id)
        app.changed("contact")
        await until(pilot, lambda: "Priya's private chat" in text_of(
            pane.query_one("#history-contacts", Static)))
        shown = text_of(pane.query_one("#history-contacts", Static))
        entry = shown.split("Priya's private chat")[0].rsplit("\n\n", 1)[-1]
        assert "priya" in entry and "rated" not in entry


async def test_goodwill_given_by_anyone_shows_as_it_was_typed(demo_db) -> None:  # type: ignore[no-untyped-def]
    ensure_budget(demo_db, "morgan", 1000)
    async with customer_pane(demo_db) as (app, pilot, pane):
        assert pane.ticket is not None
        morgan = context_for(app.session.store, "morgan")
        goodwill.spend(morgan, Money(700), reason="Voucher [/] for [red]",
                       customer=pane.ticket.customer_id)
        app.changed("goodwill_entry")
        given = pane.query_one("#history-goodwill", Static)
        await until(pilot, lambda: "Voucher" in text_of(given))
        expected = customer_history(app.session.store, pane.ticket.customer_id)
        line = text_of(given)
        assert line.startswith(f"Goodwill given: {expected.goodwill_given} (")
        assert "latest just now by morgan: Voucher [/] for [red])" in line
