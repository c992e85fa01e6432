"""The forms and the ticket screen in Dutch and in English: the words on screen, amounts
typed as each language writes them, refusals shown inline in the agent's language, and
the store holding the same values whichever language they were typed in."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Button, Input, Static

from deskterm.domain.money import Money
from deskterm.i18n import _, set_language
from deskterm.ui.forms.contact import LogContactForm
from deskterm.ui.forms.goodwill import SpendForm
from deskterm.ui.screens.ticket import TicketScreen
from tests.ui.helpers import (
    ensure_budget,
    make_app,
    open_form,
    query,
    ready,
    settle,
    text_of,
    type_into,
    until,
)


def ledger(db: Path) -> list[tuple[str, int, str]]:
    """Every ledger entry in the store file: (kind, cents, reason), in id order."""
    return [tuple(row) for row in query(
        db, "SELECT kind, amount_cents, reason FROM goodwill_entry ORDER BY id")]


def rendered(widget: Static) -> str:
    """The text a Static shows when what it holds is a Rich renderable (a table)."""
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(widget.content)
    return console.export_text()


def contacts(db: Path) -> int:
    return int(query(db, "SELECT count(*) FROM contact")[0][0])


@pytest.mark.parametrize(("language", "typed", "title", "button", "spent"), [
    ("nl", "12,50", "Coulance uitgeven", "Uitgeven", "{amount} uitgegeven op"),
    ("en", "12.50", "Spend goodwill", "Spend", "Spent {amount} on"),
])
async def test_a_spend_typed_as_the_language_writes_it_books_1250_cents(
        demo_db: Path, language: str, typed: str, title: str, button: str, spent: str) -> None:
    ensure_budget(demo_db, "alex", 5000)
    set_language(language)
    before = ledger(demo_db)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        row = await ready(pilot)
        assert row is not None
        form = await open_form(pilot, "dollar_sign", SpendForm)
        assert text_of(form.query_one("#form-title", Static)) == title
        assert str(form.query_one("#form-submit", Button).label) == button
        # The footer's key for saving says the button's word, in this language too.
        save_key = form.active_bindings["ctrl+o"].binding
        assert _(save_key.description) == button
        await type_into(pilot, form.query_one("#spend-amount", Input), typed)
        await type_into(pilot, form.query_one("#spend-reason", Input), "Bloemen na de storing")
        await pilot.press("ctrl+o")
        await until(pilot, lambda: not isinstance(app.screen, SpendForm), "the spend was saved")
        await settle(pilot)
        shown = spent.format(amount=Money(1250))  # `€ 12,50` / `€12.50`
        assert any(n.message.startswith(shown) for n in app._notifications)
    added = [entry for entry in ledger(demo_db) if entry not in before]
    assert added == [("spend", -1250, "Bloemen na de storing")]


async def test_an_ambiguous_amount_is_refused_inline_in_dutch_and_nothing_is_written(
        demo_db: Path) -> None:
    ensure_budget(demo_db, "alex", 500_000)
    set_language("nl")
    before = ledger(demo_db)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        form = await open_form(pilot, "dollar_sign", SpendForm)
        amount = form.query_one("#spend-amount", Input)
        await type_into(pilot, amount, "1,234")
        await type_into(pilot, form.query_one("#spend-reason", Input), "Een gebaar")
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert app.screen is form  # refused: the form stays, with what was typed
        error = text_of(form.query_one("#form-error", Static))
        assert form.query_one("#form-error", Static).has_class("-shown")
        assert error.startswith("'1,234' is op twee manieren te lezen")
        assert "1234,00" in error and "1,23" in error  # how to write either, the Dutch way
        assert amount.value == "1,234" and amount.has_class("-invalid")
        assert form.query_one("#spend-reason", Input).value == "Een gebaar"
    assert ledger(demo_db) == before


async def test_the_ticket_screen_reads_in_dutch(demo_db: Path) -> None:
    set_language("nl")
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        row = await ready(pilot)
        assert row is not None
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, TicketScreen)
                    and app.screen.detail is not None, "the ticket screen read its ticket")
        await settle(pilot)
        screen = app.screen
        facts = rendered(screen.query_one("#ticket-facts", Static))
        for label in ("Status", "Prioriteit", "Soort", "Afdeling", "Klant", "Eigenaar",
                      "Aangemaakt", "Bijgewerkt"):
            assert label in facts
        assert "Priority" not in facts and "Customer" not in facts
        status = {"new": "nieuw", "open": "open", "waiting": "wacht", "escalated": "doorgezet",
                  "resolved": "opgelost", "closed": "gesloten"}[row.status.value]
        assert status in facts
        assert screen.query_one("#ticket-description", Static).border_title == "Omschrijving"
        assert screen.query_one("#ticket-trail", Static).border_title == \
            "Verloop, nieuwste eerst"
        assert screen.query_one("#ticket-contacts", Static).border_title == "Contactmomenten"
        assert _("Write article") == "Artikel schrijven"  # the key the footer shows here


@pytest.mark.parametrize(("language", "refusal", "title"), [
    ("nl", "schrijf een korte samenvatting van wat er gezegd of gedaan is",
     "Contactmoment vastleggen"),
    ("en", "write a short summary of what was said or done", "Log contact"),
])
async def test_a_form_refuses_in_the_agents_language_and_writes_nothing(
        demo_db: Path, language: str, refusal: str, title: str) -> None:
    set_language(language)
    before = contacts(demo_db)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        form = await open_form(pilot, "c", LogContactForm)
        assert text_of(form.query_one("#form-title", Static)) == title
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert app.screen is form
        assert text_of(form.query_one("#form-error", Static)) == refusal
    assert contacts(demo_db) == before
