"""The workspace in Dutch: started so, switched to live from the palette, lead screens and money."""

from __future__ import annotations

import re
import sqlite3
import tomllib
from contextlib import closing
from pathlib import Path

from textual.widgets import Footer, Static
from textual.widgets._footer import FooterKey

from deskterm import locations
from deskterm.i18n import language, set_language
from deskterm.ui.screens.lead.board import EscalationBoardScreen
from deskterm.ui.widgets.goodwill.pane import GoodwillPane
from deskterm.ui.widgets.history import HistoryPane
from deskterm.ui.widgets.kb.pane import KbPane
from deskterm.ui.widgets.queue import QueuePane
from tests.ui.helpers import make_app, palette, settle, text_of, wait_ready

COUNTED = ("ticket", "contact", "goodwill_entry", "kudos", "kb_article", "outbox")


def counts(db: Path) -> dict[str, int]:
    with closing(sqlite3.connect(db)) as connection:
        return {table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in COUNTED}


def titles(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(app.screen.query_one(kind).border_title)
            for kind in (QueuePane, HistoryPane, KbPane, GoodwillPane)]


async def test_started_in_dutch_the_panes_speak_dutch(demo_db: Path) -> None:
    set_language("nl")
    app = make_app(demo_db)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_ready(pilot)
        assert titles(app) == ["1 Wachtrij", "2 Klant", "3 Kennisbank", "4 Coulance"]
        views = app.screen.query_one("#queue-views").render()
        assert "Mijn open meldingen" in str(views)


async def test_the_palette_switch_turns_the_workspace_dutch_live(demo_db: Path) -> None:
    before = counts(demo_db)
    app = make_app(demo_db)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_ready(pilot)
        assert titles(app)[0] == "1 Queue"
        listed = await palette(pilot, "Language")
        assert listed and listed[0].startswith("Language: Nederlands")
        await pilot.press("enter")
        await settle(pilot)
        await settle(pilot)
        assert language() == "nl"
        assert titles(app) == ["1 Wachtrij", "2 Klant", "3 Kennisbank", "4 Coulance"]
        # The palette now offers the way back, in Dutch.
        listed = await palette(pilot, "Taal")
        assert listed and listed[0].startswith("Taal: English")
        await pilot.press("escape")
        await settle(pilot)
    config = tomllib.loads(locations.config_file().read_text(encoding="utf-8"))
    assert config["language"] == "nl"
    assert counts(demo_db) == before


async def test_a_lead_screen_in_dutch(demo_db: Path) -> None:
    set_language("nl")
    app = make_app(demo_db, "morgan")
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_ready(pilot)
        await pilot.press("b")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EscalationBoardScreen)
        title = text_of(screen.query_one("#board-title", Static))
        assert title.startswith("Escalatiebord")
        labels = [str(column.label) for column in screen.table.columns.values()]
        assert "Onderwerp" in labels and "Eigenaar" in labels
        footer = screen.query_one(Footer)
        descriptions = [key.description for key in footer.query(FooterKey)]
        assert "Terug" in descriptions and "Eigenaar herinneren" in descriptions


async def test_money_reads_dutch(demo_db: Path) -> None:
    set_language("nl")
    app = make_app(demo_db)
    async with app.run_test(size=(140, 40)) as pilot:
        await wait_ready(pilot)
        summary = text_of(app.screen.query_one("#goodwill-summary", Static))
        # `€ 300,00`: the sign, a (no-break) space, a decimal comma.
        assert re.match(r"van €\s\d{1,3}(\.\d{3})*,\d\d toegekend · €\s", summary), summary
