"""The workspace opens on a store and the queue drives the other panes."""

from __future__ import annotations

from deskterm.ui.widgets.queue import QueuePane
from tests.ui.conftest import make_app, wait_ready


async def test_workspace_opens_on_my_open_tickets(demo_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        queue = app.screen.query_one(QueuePane)
        table = queue.table
        assert table.total > 0
        assert table.current is not None and table.current.owner == "alex"
        await pilot.press("down")
        await wait_ready(pilot)
        assert table.cursor == 1
