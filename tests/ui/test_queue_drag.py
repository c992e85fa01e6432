"""Issue 16: the queue's scrollbar dragged to the middle of a sorted list shows exactly the
rows the store's ordered query gives at that offset (read from a sampled anchor)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from deskterm.store.queue import QueueSort, QueueView
from deskterm.store.queue import source as queue_source
from deskterm.store.queue.plan import plan_query
from deskterm.ui.widgets.queue import QueuePane
from deskterm.ui.widgets.queue import table as queue_table
from deskterm.ui.widgets.queue.table import QueueTable
from tests.ui.helpers import make_app, settle, wait_ready


def ordered_ids(db: Path, table: QueueTable, offset: int, limit: int) -> list[str]:
    """The list's rows at `offset`, by one plain ORDER BY ... LIMIT ... OFFSET query."""
    spec = table.shown_spec
    plan = plan_query(spec, None)
    direction = "DESC" if spec.descending else "ASC"
    order = ", ".join(f"{expr} {direction}" for expr in plan.order)
    with closing(sqlite3.connect(db)) as connection:
        return [row[0] for row in connection.execute(
            f"SELECT t.id FROM {plan.source} WHERE {plan.where} ORDER BY {order} "
            "LIMIT ? OFFSET ?", [*plan.params, limit, offset])]


@pytest.mark.parametrize("reverse", [False, True])
async def test_a_scrollbar_drag_shows_the_rows_at_that_offset(
        demo_db: Path, monkeypatch: pytest.MonkeyPatch, reverse: bool) -> None:
    # Anchors every 2 blocks on any list: the 3,000-ticket demo is read as a million are.
    monkeypatch.setattr(queue_source, "ANCHOR_BLOCKS", 2)
    monkeypatch.setattr(queue_source, "ANCHOR_MIN_ROWS", 0)
    monkeypatch.setattr(queue_table, "ANCHOR_MIN_ROWS", 0)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        pane = app.screen.query_one(QueuePane)
        pane.show_view(QueueView.ALL)
        await settle(pilot)
        table = pane.table
        table.focus()
        await pilot.press("s", *(["S"] if reverse else []))  # sorted by another column
        await settle(pilot)
        assert table.shown_spec.sort != QueueSort.AGE
        assert table.shown_spec.descending is not reverse
        assert table._source is not None and table._source._anchors  # sampled
        await pilot.press("home")  # the thumb at the top of its bar
        await settle(pilot)
        bar = table.vertical_scrollbar
        await pilot.mouse_down(bar, offset=(0, 0))
        assert bar.grabbed is not None
        lines = bar.window_size // 2
        await pilot.hover(bar, offset=(0, lines))
        await pilot.mouse_up(bar, offset=(0, lines))  # where the drag ended
        await settle(pilot)
        top = int(table.scroll_offset.y)
        wanted = lines * bar.window_virtual_size / bar.window_size
        assert abs(top - min(wanted, table.max_scroll_y)) < 1
        assert table.total // 4 < top < table.total
        height = table.size.height
        expected = ordered_ids(demo_db, table, top, height)
        assert [table._rows[index].id for index in range(top, top + height)] == expected
        # And on screen: each line is its row's, none a placeholder.
        for line in range(height):
            text = table.render_line(line).text
            assert table._rows[top + line].key in text and "·" not in text[:3], (line, text)
