"""A screen that never lies about sync: catching up soon after the server is back, a revoked
token signing the app out, and what ctrl+r does without a server.

Real servers on loopback (the `server_desk` fixture); the app under Pilot.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from deskterm.server import runner
from deskterm.server.accounts import revoke_user
from deskterm.services import customers
from deskterm.sync import replica
from deskterm.sync.loop import SyncState
from deskterm.ui.app import DesktermApp
from tests.ui.helpers import ServerDesk, indicator, syncing_app, until

#: The app must be synced again this soon after the server answers again.
CATCH_UP_SECONDS = 5.0


def notifications(app: DesktermApp) -> list[tuple[str, str]]:
    return [(str(n.severity), n.message) for n in app._notifications]


def counting_requests(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Servers started from now on note the path of every request they are sent."""
    seen: list[str] = []
    make = runner.create_app

    def counted(*args: Any, **kwargs: Any) -> Any:
        app = make(*args, **kwargs)

        @app.middleware("http")
        async def note(request: Any, call_next: Callable[[Any], Awaitable[Any]]) -> Any:
            seen.append(request.url.path)
            return await call_next(request)

        return app

    monkeypatch.setattr(runner, "create_app", counted)
    return seen


async def test_after_a_long_outage_the_app_catches_up_within_seconds_of_the_server(
        server_desk: ServerDesk) -> None:
    desk = server_desk
    app = desk.app_for("alex")
    states: list[SyncState] = []
    async with syncing_app(app) as pilot:
        await until(pilot, lambda: indicator(app).startswith("● synced"), "synced at start")
        assert app.session is not None
        app.sync_state.subscribe(app.screen, states.append)

        desk.server.stop()
        down = time.monotonic()
        made = customers.create_customer(app.session.ctx, name="Olga Offline")
        app.changed("customer")
        # Long enough away for an ever-growing backoff to reach waits of 8 s and more.
        await until(pilot, lambda: time.monotonic() - down > 8
                    and len({s.retry_at for s in states if s.kind == "offline"}) >= 4,
                    "offline for a while, retried several times", timeout=30)
        assert "offline" in indicator(app) and "synced " in indicator(app)  # how old

        desk.server.start()
        back = time.monotonic()
        await until(pilot, lambda: indicator(app).startswith("● synced"),
                    "synced again soon after the server answers", timeout=CATCH_UP_SECONDS)
        assert time.monotonic() - back < CATCH_UP_SECONDS
        assert replica.status(app.session.store).pending == 0
        assert made.id in {row["id"] for row in desk.server_rows("customer")}
        # The stream is back too: a change elsewhere arrives by poke, not by the timer.
        await until(pilot, lambda: app.syncer is not None and app.syncer._loop._stream_live,
                    "the live stream reconnected", timeout=CATCH_UP_SECONDS)


async def test_a_revoked_token_signs_the_app_out_and_stops_asking_the_server(
        server_desk: ServerDesk, monkeypatch: pytest.MonkeyPatch) -> None:
    desk = server_desk
    seen = counting_requests(monkeypatch)
    desk.server.stop()
    desk.server.start()  # the same port, now counting what it is asked
    app = desk.app_for("alex")
    revoke_user(desk.db, "alex")
    async with syncing_app(app) as pilot:
        await until(pilot, lambda: indicator(app).startswith("⊘ signed out"), "signed out")
        assert "retrying" not in indicator(app)
        assert app.syncer is not None
        await until(pilot, lambda: app.syncer is not None and not app.syncer.running,
                    "sync stopped")
        told = [m for severity, m in notifications(app) if severity == "error"]
        assert len(told) == 1 and "signed out" in told[0] and "login --server" in told[0]
        asked = len(seen)

        await pilot.press("ctrl+r")  # re-reads the store; tells how to sign in again
        await until(pilot, lambda: any("re-read the local store" in m and "login" in m
                                       for _, m in notifications(app)), "ctrl+r explains")
        # Longer than any retry would wait: nothing more reaches the server.
        quiet_until = time.monotonic() + 3.0
        await until(pilot, lambda: time.monotonic() > quiet_until, "a quiet while")
        assert len(seen) == asked, seen[asked:]
        assert indicator(app).startswith("⊘ signed out")


async def test_the_lead_screens_say_when_the_server_is_away(server_desk: ServerDesk) -> None:
    from deskterm.ui.screens.lead.board import EscalationBoardScreen
    from deskterm.ui.screens.lead.quality import QualityScreen

    desk = server_desk
    app = desk.app_for("morgan")
    async with syncing_app(app) as pilot:
        await until(pilot, lambda: indicator(app).startswith("● synced"), "synced at start")
        await pilot.press("b")
        await until(pilot, lambda: isinstance(app.screen, EscalationBoardScreen), "the board")
        assert indicator(app).startswith("● synced")  # the board's own indicator

        desk.server.stop()
        await until(pilot, lambda: indicator(app).startswith("○ offline · synced "),
                    "the board says offline, and since when")
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, QualityScreen), "quality")
        assert indicator(app).startswith("○ offline · synced ")

        desk.server.start()
        await until(pilot, lambda: indicator(app).startswith("● synced"), "synced again",
                    timeout=CATCH_UP_SECONDS)
