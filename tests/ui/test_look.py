"""How things look (issue 13, finding 8): colours, widths, plurals, Markdown, money, names."""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len
from textual.app import App, ComposeResult

from deskterm.domain.money import Money
from deskterm.i18n import ngettext, using
from deskterm.services.contacts import log_contact
from deskterm.services.context import context_for
from deskterm.services.customers import create_customer
from deskterm.services.tickets import create_ticket
from deskterm.store import open_store
from deskterm.ui.screens.ticket import TicketScreen
from deskterm.ui.widgets.history import HistoryPane
from deskterm.ui.widgets.markdown import DeskMarkdown
from deskterm.ui.widgets.queue import QueuePane
from deskterm.ui.widgets.queue.columns import fit
from tests.ui.helpers import make_app, ready, settle, until, wait_ready


def test_counts_money_and_cell_widths_read_right() -> None:
    counted = "{count} contact", "{count} contacts"
    assert ngettext(*counted, 1).format(count=1) == "1 contact"
    assert ngettext(*counted, 5).format(count=5) == "5 contacts"
    with using("nl"):
        assert ngettext(*counted, 1).format(count=1) == "1 contactmoment"
        assert ngettext(*counted, 5).format(count=5) == "5 contactmomenten"
        assert str(Money(260_000)).replace("\xa0", " ") == "€ 2.600,00"
    assert str(Money(260_000)) == "€2,600.00"
    for text in ("Printer 🖨️ jams", "❤️ thanks", "日本語のテキスト"):
        for width in (4, 8, 12, 20):
            shown = fit(text, width)
            assert "\ufe0f" not in shown and cell_len(shown) == width, (text, width, shown)


async def test_light_theme_leaves_no_dark_block_in_the_queue(demo_db: Path) -> None:
    app = make_app(demo_db, "alex")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        app.theme = "textual-light"
        await settle(pilot)
        table = app.screen.query_one(QueuePane).table
        assert table.total < table.size.height  # a blank line below the tickets
        blank = table.render_line(table.size.height - 1)
        assert all(segment.style is not None and segment.style.bgcolor is not None
                   for segment in blank), "a line in the terminal's own background"


async def test_a_customer_with_one_contact_and_a_markdown_description(demo_db: Path) -> None:
    store = open_store(demo_db)
    try:
        ctx = context_for(store, "alex")
        customer = create_customer(ctx, name="Elif Yılmaz", email="elif.yilmaz@example.com",
                                   phone="+90 212 555 0101")
        ticket = create_ticket(ctx, customer=customer.id, subject="Printer jams",
                               description="The printer *jams* on page 2\nevery time")
        log_contact(ctx, channel="phone", summary="Rang about the printer", ticket=ticket.id)
    finally:
        store.close()
    app = make_app(demo_db, "alex")
    async with app.run_test(size=(120, 40)) as pilot:
        # The newest of My open after the tickets back from 2nd line (the demo has some).
        current = await ready(pilot, ticket.id)
        queue, history = app.screen.query_one(QueuePane), app.screen.query_one(HistoryPane)
        assert current is not None and current.id == ticket.id
        await until(pilot, lambda: history.view is not None and history.ticket is not None
                    and history.ticket.id == ticket.id, "the customer pane on the new ticket")
        assert queue.table.current is not None and queue.table.current.id == ticket.id
        assert str(history.border_subtitle).startswith("1 contact ·"), history.border_subtitle
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, TicketScreen)
                    and app.screen.detail is not None, "the ticket read")
        await settle(pilot)
        shown = app.export_screenshot()
        assert "*jams*" not in shown and "jams" in shown
        assert "every&#160;time" in shown or "every time" in shown


class _Article(App[None]):
    def compose(self) -> ComposeResult:
        yield DeskMarkdown("| | |\n|---|---|\n| Status | open |\n| Affects | VPN |\n\n"
                           "| Key | Value |\n|---|---|\n| a | b |\n")


async def test_a_key_value_table_shows_no_empty_header_row() -> None:
    app = _Article()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        headers = list(app.query(".header"))
        assert len(headers) == 4
        shown = [str(header.render()).strip() for header in headers if header.display]
        assert shown == ["Key", "Value"]
