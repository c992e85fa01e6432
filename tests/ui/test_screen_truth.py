"""Screens that follow the store: departments that arrive by sync, two windows on one store,
and the quality screen's partial week."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import DataTable

from deskterm.domain.money import Money
from deskterm.services import goodwill, org
from deskterm.ui.widgets.goodwill import GoodwillPane
from deskterm.ui.widgets.queue.pane import QueuePane, QueueViews
from tests.ui.helpers import Elsewhere, ensure_budget, make_app, ready, until


def view_labels(app: Any) -> list[str]:
    return [choice.label for choice in app.screen.query_one(QueueViews).choices]


def ledger_text(app: Any) -> str:
    table: DataTable[Any] = app.screen.query_one(GoodwillPane).ledger_table
    return "\n".join(" | ".join(str(getattr(cell, "plain", cell)) for cell in
                                table.get_row(row.key)) for row in table.ordered_rows)


async def test_a_department_that_arrives_by_sync_adds_its_queue_view(demo_db: Path) -> None:
    elsewhere = Elsewhere(demo_db)  # the desk's admin, on another machine
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert "LAB" not in view_labels(app)

        elsewhere.act("julia", lambda ctx: org.add_department(ctx, code="LAB", name="Lab"))
        arrived = elsewhere.pull_into(demo_db)
        assert "department" in arrived
        app.changed(*arrived, pulled=True)  # as the sync loop does after a pull

        await until(pilot, lambda: "LAB" in view_labels(app), "the LAB view added")
        labels = view_labels(app)
        assert labels[-1] == "All" and labels.index("LAB") < labels.index("All")
        queue = app.screen.query_one(QueuePane)
        assert queue.table.spec.view.value == "mine"  # the chosen view stayed chosen
        assert app.session is not None
        assert "LAB" in [code for _id, code in app.session.departments]  # the board's too


async def test_two_windows_on_one_store_see_each_others_changes_without_a_key(
        demo_db: Path) -> None:
    ensure_budget(demo_db, "alex", 5000)
    first, second = make_app(demo_db), make_app(demo_db)
    async with first.run_test(size=(120, 40)) as one, \
            second.run_test(size=(120, 40)) as two:
        await ready(one)
        await ready(two)
        assert first.session is not None
        customer = first.session.ctx
        # A spend made in the first window, as its form makes it.
        from deskterm.services import customers

        cora = customers.create_customer(customer, name="Cora Twowindows")
        goodwill.spend(customer, Money(1234), reason="Taxi after the two-window outage",
                       customer=cora.id)
        first.changed("customer", "goodwill_entry")

        await until(two, lambda: "Taxi after the two-window outage" in ledger_text(second),
                    "the second window shows the first's spend", timeout=5)
        await until(one, lambda: "Taxi after the two-window outage" in ledger_text(first),
                    "the first window shows its own spend")


async def test_ctrl_r_without_a_server_re_reads_the_store(demo_db: Path) -> None:
    ensure_budget(demo_db, "alex", 5000)
    elsewhere_db = demo_db  # the same file, written behind the app's back
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert app.watcher is not None
        app.watcher.stop()  # only ctrl+r may bring it now
        from deskterm.services.context import context_for
        from deskterm.store import open_store

        store = open_store(elsewhere_db)
        try:
            behind = context_for(store, "alex")
            from deskterm.services import customers

            lou = customers.create_customer(behind, name="Lou Behind")
            goodwill.spend(behind, Money(321), reason="Behind its back", customer=lou.id)
        finally:
            store.close()
        await pilot.press("ctrl+r")
        await until(pilot, lambda: "Behind its back" in ledger_text(app), "re-read")
        assert any("re-read the local store" in n.message for n in app._notifications)


def test_the_store_watch_reads_the_cursor_where_sync_keeps_it() -> None:
    from deskterm.store.watch import CURSOR_KEY
    from deskterm.sync.replica.state import CURSOR

    assert CURSOR_KEY == CURSOR


async def test_the_quality_screen_marks_the_week_not_over_as_partial(demo_db: Path) -> None:
    from textual.widgets import Static

    from deskterm.ui.screens.lead.quality import METRICS, QualityScreen
    from tests.ui.helpers import text_of

    app = make_app(demo_db, "morgan")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, QualityScreen)
                    and app.screen.view is not None, "the quality screen read")
        screen = app.screen
        assert isinstance(screen, QualityScreen) and screen.view is not None
        weeks = screen.view.weeks
        # The clock stands on Monday 23 November: W48 has only just begun.
        assert [week.partial for week in weeks] == [False] * 7 + [True]
        assert text_of(screen.query_one("#q-week-7", Static)) == "W48\nso far"
        assert text_of(screen.query_one("#q-week-6", Static)) == "W47\n16 Nov"
        assert "W48 so far: a partial week" in text_of(screen.query_one("#quality-title",
                                                                          Static))
        assert "W48 so far" in text_of(screen.query_one("#quality-promises", Static))
        # Each row says what its n counts.
        names = [text_of(name) for name in screen.query(".q-name").results(Static)]
        assert len(names) == len(METRICS)
        assert all("n = " in name for name in names)
        assert "n = reopenings" in next(n for n in names if n.startswith("Reopen rate"))


async def test_the_boards_ages_keep_counting_without_a_change(
        demo_db: Path, monkeypatch: Any) -> None:
    from datetime import timedelta

    from deskterm.domain import clock
    from deskterm.ui.screens.lead import board
    from tests.conftest import FIXED_NOW

    monkeypatch.setattr(board, "REFRESH_SECONDS", 0.2)
    app = make_app(demo_db, "morgan")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("b")
        await until(pilot, lambda: isinstance(app.screen, board.EscalationBoardScreen)
                    and app.screen.view is not None and bool(app.screen.view.rows), "the board")
        screen = app.screen
        assert isinstance(screen, board.EscalationBoardScreen)

        def ages() -> list[str]:
            table = screen.table
            return [str(getattr(table.get_cell(row.key, "escalated"), "plain", ""))
                    for row in table.ordered_rows]

        before = ages()
        clock.shift_to(FIXED_NOW + timedelta(days=30))  # nothing written meanwhile
        await until(pilot, lambda: ages() != before, "the ages moved on")
        assert all(age.endswith(("w", "y")) for age in ages()), ages()
