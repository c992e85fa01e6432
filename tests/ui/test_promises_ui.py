"""Promises in the workspace: the owner's screen says so when a promise falls due, once,
also for a promise made before the app opened or on another machine."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from deskterm.domain import clock
from deskterm.i18n import formats
from deskterm.services.context import context_for
from deskterm.services.promises import make_promise
from deskterm.store import open_store
from deskterm.ui import promise_watch
from deskterm.ui.app import DesktermApp
from tests.ui.helpers import (
    forget_promises,
    make_app,
    past_returned,
    query,
    settle,
    until,
    wait_ready,
)


def notices(app: DesktermApp) -> list[str]:
    return [n.message for n in app._notifications if n.title == "Promise due"]


def _open_ticket(db: Path, owner: str) -> tuple[str, str]:
    return query(db, "SELECT t.id, 'SD-' || t.number FROM ticket t JOIN agent a "
                 "ON a.id = t.owner_id WHERE a.handle = ? AND t.status IN ('open', "
                 "'waiting', 'escalated') LIMIT 1", owner)[0]


async def test_the_owners_screen_says_so_when_a_promise_falls_due(
        demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(promise_watch, "CHECK_EVERY", 0.1)
    forget_promises(demo_db)  # the demo's own, some due today, would be announced too
    ticket_id, key = _open_ticket(demo_db, "alex")
    other_id, _ = _open_ticket(demo_db, "priya")
    store = open_store(demo_db)
    try:
        # Made by a colleague (as if on another machine) before alex's app opened.
        made = make_promise(context_for(store, "priya"), ticket_id,
                            what="call back about the laptop", by="in 1 hour")
        make_promise(context_for(store, "priya"), other_id, what="not alex's", by="in 1 hour")
    finally:
        store.close()
    already_due = set(query(demo_db, "SELECT id FROM promise_event WHERE due_at <= ?",
                            str(clock.utcnow())))
    assert already_due == set()
    app = make_app(demo_db, "alex")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await settle(pilot)
        assert notices(app) == []  # not yet due
        clock.shift_to(made.due_at + timedelta(minutes=1))
        await until(pilot, lambda: bool(notices(app)), "the promise was announced")
        await pilot.pause(0.5)  # several more checks: still announced once
    assert notices(app) == [f'{key}: promised "call back about the laptop" by '
                            f'{formats.date_time(made.due_at.astimezone())}; keep it (or move '
                            'it with a reason) on the ticket']


async def test_make_keep_and_move_a_promise_from_the_ticket_screen(demo_db: Path) -> None:
    from textual.widgets import Input, RadioButton

    from deskterm.services.promises import ticket_promises
    from deskterm.ui.forms.promise import KeepPromiseForm, PromiseForm
    from tests.ui.helpers import open_form, ready, save, type_into, workspace

    app = make_app(demo_db, "alex")
    async with app.run_test(size=(140, 45)) as pilot:
        await ready(pilot)
        ticket = workspace(app).current_ticket()
        assert ticket is not None and ticket.status.is_open
        form = await open_form(pilot, "p", PromiseForm)
        await type_into(pilot, form.query_one("#promise-what", Input), "call back")
        await type_into(pilot, form.query_one("#promise-by", Input), "today 9:00")
        await save(pilot)
        await until(pilot, lambda: "already passed" in str(form.query_one("#form-error")
                                                            .render()), "the refusal shows")
        assert app.screen is form
        form.query_one("#promise-by", Input).value = "tomorrow"
        await save(pilot)
        await until(pilot, lambda: app.screen is not form, "the form closed")
        store = open_store(demo_db)
        try:
            [made] = ticket_promises(store, ticket.id)
        finally:
            store.close()
        assert made.what == "call back"
        keep = await open_form(pilot, "P", KeepPromiseForm)
        await settle(pilot)
        keep.query_one("#keep-move", RadioButton).value = True
        await type_into(pilot, keep.query_one("#keep-by", Input), "fri 12:00")
        await type_into(pilot, keep.query_one("#keep-reason", Input), "customer away")
        await save(pilot)
        await until(pilot, lambda: app.screen is not keep, "the form closed")
        keep = await open_form(pilot, "P", KeepPromiseForm)
        await settle(pilot)
        await save(pilot)
        await until(pilot, lambda: app.screen is not keep, "the form closed")
    store = open_store(demo_db)
    try:
        [promise] = ticket_promises(store, ticket.id)
    finally:
        store.close()
    assert [m.reason for m in promise.moves] == ["customer away"] and promise.kept


def queue_lines(app: DesktermApp) -> list[str]:
    """The queue table's lines as drawn on screen."""
    from tests.ui.helpers import workspace

    table = workspace(app).queue.table
    return [table.render_line(y).text for y in range(table.size.height)]


def line_of(app: DesktermApp, key: str) -> str:
    return next((line for line in queue_lines(app) if line.startswith(f"{key} ")), "")


async def test_the_queue_marks_a_promise_due_soon_then_overdue_and_lists_it_under_promises_due(
        demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets import Input

    from deskterm.store.queue import QueueView
    from deskterm.ui import ticking
    from deskterm.ui.forms.promise import KeepPromiseForm, PromiseForm
    from deskterm.ui.widgets.history import HistoryPane
    from tests.ui.helpers import open_form, ready, save, text_of, type_into, workspace

    monkeypatch.setattr(ticking, "CLOCK_TICK", 0.1)
    forget_promises(demo_db)
    assert query(demo_db, "SELECT count(*) FROM promise_event") == [(0,)]
    app = make_app(demo_db, "alex")
    async with app.run_test(size=(140, 45)) as pilot:
        await ready(pilot)
        # Below the returned tickets (their marker says "↩ returned" before "due soon").
        ticket = await past_returned(pilot)
        assert ticket is not None and ticket.returned_at is None
        key = ticket.key
        assert "◷" not in line_of(app, key)
        form = await open_form(pilot, "p", PromiseForm)
        await type_into(pilot, form.query_one("#promise-what", Input), "call back")
        await type_into(pilot, form.query_one("#promise-by", Input), "in 1 hour")
        await save(pilot)
        await until(pilot, lambda: app.screen is not form, "the form closed")

        # My open marks it, and the customer's history says what was promised.
        await until(pilot, lambda: "◷ due soon" in line_of(app, key), "the queue marks it")
        pane = app.screen.query_one(HistoryPane)
        promises = pane.query_one("#history-promises")
        await until(pilot, lambda: "promised: call back by today" in text_of(promises),
                    "the history shows the promise")
        assert text_of(promises).startswith(f"{key} promised: call back by today ")
        assert text_of(promises).endswith(" · due soon")

        # The view "Promises due" lists it, and only it (the demo's promises are gone).
        queue = workspace(app).queue
        queue.table.focus()
        for _ in range(len(queue._choices)):
            if queue.table.shown_spec.view == QueueView.PROMISES_DUE:
                break
            await pilot.press("v")
            await settle(pilot)
        table = queue.table
        await until(pilot, lambda: table.shown_spec.view == QueueView.PROMISES_DUE
                    and table.total == 1, "Promises due lists the ticket")
        assert [line.split(" ")[0] for line in queue_lines(app) if line.strip()] == [key]
        assert "Promises due" in str(app.screen.query_one("#queue-views").render())

        # Its time passes: the marker says overdue without a key pressed.
        clock.shift_to(clock.utcnow() + timedelta(hours=1, minutes=1))
        await until(pilot, lambda: "◷ overdue" in line_of(app, key), "the marker turns")
        await until(pilot, lambda: text_of(promises).endswith(" · broken"),
                    "the history says it is broken")

        # Kept: it leaves the view.
        keep = await open_form(pilot, "P", KeepPromiseForm)
        await settle(pilot)
        await save(pilot)
        await until(pilot, lambda: app.screen is not keep, "the form closed")
        await until(pilot, lambda: table.total == 0, "the kept promise left the view")
        await until(pilot, lambda: not promises.display, "and the customer's history")
