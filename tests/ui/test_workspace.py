"""The workspace opens on a store and the queue drives the other panes."""

from __future__ import annotations

import gc

from textual.widgets import Input

from deskterm.store.queue import QueueSource, QueueView
from deskterm.ui.opening import opening_spec
from deskterm.ui.widgets.queue import QueuePane
from deskterm.ui.widgets.queue.pane import FILTER_DEBOUNCE, QueueHeader
from deskterm.ui.widgets.queue.table import COLUMNS, KEEP_AROUND, QueueTable
from tests.ui.helpers import make_app, settle, wait_ready


async def test_workspace_opens_on_my_open_tickets(demo_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        queue = app.screen.query_one(QueuePane)
        table = queue.table
        assert table.total > 0
        assert table.current is not None and table.current.owner == "alex"
        assert app.focused is table  # the queue has the keys from the start
        await pilot.press("down")
        await wait_ready(pilot)
        assert table.cursor == 1


async def test_the_queue_shows_the_rows_read_while_the_workspace_loaded(demo_db) -> None:  # type: ignore[no-untyped-def]
    """The app reads the queue's first rows beside the workspace's loading; the queue
    takes that reader (the spec it opens with is the one read ahead) and shows what a
    reader of its own would: the same rows, and the right total once loaded."""
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert app.session is not None
        table = app.screen.query_one(QueuePane).table
        assert table.spec == opening_spec(app.session.actor.id)
        assert app.session.opening_queue is None  # taken by the queue
        fresh = QueueSource(str(demo_db), table.spec)
        try:
            assert table.total == fresh.count() > 0
            shown = [table._rows[index] for index in range(min(table.total, 20))]
            assert shown == fresh.rows(0, min(table.total, 20))
        finally:
            fresh.close()
        assert str(app.screen.query_one(QueuePane).border_subtitle) == \
            f"{table.total:,} my open"


async def test_garbage_collection_is_on_again_once_the_workspace_shows(demo_db) -> None:  # type: ignore[no-untyped-def]
    """The launch turns the collector off until the first frame (cli.launch); the
    workspace turns it on again."""
    gc.disable()
    try:
        app = make_app(demo_db)
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_ready(pilot)
            assert gc.isenabled()
    finally:
        gc.enable()


async def all_tickets(pilot) -> tuple[QueuePane, QueueTable]:  # type: ignore[no-untyped-def]
    """The workspace, ready, its queue on the All view."""
    await wait_ready(pilot)
    queue = pilot.app.screen.query_one(QueuePane)
    queue.show_view(QueueView.ALL)
    await settle(pilot)
    return queue, queue.table


async def test_keys_pressed_before_the_rows_arrive_all_count(demo_db) -> None:  # type: ignore[no-untyped-def]
    """The table takes a new spec at once, so a second key builds on the first."""
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        queue = app.screen.query_one(QueuePane)
        table = queue.table
        start = table.spec.sort
        await pilot.press("s", "s", "v", "v")
        assert table.spec.sort != start  # asked for at once, before any rows
        await settle(pilot)
        sorts = [column.sort for column in COLUMNS]
        assert table.spec.sort == sorts[(sorts.index(start) + 2) % len(sorts)]
        assert table.shown_spec == table.spec
        assert table.spec.view == QueueView.ESCALATED  # My open, Unassigned, Escalated
        header = queue.query_one(QueueHeader)
        assert (header.sort, header.descending) == (table.spec.sort, table.spec.descending)


async def test_filter_shows_its_matches_and_count_then_clears(demo_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        queue, table = await all_tickets(pilot)
        everything = table.total
        shows = []
        real_show = table.show
        table.show = lambda spec, **kw: (shows.append(spec), real_show(spec, **kw))[1]  # type: ignore[method-assign]
        await pilot.press("slash", *"printer")
        await pilot.pause(FILTER_DEBOUNCE + 0.05)
        await settle(pilot)
        assert 0 < table.total < everything
        assert table.current is not None and "printer" in (
            table.current.subject + table.current.customer + (table.current.owner or "")
        ).lower()
        assert queue.border_subtitle == f"{table.total:,} all matching “printer”"
        shows.clear()
        await pilot.press("escape")
        assert table.spec.text == ""  # asked for at once: the box's change adds nothing
        await pilot.pause(FILTER_DEBOUNCE + 0.05)
        await settle(pilot)
        assert [spec.text for spec in shows] == [""]
        assert table.total == everything
        assert queue.border_subtitle == f"{everything:,} all"
        # The box emptied and the table took the keys again, with the unfiltered rows.
        assert app.screen.query_one("#queue-filter", Input).value == ""
        assert app.focused is table


async def test_end_and_home_move_once_the_rows_are_there(demo_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        _queue, table = await all_tickets(pilot)
        await pilot.press("end")
        await settle(pilot)
        assert table.cursor == table.total - 1
        assert table.current is not None
        bottom = int(table.scroll_offset.y) + table.size.height
        assert bottom == table.total
        await pilot.press("home")
        await settle(pilot)
        assert table.cursor == 0 and int(table.scroll_offset.y) == 0
        assert table.current is not None


async def test_rows_far_from_the_screen_are_let_go(demo_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        _queue, table = await all_tickets(pilot)
        height = table.size.height
        while table.cursor < 2 * (2 * KEEP_AROUND + height) + 2 * height:
            await pilot.press("pagedown")
            await settle(pilot)
        assert table.current is not None
        assert len(table._rows) <= 2 * (2 * KEEP_AROUND + table.size.height)
