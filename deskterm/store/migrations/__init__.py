"""Versioned schema migrations: numbered SQL scripts applied in order, tracked in user_version.

A store made by any older version upgrades in place, in one transaction per step, so a
failed upgrade leaves the file exactly as it was. Scripts are frozen once released: a
change to the schema is always a new script.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from importlib import resources

from deskterm.i18n import _
from deskterm.store.fold import register_functions

#: Local-only columns the schema adds beside a table's synced fields (kept by triggers;
#: never in the SQLModel table, never on the wire).
DERIVED_COLUMNS: dict[str, set[str]] = {"ticket": {"customer_sort", "owner_sort", "match_text"}}

_NAME = re.compile(r"^v(\d{3})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def all_migrations() -> list[Migration]:
    found = []
    for entry in resources.files(__package__).iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), entry.name, entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    expected = list(range(1, len(found) + 1))
    if [m.version for m in found] != expected:
        raise RuntimeError(f"migration numbers have a gap: {[m.name for m in found]}")
    return found


#: The scripts' count (their names, not their text: every start needs it, few migrate).
LATEST_VERSION = sum(1 for entry in resources.files(__package__).iterdir()
                     if _NAME.match(entry.name))


class StoreTooNew(Exception):
    """The file was written by a newer deskterm than this one."""


def schema_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def migrate(connection: sqlite3.Connection, target: int | None = None) -> list[int]:
    """Bring the store up to `target` (default: latest). Returns the versions applied.

    `connection` must be in autocommit mode (isolation_level None): each step runs in
    its own explicit transaction together with the user_version bump.
    """
    target = LATEST_VERSION if target is None else target
    current = schema_version(connection)
    if current > LATEST_VERSION:
        raise StoreTooNew(_("this store has schema {version}, newer than this deskterm "
                            "knows ({known})").format(version=current, known=LATEST_VERSION))
    if current >= target:
        return []  # up to date, as on nearly every start: no script is read
    register_functions(connection)  # schema 14's text index folds text with them
    applied = []
    for migration in all_migrations():
        if current < migration.version <= target:
            connection.execute("BEGIN IMMEDIATE")
            try:
                for statement in _statements(migration.sql):
                    connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {migration.version}")
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            applied.append(migration.version)
    return applied


def _statements(sql: str) -> list[str]:
    """Split a script into statements, keeping trigger bodies whole."""
    statements, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        if line.lstrip().startswith("--") and not buffer.strip():
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
