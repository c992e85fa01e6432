"""Accounts: who may use the server, with which role and team, by which token.

Adding an account also makes the person an agent of the desk (and their team, if it is
new): those rows go through the change log like any other write, so every replica
learns the desk's people by pulling.

A serving instance remembers which account each token it has seen belongs to
(`CallerCache`), so most requests cost no token lookup. A revocation reaches that memory
at once: `revoke_user` sends `pg_notify('deskterm_account', <account id>)` in its
transaction, which every instance on the PostgreSQL database hears (server.notify), and
every instance also reads the revoked accounts itself (on SQLite, as soon as it sees the
log grow: a revocation writes the account's agent inactive).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Container
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, text, update

from deskterm.domain import ENTITIES
from deskterm.domain.clock import utcnow
from deskterm.domain.enums import Role, Tier
from deskterm.domain.errors import Conflict, InvalidInput, NotFound
from deskterm.domain.ids import uuid7
from deskterm.domain.people import parse_handle, plain_handle
from deskterm.i18n import _
from deskterm.server.changelog import write_as_server
from deskterm.server.database import Database, account
from deskterm.server.notify import REVOKED_CHANNEL
from deskterm.server.rules import Caller
from deskterm.server.security import new_token, token_hash
from deskterm.sync.codec import DecodedChange


@dataclass(frozen=True)
class AccountRow:
    handle: str
    name: str | None
    role: str
    team: str | None
    created_at: datetime
    revoked_at: datetime | None


def add_user(db: Database, handle: str, *, role: str, team: str | None, name: str | None = None,
             tier: int = 1) -> str:
    """Create an account (and its agent, and the team if new). Returns the token, once."""
    handle = parse_handle(handle)
    try:
        role_value = Role(role)
    except ValueError:
        raise InvalidInput(_("role must be agent, lead or admin, not '{role}'").format(
            role=role)) from None
    now = utcnow()
    agents = ENTITIES["agent"].__table__
    teams = ENTITIES["team"].__table__
    with db.reading() as connection:
        if connection.execute(select(account.c.id).where(account.c.handle == handle)).first():
            raise Conflict(_("there is already an account '{handle}'").format(handle=handle))
        if connection.execute(select(agents.c.id).where(agents.c.handle == handle)).first():
            raise Conflict(_("there is already an agent '{handle}'").format(handle=handle))
        team_id = None
        if team:
            team_id = connection.execute(select(teams.c.id).where(teams.c.name == team)).scalar()
    changes = []
    if team and team_id is None:
        team_id = uuid7()
        changes.append(DecodedChange("team", team_id, "insert", {"name": team, "created_at": now}))
    agent_id = uuid7()
    changes.append(DecodedChange("agent", agent_id, "insert", {
        "handle": handle, "name": name or handle.capitalize(), "email": None,
        "role": role_value, "tier": Tier(tier), "team_id": team_id, "active": True,
        "created_at": now}, ""))
    write_as_server(db, changes)
    token = new_token()
    with db.writing() as connection:
        connection.execute(insert(account).values(
            id=uuid7(), handle=handle, agent_id=agent_id, role=role_value.value, team_id=team_id,
            token_hash=token_hash(token), created_at=now))
    return token


def list_users(db: Database) -> list[AccountRow]:
    """Every account with its person's name (from its agent) and team, by handle."""
    agents = ENTITIES["agent"].__table__
    teams = ENTITIES["team"].__table__
    with db.reading() as connection:
        rows = connection.execute(
            select(account.c.handle, agents.c.name, account.c.role, teams.c.name,
                   account.c.created_at, account.c.revoked_at)
            .select_from(account.outerjoin(agents, agents.c.id == account.c.agent_id)
                         .outerjoin(teams, teams.c.id == account.c.team_id))
            .order_by(account.c.handle)).all()
    return [AccountRow(*row) for row in rows]


def revoke_user(db: Database, handle: str) -> None:
    """Revoke an account's token and mark its agent inactive on every replica."""
    handle = plain_handle(handle)
    with db.reading() as connection:
        found = connection.execute(
            select(account.c.id, account.c.agent_id, account.c.revoked_at)
            .where(account.c.handle == handle)).first()
    if found is None:
        raise NotFound(_("no account '{handle}'").format(handle=handle))
    if found.revoked_at is not None:
        raise Conflict(_("the account '{handle}' is already revoked").format(handle=handle))
    with db.writing() as connection:
        connection.execute(update(account).where(account.c.handle == handle)
                           .values(revoked_at=utcnow()))
        if db.is_postgres:  # delivered at commit: every instance forgets the token then
            connection.execute(text(f"SELECT pg_notify('{REVOKED_CHANNEL}', :id)"),
                               {"id": found.id})
    write_as_server(db, [DecodedChange("agent", found.agent_id, "update", {"active": False}, "")])


def caller_for_token(db: Database, token: str, *, hashed: str | None = None) -> Caller | None:
    """The account a bearer token belongs to; None when unknown or revoked."""
    with db.reading() as connection:
        row = connection.execute(
            select(account).where(account.c.token_hash == (hashed or token_hash(token)),
                                  account.c.revoked_at.is_(None))).first()
    if row is None:
        return None
    return Caller(row.id, row.handle, row.agent_id, Role(row.role), row.team_id)


class CallerCache:
    """Which account a token belongs to, for the tokens an instance has seen lately.

    Keyed by the token's hash (the token itself is never kept); an entry counts only
    while its account is not among the revoked ones the instance knows of (`revoked`,
    the notifier's set, which a revocation reaches at once, see the module's docstring)
    and for at most `ttl` seconds. Unknown tokens are not remembered: each is looked up.
    At most `size` entries; the oldest go first.
    """

    def __init__(self, *, ttl: float = 60.0, size: int = 20_000) -> None:
        self.ttl = ttl
        self.size = size
        self._entries: OrderedDict[str, tuple[Caller, float]] = OrderedDict()

    def get(self, hashed: str, revoked: Container[str]) -> Caller | None:
        entry = self._entries.get(hashed)
        if entry is None:
            return None
        found, expires = entry
        if found.account_id in revoked or time.monotonic() > expires:
            self._entries.pop(hashed, None)
            return None
        return found

    def put(self, hashed: str, found: Caller) -> None:
        self._entries[hashed] = (found, time.monotonic() + self.ttl)
        self._entries.move_to_end(hashed)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
