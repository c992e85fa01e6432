"""80x24, a laptop's terminal: every screen and form stays usable (issue 13, finding 1).

The rule these tests hold the app to is written in README.md ("The workspace") and in
`Pane`'s docstring: what a screen shows when it is narrow or short.
"""

from __future__ import annotations

from pathlib import Path

from textual.errors import NoWidget
from textual.widget import Widget
from textual.widgets import Button

from deskterm.ui.forms.base import FormScreen
from deskterm.ui.forms.ticket import NewTicketForm
from tests.ui.helpers import make_app, open_form, settle, wait_ready

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
