"""The people screens on a demo desk: the board, quality, mood, kudos and goodwill oversight
show what the services compute, and their forms write the store."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, OptionList, Select, Static, TextArea

from deskterm.domain.clock import utcnow
from deskterm.domain.goodwill import period_of
from deskterm.services import customers, org
from deskterm.services.board import escalation_board
from deskterm.services.context import context_for
from deskterm.services.drivers import driver_importance
from deskterm.services.goodwill_team import team_budgets
from deskterm.services.groups import add_group
from deskterm.services.highlights import weekly_highlights
from deskterm.services.knowledge_gaps import escalation_topics
from deskterm.services.quality import weekly_quality
from deskterm.services.team_mood import NOT_ENOUGH, local_team_mood
from deskterm.services.tickets import create_ticket, escalate_ticket, resolve_ticket
from deskterm.services.wellbeing import add_kudos, list_kudos, local_today, record_mood
from deskterm.store import Store, open_store
from deskterm.ui.app import DesktermApp
from deskterm.ui.forms.allocate_team import WHOLE_TEAM, AllocateForm
from deskterm.ui.forms.goodwill import ReverseForm
from deskterm.ui.forms.nudge import NudgeForm
from deskterm.ui.screens.kudos import KudosScreen
from deskterm.ui.screens.lead import board as board_module
from deskterm.ui.screens.lead.board import EscalationBoardScreen
from deskterm.ui.screens.lead.goodwill_team import GoodwillOversightScreen
from deskterm.ui.screens.lead.quality import (
    METRICS,
    SHOWN_TOPICS,
    QualityScreen,
    rate_text,
    share_text,
)
from deskterm.ui.screens.mood_view import MoodViewScreen
from deskterm.ui.screens.workspace import WorkspaceScreen
from tests.conftest import Desk
from tests.ui.helpers import (
    RANDOM_KEYS,
    WHOLE_STORE,
    ServerDesk,
    indicator,
    make_app,
    query,
    settle,
    store_invariants,
    syncing_app,
    text_of,
    until,
    wait_ready,
)

ScreenT = TypeVar("ScreenT", bound=Screen)  # type: ignore[type-arg]


@asynccontextmanager
async def running(db: Path, handle: str = "morgan", **config: object
                  ) -> AsyncIterator[tuple[DesktermApp, Pilot[None]]]:
    app = make_app(db, handle, **config)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        yield app, pilot


async def open_view(pilot: Pilot[None], key: str, kind: type[ScreenT],
                    loaded: Callable[[ScreenT], bool]) -> ScreenT:
    """Press `key` and wait until the screen shows what its worker read."""
    await pilot.press(key)
    await until(pilot, lambda: isinstance(pilot.app.screen, kind)
                and loaded(pilot.app.screen))  # type: ignore[arg-type]
    await settle(pilot)
    return pilot.app.screen  # type: ignore[return-value]


async def open_board(pilot: Pilot[None]) -> EscalationBoardScreen:
    return await open_view(pilot, "b", EscalationBoardScreen, lambda s: s.view is not None)


def board_keys(board: EscalationBoardScreen) -> list[str]:
    return [str(key.value) for key in board.table.rows]


def board_cells(board: EscalationBoardScreen, ticket_id: str) -> list[str]:
    return [cell.plain for cell in board.table.get_row(ticket_id)]


def notices(app: DesktermApp) -> list[str]:
    return [n.message for n in app._notifications]


async def type_text(pilot: Pilot[None], widget: Input | TextArea, text: str) -> None:
    widget.focus()
    await pilot.pause()
    await pilot.press(*text)


async def save_form(pilot: Pilot[None]) -> None:
    form = pilot.app.screen
    await pilot.press("ctrl+o")
    await until(pilot, lambda: pilot.app.screen is not form)
    await settle(pilot)


def other_store(db: Path) -> Store:
    """The same store file opened as another machine's process would (a second engine)."""
    return open_store(db)


# -- the escalation board -----------------------------------------------------------------


async def test_board_shows_the_teams_escalations_as_the_service_sorts_and_filters_them(
        demo_db: Path) -> None:
    async with running(demo_db) as (app, pilot):
        board = await open_board(pilot)
        store, team = app.session.store, app.session.actor.team_id  # type: ignore[union-attr]

        def expected(**options: object) -> list[str]:
            return [row.ticket_id for row in escalation_board(store, team_id=team,
                                                              **options)]  # type: ignore[arg-type]

        assert len(board_keys(board)) >= 3
        assert board_keys(board) == expected(sort="age")
        for row in escalation_board(store, team_id=team):
            cells = board_cells(board, row.ticket_id)
            assert cells[0] == row.key
            assert cells[5] == (row.owner_handle or "—")
            assert cells[9] == str(row.repeat_contacts)
            assert cells[3] == f"P{int(row.priority)}"
        for sort in ("priority", "tier", "age"):
            await pilot.press("s")
            await until(pilot, lambda s=sort: board.sort == s)
            await settle(pilot)
            assert board_keys(board) == expected(sort=sort)
        filtered = 0
        for _id, code in app.session.departments:  # type: ignore[union-attr]
            await pilot.press("d")
            await until(pilot, lambda c=code: board.department == c)
            await settle(pilot)
            assert board_keys(board) == expected(department=code)
            filtered += len(board_keys(board))
        assert 0 < filtered <= len(expected())
        assert not any("New escalation" in n for n in notices(app))  # filtering is not news

        # The weekly highlight: the service's best-rated interactions, newest first.
        highlights = weekly_highlights(store, team_id=team)
        best = text_of(board.query_one("#board-best", Static)).splitlines()
        assert highlights.best and len(best) == len(highlights.best)
        for line, item in zip(best, highlights.best, strict=True):
            assert f"{item.ticket_key} {item.customer}: " in line
        drivers = text_of(board.query_one("#board-drivers", Static))
        for change in highlights.improved:
            assert f"{change.before:.1f}→{change.after:.1f}" in drivers
        assert not board.query_one("#board-warning").display  # the demo team is fine


async def test_stale_escalations_are_tagged_by_the_configured_hours(demo_db: Path) -> None:
    store = other_store(demo_db)
    try:
        team = context_for(store, "morgan").actor.team_id
        rows = escalation_board(store, team_id=team)
    finally:
        store.close()
    now = utcnow()
    waited = sorted((now - (r.last_contact_at or r.escalated_at)).total_seconds() / 3600  # type: ignore[operator]
                    for r in rows)
    hours = round(waited[len(waited) // 2], 1)  # about half the rows are stale
    async with running(demo_db, stale_hours=hours) as (app, pilot):
        board = await open_board(pilot)
        expected = {r.ticket_id for r in escalation_board(
            app.session.store, team_id=team, stale_hours=hours)  # type: ignore[union-attr]
            if r.stale}
        tagged = {key for key in board_keys(board) if board_cells(board, key)[-1] == "stale"}
        assert tagged == expected
        assert 0 < len(tagged) < len(rows)
        assert f"{len(tagged)} stale (no contact for {hours:g}h)" in \
            text_of(board.query_one("#board-title", Static))


async def test_nudge_writes_a_nudge_event_on_the_owners_ticket(demo_db: Path) -> None:
    async with running(demo_db) as (app, pilot):
        board = await open_board(pilot)
        row = board.current
        assert row is not None
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, NudgeForm))
        form = app.screen
        await type_text(pilot, form.query_one("#nudge-message", TextArea),
                        "Please call the customer back today")
        await save_form(pilot)
        assert app.screen is board
        assert any(f"Nudged @{row.owner_handle} on {row.key}" in n for n in notices(app))
    events = query(demo_db, "SELECT e.detail, a.handle FROM ticket_event e JOIN agent a "
                   "ON a.id = e.agent_id WHERE e.ticket_id = ? AND e.kind = 'nudge'",
                   row.ticket_id)
    assert events == [("Please call the customer back today", "morgan")]
    assert query(demo_db, "SELECT count(*) FROM outbox WHERE entity = 'ticket_event' AND "
                 "fields LIKE '%Please call the customer back today%'") == [(1,)]


async def test_a_new_escalation_appears_highlighted_and_announced_then_leaves(
        demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(board_module, "HIGHLIGHT_SECONDS", 0.5)
    # Every notification as raised: a toast leaves app._notifications when it times out,
    # which on a loaded machine can come before the assertion below.
    told: list[str] = []
    notify = DesktermApp.notify

    def recording(self: DesktermApp, message: str, *args: object, **kwargs: object) -> None:
        told.append(str(message))
        notify(self, message, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(DesktermApp, "notify", recording)
    async with running(demo_db) as (app, pilot):
        board = await open_board(pilot)
        before = board_keys(board)
        store = other_store(demo_db)
        try:
            alex = context_for(store, "alex")
            customer = query(demo_db, "SELECT id FROM customer WHERE NOT deleted LIMIT 1")[0][0]
            ticket = create_ticket(alex, customer=customer, subject="Badge printer on fire")
            escalate_ticket(alex, ticket.id, tier=2, group="Facilities 2nd line",
                            reason="Needs a technician on site")
            app.changed("ticket")  # as the sync does after pulling the agent's change
            await until(pilot, lambda: ticket.id in board_keys(board))
            assert board_cells(board, ticket.id)[-1] == "new"
            assert set(board_keys(board)) == {*before, ticket.id}
            key = next(row.key for row in escalation_board(
                app.session.store, team_id=alex.actor.team_id)  # type: ignore[union-attr]
                if row.ticket_id == ticket.id)
            assert board_cells(board, ticket.id)[0] == key
            await until(pilot, lambda: f"New escalation {key}: Badge printer on fire "
                        "(owner alex)" in told, "the new escalation announced")
            # The highlight fades by itself, without a key press.
            await until(pilot, lambda: board_cells(board, ticket.id)[-1] != "new")
            resolve_ticket(alex, ticket.id, resolution="Technician replaced the fuser")
            app.changed("ticket")
            await until(pilot, lambda: ticket.id not in board_keys(board))
            assert board_keys(board) == before
        finally:
            store.close()


async def test_enter_opens_the_ticket_and_escape_comes_back_to_the_board(demo_db: Path) -> None:
    async with running(demo_db) as (app, pilot):
        board = await open_board(pilot)
        row = board.current
        assert row is not None
        await pilot.press("enter")
        await until(pilot, lambda: type(app.screen).__name__ == "TicketScreen")
        assert app.screen.ticket_id == row.ticket_id  # type: ignore[attr-defined]
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is board)
        # q closes a people screen (it does not quit the app); m replaces it.
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, MoodViewScreen))
        assert len(app.screen_stack) == 3  # base, workspace, mood: the board was replaced
        await pilot.press("q")
        await until(pilot, lambda: isinstance(app.screen, WorkspaceScreen))
        assert app.return_code is None


async def test_agents_are_refused_the_lead_screens_politely(demo_db: Path) -> None:
    async with running(demo_db, "alex") as (app, pilot):
        for key in ("b", "u", "B"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, WorkspaceScreen)
        assert sum("is for team leads" in n for n in notices(app)) == 3


async def test_the_palette_opens_the_board(demo_db: Path) -> None:
    async with running(demo_db) as (app, pilot):
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"escalation board")
        await settle(pilot)
        await pilot.pause(0.2)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, EscalationBoardScreen))


# -- quality --------------------------------------------------------------------------------


async def test_quality_screen_shows_weekly_quality_and_the_drivers(demo_db: Path) -> None:
    async with running(demo_db) as (app, pilot):
        screen = await open_view(pilot, "u", QualityScreen, lambda s: s.view is not None)
        store, team = app.session.store, app.session.actor.team_id  # type: ignore[union-attr]
        weeks = weekly_quality(store, team_id=team, weeks=8,
                               viewer_id=app.session.actor.id)  # type: ignore[union-attr]
        assert any(week.satisfaction.count for week in weeks)
        for metric in METRICS:
            for index, week in enumerate(weeks):
                rate = getattr(week, metric.field)
                cell = text_of(screen.query_one(f"#q-{metric.key}-{index}", Static))
                assert cell == f"{rate_text(metric, rate)}\nn={rate.count}", metric.key
        drivers = text_of(screen.query_one("#quality-drivers", Static)).splitlines()
        analysis = driver_importance(store, team_id=team)
        assert len(drivers) == len(analysis.drivers)
        assert any(driver.share is not None for driver in analysis.drivers)
        for line, driver in zip(drivers, analysis.drivers, strict=True):
            assert f"{driver.responses} responses" in line
            assert share_text(driver) in line
        assert analysis.r_squared is not None
        subtitle = str(screen.query_one("#quality-drivers", Static).border_subtitle)
        assert f"explain {analysis.r_squared * 100:.0f}% of CSAT" in subtitle
        # What 1st line could take on next: the service's topics, most uncovered first.
        gaps = escalation_topics(store, team_id=team, weeks=8)
        assert gaps.topics, "the demo has escalations"
        topics = text_of(screen.query_one("#quality-topics", Static)).splitlines()
        assert topics[0].startswith(f"{gaps.covered} of {len(gaps.topics)} topics have an "
                                    "article")
        for line, topic in zip(topics[1:], gaps.topics, strict=False):
            assert line.startswith(topic.group[:28]) and topic.kind.value in line
            assert f"{topic.escalations} escalated" in line
            assert f"{topic.with_article} with an article" in line
        assert len(topics) == 1 + min(len(gaps.topics), SHOWN_TOPICS)
        # No per-agent figure: no agent's handle or name anywhere on the screen.
        everything = "\n".join(text_of(widget) for widget in screen.query(Static))
        for handle, name in query(demo_db, "SELECT handle, name FROM agent"):
            assert f"@{handle}" not in everything and name not in everything


# -- mood ---------------------------------------------------------------------------------


def today_line(screen: MoodViewScreen, day: str) -> str:
    lines = text_of(screen.query_one("#mood-days", Static)).splitlines()
    return next(line for line in lines if line.startswith(day))


async def test_team_mood_shows_nothing_for_two_agents_and_the_mean_for_three_others(
        desk: Desk, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    org.add_agent(desk.admin, desk.store, handle="dana", name="Dana Agent", team="Desk North")
    dana = context_for(desk.store, "dana")
    record_mood(desk.alex, 2)
    record_mood(desk.blake, 4)
    today = local_today(desk.alex).isoformat()
    async with running(db) as (app, pilot):
        screen = await open_view(pilot, "m", MoodViewScreen, lambda s: s.view is not None)
        line = today_line(screen, today)
        assert line.split(maxsplit=1) == [today, NOT_ENOUGH]
        assert "3.0" not in text_of(screen.query_one("#mood-days", Static))
        record_mood(dana, 3)
        app.changed("mood_entry")
        await until(pilot, lambda: NOT_ENOUGH not in today_line(screen, today))
        line = today_line(screen, today)
        # The mean and how many agents; three are too few for the spread under the faces.
        assert line.split()[1] == "3.0"
        assert "too few to show the spread" in line
        assert [int(part) for part in line.split() if part.isdigit()] == [3]


async def test_a_clear_drop_in_the_teams_mood_raises_the_warning_on_the_board(
        desk: Desk, tmp_path: Path) -> None:
    org.add_agent(desk.admin, desk.store, handle="dana", name="Dana Agent", team="Desk North")
    today = local_today(desk.alex)
    for ctx in (desk.alex, desk.blake, context_for(desk.store, "dana")):
        for back in range(1, 36):
            record_mood(ctx, 2 if back <= 6 else 5, on=today - timedelta(days=back))
    warning = local_team_mood(desk.lead).warning
    assert warning is not None
    async with running(tmp_path / "store.db") as (app, pilot):
        board = await open_board(pilot)
        banner = board.query_one("#board-warning", Static)
        await until(pilot, lambda: banner.display)
        assert text_of(banner) == f"⚠ Mood early warning: {warning.message}"
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, MoodViewScreen)
                    and app.screen.view is not None)
        assert warning.message in text_of(app.screen.query_one("#mood-warning", Static))


async def test_an_agent_sees_only_their_own_trend(demo_db: Path) -> None:
    async with running(demo_db, "alex") as (_app, pilot):
        screen = await open_view(pilot, "m", MoodViewScreen, lambda s: s.view is not None)
        assert screen.view is not None and screen.view.team is None
        assert not screen.query("#mood-weeks") and not screen.query("#mood-days")
        own = text_of(screen.query_one("#mood-own", Static))
        moods = query(demo_db, "SELECT count(*) FROM mood_entry m JOIN agent a ON a.id = "
                      "m.agent_id WHERE a.handle = 'alex' AND m.local_date >= ?",
                      screen.view.today.fromordinal(screen.view.today.toordinal() - 29)
                      .isoformat())[0][0]
        assert moods > 0 and f"{moods} days logged" in own


# -- kudos ----------------------------------------------------------------------------------


async def test_kudos_feed_lists_newest_first_and_announces_a_new_one(demo_db: Path) -> None:
    async with running(demo_db, "alex") as (app, pilot):
        feed = await open_view(pilot, "f", KudosScreen, lambda s: s.feed is not None)
        listing = feed.query_one(OptionList)

        def shown() -> list[str]:
            return [str(listing.get_option_at_index(i).id) for i in range(listing.option_count)]

        assert shown() == [k.id for k in list_kudos(app.session.store, limit=200)]  # type: ignore[union-attr]
        assert len(shown()) > 10
        store = other_store(demo_db)
        try:
            kudos = add_kudos(context_for(store, "morgan"), message="Calm and quick with the "
                              "outage calls", source="lead", about="alex")
        finally:
            store.close()
        app.changed("kudos")
        await until(pilot, lambda: shown()[0] == kudos.id)
        assert "Kudos for alex from Morgan" in "\n".join(notices(app))
        assert any(n.endswith(": Calm and quick with the outage calls") for n in notices(app))


# -- goodwill oversight ---------------------------------------------------------------------


async def test_goodwill_oversight_allocates_to_the_team_and_reverses_an_entry(
        demo_db: Path) -> None:
    async with running(demo_db) as (app, pilot):
        screen = await open_view(pilot, "B", GoodwillOversightScreen,
                                 lambda s: s.team is not None and s.ledger is not None)
        ctx = app.session.ctx  # type: ignore[union-attr]
        period = period_of(utcnow())
        before = {b.agent.handle: b for b in team_budgets(ctx, period=period)}
        shown = [str(k.value) for k in screen.budgets_table.rows]
        assert shown == list(before)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AllocateForm))
        form = app.screen
        form.query_one("#allocate-to", Select).value = WHOLE_TEAM
        await type_text(pilot, form.query_one("#allocate-amount", Input), "15")
        await save_form(pilot)
        agents = query(demo_db, "SELECT a.handle FROM agent a JOIN agent l ON l.team_id = "
                       "a.team_id WHERE l.handle = 'morgan' AND a.role = 'agent' AND a.active "
                       "ORDER BY a.handle")
        allocated = query(demo_db, "SELECT a.handle FROM goodwill_entry g JOIN agent a ON "
                          "a.id = g.budget_agent_id JOIN agent author ON author.id = "
                          "g.author_id WHERE g.kind = 'allocation' AND g.amount_cents = 1500 "
                          "AND g.period = ? AND author.handle = 'morgan' ORDER BY a.handle",
                          period)
        assert allocated == agents and len(agents) >= 3
        after = {b.agent.handle: b for b in team_budgets(ctx, period=period)}
        for (handle,) in agents:
            assert after[handle].allocated.cents == before[handle].allocated.cents + 1500
        await until(pilot, lambda: screen.team is not None and all(
            b.allocated == after[b.agent.handle].allocated for b in screen.team.budgets))
        await until(pilot, lambda: screen.ledger is not None and screen.entry is not None)

        # Reverse the highlighted ledger entry (the member's newest: the allocation above).
        await pilot.press("tab")
        entry = screen.entry
        assert entry is not None
        await pilot.press("R")
        await until(pilot, lambda: isinstance(app.screen, ReverseForm))
        await type_text(pilot, app.screen.query_one("#reverse-reason", Input),
                        "Allocated twice by mistake")
        await save_form(pilot)
    reversal = query(demo_db, "SELECT amount_cents, reason, budget_agent_id, period FROM "
                     "goodwill_entry WHERE reverses_id = ?", entry.id)
    assert reversal == [(-entry.amount_cents, "Allocated twice by mistake",
                         entry.budget_agent_id, entry.period)]


async def test_the_board_shows_returned_tickets_whose_customer_waits(demo_db: Path) -> None:
    async with running(demo_db) as (app, pilot):
        board = await open_board(pilot)
        shown = board.query_one("#board-returned", Static)
        # The demo's own: alex's tickets back from 2nd line, the customer not told yet.
        await until(pilot, lambda: "customer not told yet" in text_of(shown) and shown.display,
                    "the demo's returned tickets on the board")
        before = int(text_of(shown).split("customer not told yet: ")[1].split()[0])
        assert before >= 2 and "@alex" in text_of(shown)
        store = other_store(demo_db)
        try:
            alex = context_for(store, "alex")
            customer = query(demo_db, "SELECT id FROM customer WHERE NOT deleted LIMIT 1")[0][0]
            ticket = create_ticket(alex, customer=customer, subject="Scanner offline")
            group = query(demo_db, "SELECT name FROM resolver_group LIMIT 1")[0][0]
            escalate_ticket(alex, ticket.id, group=group, reason="Driver")
            resolver = query(demo_db, "SELECT handle FROM agent WHERE tier = 2 LIMIT 1")[0][0]
            resolve_ticket(context_for(store, resolver), ticket.id, resolution="New driver")
        finally:
            store.close()
        app.changed("ticket")  # as the sync does after pulling the resolver's change
        await until(pilot, lambda: "Scanner offline" in text_of(shown) and shown.display,
                    "the returned ticket on the board")
        assert f"customer not told yet: {before + 1}" in text_of(shown)
        assert "@alex" in text_of(shown) and "waiting" in text_of(shown)


# -- live over a real server ----------------------------------------------------------------


async def test_an_escalation_on_an_agents_machine_reaches_the_leads_board_without_input(
        server_desk: ServerDesk) -> None:
    lead = server_desk.replica("morgan", "morgan-desk")
    add_group(lead.ctx, "Apps 2nd line", tier=2)
    lead.sync()
    alex = server_desk.replica("alex", "alex-laptop")
    customer = customers.create_customer(alex.ctx, name="Noor Visser")
    ticket = create_ticket(alex.ctx, customer=customer.id, subject="Laptop will not boot")
    alex.sync()
    app = server_desk.app_for("morgan")
    async with syncing_app(app) as pilot:
        await until(pilot, lambda: indicator(app).startswith("● synced"), "synced")
        await pilot.press("b")
        await until(pilot, lambda: isinstance(app.screen, EscalationBoardScreen)
                    and app.screen.view is not None, "the board")
        board = app.screen
        assert isinstance(board, EscalationBoardScreen) and board_keys(board) == []

        escalate_ticket(alex.ctx, ticket.id, group="Apps 2nd line",
                        reason="Disk needs replacing")
        alex.sync()
        await until(pilot, lambda: board_keys(board) == [ticket.id], "the escalation shown",
                    timeout=5)
        cells = board_cells(board, ticket.id)
        assert cells[5] == "alex" and cells[-1] == "new"
        assert any("New escalation" in n and "Laptop will not boot" in n for n in notices(app))

        resolve_ticket(alex.ctx, ticket.id, resolution="Replaced the disk")
        alex.sync()
        await until(pilot, lambda: board_keys(board) == [], "the escalation gone", timeout=5)


# -- no key sequence crashes the lead's app ------------------------------------------------


async def test_random_keys_through_the_lead_screens_do_not_crash_the_app(demo_db: Path) -> None:
    rng = random.Random(20261124)
    # The workspace's keys, the people screens' keys, and the keys inside them, with the
    # people keys weighted up so every screen is visited often.
    people = ["b", "u", "m", "f", "B"]
    keys = [*(k for k in RANDOM_KEYS if k not in people), *people * 3,
            "left_square_bracket", "right_square_bracket", "R", "n", "d", "s", "a"]
    async with running(demo_db) as (app, pilot):
        for round_ in range(150):
            await pilot.press(rng.choice(keys))
            if round_ % 25 == 0:
                await settle(pilot)
        await settle(pilot)
        assert app.is_running and app.return_code is None
    assert store_invariants(demo_db) == WHOLE_STORE
