"""The lead's screens in Dutch: quality, goodwill oversight and the board's secondary lines
read Dutch words and Dutch figures (`€ 1.234,50`, `4,2`, `83%`), started so or switched to
live, and reading them changes nothing in the store."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, closing
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Static

from deskterm.domain.clock import utcnow
from deskterm.domain.feedback import driver_label
from deskterm.domain.goodwill import period_of
from deskterm.domain.money import Money
from deskterm.i18n import set_language, using
from deskterm.services.goodwill_team import team_budgets
from deskterm.services.highlights import weekly_highlights
from deskterm.services.quality import weekly_quality
from deskterm.ui.app import DesktermApp
from deskterm.ui.language import switch_language
from deskterm.ui.screens.lead.board import EscalationBoardScreen
from deskterm.ui.screens.lead.goodwill_team import GoodwillOversightScreen
from deskterm.ui.screens.lead.quality import METRICS, QualityScreen
from tests.ui.helpers import make_app, palette, settle, text_of, until, wait_ready


def every_row(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of the store: reading a lead screen, in either language,
    writes none of them."""
    with closing(sqlite3.connect(db)) as connection:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE '%fts%'")]
        return {table: connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
                for table in tables}


#: A Dutch amount: `€ 1.234,50`, `€ -12,50` (the space is a no-break space).
DUTCH_MONEY = r"€\s-?\d{1,3}(\.\d{3})*,\d\d"


@asynccontextmanager
async def lead_desk(db: Path) -> AsyncIterator[tuple[DesktermApp, Pilot[None]]]:
    app = make_app(db, "morgan")
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_ready(pilot)
        yield app, pilot


async def open_quality(app: DesktermApp, pilot: Pilot[None]) -> QualityScreen:
    await pilot.press("u")
    await until(pilot, lambda: isinstance(app.screen, QualityScreen)
                and app.screen.view is not None, "the quality screen read its figures")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, QualityScreen)
    return screen


async def test_the_quality_screen_in_dutch(demo_db: Path) -> None:
    before = every_row(demo_db)
    set_language("nl")
    async with lead_desk(demo_db) as (app, pilot):
        screen = await open_quality(app, pilot)
        title = text_of(screen.query_one("#quality-title", Static))
        assert title.startswith("Kwaliteit · per week, voor het team"), title
        assert "geen cijfers per medewerker" in title
        names = [text_of(screen.query_one(f"#q-{m.key}-name", Static)) for m in METRICS]
        assert names[0] == "Opgelost bij eerste contact\nbij eerste contact · n = opgelost"
        assert names[3].startswith("Klanttevredenheid\ngemiddelde 1-5")
        assert text_of(screen.query_one("#q-trend", Static)) == "verloop"
        heads = [text_of(screen.query_one(f"#q-week-{i}", Static)) for i in range(8)]
        assert all(re.match(r"wk \d\d\n", head) for head in heads), heads
        # The dates under the weeks in Dutch: `23 nov`, a Dutch month in lower case.
        assert any(re.search(r"\n\d{1,2} (jan|feb|mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec)$",
                             head) for head in heads), heads

        store, team = app.session.store, app.session.actor.team_id  # type: ignore[union-attr]
        weeks = weekly_quality(store, team_id=team, weeks=8,
                               viewer_id=app.session.actor.id)  # type: ignore[union-attr]
        for index, week in enumerate(weeks):
            csat = text_of(screen.query_one(f"#q-csat-{index}", Static))
            fcr = text_of(screen.query_one(f"#q-fcr-{index}", Static))
            if week.satisfaction.value is not None:
                # A mean out of 5 with a decimal comma: 4.25 reads `4,3` (or `4,2`).
                shown = csat.splitlines()[0]
                assert re.fullmatch(r"\d,\d", shown), csat
                assert abs(float(shown.replace(",", ".")) - week.satisfaction.value) <= 0.051
            if week.first_contact_resolution.value is not None:
                assert fcr.splitlines()[0] == \
                    f"{round(week.first_contact_resolution.value * 100)}%"

        drivers = text_of(screen.query_one("#quality-drivers", Static))
        assert "klantgerichtheid" in drivers and "wachttijd" in drivers
        assert "reacties" in drivers and re.search(r"gem\. \d,\d", drivers), drivers
        assert "customer focus" not in drivers and "responses" not in drivers
        subtitle = str(screen.query_one("#quality-drivers", Static).border_subtitle)
        assert re.match(r"samen verklaren ze \d+% van de CSAT · [\d.]+ reacties$", subtitle), \
            subtitle
        assert str(screen.query_one("#quality-drivers", Static).border_title).startswith(
            "Wat tevredenheid drijft")
        topics = text_of(screen.query_one("#quality-topics", Static)).splitlines()
        assert re.match(r"\d+ van \d+ onderwerpen? (heeft|hebben) een artikel", topics[0])
        assert all("doorgezet" in line and "met artikel" in line for line in topics[1:])
        assert "Ontevreden reacties nog zonder opvolging: " in text_of(
            screen.query_one("#quality-follow-ups", Static))
        promises = text_of(screen.query_one("#quality-promises", Static))
        assert "wk " in promises and "W" not in promises.replace("wk", "")
    assert every_row(demo_db) == before


async def test_the_quality_screen_turns_dutch_live(demo_db: Path) -> None:
    async with lead_desk(demo_db) as (app, pilot):
        screen = await open_quality(app, pilot)
        name = screen.query_one("#q-repeat-name", Static)
        assert text_of(name).startswith("Repeat contacts\n")
        switch_language(app, "nl")
        await settle(pilot)
        await until(pilot, lambda: "reacties" in text_of(
            screen.query_one("#quality-drivers", Static)), "the drivers re-read in Dutch")
        assert text_of(name) == "Herhaalcontacten\nbinnen 7 dagen opnieuw contact · " \
            "n = contactmomenten"
        assert text_of(screen.query_one("#quality-title", Static)).startswith("Kwaliteit")
        assert str(screen.query_one("#quality-promises", Static).border_title).startswith(
            "Toezeggingen op tijd nagekomen")
        assert "klantgerichtheid" in text_of(screen.query_one("#quality-drivers", Static))


async def test_goodwill_oversight_in_dutch(demo_db: Path) -> None:
    before = every_row(demo_db)
    set_language("nl")
    async with lead_desk(demo_db) as (app, pilot):
        await pilot.press("B")
        await until(pilot, lambda: isinstance(app.screen, GoodwillOversightScreen)
                    and app.screen.team is not None and app.screen.ledger is not None,
                    "oversight shows the team and a ledger")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, GoodwillOversightScreen)
        ctx = app.session.ctx  # type: ignore[union-attr]
        budgets = team_budgets(ctx, period=period_of(utcnow()))
        allocated = Money(sum(b.allocated.cents for b in budgets), ctx.currency)
        spent = Money(sum(b.spent.cents for b in budgets), ctx.currency)
        with using("nl"):
            allocated_nl, spent_nl = str(allocated), str(spent)
        assert re.fullmatch(DUTCH_MONEY, allocated_nl) and allocated.cents >= 100_000, \
            "the team's allocation runs into thousands: a group separator shows"
        title = text_of(screen.query_one("#oversight-title", Static))
        assert title == (f"Coulanceoverzicht · {period_of(utcnow())} · {len(budgets)} "
                         f"budgetten · {allocated_nl} toegekend · {spent_nl} uitgegeven"), title
        assert re.search(r"€\s\d\.\d{3},\d\d toegekend", title), title

        table: DataTable[object] = screen.budgets_table
        assert [str(c.label) for c in table.columns.values()] == \
            ["Medewerker", "Toegekend", "Uitgegeven", "Saldo"]
        for row_key in table.rows:
            cells = [str(cell) for cell in table.get_row(row_key)]
            assert all(re.fullmatch(DUTCH_MONEY, cell) for cell in cells[1:]), cells
        ledger = screen.ledger_table
        assert [str(c.label) for c in ledger.columns.values()] == \
            ["Wanneer", "Bedrag", "Soort", "Melding", "Klant", "Reden"]
        kinds = {str(ledger.get_row(key)[2]).split()[0] for key in ledger.rows}
        assert kinds and kinds <= {"toekenning", "uitgave", "terugboeking"}, kinds
        head = text_of(screen.query_one("#oversight-ledger-head", Static))
        assert re.search(rf"saldo {DUTCH_MONEY} van {DUTCH_MONEY} toegekend$", head), head
        assert str(screen.query_one("#oversight-left").border_title) == \
            "Budgetten van het team"
        assert str(screen.query_one("#oversight-right").border_title).startswith(
            "Boekingen van @")
        assert str(screen.query_one("#oversight-by-month").border_title) == \
            "Uitgaven per maand (laatste 6)"
        assert str(screen.query_one("#oversight-next", Button).label) == "Volgende periode ] ›"
        by_reason = text_of(screen.query_one("#oversight-by-reason", Static))
        assert re.search(rf"{DUTCH_MONEY}\s+\d+×", by_reason), by_reason
    assert every_row(demo_db) == before


async def test_goodwill_oversight_turns_dutch_live(demo_db: Path) -> None:
    async with lead_desk(demo_db) as (app, pilot):
        await pilot.press("B")
        await until(pilot, lambda: isinstance(app.screen, GoodwillOversightScreen)
                    and app.screen.ledger is not None, "oversight shows a ledger")
        screen = app.screen
        assert isinstance(screen, GoodwillOversightScreen)
        assert str(screen.query_one("#oversight-previous", Button).label) == "‹ [ Prev period"
        switch_language(app, "nl")
        await settle(pilot)
        title = screen.query_one("#oversight-title", Static)
        await until(pilot, lambda: "toegekend" in text_of(title), "the title in Dutch")
        assert str(screen.query_one("#oversight-previous", Button).label) == "‹ [ Vorige periode"
        assert next(str(c.label) for c in screen.budgets_table.columns.values()) == "Medewerker"
        assert str(screen.query_one("#oversight-by-reason").border_title) == \
            "Uitgaven per reden"


async def test_the_boards_secondary_lines_in_dutch(demo_db: Path) -> None:
    before = every_row(demo_db)
    set_language("nl")
    async with lead_desk(demo_db) as (app, pilot):
        await pilot.press("b")
        await until(pilot, lambda: isinstance(app.screen, EscalationBoardScreen)
                    and app.screen.view is not None, "the board read its rows")
        await settle(pilot)
        board = app.screen
        assert isinstance(board, EscalationBoardScreen)
        returned = text_of(board.query_one("#board-returned", Static))
        assert returned.startswith("↩ Terug van de 2e lijn, klant nog niet ingelicht: "), \
            returned
        assert re.search(r" · van .+ · wacht \d+[mudw]$", returned.splitlines()[1]), returned
        store, team = app.session.store, app.session.actor.team_id  # type: ignore[union-attr]
        highlights = weekly_highlights(store, team_id=team)
        drivers = text_of(board.query_one("#board-drivers", Static))
        with using("nl"):
            words = [driver_label(change.driver) for change in highlights.improved]
        for word, change in zip(words, highlights.improved, strict=True):
            assert word in drivers and f"n={change.responses}" in drivers
        if not highlights.improved:
            assert drivers == "Geen drijfveer duidelijk beter dan de week ervoor."
        assert re.search(r"\d,\d→\d,\d", drivers) or not highlights.improved
        tags = {board.table.get_row(key)[-1].plain for key in board.table.rows}
        assert tags <= {"", "nieuw", "stil"}
        listed = await palette(pilot, "Bord sorteren")
        assert any(item.startswith("Bord sorteren: langst doorgezet eerst") for item in listed)
        assert all("Sort the board" not in item for item in listed)
        await pilot.press("escape")
        await settle(pilot)
    assert every_row(demo_db) == before
