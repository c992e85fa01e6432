"""How a field value travels as JSON: enums by value, times and dates in ISO 8601.

The one encoding of a value for the wire, used wherever a change's fields are written
down: the replica's outbox (store.outbox), the server's change log and the rows it
sends back with a refused change (server.changelog). `sync.codec` turns such values back into
Python values, checked against the entity's table.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlmodel import SQLModel


def wire_value(value: Any) -> Any:
    """A field value as JSON carries it: enums by value, times as ISO 8601 UTC."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [wire_value(v) for v in value]
    return value


def wire_fields(values: dict[str, Any]) -> dict[str, Any]:
    """Every value of a field dict as JSON carries it."""
    return {name: wire_value(value) for name, value in values.items()}


def row_fields(row: SQLModel, names: list[str] | None = None) -> dict[str, Any]:
    """The named (default: all) column values of a table row, ready for the wire."""
    names = names or list(type(row).model_fields)
    return {name: wire_value(getattr(row, name)) for name in names}
