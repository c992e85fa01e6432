"""While a new server database fills, PostgreSQL's planner statistics follow its growth
(`refresh_statistics`): analyzed when the log grows past a size of STATISTICS_AT, not
between; SQLite has nothing to do."""

from __future__ import annotations

from sqlalchemy import text

from deskterm.server.database import STATISTICS_AT, Database, refresh_statistics


def analyzed(db: Database) -> int:
    """How many times the change log has been analyzed by hand."""
    with db.engine.connect() as connection:
        connection.execute(text("SELECT pg_stat_clear_snapshot()"))
        return int(connection.execute(text(
            "SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'change_log'"
        )).scalar_one())


def test_statistics_are_refreshed_as_the_log_grows_past_each_size(database_url: str) -> None:
    db = Database(database_url)
    try:
        first = STATISTICS_AT[0]
        if db.engine.dialect.name != "postgresql":
            refresh_statistics(db, first - 1, first)  # nothing to do, and no error
            return
        before = analyzed(db)
        refresh_statistics(db, first - 10, first + 10)
        assert analyzed(db) == before + 1
        refresh_statistics(db, first + 10, STATISTICS_AT[1] - 1)  # no size crossed
        refresh_statistics(db, 0, 0)
        assert analyzed(db) == before + 1
        refresh_statistics(db, STATISTICS_AT[1] - 1, STATISTICS_AT[3])  # two at once: one run
        assert analyzed(db) == before + 2
    finally:
        db.dispose()
