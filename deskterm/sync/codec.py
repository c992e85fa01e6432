"""A change in its two shapes, and the one way between them: on the wire, and decoded.

A change travels as `wire.Change` (JSON values: what the API sends and receives, what
the outbox and the server's change log hold) and is merged as `DecodedChange` (Python
values of the entity's types). `decode_change` and `encode_change` are the conversions;
no other code turns one into the other. Decoding validates each field with the type
its SQLModel table declares (an enum, a UTC timestamp, a list of strings, ...), so a
wrongly typed value is refused with a message before anything is written. Encoding a
value is `domain.wire_values.wire_value`, which the store's outbox uses too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import KW_ONLY, dataclass
from datetime import datetime
from functools import cache
from typing import Annotated, Any, cast, get_args

from annotated_types import BaseMetadata, GroupedMetadata
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    TypeAdapter,
    ValidationError,
    create_model,
)
from sqlalchemy import Table
from typing_extensions import TypedDict

from deskterm.domain import ENTITY_NAMES
from deskterm.domain.errors import InvalidInput
from deskterm.domain.types import EARLIEST, LATEST, time_in_range
from deskterm.domain.wire_values import wire_fields
from deskterm.i18n import _
from deskterm.store.outbox import MUTABLE_ENTITIES
from deskterm.sync.names import entity_name
from deskterm.sync.wire import Change, Op

#: Fields only the server writes (a ticket's human number): they apply whenever they
#: carry a value, whatever the stamps say, since no replica ever competes for them.
SERVER_FIELDS: dict[str, frozenset[str]] = {"ticket": frozenset({"number"})}


@cache
def model_of(entity: str) -> Any:
    from deskterm.domain import ENTITIES

    return ENTITIES[entity]


def table_of(entity: str) -> Table:
    table: Table = model_of(entity).__table__
    return table


@cache
def _fields_model(entity: str) -> type[BaseModel]:
    """A model of the entity's fields, every one optional: validates a partial row at once.

    Each field keeps the rules its table model declares (ranges, lengths, patterns; see
    domain.types), so a value no replica's store would hold is refused here, on the
    server before it is accepted and on a replica before it is applied.
    """
    specs: dict[str, Any] = {name: (annotation, None)
                             for name, annotation in _field_types(entity).items()}
    return create_model(f"{entity}_fields", __config__=ConfigDict(extra="forbid"), **specs)


def _field_types(entity: str, *, null: frozenset[str] | None = None) -> dict[str, Any]:
    """Each field's type with the rules its table model declares, None allowed (only
    for the fields in `null`, when given)."""
    types: dict[str, Any] = {}
    for name, info in model_of(entity).model_fields.items():
        rules = [rule for rule in info.metadata
                 if isinstance(rule, BaseMetadata | GroupedMetadata | AfterValidator)]
        annotation = Annotated[info.annotation, *rules] if rules else info.annotation
        types[name] = annotation | None if null is None or name in null else annotation
    return types


@cache
def _fields_list(entity: str) -> TypeAdapter[list[dict[str, Any]]]:
    """The rules of `_fields_model` and `decode_fields` for many partial rows in one
    call, each given back as a plain dict of the fields it has (a TypedDict, every key
    optional). A field its table declares NOT NULL refuses None here already."""
    null = field_names(entity) - not_null_fields(entity)
    make_typed_dict: Any = TypedDict  # built at run time: type checkers see no fields
    fields = make_typed_dict(f"{entity}_fields", _field_types(entity, null=null), total=False)
    fields.__pydantic_config__ = ConfigDict(extra="forbid")
    rows: Any = list[fields]  # type: ignore[valid-type]
    return TypeAdapter(rows)


@cache
def _bulk_checks(entity: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What `_fields_list` leaves to Python: the fields that may hold a time (zone and
    range), and the NOT NULL ones whose model type lets None through anyway."""
    times, loose = [], []
    for name, info in model_of(entity).model_fields.items():
        kinds = (info.annotation, *get_args(info.annotation))
        if datetime in kinds or Any in kinds or object in kinds:
            times.append(name)
        if name in not_null_fields(entity) and (type(None) in kinds or Any in kinds):
            loose.append(name)
    return tuple(times), tuple(loose)


#: Entities with a tombstone: the only ones a change may delete.
@cache
def deletable(entity: str) -> bool:
    return "deleted" in field_names(entity)


@cache
def field_names(entity: str) -> frozenset[str]:
    return frozenset(model_of(entity).model_fields)


@cache
def required_fields(entity: str) -> frozenset[str]:
    """Fields an insert must carry: those the table model declares without a default."""
    return frozenset(name for name, info in model_of(entity).model_fields.items()
                     if info.is_required())


@cache
def _required_fields_but_id(entity: str) -> frozenset[str]:
    return required_fields(entity) - {"id"}


@cache
def not_null_fields(entity: str) -> frozenset[str]:
    table = table_of(entity)
    return frozenset(c.name for c in table.columns if not c.nullable)


__all__ = ["MUTABLE_ENTITIES", "SERVER_FIELDS", "DecodedChange", "decode_change",
           "decode_changes", "decode_fields", "encode_change", "table_of"]


@dataclass(frozen=True)
class DecodedChange:
    """A change with its fields as Python values of the entity's types: what merges.

    `hlc` is empty for a change the server makes itself until it stamps it, and
    `mutation_id` until it logs it (server.changelog).
    """

    entity: str
    row_id: str
    op: str
    fields: dict[str, Any]
    hlc: str = ""
    _: KW_ONLY
    mutation_id: str = ""
    author_id: str | None = None

    def with_fields(self, fields: dict[str, Any]) -> DecodedChange:
        """The same change with `fields` written over its own."""
        if not fields:
            return self
        return DecodedChange(self.entity, self.row_id, self.op, {**self.fields, **fields},
                             self.hlc, mutation_id=self.mutation_id, author_id=self.author_id)


def decode_change(change: Change) -> DecodedChange:
    """A change off the wire, its fields checked and decoded; InvalidInput on anything wrong."""
    fields = decode_fields(change.entity, change.fields, insert=change.op == "insert",
                           op=change.op)
    return DecodedChange(change.entity, change.row_id, change.op, fields, change.hlc,
                         mutation_id=change.mutation_id, author_id=change.author_id)


def encode_change(change: DecodedChange) -> Change:
    """A decoded change as the wire carries it (and the outbox and the change log hold it)."""
    return Change.model_construct(
        mutation_id=change.mutation_id, entity=change.entity, row_id=change.row_id,
        op=cast(Op, change.op), fields=wire_fields(change.fields), hlc=change.hlc,
        author_id=change.author_id)


def decode_fields(entity: str, fields: dict[str, Any], *, insert: bool, op: str | None = None
                  ) -> dict[str, Any]:
    """Wire values to Python values of the entity's types; InvalidInput on anything wrong.

    `op` (insert, update or delete) is checked against what the entity allows when given.
    """
    if entity not in ENTITY_NAMES:
        raise InvalidInput(_("unknown entity '{entity}'").format(entity=entity))
    known = field_names(entity)
    unknown = sorted(set(fields) - known)
    if unknown:
        raise InvalidInput(_("{entity} has no field {fields}").format(
            entity=entity, fields=", ".join(repr(u) for u in unknown)))
    if op == "delete" and not deletable(entity):
        raise InvalidInput(_("a {thing} cannot be deleted").format(thing=entity_name(entity)))
    if "id" in fields and not insert:
        raise InvalidInput(_("an update may not change the id of a {thing}").format(
            thing=entity_name(entity)))
    if insert:
        missing = sorted(required_fields(entity) - set(fields) - {"id"})
        if missing:
            # TRANSLATORS: {fields} are field names as the wire spells them.
            raise InvalidInput(_("a new {thing} needs {fields}").format(
                thing=entity_name(entity), fields=", ".join(missing)))
    try:
        model = _fields_model(entity).model_validate(fields)
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(part) for part in problem["loc"])
        raise InvalidInput(f"{entity}.{where}: {problem['msg']}") from None
    decoded = {name: getattr(model, name) for name in fields}
    for name, value in decoded.items():
        if value is None and name in not_null_fields(entity):
            raise InvalidInput(_("{field} may not be empty").format(field=f"{entity}.{name}"))
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise InvalidInput(_("{field}: a time on the wire must carry its UTC offset"
                                     ).format(field=f"{entity}.{name}"))
            if not time_in_range(value):
                raise InvalidInput(_("{field}: {time} is outside the years {first} to {last}"
                                     ).format(field=f"{entity}.{name}", time=value.isoformat(),
                                              first=EARLIEST.year, last=LATEST.year))
    return decoded



class _OneByOne(Exception):
    """Something in a bulk of changes wants `decode_change`'s own words."""


def decode_changes(changes: Sequence[Any]) -> list[DecodedChange]:
    """Many changes decoded as `decode_change` decodes each (the same checks, the same
    values), for a bulk load: each entity's fields validated in one call, which is
    several times cheaper than a model per change.

    On anything wrong it decodes change by change instead, so that the refusal is
    `decode_change`'s own InvalidInput for the first change at fault.
    """
    try:
        return _decode_in_bulk(changes)
    except _OneByOne:
        return [decode_change(change) for change in changes]


def _decode_in_bulk(changes: Sequence[Any]) -> list[DecodedChange]:
    by_entity: dict[str, list[int]] = {}
    for index, change in enumerate(changes):
        entity, op, fields = change.entity, change.op, change.fields
        if entity not in ENTITY_NAMES or (
                not _required_fields_but_id(entity) <= fields.keys() if op == "insert"
                else "id" in fields or (op == "delete" and not deletable(entity))):
            raise _OneByOne
        by_entity.setdefault(entity, []).append(index)
    decoded: list[Any] = [None] * len(changes)
    for entity, indexes in by_entity.items():
        try:
            rows = _fields_list(entity).validate_python([changes[i].fields for i in indexes])
        except ValidationError:
            raise _OneByOne from None
        times, loose = _bulk_checks(entity)
        for index, fields in zip(indexes, rows, strict=True):
            for name in times:
                value = fields.get(name)
                try:
                    if value is not None and not EARLIEST <= value <= LATEST:
                        raise _OneByOne
                except TypeError:  # a time without its zone (or not a time at all)
                    raise _OneByOne from None
            for name in loose:
                if name in fields and fields[name] is None:
                    raise _OneByOne
            change = changes[index]
            decoded[index] = DecodedChange(entity, change.row_id, change.op, fields, change.hlc,
                                           mutation_id=change.mutation_id,
                                           author_id=change.author_id)
    return decoded
