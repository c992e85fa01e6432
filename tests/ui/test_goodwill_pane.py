"""Pane 4: the balance as the service computes it, spending through the form, reversals."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlmodel import col, select
from textual.pilot import Pilot
from textual.widgets import DataTable, Digits, Input, Static

from deskterm.domain import GoodwillEntry
from deskterm.domain.enums import LedgerKind
from deskterm.domain.goodwill import period_of
from deskterm.domain.money import Money
from deskterm.services import goodwill
from deskterm.services.context import context_for
from deskterm.store import open_store
from deskterm.ui.app import DesktermApp
from deskterm.ui.forms.goodwill import ReverseForm, SpendForm
from deskterm.ui.screens.workspace import WorkspaceScreen
from deskterm.ui.widgets.goodwill import GoodwillPane
from tests.ui.helpers import customer_pane, ensure_budget, text_of, until


def ledger_in_store(db: Path) -> list[GoodwillEntry]:
    """Every ledger entry in the store file, in id order."""
    store = open_store(db)
    try:
        with store.reading() as session:
            return list(session.exec(select(GoodwillEntry).order_by(col(GoodwillEntry.id))))
    finally:
        store.close()


def ids(entries: list[GoodwillEntry]) -> list[str]:
    return [e.id for e in entries]


@asynccontextmanager
async def goodwill_pane(db: Path, handle: str = "alex"
                        ) -> AsyncIterator[tuple[DesktermApp, Pilot, GoodwillPane]]:
    """The app acting as `handle`, its goodwill pane read and following the queue."""
    async with customer_pane(db, handle) as (app, pilot, _customer):
        pane = app.screen.query_one(GoodwillPane)
        await until(pilot, lambda: pane.view is not None and pane.ticket is not None)
        yield app, pilot, pane


def balance_now(pilot: Pilot, handle: str) -> Money:
    session = pilot.app.session  # type: ignore[attr-defined]
    return goodwill.balance(session.store, handle, period=period_of(session.ctx.now()),
                            currency=session.ctx.currency).balance


async def open_spend_form(pilot: Pilot, amount: str, reason: str) -> SpendForm:
    await pilot.press("4", "dollar_sign")
    form = pilot.app.screen
    assert isinstance(form, SpendForm)
    await pilot.press(*amount, "enter", *reason)
    return form


async def test_the_balance_is_the_services_balance(demo_db) -> None:  # type: ignore[no-untyped-def]
    async with goodwill_pane(demo_db) as (_app, pilot, pane):
        expected = balance_now(pilot, "alex")
        assert pane.query_one("#goodwill-balance", Digits).value == str(expected)
        assert pane.ledger_table.row_count == len(pane.view.entries)  # type: ignore[union-attr]


async def test_a_spend_through_the_form_books_one_entry_and_the_balance_drops(demo_db) -> None:  # type: ignore[no-untyped-def]
    ensure_budget(demo_db, "alex", 5000)
    async with goodwill_pane(demo_db) as (app, pilot, pane):
        ticket, before = pane.ticket, balance_now(pilot, "alex")
        assert ticket is not None
        entries_before = ledger_in_store(demo_db)
        await open_spend_form(pilot, "12.50", "Flowers after the outage")
        await pilot.press("enter")  # Enter in the last field spends
        await until(pilot, lambda: not isinstance(app.screen, SpendForm))
        after = before - Money(1250)
        await until(pilot, lambda: pane.query_one("#goodwill-balance", Digits).value
                    == str(after))

        entries = ledger_in_store(demo_db)
        assert len(entries) == len(entries_before) + 1
        (new,) = [e for e in entries if e.id not in {b.id for b in entries_before}]
        assert (new.kind, new.amount_cents, new.reason) == \
            (LedgerKind.SPEND, -1250, "Flowers after the outage")
        assert (new.ticket_id, new.customer_id, new.budget_agent_id) == \
            (ticket.id, ticket.customer_id, app.session.ctx.actor.id)
        assert balance_now(pilot, "alex") == after
        assert pane.ledger_table.get_row_at(0)[1].plain == "-€12.50"


async def test_an_overspend_is_refused_inline_and_keeps_what_was_typed(demo_db) -> None:  # type: ignore[no-untyped-def]
    async with goodwill_pane(demo_db) as (app, pilot, _pane):
        too_much = (balance_now(pilot, "alex") + Money(100)).plain
        entries_before = ledger_in_store(demo_db)
        form = await open_spend_form(pilot, too_much, "A very generous gesture")
        await pilot.press("ctrl+o")
        await until(pilot, lambda: form.query_one("#form-error", Static).has_class("-shown"))
        assert app.screen is form
        assert "not enough goodwill budget" in text_of(form.query_one("#form-error", Static))
        amount = form.query_one("#spend-amount", Input)
        assert amount.value == too_much and amount.has_class("-invalid") and amount.has_focus
        assert form.query_one("#spend-reason", Input).value == "A very generous gesture"
        assert ids(ledger_in_store(demo_db)) == ids(entries_before)


async def test_an_amount_that_is_no_amount_is_refused_inline(demo_db) -> None:  # type: ignore[no-untyped-def]
    async with goodwill_pane(demo_db) as (app, pilot, _pane):
        entries_before = ledger_in_store(demo_db)
        form = await open_spend_form(pilot, "12,5x", "Coffee voucher")
        await pilot.press("ctrl+o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is form
        assert "'12,5x' is not an amount" in text_of(form.query_one("#form-error", Static))
        assert form.query_one("#spend-amount", Input).value == "12,5x"
        assert ids(ledger_in_store(demo_db)) == ids(entries_before)


async def test_a_lead_reverses_the_highlighted_entry(demo_db) -> None:  # type: ignore[no-untyped-def]
    ensure_budget(demo_db, "morgan", 5000)
    store = open_store(demo_db)
    try:
        spent = goodwill.spend(context_for(store, "morgan"), Money(700),
                               reason="Taxi after the missed appointment",
                               customer=_any_customer(store))
    finally:
        store.close()
    async with goodwill_pane(demo_db, "morgan") as (app, pilot, pane):
        table = pane.ledger_table
        await pilot.press("4")
        table.move_cursor(row=table.get_row_index(spent.id))
        assert pane.check_action("reverse", ()) is True
        await pilot.press("R")
        form = app.screen
        assert isinstance(form, ReverseForm) and form.entry.id == spent.id
        await pilot.press(*"Booked twice", "enter")
        await until(pilot, lambda: not isinstance(app.screen, ReverseForm))
        await until(pilot, lambda: pane.view is not None and spent.id in pane.view.reversed_ids)

    reversals = [e for e in ledger_in_store(demo_db) if e.reverses_id == spent.id]
    assert len(reversals) == 1
    assert (reversals[0].kind, reversals[0].amount_cents, reversals[0].reason) == \
        (LedgerKind.REVERSAL, 700, "Booked twice")


async def test_an_agent_cannot_reverse(demo_db) -> None:  # type: ignore[no-untyped-def]
    async with goodwill_pane(demo_db) as (app, pilot, pane):
        entries_before = ledger_in_store(demo_db)
        await pilot.press("4")
        assert isinstance(pane.screen.focused, DataTable)
        assert pane.check_action("reverse", ()) is False
        assert "goodwill.reverse" not in {b.binding.id for b in app.active_bindings.values()
                                          if b.enabled}
        await pilot.press("R")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
        assert ids(ledger_in_store(demo_db)) == ids(entries_before)


def _any_customer(store) -> str:  # type: ignore[no-untyped-def]
    with store.raw() as connection:
        return str(connection.execute("SELECT id FROM customer LIMIT 1").fetchone()[0])


async def test_issue13_finding6_the_spend_form_shows_what_is_left_and_judges_as_typed(
        demo_db) -> None:  # type: ignore[no-untyped-def]
    ensure_budget(demo_db, "alex", 5000)
    async with goodwill_pane(demo_db) as (app, pilot, _pane):
        left = balance_now(pilot, "alex")
        await pilot.press("4", "dollar_sign")
        form = app.screen
        assert isinstance(form, SpendForm)
        note = form.query_one("#spend-balance", Static)
        error = form.query_one("#form-error", Static)
        amount = form.query_one("#spend-amount", Input)
        await until(pilot, lambda: str(left) in text_of(note), "the balance from the start")
        await pilot.press(*(left + Money(100)).plain)  # too much: said before saving
        await until(pilot, lambda: error.has_class("-shown"))
        assert "not enough goodwill budget" in text_of(error) and str(left) in text_of(error)
        assert amount.has_class("-invalid")
        amount.value = "1.50"  # corrected: the stale message goes at once
        await until(pilot, lambda: not error.has_class("-shown"))
        assert not amount.has_class("-invalid")
