"""Which account a store belongs to: a login lives in its store, not in the machine's config.

Two people may keep a store each on one machine (under one home directory): each store
remembers the server, the token and the account it was logged in with, in its `meta`
table (the file is its owner's alone, mode 0600). Whoever runs a command or opens the
workspace on a logged-in store acts as that account; nothing a person types elsewhere
(the config's `agent`, another store's login) can make work on it be recorded as, or
pushed with the token of, someone else.

Logging a store in also makes it forget other agents' private fields (domain.privacy),
which a store synced before that rule may hold.

A demo store is marked as such when it is made: it never syncs and cannot be logged in.

Plain sqlite3 (as `store.files`), so the workspace reads it before SQLAlchemy loads.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from deskterm.domain.errors import DeskError, Forbidden
from deskterm.domain.privacy import PRIVATE_FIELDS
from deskterm.i18n import _
from deskterm.store.files import BUSY_TIMEOUT_MS

_KEYS = ("login_server", "login_token", "login_agent_id", "login_handle")
DEMO_KEY = "demo_store"


class NotLoggedIn(DeskError):
    """The store has no login: it syncs with no server."""

    code = "not_logged_in"


@dataclass(frozen=True)
class Login:
    """The account a store was logged in with."""

    server: str
    token: str
    agent_id: str
    handle: str


@contextmanager
def _meta(path: Path | str) -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)) as connection:
        yield connection


def read_login(path: Path | str) -> Login | None:
    """The store's login, or None when it was never logged in."""
    with _meta(path) as connection:
        found = dict(connection.execute(
            f"SELECT key, value FROM meta WHERE key IN ({','.join('?' * len(_KEYS))})",
            _KEYS).fetchall())
    if not all(found.get(key) for key in _KEYS):
        return None
    return Login(*(str(found[key]) for key in _KEYS))


def save_login(path: Path | str, login: Login) -> None:
    """Remember the store's login and forget every other agent's private fields
    (domain.privacy: a store from before that rule may hold them), in one transaction."""
    with _meta(path) as connection:
        connection.execute("PRAGMA secure_delete = ON")  # the old values leave the file
        with connection:
            connection.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                list(zip(_KEYS, (login.server, login.token, login.agent_id, login.handle),
                         strict=True)))
            for entity, private in PRIVATE_FIELDS.items():
                cleared = ", ".join(f"{name} = NULL" for name in sorted(private.fields))
                held = " OR ".join(f"{name} IS NOT NULL" for name in sorted(private.fields))
                connection.execute(
                    f"UPDATE {entity} SET {cleared} WHERE ({held}) "
                    f"AND {private.owner} IS NOT ?", (login.agent_id,))


def is_demo(path: Path | str) -> bool:
    with _meta(path) as connection:
        return connection.execute("SELECT 1 FROM meta WHERE key = ?",
                                  (DEMO_KEY,)).fetchone() is not None


def mark_demo(connection: sqlite3.Connection) -> None:
    """Mark a store as a demo desk (inside the transaction that fills it)."""
    connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, '1')", (DEMO_KEY,))


def acting_handle(login: Login | None, asked: str | None, fallback: str | None) -> str | None:
    """Who acts on a store: its account when it is logged in, else `asked` (`--as`), else
    `fallback` (DESKTERM_AGENT or the config's `agent`).

    Asking to act as someone else on a logged-in store is refused: their work would be
    recorded under a name the store's token cannot push.
    """
    if login is None:
        return asked or fallback
    from deskterm.domain.people import plain_handle  # the tables: only on a logged-in store

    if asked and plain_handle(asked) != login.handle:
        raise Forbidden(_("this store is logged in as {handle}; work as {asked} in their own "
                          "store (--db THEIR.db)").format(handle=login.handle,
                                                          asked=asked.strip().lstrip("@")))
    return login.handle
