"""Promises in the workspace: the owner's screen says so when a promise falls due, once,
also for a promise made before the app opened or on another machine."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from deskterm.domain import clock
from deskterm.services.context import context_for
from deskterm.services.promises import make_promise
from deskterm.store import open_store
from deskterm.ui import promise_watch
from deskterm.ui.app import DesktermApp
from tests.ui.helpers import make_app, query, settle, until, wait_ready


def notices(app: DesktermApp) -> list[str]:
    return [n.message for n in app._notifications if n.title == "Promise due"]


def _open_ticket(db: Path, owner: str) -> tuple[str, str]:
    return query(db, "SELECT t.id, 'SD-' || t.number FROM ticket t JOIN agent a "
                 "ON a.id = t.owner_id WHERE a.handle = ? AND t.status IN ('open', "
                 "'waiting', 'escalated') LIMIT 1", owner)[0]


async def test_the_owners_screen_says_so_when_a_promise_falls_due(
        demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(promise_watch, "CHECK_EVERY", 0.1)
    ticket_id, key = _open_ticket(demo_db, "alex")
    other_id, _ = _open_ticket(demo_db, "priya")
    store = open_store(demo_db)
    try:
        # Made by a colleague (as if on another machine) before alex's app opened.
        made = make_promise(context_for(store, "priya"), ticket_id,
                            what="call back about the laptop", by="in 1 hour")
        make_promise(context_for(store, "priya"), other_id, what="not alex's", by="in 1 hour")
    finally:
        store.close()
    already_due = set(query(demo_db, "SELECT id FROM promise_event WHERE due_at <= ?",
                            str(clock.utcnow())))
    assert already_due == set()
    app = make_app(demo_db, "alex")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await settle(pilot)
        assert notices(app) == []  # not yet due
        clock.shift_to(made.due_at + timedelta(minutes=1))
        await until(pilot, lambda: bool(notices(app)), "the promise was announced")
        await pilot.pause(0.5)  # several more checks: still announced once
    assert notices(app) == [f'{key}: promised "call back about the laptop" by '
                            f'{made.due_at.astimezone():%Y-%m-%d %H:%M}; keep it (or move '
                            'it with a reason) on the ticket']
