"""One meaning per key, wherever focus is (issue 13, findings 2 and 7).

The rules (README's key table, `ui/widgets/pane.py`): a search box is entered only by
`/` and left by Escape or `↓`; everywhere else the pane's keys, the workspace's and the
app's work; `/` in a pane without a search of its own goes to the queue's filter, so
what follows it is typed, never run. Keys that reach the app before the box has focus
(a fast paste after `/`) are typed into the box too.
"""

from __future__ import annotations

import importlib
import inspect
import io
import pkgutil
from typing import Any

import pytest
from rich.console import Console
from textual import events
from textual.binding import Binding
from textual.dom import DOMNode
from textual.pilot import Pilot
from textual.widgets import Button, Footer, Input
from textual.widgets._footer import FooterKey
from textual.widgets._key_panel import BindingsTable

import deskterm.ui
from deskterm.ui.forms.article import ArticleForm
from deskterm.ui.forms.base import FormScreen
from deskterm.ui.screens.workspace import WorkspaceScreen
from deskterm.ui.widgets.goodwill import GoodwillPane
from deskterm.ui.widgets.history import HistoryPane
from deskterm.ui.widgets.kb import KbPane
from deskterm.ui.widgets.kb import pane as kb_pane_module
from deskterm.ui.widgets.queue import QueuePane
from deskterm.ui.widgets.queue import pane as queue_pane_module
from tests.ui.helpers import make_app, settle, until, wait_ready


@pytest.fixture(autouse=True)
def no_debounce(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kb_pane_module, "SEARCH_DEBOUNCE", 0)
    monkeypatch.setattr(queue_pane_module, "SELECT_DEBOUNCE", 0.001)


def focused_input(pilot: Pilot[Any]) -> Input | None:
    focused = pilot.app.focused
    return focused if isinstance(focused, Input) else None


async def kb_ready(pilot: Pilot[Any]) -> KbPane:
    await wait_ready(pilot)
    pane = pilot.app.screen.query_one(KbPane)
    await until(pilot, lambda: pane.ticket is not None and bool(pane.results.hits),
                "the KB suggests articles for the selected ticket")
    return pane


async def test_pane_keys_work_after_3_into_the_kb(demo_db) -> None:  # type: ignore[no-untyped-def]
    """`3` then `z n e 1`: maximize, new article, edit article, back to the queue."""
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await kb_ready(pilot)
        screen = app.screen
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("z")
        assert screen.maximized is pane
        await pilot.press("z")
        assert screen.maximized is None
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, ArticleForm), "n: new article")
        await pilot.press("escape")  # nothing typed: the form closes at once
        await until(pilot, lambda: app.screen is screen, "the form closed")
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ArticleForm), "e: edit article")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "the form closed")
        await pilot.press("1")
        await settle(pilot)
        assert app.focused is screen.query_one(QueuePane).table
        assert pane.box.value == ""


async def test_tab_into_the_kb_then_letters_are_keys(demo_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await kb_ready(pilot)
        screen = app.screen
        await pilot.press("tab", "tab")
        await settle(pilot)
        assert pane in (app.focused.ancestors if app.focused else [])
        assert focused_input(pilot) is None
        await pilot.press("z")
        assert screen.maximized is pane
        await pilot.press("z", "4")
        await settle(pilot)
        assert app.focused is not None and screen.query_one(GoodwillPane) in app.focused.ancestors
        assert pane.box.value == ""


async def test_slash_enters_the_kb_box_and_escape_or_down_leave_it(demo_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await kb_ready(pilot)
        await pilot.press("3", "slash", "p", "r", "i", "n", "t")
        assert app.focused is pane.box and pane.box.value == "print"
        await until(pilot, lambda: bool(pane.results.hits), "results for print")
        await pilot.press("down")
        assert app.focused is pane.results, "↓ leaves the box into the results"
        await pilot.press("slash", "escape")
        assert app.focused is pane.results, "Escape leaves the box into the results"
        assert pane.box.value == "print", "leaving the box keeps the search"


@pytest.mark.parametrize("pane_key", ["2", "4"])
async def test_slash_in_a_pane_without_a_search_types_into_the_queue_filter(  # type: ignore[no-untyped-def]
        demo_db, pane_key: str) -> None:
    """`2 / a b c` once opened Assign: the letters after `/` are typed, never run."""
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        screen = app.screen
        await pilot.press(pane_key)
        await settle(pilot)
        pane = screen.query_one(HistoryPane if pane_key == "2" else GoodwillPane)
        assert app.focused is not None and pane in app.focused.ancestors
        await pilot.press("slash", "a", "b", "c")
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen), "a letter after / ran a command"
        box = screen.query_one("#queue-filter", Input)
        assert app.focused is box and box.value == "abc"
        await pilot.press("escape")
        await settle(pilot)
        assert app.focused is screen.query_one(QueuePane).table and box.value == ""


async def burst(pilot: Pilot[Any], *keys: str) -> None:
    """Keys that arrive together, as a fast paste brings them: none waits for the last."""
    driver = pilot.app._driver
    assert driver is not None
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else "/")
        event.set_sender(pilot.app)
        driver.send_message(event)
    await settle(pilot)


async def test_a_paste_right_after_slash_goes_into_the_filter(demo_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        queue = app.screen.query_one(QueuePane)
        spec = queue.table.spec
        await burst(pilot, "slash", "s", "v", "z")
        box = queue.query_one("#queue-filter", Input)
        assert box.value == "svz"
        assert (queue.table.spec.sort, queue.table.spec.view) == (spec.sort, spec.view)
        assert app.screen.maximized is None


async def test_a_paste_right_after_slash_goes_into_the_kb_box(demo_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await kb_ready(pilot)
        await pilot.press("3")
        await settle(pilot)
        await burst(pilot, "slash", "n", "e", "t")
        assert not isinstance(app.screen, FormScreen)
        assert pane.box.value == "net"


# -- every key a Binding with an id ---------------------------------------------------------


def _ui_classes() -> list[type[DOMNode]]:
    found: list[type[DOMNode]] = []
    for module_info in pkgutil.walk_packages(deskterm.ui.__path__, "deskterm.ui."):
        module = importlib.import_module(module_info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, DOMNode) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def test_every_binding_has_an_id() -> None:
    """So a keymap in the config can remap any key, and the help can tell ours apart."""
    classes = _ui_classes()
    assert WorkspaceScreen in classes and KbPane in classes
    missing = []
    for cls in classes:
        for binding in cls.__dict__.get("BINDINGS", []):
            if not isinstance(binding, Binding) or not binding.id:
                missing.append(f"{cls.__module__}.{cls.__name__}: {binding}")
    assert missing == []


# -- `?` and the footer (finding 7) ----------------------------------------------------------


def help_lines(pilot: Pilot[Any]) -> list[str]:
    """The `?` panel's keys as they read, top to bottom."""
    table = pilot.app.screen.query_one(BindingsTable)
    console = Console(width=60, record=True, file=io.StringIO())
    console.print(table.render())
    return [line.strip() for line in console.export_text().splitlines() if line.strip()]


async def test_help_lists_the_keys_of_where_you_are_first(demo_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        lines = help_lines(pilot)
        above_the_fold = "\n".join(lines[:12])
        for key in ("Filter", "View", "Sort", "Open"):  # the queue's own keys
            assert key in above_the_fold, f"{key} not in the first lines:\n{above_the_fold}"
        assert lines[0] == "Queue"
        anywhere = lines.index("Anywhere")
        assert lines.index("Scrolling and editing") > anywhere  # Textual's keys last
        await pilot.press("3", "question_mark", "question_mark")  # again, in the KB
        await settle(pilot)
        lines = help_lines(pilot)
        assert lines[0] == "Knowledge base" and "Link to ticket" in "\n".join(lines[:6])
        await pilot.press("question_mark")
        await settle(pilot)
        assert not app.screen.query("HelpPanel")


async def test_a_form_shows_its_own_keys_in_the_footer(demo_db) -> None:  # type: ignore[no-untyped-def]
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, FormScreen), "n: new ticket")
        await settle(pilot)
        footers = app.screen.query(Footer)
        assert footers, "the form has no footer: the workspace's shows through"
        shown = {key.description for key in footers.first().query(FooterKey)}
        # The key that saves says what the form's button says ("Create", not "Save").
        assert {"Cancel", "Create"} <= shown
        assert str(app.screen.query_one("#form-submit", Button).label) == "Create"
        assert not shown & {"Maximize", "View", "Sort", "Quit"}
