"""The sync protocol's messages: what a push carries and answers, what a pull returns.

These are the wire schemas, kept apart from the table models: a change carries an
entity name and a dict of fields, and `codec.decode_fields` checks those against the
entity's table. Limits here (batch size, text sizes) bound what one request may ask of
the server.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from deskterm.domain import ENTITY_NAMES

#: The most changes one push may carry; clients send bigger outboxes in several pushes.
MAX_PUSH_CHANGES = 500
#: The most changes one pull page returns.
MAX_PULL_LIMIT = 5000
DEFAULT_PULL_LIMIT = 1000

EntityName = Literal[tuple(ENTITY_NAMES)]  # type: ignore[valid-type]
Op = Literal["insert", "update", "delete"]
Status = Literal["applied", "duplicate", "rejected"]

_UUID = r"^[0-9a-fA-F-]{32,36}$"
_STAMP = r"^\d{13}-\d{5}-[A-Za-z0-9_.]{1,40}$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Change(Strict):
    """One write made on a replica: the fields of one row and the stamp they were written at."""

    mutation_id: str = Field(pattern=_UUID)
    entity: EntityName
    row_id: str = Field(min_length=1, max_length=64)
    op: Op
    fields: dict[str, Any]
    hlc: str = Field(pattern=_STAMP)
    author_id: str | None = Field(default=None, max_length=64)


class PushRequest(Strict):
    client_id: str = Field(min_length=1, max_length=64)
    changes: list[Change] = Field(max_length=MAX_PUSH_CHANGES)


class PushResult(Strict):
    """The server's answer for one change. A duplicate repeats the first answer's outcome."""

    mutation_id: str
    status: Status
    #: For a duplicate: what happened the first time (applied or rejected).
    outcome: Literal["applied", "rejected"] = "applied"
    code: str | None = None
    reason: str | None = None
    #: Fields the server set on accepting the change (a new ticket's number).
    assigned: dict[str, Any] | None = None
    #: On a rejected change to a mutable row: the server's row and its field stamps, so
    #: the replica can put back what the server holds. None when the server has no row.
    current: dict[str, Any] | None = None
    current_clocks: dict[str, str] | None = None


class PushResponse(Strict):
    results: list[PushResult]
    head: int


class LoggedChange(Change):
    """A change as the server's log holds it, numbered in commit order."""

    seq: int


class PullResponse(Strict):
    changes: list[LoggedChange]
    #: Pass this back as `cursor` to continue.
    cursor: int
    #: The newest sequence number on the server.
    head: int
    more: bool
    #: The server's identity: a replica notices when it is talking to another server.
    server_id: str = ""
    #: True when the cursor sent was ahead of the server (restored from a backup, or a
    #: different server): the replica must start again from 0 and push its work again.
    reset: bool = False


class Me(Strict):
    handle: str
    agent_id: str
    role: str
    team: str | None
    server_id: str


class Problem(Strict):
    """Every error the API returns: one sentence a person can act on."""

    detail: str
