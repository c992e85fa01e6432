"""Column types shared by the tables: UTC timestamps and JSON string lists."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Integer, Text
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """Now, in UTC, to the microsecond. The one clock services read by default."""
    return datetime.now(UTC)


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
