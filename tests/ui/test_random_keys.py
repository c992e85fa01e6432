"""A thousand seeded random keys: the app keeps running and the store stays whole."""

from __future__ import annotations

import random

from tests.ui.helpers import RANDOM_KEYS, WHOLE_STORE, make_app, store_invariants, wait_ready


async def test_a_thousand_random_keys_do_not_crash_the_app(demo_db) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(20261123)
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        for round_ in range(1000):
            await pilot.press(rng.choice(RANDOM_KEYS))
            if round_ % 50 == 0:
                await app.workers.wait_for_complete()
                await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
        assert app.return_code is None
    assert store_invariants(demo_db) == WHOLE_STORE
