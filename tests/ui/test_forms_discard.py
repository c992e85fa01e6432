"""Issue 10, finding 5: Escape never throws typed text away unasked, in any form.

One rule for every form (forms/base.py): Escape or Cancel closes a form with nothing
typed at once; with typed text it asks "Discard what you typed?", where Escape keeps
editing with the text as it was and only Discard closes the form. Nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select
from textual.widgets import Input, TextArea

from deskterm.domain import GoodwillEntry
from deskterm.domain.enums import Priority
from deskterm.services.board import BoardRow
from deskterm.services.org import list_agents
from deskterm.store.queries import TicketRow
from deskterm.ui.forms.allocate_team import AllocateForm
from deskterm.ui.forms.article import ArticleForm
from deskterm.ui.forms.base import FormScreen
from deskterm.ui.forms.contact import LogContactForm
from deskterm.ui.forms.discard import DiscardQuestion
from deskterm.ui.forms.goodwill import ReverseForm, SpendForm
from deskterm.ui.forms.kudos import KudosForm
from deskterm.ui.forms.nudge import NudgeForm
from deskterm.ui.forms.ticket import AssignForm, EditTicketForm, NewTicketForm
from deskterm.ui.forms.ticket_state import EscalateForm, ReopenForm, ResolveForm
from deskterm.ui.screens.mood import MoodScreen
from deskterm.ui.screens.workspace import WorkspaceScreen
from deskterm.ui.session import DeskSession
from tests.ui.helpers import make_app, query, ready, settle, type_into

#: Where a form's work would land: none of it may change when a form is discarded.
WRITTEN = ("ticket", "ticket_event", "contact", "goodwill_entry", "kudos", "kb_article",
           "mood_entry", "outbox")

Maker = Callable[[DeskSession, TicketRow], FormScreen[Any]]


def reversible(session: DeskSession) -> GoodwillEntry:
    with session.store.reading() as db:
        entry = db.exec(select(GoodwillEntry)).first()
    assert entry is not None
    return entry


def board_row(ticket: TicketRow) -> BoardRow:
    return BoardRow(ticket.id, ticket.key, ticket.subject, ticket.customer, Priority(3), None,
                    None, ticket.owner, None, None, "needs second line",
                    datetime(2026, 11, 20, tzinfo=UTC), None, 0, False)


FORMS: dict[str, Maker] = {
    "new ticket": NewTicketForm,
    "edit ticket": EditTicketForm,
    "assign": AssignForm,
    "escalate": EscalateForm,
    "resolve": ResolveForm,
    "reopen": ReopenForm,
    "log contact": LogContactForm,
    "spend goodwill": SpendForm,
    "reverse goodwill": lambda session, _t: ReverseForm(session, reversible(session)),
    "kudos": KudosForm,
    "nudge": lambda session, ticket: NudgeForm(session, board_row(ticket)),
    "allocate": lambda session, _t: AllocateForm(
        session, [agent for agent, _team in list_agents(session.store)][:3], chosen=None,
        period="2026-11"),
    "new article": lambda session, _t: ArticleForm(session),
    "mood at logout": lambda session, _t: MoodScreen(session),
}


def written(db: Path) -> dict[str, int]:
    return {table: query(db, f"SELECT count(*) FROM {table}")[0][0] for table in WRITTEN}


async def opened(pilot, make: Maker) -> FormScreen[Any]:  # type: ignore[no-untyped-def]
    """The form on the workspace's selected ticket, its fields filled in or read in."""
    app = pilot.app
    ticket = await ready(pilot)
    assert ticket is not None and app.session is not None
    form = make(app.session, ticket)
    await app.push_screen(form)
    await settle(pilot)
    assert app.screen is form
    return form


def text_field(form: FormScreen[Any]) -> Input | TextArea:
    """The form's first text field the agent can type in."""
    for widget in form.query("#form-fields Input, #form-fields TextArea"):
        if isinstance(widget, Input | TextArea) and not widget.disabled:
            return widget
    raise AssertionError(f"{type(form).__name__} has no text field")


def text_of(field: Input | TextArea) -> str:
    return field.value if isinstance(field, Input) else field.text


@pytest.mark.parametrize("name", list(FORMS))
async def test_issue10_finding5_escape_closes_a_form_with_nothing_typed_at_once(
        demo_db: Path, name: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await opened(pilot, FORMS[name])
        await pilot.press("escape")
        await settle(pilot)
        assert not form.is_attached, "what the form filled in is not typing"
        assert isinstance(app.screen, WorkspaceScreen)


@pytest.mark.parametrize("name", [name for name in FORMS if name != "assign"])
async def test_issue10_finding5_escape_asks_before_discarding_typed_text(
        demo_db: Path, name: str) -> None:
    before = written(demo_db)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await opened(pilot, FORMS[name])
        field = text_field(form)
        await type_into(pilot, field, " typed")
        typed = text_of(field)

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DiscardQuestion)
        await pilot.press("escape")  # Escape again keeps editing: it never discards
        await settle(pilot)
        assert app.screen is form and text_of(field) == typed

        await pilot.click("#form-cancel")  # Cancel follows the same rule
        await settle(pilot)
        assert isinstance(app.screen, DiscardQuestion)
        await pilot.press("enter")  # the default button: keep editing
        await settle(pilot)
        assert app.screen is form and text_of(field) == typed

        await pilot.press("escape")
        await settle(pilot)
        await pilot.click("#discard-yes")
        await settle(pilot)
        assert not form.is_attached
        assert isinstance(app.screen, WorkspaceScreen) or name == "mood at logout"
    assert written(demo_db) == before


async def test_issue10_finding5_d_discards_and_text_typed_back_to_the_start_is_nothing(
        demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await opened(pilot, ResolveForm)
        field = text_field(form)
        await type_into(pilot, field, "ab")
        await pilot.press("backspace", "backspace")  # back to what it opened with
        await pilot.press("escape")
        await settle(pilot)
        assert not form.is_attached

        form = await opened(pilot, ResolveForm)
        await type_into(pilot, text_field(form), "Rebooted the router")
        await pilot.press("escape", "d")
        await settle(pilot)
        assert not form.is_attached
        assert not any(isinstance(screen, DiscardQuestion) for screen in app.screen_stack)


async def test_issue10_finding5_a_form_read_in_after_it_opened_is_not_typing(
        demo_db: Path) -> None:
    """Edit ticket fills subject and description from the store once they are read."""
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await opened(pilot, EditTicketForm)
        subject = form.query_one("#edit-subject", Input)
        assert subject.value  # read in
        assert not form.typed
        await type_into(pilot, subject, "!")
        assert form.typed
