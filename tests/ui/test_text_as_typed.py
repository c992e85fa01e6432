"""Issue 13, finding 3: text people type is shown as typed, never read as markup.

`Printer [PRN-5C-02] shows [red]error[/red]` once became `Printer  shows error` in a
notification and a dialog's title. Each markup-like string is typed into a form (or
written by the service a form calls) and read back where it shows: the notification,
the dialog naming the ticket, the form's error, the queue, the ticket screen, the goodwill
ledger and the knowledge base's search heading.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.content import Content
from textual.widgets import Input, Label, Static

from deskterm.domain.money import Money
from deskterm.services import goodwill
from deskterm.services.context import context_for
from deskterm.services.tickets import create_ticket
from deskterm.store import open_store
from deskterm.ui.app import DesktermApp
from deskterm.ui.forms.base import FormScreen
from deskterm.ui.forms.ticket import NewTicketForm
from deskterm.ui.forms.ticket_state import ResolveForm
from deskterm.ui.screens.ticket import TicketScreen
from deskterm.ui.widgets.goodwill import GoodwillPane
from deskterm.ui.widgets.kb.pane import KbPane
from deskterm.ui.widgets.queue import QueuePane
from tests.ui.helpers import (
    ensure_budget,
    make_app,
    open_form,
    query,
    ready,
    save,
    settle,
    text_of,
    type_into,
    until,
    workspace,
)

#: Everything Rich or Textual could read as markup, a variable, an action or an escape.
MARKUP_LIKE = [
    "Printer [PRN-5C-02] shows [red]error[/red]",
    "[b]x[/b]", "[red]", "[/]", "[@click=app.quit]x[/]", "$text-muted", "\\[", "\\\\[b]",
    "[link=https://x]y[/link]", "a [dim]b", "🖨️ [i]jam[/i]",
]
#: What a key press can type (pilot.press takes one character per key).
TYPABLE = [text for text in MARKUP_LIKE if text.isascii()]


def toasts(app: DesktermApp) -> list[str]:
    """The app's notifications as a toast shows them (textual's Toast.render: markup
    when the notification asks for it). The tests' fixed clock expires toasts at once,
    so the notifications are read, not the toast widgets."""
    return [(Content.from_markup(note.message) if note.markup else Content(note.message)).plain
            for note in app._notifications]


def shown(widget: Static) -> str:
    return str(widget.render())


@pytest.mark.parametrize("typed", TYPABLE)
async def test_a_new_tickets_subject_shows_as_typed_in_its_notification(
        demo_db: Path, typed: str) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        form = await open_form(pilot, "n", NewTicketForm)
        await type_into(pilot, form.query_one("#new-subject", Input), typed)
        await save(pilot)
        key = query(demo_db, "SELECT number FROM ticket WHERE subject = ?", typed)
        assert key, "the ticket was made with the subject as typed"
        await until(pilot, lambda: any(typed in text for text in toasts(app)),
                    f"the notification shows {typed!r}", timeout=3)


async def test_every_notification_is_plain_text(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        for text in MARKUP_LIKE:
            workspace(app).notify(text, title=text)  # a widget's notify asks for markup
        await settle(pilot)
        assert toasts(app)[-len(MARKUP_LIKE):] == MARKUP_LIKE
        assert [note.title for note in app._notifications][-len(MARKUP_LIKE):] == MARKUP_LIKE


@pytest.mark.parametrize("subject", MARKUP_LIKE)
async def test_a_subject_shows_as_typed_in_the_queue_dialogs_and_ticket_screen(
        demo_db: Path, subject: str) -> None:
    store = open_store(demo_db)
    try:
        ctx = context_for(store, "alex")
        customer = query(demo_db, "SELECT id FROM customer WHERE NOT deleted LIMIT 1")[0][0]
        made = create_ticket(ctx, customer=customer, subject=subject)
    finally:
        store.close()
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        row = await ready(pilot, made.id)
        assert row is not None
        queue = workspace(app).query_one(QueuePane)
        line = queue.table.render_line(queue.table.cursor - int(queue.table.scroll_offset.y))
        # The queue draws an emoji without its variation selector, so that every terminal
        # gives it the same width and the columns stay straight (ui/widgets/queue/columns).
        assert subject.replace("\ufe0f", "")[:24] in "".join(segment.text for segment in line)
        form = await open_form(pilot, "r", ResolveForm)
        assert f"{row.key} · {subject}" in [shown(label) for label in form.query(Label)]
        form.show_error(f"no customer {subject}")
        assert shown(form.query_one("#form-error", Static)) == f"no customer {subject}"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, TicketScreen)
                    and text_of(app.screen.query_one("#ticket-title", Static)) != "",
                    "the ticket screen opened")
        assert shown(app.screen.query_one("#ticket-title", Static)) == \
            f"{row.key}  {subject}"


async def test_a_form_title_naming_user_text_is_plain(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        form: FormScreen = FormScreen()  # type: ignore[type-arg]
        form.title = MARKUP_LIKE[0]
        await app.push_screen(form)
        await settle(pilot)
        assert shown(form.query_one("#form-title", Static)) == MARKUP_LIKE[0]


async def test_a_goodwill_reason_and_a_kb_search_show_as_typed(demo_db: Path) -> None:
    ensure_budget(demo_db, "alex", 100_000)
    store = open_store(demo_db)
    try:
        ctx = context_for(store, "alex")
        customer = query(demo_db, "SELECT id FROM customer WHERE NOT deleted LIMIT 1")[0][0]
        for reason in MARKUP_LIKE:
            goodwill.spend(ctx, Money(100), reason=f"{reason} for the customer",
                           customer=customer)
    finally:
        store.close()
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        pane = workspace(app).query_one(GoodwillPane)
        await until(pilot, lambda: pane.ledger_table.row_count >= len(MARKUP_LIKE),
                    "the ledger shows the spends")
        cells = {str(cell) for row in range(pane.ledger_table.row_count)
                 for cell in pane.ledger_table.get_row_at(row)}
        assert {f"{reason} for the customer" for reason in MARKUP_LIKE} <= cells
        kb = workspace(app).query_one(KbPane)
        typed = "[zzqx]qqxz[/zzqx] $zzqv"  # finds nothing; markup to Textual
        kb.query_one(Input).value = typed  # as typed into its search box
        status = kb.query_one("#kb-status", Static)
        await until(pilot, lambda: "No articles match" in shown(status), "the search ran")
        assert shown(status) == f"No articles match “{typed}”"
