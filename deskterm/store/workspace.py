"""What opening the workspace reads first: the acting agent and the departments.

Plain sqlite3, as `store.files` and `store.login`: the workspace's first frame does not
wait for SQLAlchemy and SQLModel, which load later, in the panes' workers.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from deskterm.domain.actor import Actor
from deskterm.domain.enums import Role, Tier
from deskterm.domain.errors import Forbidden, NotFound
from deskterm.i18n import _
from deskterm.store.files import BUSY_TIMEOUT_MS


def _connect(path: Path | str) -> closing[sqlite3.Connection]:
    return closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000))


def acting_agent(path: Path | str, handle: str) -> Actor:
    """The active agent with `handle` (`@` and case aside); NotFound or Forbidden if none."""
    with _connect(path) as connection:
        row = connection.execute(
            "SELECT id, handle, name, role, tier, team_id, active FROM agent WHERE handle = ?",
            [handle.strip().lstrip("@").lower()],
        ).fetchone()
    if row is None:
        raise NotFound(_("no agent with handle '{handle}'").format(handle=handle))
    if not row[6]:
        raise Forbidden(_("agent '{handle}' is deactivated").format(handle=row[1]))
    return Actor(row[0], row[1], row[2], Role(row[3]), Tier(row[4]), row[5])


def department_codes(path: Path | str) -> list[tuple[str, str]]:
    """Every department as (id, code), by code: the queue's department views."""
    with _connect(path) as connection:
        return [(row[0], row[1]) for row in
                connection.execute("SELECT id, code FROM department ORDER BY code")]
