"""The command palette lists every action with its key, and runs the one chosen."""

from __future__ import annotations

from pathlib import Path

from deskterm.ui.forms.ticket_state import EscalateForm
from deskterm.ui.screens.ticket import TicketScreen
from deskterm.ui.screens.workspace import WorkspaceScreen
from deskterm.ui.widgets.queue import QueuePane
from tests.ui.helpers import make_app, palette, settle, wait_ready


async def test_typing_escalate_lists_the_action_and_runs_it(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        listed = await palette(pilot, "escalate")
        assert listed and listed[0].startswith("Escalate ticket")
        assert "x · to tier 2/3" in listed[0]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EscalateForm)


async def test_every_workspace_action_is_discoverable_with_its_key(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        listed = "\n".join(await palette(pilot))
    for title, key in [
        ("New ticket", "n"), ("Edit ticket", "e"), ("Assign ticket", "a"),
        ("Escalate ticket", "x"), ("Resolve ticket", "r"), ("Reopen ticket", "o"),
        ("Log contact", "c"), ("Spend goodwill", "$"), ("Add kudos", "K"),
        ("Open ticket", "⏎"), ("Filter the queue", "/"), ("Next queue view", "v"),
        ("Next sort column", "s"), ("Reverse the sort", "S"), ("Go to the queue", "1"),
        ("Go to goodwill", "4"), ("Maximize pane", "z"), ("Next pane", "tab"),
    ]:
        assert f"{title}\n{key} · " in listed, title
    assert "Queue view: Escalated" in listed
    assert "Sort queue by Customer" in listed
    assert "Theme" in listed and "Keys" in listed  # Textual's own stay


async def test_palette_commands_drive_the_queue(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await palette(pilot, "view: escalated")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, WorkspaceScreen)
        assert app.screen.query_one(QueuePane).table.spec.view.value == "escalated"


async def test_keys_follow_the_keymap(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.set_keymap({"ticket.escalate": "E"})
        await pilot.pause()
        listed = await palette(pilot, "escalate ticket")
        assert listed[0].startswith("Escalate ticket\nE · ")


async def test_the_ticket_screen_lists_its_actions(demo_db: Path) -> None:
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
        listed = "\n".join(await palette(pilot))
        assert "Resolve ticket\nr · " in listed
        assert "Back to the workspace\nesc · " in listed
        assert "Filter the queue" not in listed
