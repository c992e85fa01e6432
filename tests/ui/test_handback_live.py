"""The hand-back, live over a real server: a resolver's resolve reaches the owner's screen
(announced, on top of My open, marked returned) without a key press, and the owner's
chase reaches the resolver group's screen."""

from __future__ import annotations

import pytest

from deskterm.services import customers, groups, handback
from deskterm.services.tickets import create_ticket, escalate_ticket, resolve_ticket
from deskterm.store.queue import QueueView
from deskterm.sync import loop
from deskterm.ui.app import DesktermApp
from deskterm.ui.widgets.queue.columns import status_label
from deskterm.ui.widgets.queue.table import QueueTable
from tests.ui.helpers import ServerDesk, indicator, syncing_app, until


def notices(app: DesktermApp, title: str) -> list[str]:
    return [n.message for n in app._notifications if n.title == title]


def top_row_returned(app: DesktermApp, ticket_id: str) -> bool:
    table = app.screen.query_one(QueueTable)
    row = table._rows.get(0)
    return table.shown_spec.view == QueueView.MINE and row is not None \
        and row.id == ticket_id and status_label(row) == "↩ returned"


async def test_the_resolvers_resolve_reaches_the_owners_screen_without_a_key_press(
        server_desk: ServerDesk, monkeypatch: pytest.MonkeyPatch) -> None:
    # Rounds a minute apart: only the server's poke can bring the return in time.
    monkeypatch.setattr(loop, "ROUND_SECONDS", 60.0)
    morgan = server_desk.replica("morgan", "morgan-desk")  # the resolver here
    groups.add_group(morgan.ctx, "Network", tier=2, lead="morgan")
    customer = customers.create_customer(morgan.ctx, name="Noor Visser")
    morgan.sync()
    alex = server_desk.replica("alex", "alex-laptop")
    older = create_ticket(alex.ctx, customer=customer.id, subject="Older, still open")
    ticket = create_ticket(alex.ctx, customer=customer.id, subject="VPN drops hourly")
    escalate_ticket(alex.ctx, ticket.id, group="Network", reason="Router suspect")
    alex.sync()
    morgan.sync()
    app = server_desk.app_for("alex")
    async with syncing_app(app) as pilot:
        await until(pilot, lambda: indicator(app).startswith("● synced"), "synced")
        await until(pilot, lambda: app.screen.query_one(QueueTable).total >= 1, "my open")
        assert not top_row_returned(app, ticket.id)

        resolve_ticket(morgan.ctx, ticket.id, resolution="Replaced the router")
        morgan.sync()
        # A second or so in practice; the margin is for a loaded CI machine.
        await until(pilot, lambda: any("VPN drops hourly" in n and "Replaced the router" in n
                                       for n in notices(app, "Returned to you")),
                    "the return announced", timeout=5)
        await until(pilot, lambda: top_row_returned(app, ticket.id),
                    "the returned ticket on top of My open, marked", timeout=5)
        table = app.screen.query_one(QueueTable)
        assert older.id in {row.id for row in table._rows.values()}


async def test_the_owners_chase_reaches_the_groups_screen(
        server_desk: ServerDesk, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loop, "ROUND_SECONDS", 60.0)
    lead = server_desk.replica("morgan", "morgan-laptop")
    groups.add_group(lead.ctx, "Network", tier=2, lead="morgan")
    customer = customers.create_customer(lead.ctx, name="Noor Visser")
    lead.sync()
    alex = server_desk.replica("alex", "alex-laptop")
    ticket = create_ticket(alex.ctx, customer=customer.id, subject="VPN drops hourly")
    escalate_ticket(alex.ctx, ticket.id, group="Network", reason="Router suspect")
    alex.sync()
    app = server_desk.app_for("morgan")
    async with syncing_app(app) as pilot:
        await until(pilot, lambda: indicator(app).startswith("● synced"), "synced")
        handback.chase(alex.ctx, ticket.id, "The customer calls daily: any news?")
        alex.sync()
        await until(pilot, lambda: any("any news?" in n and "from alex" in n
                                       for n in notices(app, "Chased")),
                    "the chase announced", timeout=5)
