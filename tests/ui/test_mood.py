"""Quitting asks "How was your day?" once a day, per agent; the agent's own trend shows
in the top bar only when they ask for it, and always in the mood view."""

from __future__ import annotations

import sqlite3
import tomllib
from datetime import date
from pathlib import Path

import pytest

from deskterm.config import load_config
from deskterm.domain.clock import utcnow
from deskterm.services.context import context_for
from deskterm.services.wellbeing import record_mood, show_mood_in_header
from deskterm.store import open_store
from deskterm.ui.app import DesktermApp
from deskterm.ui.screens.mood import MoodScreen
from deskterm.ui.screens.mood_view import MoodViewScreen
from deskterm.ui.widgets.mood_trend import MoodTrend, sparkline
from tests.ui.helpers import make_app, palette, settle, wait_ready


def today() -> str:
    return utcnow().astimezone().date().isoformat()


def moods_today(db: Path, handle: str = "alex") -> list[tuple[int, str | None]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT m.score, m.note FROM mood_entry m JOIN agent a ON a.id = m.agent_id "
            "WHERE a.handle = ? AND m.local_date = ?", (handle, today())).fetchall()


async def quit_app(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("q")
    await settle(pilot)


async def asked(pilot) -> None:  # type: ignore[no-untyped-def]
    """Once the workspace is up, quit: the mood question shows."""
    await wait_ready(pilot)
    await quit_app(pilot)
    assert isinstance(pilot.app.screen, MoodScreen)
    assert not exited(pilot.app)


def exited(app: DesktermApp) -> bool:
    return app.return_code is not None


async def test_quitting_asks_once_a_day(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await asked(pilot)
        assert not exited(app)
        await pilot.press("4", "enter")
        await settle(pilot)
        assert exited(app)
    assert moods_today(demo_db) == [(4, None)]

    again = make_app(demo_db)
    async with again.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await quit_app(pilot)
        assert exited(again)
        assert not any(isinstance(screen, MoodScreen) for screen in again.screen_stack)
    assert moods_today(demo_db) == [(4, None)]


async def test_a_private_note_goes_with_the_smiley(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await asked(pilot)
        await pilot.press("enter")  # nothing picked yet: asks for a smiley
        await settle(pilot)
        assert "pick a smiley" in str(app.screen.query_one("#form-error").render())
        await pilot.press("right", "right", "left")  # 3 (from the middle), 4, 3
        await pilot.press("tab", *"calm", "enter")  # the note, and save
        await settle(pilot)
        assert exited(app)
    assert moods_today(demo_db) == [(3, "calm")]


async def test_escape_skips_and_writes_nothing(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await asked(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert exited(app)
    assert moods_today(demo_db) == []


async def test_issue10_finding10_a_skip_is_remembered_per_agent_not_per_machine(
        demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """alex skips; sofia, on the same machine (one config file), is still asked."""
    config_file = tmp_path / "config.toml"
    monkeypatch.setenv("DESKTERM_CONFIG", str(config_file))

    def app_as(handle: str) -> DesktermApp:  # as `deskterm --as HANDLE` opens it
        return DesktermApp(load_config(), demo_db, handle)

    app = app_as("alex")
    async with app.run_test(size=(120, 40)) as pilot:
        await asked(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert exited(app)
    assert not config_file.exists() or "mood" not in config_file.read_text(encoding="utf-8")

    sofia = app_as("sofia")
    async with sofia.run_test(size=(120, 40)) as pilot:
        await asked(pilot)  # not skipped for her: alex's skip is alex's
        await pilot.press("escape")
        await settle(pilot)
        assert exited(sofia)

    again = app_as("alex")
    async with again.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await quit_app(pilot)
        assert exited(again)  # skipped today: not asked again
        assert not any(isinstance(screen, MoodScreen) for screen in again.screen_stack)
    assert moods_today(demo_db, "alex") == [] and moods_today(demo_db, "sofia") == []


async def test_issue10_finding10_a_theme_picked_in_one_run_is_the_theme_of_the_next(
        demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config_file = tmp_path / "config.toml"
    monkeypatch.setenv("DESKTERM_CONFIG", str(config_file))
    app = DesktermApp(load_config(), demo_db, "alex")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert app.theme != "nord"
        await palette(pilot, "theme")
        await pilot.press("enter")  # Textual's "Theme": the theme picker
        await palette(pilot, "nord")
        await pilot.press("enter")
        await settle(pilot)
        assert app.theme == "nord"
    assert tomllib.loads(config_file.read_text(encoding="utf-8"))["theme"] == "nord"

    again = DesktermApp(load_config(), demo_db, "alex")
    async with again.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert again.theme == "nord"
        again.theme = "textual-dark"  # back to the first one: remembered too
        await settle(pilot)
    assert tomllib.loads(config_file.read_text(encoding="utf-8"))["theme"] == "textual-dark"


async def test_no_question_when_the_mood_is_already_logged(demo_db: Path) -> None:
    store = open_store(demo_db)
    try:
        record_mood(context_for(store, "alex"), 5)
    finally:
        store.close()
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await quit_app(pilot)
        assert exited(app)
        assert not any(isinstance(screen, MoodScreen) for screen in app.screen_stack)
    assert moods_today(demo_db) == [(5, None)]


async def test_without_a_desk_quit_does_not_ask(demo_db: Path) -> None:
    app = make_app(demo_db, handle="nobody")  # no such agent: the start screen says so
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.session is None
        await quit_app(pilot)
        assert exited(app)


def show_in_header(db: Path, handle: str, shown: bool = True) -> None:
    """What the palette's "Show my mood in the header" remembers, for `handle`."""
    store = open_store(db)
    try:
        show_mood_in_header(context_for(store, handle), shown)
    finally:
        store.close()


async def test_the_trend_shows_only_my_own_moods(demo_db: Path) -> None:
    show_in_header(demo_db, "alex")
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        shown = str(app.screen.query_one(MoodTrend).render())
    with sqlite3.connect(demo_db) as connection:
        rows = connection.execute(
            "SELECT m.local_date, m.score FROM mood_entry m JOIN agent a ON a.id = m.agent_id "
            "WHERE a.handle = 'alex'").fetchall()
    expected = sparkline(rows, date.fromisoformat(today()))
    assert expected.strip()  # the demo gives alex moods in the last 30 days
    assert shown == f"mood {expected}"


async def test_issue10_finding9_the_header_shows_no_mood_unless_asked_the_mood_view_does(
        demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        trend = app.screen.query_one(MoodTrend)
        assert not trend.display and str(trend.render()) == ""
        assert "mood" not in "".join(
            str(widget.render()) for widget in app.screen.query("#topbar > *"))
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, MoodViewScreen)
        own = str(app.screen.query_one("#mood-own").render())
        assert "days logged" in own  # the mood view is where the trend is


async def test_issue10_finding9_the_palette_shows_my_mood_in_the_header_remembered_per_agent(
        demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        listed = await palette(pilot, "mood in the header")
        assert listed and listed[0].startswith("Show my mood in the header")
        await pilot.press("enter")
        await settle(pilot)
        trend = app.screen.query_one(MoodTrend)
        assert trend.display and str(trend.render()).startswith("mood ")

    again = make_app(demo_db)
    async with again.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        trend = again.screen.query_one(MoodTrend)
        assert trend.display  # remembered
        listed = await palette(pilot, "mood from the header")
        assert listed and listed[0].startswith("Hide my mood from the header")
        await pilot.press("enter")
        await settle(pilot)
        assert not trend.display and str(trend.render()) == ""

    show_in_header(demo_db, "alex")
    sofia = make_app(demo_db, handle="sofia")  # the same store, another agent
    async with sofia.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert not sofia.screen.query_one(MoodTrend).display


def test_sparkline_leaves_days_without_a_mood_blank() -> None:
    entries = [("2026-11-20", 1), ("2026-11-22", 5), ("2026-10-01", 3)]
    line = sparkline(entries, date(2026, 11, 23), days=5)
    assert line == " ▁ █ "
