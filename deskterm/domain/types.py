"""Column types and field rules shared by the tables: UTC timestamps, JSON string lists,
and the bounds every entity's fields keep on every replica and on the server.

The rules of a field (a range, a length, a pattern) are declared once, on the table
model's `Field(...)`. `sync.codec` validates every change against them, on the server
before it accepts one and on a replica before it applies one; the services read their
text limits from the same place (`text_limit`); and the store's SQL schema is tested to
agree with them (tests/store/test_schema_agrees.py).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any, get_args

from annotated_types import MaxLen
from pydantic import AfterValidator, StringConstraints
from sqlalchemy import DateTime, Integer, Text
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field

from deskterm.domain.bounds import MAX_BIGINT as MAX_BIGINT
from deskterm.domain.bounds import MAX_INT as MAX_INT
from deskterm.domain.bounds import stored_time as stored_time
from deskterm.domain.ids import uuid7

#: The longest id or reference a row carries (UUIDs are 36 characters).
ID_LENGTH = 64
#: The five-point scale of every score people give: a customer's satisfaction and its
#: drivers, an agent's mood and self-rating. 1 is bad, 5 great.
LOWEST_SCORE, HIGHEST_SCORE = 1, 5
#: A calendar date as ISO 8601 writes it: `2026-11-23`.
ISO_DATE = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
#: Times a row may carry: anything a desk records falls well inside these years, and
#: both ends stay inside the calendar whatever UTC offset a time is written with.
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)


def identifier() -> Any:
    """The `id` field of a table: a UUIDv7 made where the row is made."""
    return Field(default_factory=uuid7, primary_key=True, max_length=ID_LENGTH)


def reference(target: str, **field: Any) -> Any:
    """A field that refers to another table's row, `target` as `"table.id"`."""
    return Field(foreign_key=target, max_length=ID_LENGTH, **field)


def matching(pattern: str, **field: Any) -> Any:
    """A `Field(...)` whose text must match `pattern` (SQLModel's own `regex=` is lost on
    pydantic 2, so the rule is added as the metadata pydantic validates with)."""
    info = Field(**field)
    info.metadata.append(StringConstraints(pattern=pattern))
    return info


def calendar_date(**field: Any) -> Any:
    """A `Field(...)` holding a real calendar date as ISO 8601 text (`2026-11-23`)."""
    info = matching(ISO_DATE, **field)
    info.metadata.append(AfterValidator(_real_date))
    return info


def _real_date(value: str) -> str:
    date.fromisoformat(value)  # ValueError for 2026-02-30: pydantic reports it
    return value


def text_limit(model: Any, name: str) -> int:
    """The most characters field `name` of a table model may hold (its `max_length`); for
    a list field, the most items it may hold."""
    for rule in model.model_fields[name].metadata:
        if isinstance(rule, MaxLen):
            return int(rule.max_length)
    raise LookupError(f"{model.__name__}.{name} declares no max_length")


def item_limit(model: Any, name: str) -> int:
    """The most characters each item of list field `name` may hold (as in
    `list[Annotated[str, MaxLen(40)]]`)."""
    [item] = get_args(model.model_fields[name].annotation)
    for rule in get_args(item)[1:]:
        if isinstance(rule, MaxLen):
            return int(rule.max_length)
    raise LookupError(f"{model.__name__}.{name} declares no max_length for its items")


def time_in_range(value: datetime) -> bool:
    """Whether a zone-aware time lies between EARLIEST and LATEST."""
    return EARLIEST <= value <= LATEST


class UtcDateTime(TypeDecorator[datetime]):
    """Stores timestamps in UTC and always hands back timezone-aware UTC datetimes.

    SQLite keeps no zone, so naive values read back are UTC by construction; a naive
    value given to us is refused rather than silently assumed to be local time.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value if dialect.name == "postgresql" else value.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class StringList(TypeDecorator[list[str]]):
    """A list of short strings (tags, products) kept as a JSON array in a TEXT column."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: list[str] | None, dialect: Any) -> str:
        return json.dumps(list(value or []), ensure_ascii=False)

    def process_result_value(self, value: str | None, dialect: Any) -> list[str]:
        return list(json.loads(value)) if value else []


class EnumText(TypeDecorator[Any]):
    """Stores a StrEnum by its value (`walk-in`, not `WALK_IN`) and reads the member back."""

    impl = Text
    cache_ok = True

    def __init__(self, enum_type: type, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enum_type = enum_type

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else self.enum_type(value).value

    def process_result_value(self, value: str | None, dialect: Any) -> Any:
        return None if value is None else self.enum_type(value)


class EnumInt(TypeDecorator[Any]):
    """Stores an IntEnum (priority, tier) as its integer and reads the member back."""

    impl = Integer
    cache_ok = True

    def __init__(self, enum_type: type, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enum_type = enum_type

    def process_bind_param(self, value: Any, dialect: Any) -> int | None:
        return None if value is None else int(self.enum_type(value))

    def process_result_value(self, value: int | None, dialect: Any) -> Any:
        return None if value is None else self.enum_type(value)
