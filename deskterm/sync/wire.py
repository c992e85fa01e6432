"""The sync protocol's messages: what a push carries and answers, what a pull returns.

These are the wire schemas, kept apart from the table models: a change carries an
entity name and a dict of fields, and `codec.decode_fields` checks those against the
entity's table. Limits here (batch size, text sizes) bound what one request may ask of
the server.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from deskterm.domain import ENTITY_NAMES
from deskterm.domain.types import MAX_BIGINT

#: The most changes one push may carry; clients send bigger outboxes in several pushes.
MAX_PUSH_CHANGES = 500
#: The most changes one pull page returns.
MAX_PULL_LIMIT = 5000
DEFAULT_PULL_LIMIT = 1000

if TYPE_CHECKING:
    EntityName = str  # a type checker cannot read a Literal built at run time
else:
    EntityName = Literal[tuple(ENTITY_NAMES)]
Op = Literal["insert", "update", "delete"]
Status = Literal["applied", "duplicate", "rejected"]

_UUID = r"^[0-9a-fA-F-]{32,36}$"
_STAMP = r"^\d{13}-\d{5}-[A-Za-z0-9_.]{1,40}$"




class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


T = TypeVar("T")


def storable(value: T, where: str = "the value") -> T:
    """`value` unchanged when every database can hold it; ValueError naming where it is not.

    PostgreSQL refuses NUL characters in text and integers beyond 64 bits, SQLite fails
    on the latter, and neither stores a lone surrogate (`"\\ud800"` is valid JSON):
    caught here, such a value is a 422 for the request instead of a database error
    half-way through a push. Walks nested values without recursion,
    so no nesting depth the JSON parser lets through can overflow the stack.
    """
    stack: list[tuple[Any, str]] = [(value, where)]
    while stack:
        item, place = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise ValueError(f"{place} contains a NUL character")
            if not _is_unicode_text(item):
                raise ValueError(f"{place} is not valid Unicode text (a lone surrogate)")
        elif isinstance(item, int) and not isinstance(item, bool):
            if not -MAX_BIGINT - 1 <= item <= MAX_BIGINT:
                raise ValueError(f"{place} is out of range for a 64-bit integer")
        elif isinstance(item, dict):
            for key, inner in item.items():
                stack.append((key, f"a field name in {place}"))
                stack.append((inner, f"'{key}'" if place == "the value" else f"{place}.{key}"))
        elif isinstance(item, list | tuple):
            stack.extend((inner, place) for inner in item)
    return value


def _is_unicode_text(text: str) -> bool:
    """False for text JSON let in that no database can store: a lone UTF-16 surrogate."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class Change(Strict):
    """One write made on a replica: the fields of one row and the stamp they were written at."""

    mutation_id: str = Field(pattern=_UUID)
    entity: EntityName
    row_id: str = Field(min_length=1, max_length=64)
    op: Op
    fields: dict[str, Any]
    hlc: str = Field(pattern=_STAMP)
    author_id: str | None = Field(default=None, max_length=64)

    @field_validator("row_id", "author_id", "fields")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        return storable(value)


class PushRequest(Strict):
    client_id: str = Field(min_length=1, max_length=64)
    changes: list[Change] = Field(max_length=MAX_PUSH_CHANGES)

    @field_validator("client_id")
    @classmethod
    def _storable(cls, value: str) -> str:
        return storable(value)


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

    @model_validator(mode="after")
    def _first_answer_is_its_own_outcome(self) -> PushResult:
        # Only a duplicate's outcome differs from its status; without this a rejected
        # change would read "outcome": "applied" on the wire.
        if self.status != "duplicate":
            self.outcome = self.status
        return self


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


class FieldProblem(Strict):
    """Where a request breaks its schema (`loc`, e.g. ["body", "changes", "0", "op"]) and how."""

    loc: list[str]
    msg: str


class ValidationProblem(Problem):
    """A 422: the request is malformed. `errors` lists where, when it broke the schema;
    a rule checked after that (a value no database can store, say) gives `detail` alone."""

    errors: list[FieldProblem] = Field(default_factory=list, max_length=20)
