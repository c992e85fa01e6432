"""Issue 10, finding 3, in the workspace: rejected changes in full, copied or discarded."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from deskterm.domain.money import Money
from deskterm.services import goodwill
from deskterm.services.context import context_for
from deskterm.store import open_store
from deskterm.sync import replica
from deskterm.sync.wire import PushResult
from deskterm.ui.screens.rejected import DiscardQuestion, RejectedScreen
from tests.ui.helpers import make_app, settle, wait_ready

REASON = "Taxi [home], the printer ate the contract"


def query(db: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(db)) as connection:
        return connection.execute(sql).fetchall()


def _a_rejected_spend(db: Path) -> str:
    """A spend alex made, answered by the server as rejected (the budget was spent)."""
    store = open_store(db)
    try:
        ctx = context_for(store, "alex")
        customer = query(db, "SELECT id FROM customer LIMIT 1")[0][0]
        goodwill.spend(ctx, Money(100), reason=REASON, customer=customer)
        sent = replica.pending_changes(store, 500)
        mine = [p for p in sent if p.change.entity == "goodwill_entry"
                and p.change.fields["reason"] == REASON]
        replica.record_answers(store, mine, [PushResult(
            mutation_id=mine[0].change.mutation_id, status="rejected", code="insufficient_budget",
            reason="not enough goodwill budget for 2026-11")])
        return mine[0].change.mutation_id
    finally:
        store.close()


async def _open(pilot) -> RejectedScreen:  # type: ignore[no-untyped-def]
    await wait_ready(pilot)
    await pilot.press("X")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, RejectedScreen)
    await pilot.app.workers.wait_for_complete()
    await settle(pilot)
    return screen


async def test_3_the_workspace_shows_a_rejected_change_in_full_and_copies_it(
        demo_db: Path) -> None:
    rejected_id = _a_rejected_spend(demo_db)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        assert [c.mutation_id for c in screen.changes] == [rejected_id]
        shown = str(screen.listing.get_option_at_index(0).prompt)
        assert REASON in shown and "not enough goodwill budget" in shown
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await settle(pilot)
    assert query(demo_db, "SELECT count(*) FROM outbox WHERE state = 'rejected'") == [(0,)]
    copied = query(demo_db, "SELECT fields FROM outbox WHERE state = 'pending' "
                   "AND entity = 'goodwill_entry' ORDER BY seq DESC LIMIT 1")
    assert REASON in copied[0][0]


async def test_3_discarding_asks_first_and_escape_keeps_it(demo_db: Path) -> None:
    rejected_id = _a_rejected_spend(demo_db)
    app = make_app(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DiscardQuestion)
        await pilot.press("escape")
        await settle(pilot)
        left = query(demo_db, "SELECT mutation_id FROM outbox WHERE state = 'rejected'")
        assert left == [(rejected_id,)]
        await pilot.press("d")
        await settle(pilot)
        await pilot.click("#discard")
        await app.workers.wait_for_complete()
        await settle(pilot)
    assert query(demo_db, "SELECT count(*) FROM outbox WHERE state = 'rejected'") == [(0,)]
