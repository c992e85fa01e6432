"""80x24, a laptop's terminal: every screen and form stays usable (issue 13, finding 1).

The rule these tests hold the app to is written in README.md ("The workspace") and in
`Pane`'s docstring: what a screen shows when it is narrow or short.
"""

from __future__ import annotations

from pathlib import Path

from textual.errors import NoWidget
from textual.widget import Widget
from textual.widgets import Button, DataTable, Static

from deskterm.ui.forms.base import FormScreen
from deskterm.ui.forms.ticket import NewTicketForm
from deskterm.ui.screens.lead.board import EscalationBoardScreen
from deskterm.ui.screens.lead.quality import QualityScreen
from deskterm.ui.widgets.goodwill import GoodwillPane
from deskterm.ui.widgets.history import HistoryPane
from deskterm.ui.widgets.kb import KbPane
from deskterm.ui.widgets.queue import QueuePane
from deskterm.ui.widgets.queue.columns import COLUMNS, layout
from deskterm.ui.widgets.queue.pane import QueueHeader, QueueViews
from tests.ui.helpers import make_app, open_form, settle, text_of, until, wait_ready

LAPTOP = (80, 24)


def on_screen(widget: Widget) -> bool:
    """Whether the middle of `widget` is drawn where a person can see it."""
    screen = widget.screen
    region = widget.region
    if not region.area:
        return False
    x, y = region.center
    if not screen.region.contains(x, y):
        return False
    try:
        shown, _ = screen.get_widget_at(x, y)
    except NoWidget:  # nothing drawn there
        return False
    return shown is widget or widget in shown.ancestors


async def test_every_field_of_the_new_ticket_form_scrolls_into_view(demo_db: Path) -> None:
    app = make_app(demo_db, "alex")
    async with app.run_test(size=LAPTOP) as pilot:
        await wait_ready(pilot)
        form = await open_form(pilot, "n", NewTicketForm)
        assert isinstance(form, FormScreen)
        assert on_screen(form.query_one("#form-submit", Button)), "Create is off screen"
        box = form.query_one("#form-fields")
        fields = [widget for widget in form.focus_chain if box in widget.ancestors]
        assert len(fields) >= 7
        for field in fields:
            field.focus()
            await settle(pilot)
            assert on_screen(field), f"{field!r} is focused but not shown"
        assert on_screen(form.query_one("#form-submit", Button))


async def test_the_queue_at_80x24_shows_rows_subject_contact_and_every_view(
        demo_db: Path) -> None:
    app = make_app(demo_db, "alex")
    async with app.run_test(size=LAPTOP) as pilot:
        await wait_ready(pilot)
        queue = app.screen.query_one(QueuePane)
        assert queue.table.size.height >= 8, "the queue shows too few rows"
        widths = dict(zip((c.label for c in COLUMNS),
                          layout(queue.table.scrollable_content_region.width), strict=True))
        assert widths["Subject"] > widths["Customer"] + 4, widths
        assert widths["Subject"] >= 18
        header = queue.query_one(QueueHeader)
        for key in ("s",) * len(COLUMNS):  # every column sorted in turn shows its arrow
            labels = header.render().plain
            assert "Contact" in labels and "Subject" in labels and "Customer" in labels
            assert ("▼" in labels) != ("▲" in labels), labels
            await pilot.press(key)
            await settle(pilot)
        views = queue.query_one(QueueViews)
        for _ in views.choices:  # whichever view is chosen, it and All show
            shown = views.render().plain
            assert shown.rstrip().endswith("All"), shown
            assert views.choices[views.chosen].label in shown \
                or (views.choices[views.chosen].short or "…") in shown, shown
            await pilot.press("v")
            await settle(pilot)


async def test_narrow_the_side_panes_stack_and_show_in_full(demo_db: Path) -> None:
    app = make_app(demo_db, "alex")
    async with app.run_test(size=LAPTOP) as pilot:
        await wait_ready(pilot)
        screen = app.screen
        queue, history = screen.query_one(QueuePane), screen.query_one(HistoryPane)
        kb, goodwill = screen.query_one(KbPane), screen.query_one(GoodwillPane)
        assert history.display and not kb.display and not goodwill.display
        assert history.region.width == queue.region.width
        await pilot.press("4")
        await settle(pilot)
        assert goodwill.display and not history.display
        assert goodwill.region.width == queue.region.width
        ledger = goodwill.ledger_table
        when, amount = list(ledger.ordered_columns)[:2]
        assert when.get_render_width(ledger) + amount.get_render_width(ledger) \
            <= ledger.scrollable_content_region.width, "the amounts are cut"
        balance = goodwill.query_one("#goodwill-balance")
        assert balance.region.right <= goodwill.content_region.right
        await pilot.press("tab")  # on to the next pane: the queue, then the customer
        await pilot.press("tab")
        await settle(pilot)
        assert history.display and not goodwill.display


async def test_the_board_and_quality_at_80x24_keep_their_columns_whole(demo_db: Path) -> None:
    app = make_app(demo_db, "morgan")
    async with app.run_test(size=LAPTOP) as pilot:
        await wait_ready(pilot)
        await pilot.press("b")
        await until(pilot, lambda: isinstance(app.screen, EscalationBoardScreen)
                    and app.screen.view is not None, "the board read")
        table = app.screen.query_one("#board-table", DataTable)
        widths = {str(column.label): column.width for column in table.ordered_columns}
        for label, width in widths.items():
            assert width >= len(label), f"{label!r} cut to {width}"
        assert widths["Subject"] >= 12 and widths["Reason"] >= 9, widths
        total = sum(column.get_render_width(table) for column in table.ordered_columns)
        assert total <= table.scrollable_content_region.width, "columns off screen"

        await pilot.press("escape", "u")
        await until(pilot, lambda: isinstance(app.screen, QualityScreen)
                    and app.screen.view is not None, "the quality figures read")
        await settle(pilot)
        cells = list(app.screen.query(".q-cell").results(Static))
        assert len(cells) == 6 * 8
        for cell in cells:
            longest = max(len(line) for line in text_of(cell).splitlines())
            assert longest <= cell.content_region.width, \
                f"{text_of(cell)!r} wraps in {cell.content_region.width} cells"
