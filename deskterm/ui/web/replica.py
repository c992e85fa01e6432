"""Signing a browser session in: whose token it is, and that agent's own replica store.

A browser session never works in a shared account: the token typed into it names the
agent (asked of the server), and the session opens the store kept for that agent alone,
under the data dir, logged in with that token as `deskterm login` leaves a store, and
synced with the server before the workspace opens.
"""

from __future__ import annotations

import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from deskterm import locations
from deskterm.domain.errors import DeskError, InvalidInput
from deskterm.i18n import _
from deskterm.store import Store, open_store
from deskterm.store.login import Login, save_login
from deskterm.sync import replica
from deskterm.sync.client import AuthFailed, Offline, SyncClient
from deskterm.sync.wire import Me

#: Printable ASCII without blanks, at most 1024 characters: what a token is made of.
_TOKEN = re.compile(r"[\x21-\x7e]{1,1024}")
#: An id from the server that names a folder or a file: nothing that could climb out.
_SAFE_ID = re.compile(r"[A-Za-z0-9-]{1,64}")
#: How long a refused token holds its session up: guessing tokens one by one is slow.
REFUSAL_PAUSE_SECONDS = 1.0


class TokenRefused(DeskError):
    """The server does not know the token typed into the sign-in screen."""

    code = "token_refused"


@dataclass(frozen=True)
class SignedIn:
    """The agent a session was signed in as, and the store it works in."""

    path: Path
    handle: str


def replicas_dir() -> Path:
    """Where the browser sessions' stores live: one per agent per server."""
    return locations.data_dir() / "web"


def replica_path(me: Me) -> Path:
    """The store of the agent `me` names, on the server `me` came from."""
    for value in (me.server_id, me.agent_id):
        if not _SAFE_ID.fullmatch(value):
            raise DeskError(_("the server answered an id that cannot name a store: {id!r}")
                            .format(id=value))
    return replicas_dir() / me.server_id / f"{me.agent_id}.db"


def sign_in(server: str, typed: str) -> SignedIn:
    """Check the token `typed` with `server`, then make its agent's store ready: logged in
    with this token and synced. Call in a worker (it waits on the network).

    Raises TokenRefused for a token the server does not know, Offline when the server
    cannot be reached, and DeskError with its message for anything else.
    """
    token = typed.strip()
    if not _TOKEN.fullmatch(token):
        raise InvalidInput(_("a token is one word of letters, digits and punctuation: paste "
                             "the one `deskterm server user add` printed for you"))
    me = _account(server, token)
    path = replica_path(me)
    store = open_store(path, create=True)
    try:
        save_login(path, Login(server, token, me.agent_id, me.handle))
        synced_before = replica.status(store).last_sync_at is not None
        with SyncClient(store, server, token) as client:
            try:
                client.sync()
            except Offline:
                # The server answered a moment ago; a store that holds the desk already
                # opens, and the workspace's own sync catches up when the server is back.
                if not synced_before:
                    raise
    finally:
        store.close()
    return SignedIn(path, me.handle)


def _account(server: str, token: str) -> Me:
    """The account `token` belongs to. The sync client needs a store, and which store is
    the answer's to decide: it is given an empty one it never writes to."""
    with tempfile.TemporaryDirectory(prefix="deskterm-sign-in-") as folder:
        store = Store(Path(folder) / "unused.db")
        try:
            with SyncClient(store, server, token) as client:
                return client.me()
        except AuthFailed:
            time.sleep(REFUSAL_PAUSE_SECONDS)
            raise TokenRefused(_("the server does not know that token")) from None
        finally:
            store.close()
