"""The app syncs in the background with a real server: indicator, live pulls, rejections.

Every test runs a real server on a loopback port over an SQLite file, and the app on a
store made the way `deskterm login` makes one (signed in, synced once). The server's
heartbeat is longer than any test, so the app's stream thread can only end at exit by
having its socket cut: each test also proves the app closes promptly.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import DataTable, Digits

from deskterm.domain.goodwill import period_of
from deskterm.domain.money import Money
from deskterm.server.runner import ServerThread
from deskterm.services import customers, goodwill
from deskterm.sync import loop, replica
from deskterm.sync.client import SyncClient
from deskterm.ui.app import DesktermApp
from deskterm.ui.widgets.goodwill import GoodwillPane
from tests.ui.helpers import HEARTBEAT, ServerDesk, indicator, syncing_app, until


@pytest.fixture
def desk(server_desk: ServerDesk) -> ServerDesk:
    return server_desk


def ledger_lines(app: DesktermApp) -> dict[str, str]:
    """The goodwill ledger as shown: table key -> the row's cells as plain text."""
    table: DataTable[Any] = app.screen.query_one(GoodwillPane).ledger_table
    return {str(row.key.value): " | ".join(str(getattr(cell, "plain", cell))
                                           for cell in table.get_row(row.key))
            for row in table.ordered_rows}


def balance_shown(app: DesktermApp) -> str:
    return str(app.screen.query_one("#goodwill-balance", Digits).value)


def notifications(app: DesktermApp) -> list[tuple[str, str]]:
    return [(str(n.severity), n.message) for n in app._notifications]


async def test_the_indicator_follows_the_server_away_and_back_and_offline_work_arrives(
        desk: ServerDesk) -> None:
    app = desk.app_for("alex")
    async with syncing_app(app) as pilot:
        await until(pilot, lambda: indicator(app).startswith("● synced"), "synced at start")
        assert app.session is not None
        store = app.session.store

        desk.server.stop()
        made = customers.create_customer(app.session.ctx, name="Olga Offline")
        app.changed("customer")  # as a form does after a write
        waiting = replica.status(store).pending
        assert waiting >= 1
        await until(pilot, lambda: "offline" in indicator(app)
                    and f"{waiting} pending" in indicator(app), "offline, with the count")
        assert "retrying in" in indicator(app) or "retrying…" in indicator(app)
        assert made.id not in {row["id"] for row in desk.server_rows("customer")}

        desk.server.start()  # the same port: the app finds it again by itself
        await until(pilot, lambda: indicator(app).startswith("● synced"), "synced again",
                    timeout=20)
        assert replica.status(store).pending == 0
        on_server = {row["id"]: row for row in desk.server_rows("customer")}
        assert on_server[made.id]["name"] == "Olga Offline"
        assert not [n for n in notifications(app) if n[0] == "error"]


async def test_work_done_elsewhere_while_the_app_was_closed_shows_once_it_opens(
        desk: ServerDesk) -> None:
    app = desk.app_for("alex")  # the store signed in before morgan's allocation
    morgan = desk.replica("morgan", "morgan-desk")
    goodwill.allocate(morgan.ctx, "alex", Money(5000), reason="November budget")
    morgan.sync()
    async with syncing_app(app) as pilot:
        # The first round may finish before the workspace listens: it must still show.
        await until(pilot, lambda: balance_shown(app) == "€50.00", "the allocation shown")


async def test_a_change_on_another_machine_shows_without_a_key_press(
        desk: ServerDesk, monkeypatch: pytest.MonkeyPatch) -> None:
    # Rounds a minute apart: only the server's poke can bring the change in time.
    monkeypatch.setattr(loop, "ROUND_SECONDS", 60.0)
    morgan = desk.replica("morgan", "morgan-desk")
    app = desk.app_for("alex")
    async with syncing_app(app) as pilot:
        await until(pilot, lambda: indicator(app).startswith("● synced"), "synced at start")
        await until(pilot, lambda: balance_shown(app) == "€0.00", "the empty budget shown")

        goodwill.allocate(morgan.ctx, "alex", Money(5000), reason="November budget")
        morgan.sync()
        # A second or so in practice; the margin is for a loaded CI machine.
        await until(pilot, lambda: balance_shown(app) == "€50.00", "the allocation shown",
                    timeout=5)
        assert any("November budget" in line for line in ledger_lines(app).values())


async def test_a_spend_the_server_rejects_is_told_and_stays_visible_marked_rejected(
        desk: ServerDesk) -> None:
    morgan = desk.replica("morgan", "morgan-desk")
    customer = customers.create_customer(morgan.ctx, name="Cora Customer")
    goodwill.allocate(morgan.ctx, "alex", Money(5000), reason="November budget")
    morgan.sync()
    laptop = desk.replica("alex", "alex-laptop")  # alex's second machine
    app = desk.app_for("alex")
    async with syncing_app(app) as pilot:
        await until(pilot, lambda: balance_shown(app) == "€50.00", "the budget shown")
        assert app.session is not None

        # Both machines offline spend most of the same budget.
        desk.server.stop()
        spent = goodwill.spend(app.session.ctx, Money(4000), reason="Voucher after the outage",
                               customer=customer.id)
        app.changed("goodwill_entry")
        await until(pilot, lambda: "pending" in ledger_lines(app).get(spent.id, ""),
                    "the spend marked pending")
        goodwill.spend(laptop.ctx, Money(3000), reason="Taxi fare refund", customer=customer.id)

        # The laptop reaches the desk first (through a second server instance) …
        other = ServerThread(desk.url, heartbeat_seconds=HEARTBEAT).start()
        try:
            with SyncClient(laptop.store, other.url, desk.tokens["alex"]) as client:
                assert not client.sync().rejected
        finally:
            other.stop()
        # … then the app's instance is back: its spend is the one that does not fit.
        desk.server.start()
        await until(pilot, lambda: any(key.startswith("rejected:")
                                       for key in ledger_lines(app)), "the rejected line",
                    timeout=20)

        told = [m for severity, m in notifications(app) if severity == "warning"]
        assert any(m.startswith("Goodwill spend €40.00 rejected: not enough goodwill budget")
                   for m in told), told
        rejected = next(line for key, line in ledger_lines(app).items()
                        if key.startswith("rejected:"))
        assert "rejected: not enough goodwill budget" in rejected
        assert "Voucher after the outage" in rejected and "€40.00" in rejected
        await until(pilot, lambda: balance_shown(app) == "€20.00", "the laptop's spend pulled")
        assert spent.id not in ledger_lines(app)

        # What the stores hold: one spend on the server, the refused one kept in the outbox.
        spends = [row for row in desk.server_rows("goodwill_entry")
                  if row["kind"] == "spend"]
        assert [row["amount_cents"] for row in spends] == [-3000]
        assert sum(row["amount_cents"] for row in desk.server_rows("goodwill_entry")) == 2000
        kept = replica.rejected_of(app.session.store, "goodwill_entry")
        assert [(c.row_id, c.code) for c in kept] == [(spent.id, "insufficient_budget")]
        assert replica.status(app.session.store).pending == 0


async def test_without_a_server_the_app_says_local_only_and_runs_no_sync(desk: ServerDesk) -> None:
    morgan = desk.replica("morgan", "morgan-desk")
    customer = customers.create_customer(morgan.ctx, name="Lou Local")
    goodwill.allocate(morgan.ctx, "alex", Money(5000), reason="November budget")
    morgan.sync()
    app = desk.app_for("alex", signed_in=False)
    async with syncing_app(app) as pilot:
        await until(pilot, lambda: indicator(app) == "local only", "local only shown")
        assert app.syncer is None
        assert not [w for w in app.workers if w.group.startswith("sync")]
        assert app.session is not None

        spent = goodwill.spend(app.session.ctx, Money(1000), reason="Local goodwill",
                               customer=customer.id)
        app.changed("goodwill_entry")
        await until(pilot, lambda: spent.id in ledger_lines(app), "the local spend shown")
        # Never synced, so pending for good: not worth a mark on every line.
        assert "pending" not in ledger_lines(app)[spent.id]

        await pilot.press("ctrl+r")
        await until(pilot, lambda: any("not signed in" in m for _, m in notifications(app)),
                    "sync now explains why not")
        assert not [n for n in notifications(app) if n[0] == "error"]
        assert period_of(app.session.ctx.now()) in str(
            app.screen.query_one(GoodwillPane).border_subtitle)
        assert "Sync now" in [c.title for c in app.get_system_commands(app.screen)]
