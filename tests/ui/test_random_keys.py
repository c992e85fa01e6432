"""A thousand seeded random keys: the app keeps running and the store stays whole."""

from __future__ import annotations

import random
import sqlite3

from tests.ui.conftest import make_app, wait_ready

#: Keys a person might press anywhere, except the ones that end the session on purpose.
KEYS = [
    *"abcdefghijklmnoprstuvwxyzABCDEFGHIJKLMNOPRSTUVWXYZ0123456789",
    "up", "down", "left", "right", "pageup", "pagedown", "home", "end", "tab",
    "shift+tab", "enter", "escape", "backspace", "delete", "space", "slash",
    "question_mark", "dollar_sign", "ctrl+p", "ctrl+o", "full_stop", "comma", "minus",
    "asterisk", "quotation_mark", "left_parenthesis",
]


def _invariants(path) -> dict[str, object]:  # type: ignore[no-untyped-def]
    connection = sqlite3.connect(path)
    try:
        return {
            "integrity": connection.execute("PRAGMA integrity_check").fetchone()[0],
            "foreign_keys": connection.execute("PRAGMA foreign_key_check").fetchall(),
            "negative_budgets": connection.execute(
                "SELECT budget_agent_id, period FROM goodwill_entry "
                "GROUP BY budget_agent_id, period, currency HAVING sum(amount_cents) < 0"
            ).fetchall(),
            "double_moods": connection.execute(
                "SELECT agent_id, local_date FROM mood_entry GROUP BY 1, 2 HAVING count(*) > 1"
            ).fetchall(),
        }
    finally:
        connection.close()


async def test_a_thousand_random_keys_do_not_crash_the_app(demo_db) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(20261123)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        for round_ in range(1200):
            await pilot.press(rng.choice(KEYS))
            if round_ % 50 == 0:
                await app.workers.wait_for_complete()
                await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
        assert app.return_code is None
    assert _invariants(demo_db) == {"integrity": "ok", "foreign_keys": [],
                                    "negative_budgets": [], "double_moods": []}
