"""stored_time writes a time as the store's UTC columns hold it, for raw SQL to compare."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from deskterm.domain import Team
from deskterm.domain.types import stored_time
from deskterm.store import open_store


def test_a_time_reads_as_the_text_the_store_holds_for_it(tmp_path: Path) -> None:
    store = open_store(tmp_path / "store.db")
    amsterdam = timezone(timedelta(hours=1))
    moment = datetime(2026, 11, 23, 15, 30, 5, 7, tzinfo=amsterdam)
    try:
        with store.transaction() as session:
            session.add(Team(id="t1", name="Desk North", created_at=moment))
        with store.raw() as connection:
            [(held,)] = connection.execute("SELECT created_at FROM team").fetchall()
    finally:
        store.close()
    assert stored_time(moment) == held == "2026-11-23 14:30:05.000007"
    assert stored_time(moment.astimezone(UTC)) == held


def test_a_time_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        stored_time(datetime(2026, 11, 23, 14, 30))
