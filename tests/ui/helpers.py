"""Pilot helpers the UI tests share beyond conftest's: waiting until the app has settled."""

from __future__ import annotations

from contextlib import suppress

from textual.pilot import Pilot
from textual.worker import WorkerFailed


async def settle(pilot: Pilot) -> None:  # type: ignore[type-arg]
    """Until the workers are done; one that failed is the app's to report, not the test's."""
    for _ in range(2):
        with suppress(WorkerFailed):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()
