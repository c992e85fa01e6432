"""Issue 13, finding 6: goodwill oversight's period control is no `[ ]` that looks like a
checkbox but labelled buttons (next to the `[` and `]` keys) that change the period."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Static

from deskterm.domain.clock import utcnow
from deskterm.domain.goodwill import period_of
from deskterm.ui.screens.lead.goodwill_team import GoodwillOversightScreen, shift_period
from tests.ui.helpers import make_app, settle, text_of, until, wait_ready


async def test_the_period_changes_with_labelled_buttons(demo_db: Path) -> None:
    app = make_app(demo_db, "morgan")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("B")
        await until(pilot, lambda: isinstance(app.screen, GoodwillOversightScreen)
                    and app.screen.team is not None, "oversight shows the team")
        screen = app.screen
        assert isinstance(screen, GoodwillOversightScreen)
        title = screen.query_one("#oversight-title", Static)
        assert "[ ]" not in text_of(title)
        now = period_of(utcnow())
        assert str(screen.query_one("#oversight-next", Button).label) == "Next period ] ›"
        await pilot.click("#oversight-previous")
        await until(pilot, lambda: screen.team is not None
                    and screen.team.period == shift_period(now, -1), "the month before")
        await settle(pilot)
        assert f"· {shift_period(now, -1)} ·" in text_of(title)
        await pilot.click("#oversight-next")
        await until(pilot, lambda: screen.team is not None and screen.team.period == now,
                    "back to this month")
        assert screen.budgets_table.has_focus  # the buttons take no focus from the table
