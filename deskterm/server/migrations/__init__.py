"""The server database's schema over time: Alembic revisions, and running them once, under a lock.

`migrate(engine)` brings any server database to the newest revision:

- an empty database is created whole from today's tables and stamped at the newest
  revision (Alembic's "building an up to date database from scratch");
- a database an older deskterm made (a change log, no `alembic_version`) is stamped at
  the first release's revision and brought up by every revision after it;
- a database at an older revision is brought up; one at a revision this code does not
  know was made by a newer deskterm, and is refused (`SchemaTooNew`), untouched.

It all happens in one transaction holding a lock (on PostgreSQL an advisory lock, on
SQLite the write lock), so instances starting together on one database migrate it once:
the first does the work, the others wait, then find it done. The revisions live in
`versions/`, shipped inside the package.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

from deskterm.domain.errors import DeskError
from deskterm.i18n import _

#: The revision every database older than Alembic is stamped at (the first release).
BASELINE = "0001"
#: The advisory lock key instances share on PostgreSQL ("deskterm" as 8 bytes).
LOCK_KEY = int.from_bytes(b"deskterm", "big") & 0x7FFF_FFFF_FFFF_FFFF


class SchemaTooNew(DeskError):
    """The database was migrated by a newer deskterm; this one must not write to it."""


class NotAServerDatabase(DeskError):
    """The database holds tables, but not a deskterm server's."""


@dataclass(frozen=True)
class Migration:
    """What `migrate` found and left: revisions before (None: empty) and after."""

    before: str | None
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    """The newest revision this code knows."""
    found = ScriptDirectory.from_config(_config()).get_current_head()
    assert found is not None
    return found


def known_revisions() -> set[str]:
    scripts = ScriptDirectory.from_config(_config())
    return {script.revision for script in scripts.walk_revisions()}


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at; BASELINE for a pre-Alembic server database, None
    for an empty one."""
    inspector = inspect(connection)
    if inspector.has_table("alembic_version"):
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if inspector.has_table("change_log"):
        return BASELINE
    if inspector.get_table_names():
        raise NotAServerDatabase(_("the database holds tables, but no deskterm server's "
                                   "(no change_log); point --database-url at the server's "
                                   "own"))
    return None


def check(engine: Engine) -> Migration:
    """Where the database stands against this code, changing nothing."""
    with engine.connect() as connection:
        before = current_revision(connection)
    _refuse_newer(before)
    return Migration(before, head())


def migrate(engine: Engine) -> Migration:
    """Bring the database to the newest revision, once, under the lock (see the module)."""
    from deskterm.server.database import create_schema, seed_rows

    newest = head()
    with _locked(engine) as connection:
        before = current_revision(connection)
        _refuse_newer(before)
        config = _config(connection)
        if before is None:
            create_schema(connection)
            command.stamp(config, newest)
        elif before != newest:
            if not inspect(connection).has_table("alembic_version"):
                command.stamp(config, BASELINE)
            command.upgrade(config, newest)
        seed_rows(connection)
    return Migration(before, newest)


def _refuse_newer(revision: str | None) -> None:
    if revision is not None and revision not in known_revisions():
        raise SchemaTooNew(_("the server database is at schema revision {revision}, which a "
                             "newer deskterm made (this one knows up to {head}); run that "
                             "deskterm, or upgrade this one").format(revision=revision,
                                                                     head=head()))


@contextlib.contextmanager
def _locked(engine: Engine) -> Iterator[Connection]:
    """One transaction that no other instance's migration runs beside."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            # Released at commit or rollback; the others wait here, then find it done.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
            yield connection
        return
    # SQLite: BEGIN IMMEDIATE takes the write lock first (see database._sqlite_begin).
    with engine.execution_options(sqlite_begin="IMMEDIATE").begin() as connection:
        yield connection
