"""Relative times follow the clock (issue 13, finding 5): the queue's Age and Contact
columns, the history pane's "… ago" and ages, and the ticket screen's "(… ago)" grow while
the screen stays open, with no key pressed, nothing written and nothing read again."""

from __future__ import annotations

import io
import os
from datetime import timedelta
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Static

from deskterm.domain import clock
from deskterm.ui import ticking
from deskterm.ui.app import DesktermApp
from deskterm.ui.screens.ticket import TicketScreen
from deskterm.ui.widgets.history import HistoryPane
from tests.conftest import FIXED_NOW
from tests.ui.helpers import make_app, ready, text_of, until, workspace

#: Far enough that every relative time on screen reads differently.
LATER = timedelta(days=40, hours=5)


def store_files(db: Path) -> list[tuple[str, int, int]]:
    """The store and its journal as the file system sees them: a write changes them."""
    found = []
    for path in (db, db.with_name(db.name + "-wal")):
        if path.exists():
            stat = os.stat(path)
            found.append((path.name, stat.st_size, stat.st_mtime_ns))
    return found


def rich_text(renderable: object) -> str:
    """What a Rich renderable (the ticket's facts are a table) reads as on a console."""
    console = Console(width=100, file=io.StringIO(), color_system=None)
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined, no-any-return]


def visible_lines(app: DesktermApp) -> list[str]:
    table = workspace(app).queue.table
    return [table.render_line(y).text for y in range(table.size.height)]


async def test_queue_history_and_ticket_screen_times_follow_the_clock(
        demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ticking, "CLOCK_TICK", 0.1)
    app = make_app(demo_db, "alex")
    async with app.run_test(size=(120, 40)) as pilot:
        ticket = await ready(pilot)
        assert ticket is not None
        history = app.screen.query_one(HistoryPane)
        await until(pilot, lambda: history.view is not None, "the history is read")
        contacts = history.query_one("#history-contacts", Static)
        table = workspace(app).queue.table
        lines_before = visible_lines(app)
        contacts_before = text_of(contacts)
        reads_before = table._generation
        files_before = store_files(demo_db)

        clock.shift_to(FIXED_NOW + LATER)
        # No key: the queue's visible lines (Age, Contact) and the history's ages move on.
        await until(pilot, lambda: visible_lines(app) != lines_before, "the queue's ages grew")
        await until(pilot, lambda: text_of(contacts) != contacts_before,
                    "the history's ages grew")
        assert table._generation == reads_before, "the queue read its rows again"
        assert store_files(demo_db) == files_before, "something was written"
        changed = [(a, b) for a, b in zip(lines_before, visible_lines(app), strict=True)
                   if a != b]
        assert changed and all(a.split()[0] == b.split()[0] for a, b in changed), changed

        # The ticket screen: its "(… ago)" follows too.
        app.open_ticket(ticket.id)
        await until(pilot, lambda: isinstance(app.screen, TicketScreen)
                    and app.screen.detail is not None, "the ticket screen")
        facts = app.screen.query_one("#ticket-facts", Static)
        facts_before = rich_text(facts.content)
        assert "ago" in facts_before, facts_before
        clock.shift_to(FIXED_NOW + LATER + timedelta(days=60))
        await until(pilot, lambda: rich_text(facts.content) != facts_before,
                    "the ticket's times grew")
        assert store_files(demo_db) == files_before, "something was written"
