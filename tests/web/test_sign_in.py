"""A browser session's sign-in, driven with Pilot against a real server: the token names
the agent, each agent gets a store of their own, and the session speaks its language."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from deskterm.config import load_config
from deskterm.i18n import set_language
from deskterm.store.login import read_login
from deskterm.ui.screens.sign_in import MAX_REFUSALS, SignInScreen
from deskterm.ui.screens.workspace import WorkspaceScreen
from deskterm.ui.web.app import WebDeskApp
from deskterm.ui.web.replica import replicas_dir
from tests.support.servers import RunningServer

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


async def until(pilot: Pilot[None], condition: Callable[[], bool], what: str,
                timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        await pilot.pause(0.05)


def said(app: WebDeskApp) -> str:
    return str(app.screen.query_one("#sign-in-error", Static).render())


async def sign_in(pilot: Pilot[None], token: str) -> None:
    box = pilot.app.screen.query_one("#token", Input)
    await until(pilot, lambda: not box.disabled, "the box takes a token again")
    box.value = token
    await pilot.press("enter")


async def test_each_token_opens_its_own_agents_store_never_a_shared_one(
        server: RunningServer) -> None:
    opened: dict[str, Path] = {}
    for handle in ("alex", "blake"):
        app = WebDeskApp(load_config(), server.url)
        async with app.run_test(size=(120, 40)) as pilot:
            assert isinstance(app.screen, SignInScreen)
            await sign_in(pilot, server.tokens[handle])
            await until(pilot, lambda a=app: isinstance(a.screen, WorkspaceScreen),
                        "the workspace opens")
            assert app.session is not None and app.session.actor.handle == handle
            opened[handle] = app.db_path
    assert opened["alex"] != opened["blake"]
    for handle, path in opened.items():
        assert path.parent.parent == replicas_dir()
        login = read_login(path)
        assert login is not None and login.handle == handle
        assert login.token == server.tokens[handle] and login.server == server.url
    assert sorted(replicas_dir().glob("*/*.db")) == sorted(opened.values())


async def test_in_dutch_a_refused_token_is_said_and_a_session_gives_up_after_a_few(
        server: RunningServer) -> None:
    set_language("nl")
    app = WebDeskApp(load_config(), server.url)
    async with app.run_test(size=(120, 40)) as pilot:
        title = str(app.screen.query_one("#sign-in-title", Static).render())
        assert title == f"Inloggen bij {server.url}"
        await sign_in(pilot, "gok-1")
        await until(pilot, lambda: "kent dat token niet" in said(app), "the refusal")
        assert said(app) == f"De server kent dat token niet. Nog {MAX_REFUSALS - 1} pogingen."
        assert app.screen.query_one("#token", Input).value == ""  # not kept on screen
        await sign_in(pilot, "twee woorden")
        await until(pilot, lambda: "één woord" in said(app), "the malformed token refused")
        for attempt in range(2, MAX_REFUSALS + 1):
            await sign_in(pilot, f"gok-{attempt}")
            if attempt < MAX_REFUSALS:
                await until(pilot, lambda a=attempt: f"Nog {MAX_REFUSALS - a} poging" in
                            said(app), f"refusal {attempt}")
        await until(pilot, lambda: app.return_code is not None or not app.is_running,
                    "the session ends")
    assert not replicas_dir().exists() or not list(replicas_dir().glob("*/*.db"))
