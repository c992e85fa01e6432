"""The ticket action keys open forms that write the store, refuse bad input inline, and
the ticket screen shows a ticket in full."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual.widgets import Button, Checkbox, Input, Select, Static, TextArea

from deskterm.services.context import context_for
from deskterm.services.tickets import create_ticket, escalate_ticket, resolve_ticket
from deskterm.store import open_store
from deskterm.store.queue import QueueView
from deskterm.ui.forms.base import FormScreen
from deskterm.ui.forms.handback import TakeOverForm
from deskterm.ui.forms.kudos import WHOLE_TEAM, KudosForm
from deskterm.ui.forms.ticket import AssignForm, EditTicketForm, NewTicketForm
from deskterm.ui.forms.ticket_state import EscalateForm, ReopenForm, ResolveForm
from deskterm.ui.screens.ticket import TicketScreen
from deskterm.ui.screens.workspace import WorkspaceScreen
from deskterm.ui.widgets.queue import QueuePane
from tests.ui.helpers import (
    make_app,
    open_form,
    query,
    ready,
    save,
    settle,
    type_into,
    until,
    wait_ready,
    workspace,
)

WRITTEN = ("ticket", "ticket_event", "kudos", "outbox")


def counts(db: Path) -> dict[str, int]:
    return {table: query(db, f"SELECT count(*) FROM {table}")[0][0] for table in WRITTEN}


def ticket(db: Path, ticket_id: str) -> dict[str, object]:
    with sqlite3.connect(db) as connection:
        connection.row_factory = sqlite3.Row
        found = connection.execute(
            "SELECT t.*, a.handle AS owner FROM ticket t LEFT JOIN agent a ON a.id = t.owner_id "
            "WHERE t.id = ?", (ticket_id,)).fetchone()
    return dict(found)


def new_ticket(db: Path, *, escalate: bool = False) -> str:
    """An open ticket of alex's, the newest: the first of the queue's "My open"."""
    store = open_store(db)
    try:
        ctx = context_for(store, "alex")
        customer = query(db, "SELECT id FROM customer WHERE NOT deleted LIMIT 1")[0][0]
        created = create_ticket(ctx, customer=customer, subject="Wi-Fi drops in room 4.12")
        if escalate:
            escalate_ticket(ctx, created.id, group=any_group(db), reason="Needs a licence")
        return created.id
    finally:
        store.close()


def any_group(db: Path, tier: int = 2) -> str:
    """The name of one of the demo's resolver groups of `tier`."""
    return str(query(db, "SELECT name FROM resolver_group WHERE tier = ? ORDER BY name "
                     "LIMIT 1", tier)[0][0])


def form_error(screen: FormScreen) -> str:  # type: ignore[type-arg]
    error = screen.query_one("#form-error", Static)
    return str(error.render()) if error.has_class("-shown") else ""


async def refused(pilot, form: FormScreen, message: str) -> None:  # type: ignore[no-untyped-def, type-arg]
    """Saving is refused: the form stays open and says why."""
    await save(pilot)
    assert pilot.app.screen is form
    assert message in form_error(form)


async def test_new_ticket_refused_without_subject_then_created(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        selected = await ready(pilot)
        assert selected is not None
        before = counts(demo_db)
        form = await open_form(pilot, "n", NewTicketForm)
        description = form.query_one("#new-description", TextArea)
        await type_into(pilot, description, "Every page.")
        await refused(pilot, form, "subject is required")
        assert description.text == "Every page."  # kept
        assert counts(demo_db) == before
        await type_into(pilot, form.query_one("#new-subject", Input), "Printer jams")
        form.query_one("#new-priority", Select).value = 2
        await save(pilot)
        assert isinstance(app.screen, WorkspaceScreen)
    rows = query(demo_db, "SELECT t.customer_id, t.status, t.priority, a.handle, t.description "
                 "FROM ticket t JOIN agent a ON a.id = t.owner_id WHERE t.subject = ?",
                 "Printer jams")
    assert rows == [(selected.customer_id, "open", 2, "alex", "Every page.")]


async def test_edit_refused_without_subject_then_saved(demo_db: Path) -> None:
    ticket_id = new_ticket(demo_db)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        row = await ready(pilot, ticket_id)
        assert row is not None
        form = await open_form(pilot, "e", EditTicketForm)
        subject = form.query_one("#edit-subject", Input)
        assert subject.value == row.subject  # loaded before editing
        before = counts(demo_db)
        subject.value = "   "
        form.query_one("#edit-priority", Select).value = 1
        await refused(pilot, form, "subject is required")
        assert form.query_one("#edit-priority", Select).value == 1  # kept
        assert counts(demo_db) == before
        subject.value = "Edited subject"
        form.query_one("#edit-status", Select).value = "waiting"
        await save(pilot)
        assert isinstance(app.screen, WorkspaceScreen)
    edited = ticket(demo_db, ticket_id)
    assert (edited["subject"], edited["priority"], edited["status"]) == \
        ("Edited subject", 1, "waiting")


async def test_assign_gives_the_ticket_to_another_agent(demo_db: Path) -> None:
    ticket_id = new_ticket(demo_db)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, ticket_id)
        form = await open_form(pilot, "a", AssignForm)
        owner = form.query_one("#assign-owner", Select)
        assert owner.value == "alex"
        owner.value = "priya"
        await save(pilot)
        assert isinstance(app.screen, WorkspaceScreen)
    assert ticket(demo_db, ticket_id)["owner"] == "priya"


async def test_escalate_refused_without_reason_then_the_owner_stays(demo_db: Path) -> None:
    ticket_id = new_ticket(demo_db)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, ticket_id)
        before = counts(demo_db)
        form = await open_form(pilot, "x", EscalateForm)
        owner_note = str(form.query_one("#escalate-owner", Static).render())
        assert "@alex stays the customer's contact" in owner_note
        await until(pilot, lambda: not form.query_one("#form-submit", Button).disabled,
                    "the groups loaded")
        await refused(pilot, form, "pick the resolver group")
        group = any_group(demo_db, tier=3)
        [(group_id,)] = query(demo_db, "SELECT id FROM resolver_group WHERE name = ?", group)
        choice = form.query_one("#escalate-group", Select)
        choice.value = group_id
        await refused(pilot, form, "escalation reason is required")
        assert choice.value == group_id  # kept
        assert counts(demo_db) == before
        form.query_one("#escalate-reason", Input).focus()
        await pilot.press(*"Port dead")
        await pilot.press("enter")  # the last field: saves
        await settle(pilot)
        assert isinstance(app.screen, WorkspaceScreen)
    escalated = ticket(demo_db, ticket_id)
    assert (escalated["status"], escalated["resolver_tier"], escalated["resolver_group"],
            escalated["resolver_group_id"], escalated["escalation_reason"],
            escalated["owner"]) == ("escalated", 3, group, group_id, "Port dead", "alex")


async def test_resolve_refused_without_resolution_then_at_first_contact(demo_db: Path
                                                                        ) -> None:
    ticket_id = new_ticket(demo_db)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, ticket_id)
        before = counts(demo_db)
        form = await open_form(pilot, "r", ResolveForm)
        first_contact = form.query_one("#resolve-first-contact", Checkbox)
        first_contact.value = True
        await refused(pilot, form, "resolution is required")
        assert first_contact.value is True  # kept
        assert counts(demo_db) == before
        await type_into(pilot, form.query_one("#resolve-resolution", TextArea),
                        "Reset it")
        await save(pilot)
        assert isinstance(app.screen, WorkspaceScreen)
    resolved = ticket(demo_db, ticket_id)
    assert (resolved["status"], resolved["resolution"], resolved["first_contact_resolution"]) \
        == ("resolved", "Reset it", 1)


async def test_reopen_a_resolved_ticket(demo_db: Path) -> None:
    ticket_id = new_ticket(demo_db)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        row = await ready(pilot, ticket_id)
        assert row is not None and app.session is not None
        await pilot.press("enter")  # the ticket screen: it stays on this ticket
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TicketScreen)
        resolve_ticket(app.session.ctx, row.id, resolution="Done")
        app.changed("ticket")
        await settle(pilot)
        await pilot.press("r")  # resolved now: the key only warns
        await settle(pilot)
        assert app.screen is screen
        before = counts(demo_db)
        form = await open_form(pilot, "o", ReopenForm)
        await pilot.press("enter")  # no reason given
        await settle(pilot)
        assert app.screen is form
        assert "reason for reopening is required" in form_error(form)
        assert counts(demo_db) == before
        await pilot.press(*"Broke", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert screen.detail is not None and screen.detail.ticket.status == "open"
    assert ticket(demo_db, row.id)["status"] == "open"


async def test_kudos_refused_without_message_then_shared(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        row = await ready(pilot)
        assert row is not None
        before = counts(demo_db)
        form = await open_form(pilot, "K", KudosForm)
        # The owner is alex, who is not offered to thank themselves: the team is.
        assert form.query_one("#kudos-about", Select).value == WHOLE_TEAM
        assert not form.query("#kudos-from-name")  # from alex, never a customer
        await refused(pilot, form, "message is required")
        assert counts(demo_db) == before
        await pilot.press(*"Thanks!")  # the message has focus
        await save(pilot)
        assert isinstance(app.screen, WorkspaceScreen)
    rows = query(demo_db, "SELECT k.source, a.handle, k.about_agent_id, k.ticket_id FROM kudos k "
                 "JOIN agent a ON a.id = k.author_id WHERE k.message = ?", "Thanks!")
    assert rows == [("peer", "alex", None, row.id)]


async def test_keys_typed_in_the_filter_are_text(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("slash", *"near", "K", "x", "dollar_sign")
        await settle(pilot)
        assert isinstance(app.screen, WorkspaceScreen)
        assert app.screen.query_one("#queue-filter", Input).value == "nearKx$"


async def test_without_a_selected_ticket_the_keys_warn(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("slash", *"zzqqxx", "enter")  # matches nothing
        await settle(pilot)
        assert workspace(app).current_ticket() is None
        for key in ("e", "a", "x", "r", "o", "c"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, WorkspaceScreen), key
        assert any("Select a ticket" in n.message for n in app._notifications)


async def test_contact_and_goodwill_keys_open_a_form_or_say_so(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        for key in ("c", "dollar_sign"):
            await pilot.press(key)
            await settle(pilot)
            if isinstance(app.screen, FormScreen):
                await pilot.press("escape")
                await settle(pilot)
            else:
                assert any("not available yet" in n.message for n in app._notifications)
            assert isinstance(app.screen, WorkspaceScreen)


async def test_enter_opens_the_ticket_and_its_owner_stays_on_it(demo_db: Path) -> None:
    ticket_id = new_ticket(demo_db, escalate=True)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        row = await ready(pilot, ticket_id)
        assert row is not None
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TicketScreen)
        assert row.key in str(screen.query_one("#ticket-title", Static).render())
        escalation = str(screen.query_one("#ticket-escalation", Static).render())
        assert f"Escalated to {any_group(demo_db)} (tier 2)" in escalation
        assert "Needs a licence" in escalation
        assert "(@alex) stays the customer's contact" in escalation
        # the action keys work here, on this ticket, and the screen follows
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ResolveForm)
        await pilot.press(*"Licence granted")
        await save(pilot)
        assert app.screen is screen
        assert not screen.query_one("#ticket-escalation").display
        assert "Licence granted" in str(screen.query_one("#ticket-resolution",
                                                         Static).render())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, WorkspaceScreen)
    assert ticket(demo_db, row.id)["status"] == "resolved"


async def test_a_missing_ticket_is_a_notification(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.open_ticket("SD-99999999")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
        assert any("no ticket" in n.message for n in app._notifications)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, WorkspaceScreen)


async def test_closing_the_ticket_before_it_is_read_is_fine(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("enter", "escape", "enter", "escape")
        await settle(pilot)
        assert isinstance(app.screen, WorkspaceScreen)


def returned_ticket(db: Path) -> str:
    """alex's escalation that sam (2nd line) resolved: back with alex, customer not told."""
    ticket_id = new_ticket(db, escalate=True)
    store = open_store(db)
    try:
        resolver = query(db, "SELECT handle FROM agent WHERE tier = 2 AND active LIMIT 1")[0][0]
        resolve_ticket(context_for(store, resolver), ticket_id, resolution="Licence added")
    finally:
        store.close()
    return ticket_id


async def test_resolving_a_returned_ticket_is_refused_until_the_customer_is_told(
        demo_db: Path) -> None:
    ticket_id = returned_ticket(demo_db)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        row = await ready(pilot, ticket_id)
        assert row is not None and row.returned_at is not None
        before = counts(demo_db)
        form = await open_form(pilot, "r", ResolveForm)
        await refused(pilot, form, "tell the customer first")
        assert counts(demo_db) == before
        await type_into(pilot, form.query_one("#resolve-informed", Input),
                        "customer already informed by phone")
        await save(pilot)
        assert isinstance(app.screen, WorkspaceScreen)
    resolved = ticket(demo_db, ticket_id)
    assert (resolved["status"], resolved["resolution"]) == ("resolved", "Licence added")
    assert query(demo_db, "SELECT detail FROM ticket_event WHERE ticket_id = ? AND "
                 "kind = 'informed'", ticket_id) == [("customer already informed by phone",)]


async def test_a_lead_takes_a_complaint_over_with_a_key(demo_db: Path) -> None:
    store = open_store(demo_db)
    try:
        customer = query(demo_db, "SELECT id FROM customer WHERE NOT deleted LIMIT 1")[0][0]
        made = create_ticket(context_for(store, "alex"), customer=customer,
                             subject="Rude reply on the phone", kind="complaint")
    finally:
        store.close()
    app = make_app(demo_db, "morgan")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        queue = workspace(app).query_one(QueuePane)
        queue.show_view(QueueView.ALL)  # newest first
        await settle(pilot)
        queue.table.focus()
        await pilot.press("home")
        await until(pilot, lambda: getattr(workspace(app).current_ticket(), "id", None)
                    == made.id, "the complaint selected")
        form = await open_form(pilot, "T", TakeOverForm)
        assert "instead of @alex" in str(form.query_one("#take-over-note", Static).render())
        await save(pilot)
        assert isinstance(app.screen, WorkspaceScreen)
    assert ticket(demo_db, made.id)["owner"] == "morgan"
    assert query(demo_db, "SELECT detail FROM ticket_event WHERE ticket_id = ? AND "
                 "kind = 'taken_over'", made.id) == [("morgan took the complaint over from alex",)]
