"""Issue 9 as a property: any change of any entity, from any role, never hurts the desk.

Hypothesis pushes changes of every entity (deskterm.domain.ENTITY_NAMES) and every op,
as every account of the desk, against the real server on SQLite and PostgreSQL. What a
change may carry is read from the table models themselves (their fields, types, ranges,
lengths, patterns and foreign keys), never from a list kept here, so a field added to a
model is attacked the day it is added. Values are plausible (ids of rows the server
holds, colleagues' moods and allocations among them; valid enums, in-range numbers,
real dates, copies of rows the caller can see) or hostile (out of range, null, of the
wrong type, ids of other tables or of rows outside the caller's audience, lone
surrogates, NUL, extreme dates, oversized text, integers beyond 64 bits, NaN).

After every push:

- the server never answers 5xx, and a 4xx says what was wrong;
- a 200 answers each change once, in order;
- no answer carries any part of a row the caller may not pull (a colleague's mood, an
  allocation of a budget outside the caller's reach), not even by applying a change
  that names such a row as its own: that would confirm the guessed values;
- only the client that first sent a mutation id is answered "duplicate" for it (any
  other's change would be dropped unheard);
- nothing is refused for a value the database cannot store: every such value is the
  field rule's to refuse, before anything is written.

After every example, fresh replicas of every role log in and sync, and replicas of
every role kept since the start sync on: each holds exactly the server's rows its role
may see (tests.support.sync.visible_to), with its cursor at the server's head and
nothing set aside, so the server logged nothing any reader could not apply.

The server's state accumulates over the examples of a run (a change may aim at rows an
earlier example made). Examples are not shrunk: replaying one against a server whose
state has moved on proves nothing (set DESKTERM_TEST_SHRINK=1 to try anyway). The run
is derandomized, so CI sees the same examples every time; DESKTERM_TEST_EXPLORE=N runs
N random examples instead, to look further.
"""

from __future__ import annotations

import json
import os
import tempfile
import types
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import httpx
import pytest
from annotated_types import Ge, Le, MaxLen, MinLen
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st
from pydantic import AfterValidator, StringConstraints

from deskterm.domain import ENTITIES, ENTITY_NAMES
from deskterm.domain.clock import utcnow
from deskterm.domain.ids import uuid7
from deskterm.domain.types import ID_LENGTH
from deskterm.domain.wire_values import wire_value
from deskterm.server.changelog import NOT_YET
from deskterm.sync import replica as local
from deskterm.sync.client import SyncClient
from deskterm.sync.codec import MUTABLE_ENTITIES, deletable
from tests.support.servers import RunningServer
from tests.support.sync import (
    Replica,
    Snapshot,
    SyncDesk,
    agent_ids,
    push_raw,
    server_head,
    snapshot_server,
    snapshot_store,
    stamp_now,
    visible_to,
    wire_change,
)

HANDLES = tuple(handle for handle, _, _ in SyncDesk.ACCOUNTS)
NOW = "2026-11-23T14:30:00+00:00"
PERIOD = "2026-11"

EXPLORE = int(os.environ.get("DESKTERM_TEST_EXPLORE") or 0)
SHRINK = os.environ.get("DESKTERM_TEST_SHRINK") == "1"
#: Examples per database: each ends with twelve replicas syncing, about a second.
EXAMPLES = EXPLORE or 12


# -- what a field is, read from its table model -----------------------------------------


@dataclass(frozen=True)
class FieldRule:
    """One field of an entity as its table model declares it."""

    name: str
    kind: str  # id, reference, enum, int, bool, time, text, list
    optional: bool
    required: bool
    target: str | None = None  # the entity a reference points at
    choices: tuple[Any, ...] = ()  # an enum's wire values
    low: int | None = None
    high: int | None = None
    min_length: int = 0
    max_length: int | None = None
    pattern: str | None = None
    calendar: bool = False  # text holding a real calendar date
    item_max_length: int | None = None  # of a list's items


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The type a field holds, and whether it may be null."""
    if get_origin(annotation) in (Union, types.UnionType):
        inner = [arg for arg in get_args(annotation) if arg is not type(None)]
        return inner[0], len(inner) < len(get_args(annotation))
    return annotation, False


def _field_rule(entity: str, name: str, info: Any) -> FieldRule:
    kind_of, optional = _unwrap(info.annotation)
    column = ENTITIES[entity].__table__.c[name]
    rules: dict[str, Any] = {"name": name, "optional": optional,
                             "required": info.is_required()}
    for rule in info.metadata:
        if isinstance(rule, Ge):
            rules["low"] = rule.ge
        elif isinstance(rule, Le):
            rules["high"] = rule.le
        elif isinstance(rule, MaxLen):
            rules["max_length"] = rule.max_length
        elif isinstance(rule, MinLen):
            rules["min_length"] = rule.min_length
        elif isinstance(rule, StringConstraints) and rule.pattern:
            rules["pattern"] = rule.pattern
        elif isinstance(rule, AfterValidator):
            rules["calendar"] = True
    if column.primary_key:
        return FieldRule(kind="id", **rules)
    if column.foreign_keys:
        [key] = column.foreign_keys
        return FieldRule(kind="reference", target=key.column.table.name, **rules)
    if isinstance(kind_of, type) and issubclass(kind_of, Enum):
        return FieldRule(kind="enum", choices=tuple(m.value for m in kind_of), **rules)
    if kind_of is bool:
        return FieldRule(kind="bool", **rules)
    if kind_of is int:
        return FieldRule(kind="int", **rules)
    if kind_of is datetime:
        return FieldRule(kind="time", **rules)
    if kind_of is str:
        return FieldRule(kind="text", **rules)
    if get_origin(kind_of) is list:
        [item] = get_args(kind_of)
        limits = [m.max_length for m in get_args(item)[1:] if isinstance(m, MaxLen)] \
            if get_origin(item) is Annotated else []
        return FieldRule(kind="list", item_max_length=limits[0] if limits else None, **rules)
    raise AssertionError(f"{entity}.{name}: no strategy for a field of type {kind_of!r}; "
                         "teach this test the new kind of field")


@cache
def field_rules(entity: str) -> dict[str, FieldRule]:
    model = ENTITIES[entity]
    return {name: _field_rule(entity, name, info) for name, info in model.model_fields.items()}


def test_every_field_of_every_entity_has_a_strategy() -> None:
    """The property below attacks every field there is: none is left without a kind."""
    kinds = Counter(rule.kind for entity in ENTITY_NAMES for rule in field_rules(entity).values())
    assert set(kinds) == {"id", "reference", "enum", "int", "bool", "time", "text", "list"}
    assert kinds["id"] == len(ENTITY_NAMES)


# -- changes, planned by Hypothesis, resolved against the server's rows --------------------
#
# Hypothesis draws a *plan* of each change from strategies that depend on the table
# models only: which entity, op and fields, and for each field a value or a pointer
# into the server's state ("the 3rd id of a mood", "a copy of the row it names"). The
# plan is then resolved against the rows the server holds at that moment. What is drawn
# never depends on that state (it moves on between examples), so Hypothesis sees the
# same kind of choice at the same place every time.


Plan = tuple[Any, ...]
INDEX = st.integers(0, 2**16)

ZONES = st.sampled_from([UTC, timezone(timedelta(hours=1)), timezone(timedelta(hours=-5)),
                         timezone(timedelta(hours=5, minutes=45)),
                         timezone(timedelta(hours=-12)), timezone(timedelta(hours=14))])
#: Text a person could type: anything but NUL and lone surrogates (those are hostile).
TYPED = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
                max_size=40)
#: Values of no field's type, and values no database stores.
ANY_HOSTILE = [None, True, 1.5, float("nan"), float("inf"), [], {}, {"$gt": ""}, "", 0, -1,
               2**63, -(2**63) - 1, 2**64, 10**40, "\x00", "a\ud800b", "\udfff",
               "x" * (ID_LENGTH + 1)]
TIMES_HOSTILE = ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00",
                 "1899-12-31T23:59:59+00:00", "9000-01-01T00:00:01+00:00",
                 "1900-01-01T00:00:00+00:01", "8999-12-31T23:59:59-23:59",
                 "2026-11-23T14:30:00", "2026-11-23", "2026-02-30T10:00:00+00:00",
                 "yesterday", "", 0, 1_764_000_000, 10**15, -(10**12), 2**63,
                 "2026-11-23T14:30:00.1234567+00:00", "2026-11-23T14:30:00+24:00",
                 "2026-11-23T14:30:00\x00+00:00"]


def chance(one_in: int) -> st.SearchStrategy[bool]:
    """True about once in `one_in` (Hypothesis favours a strategy's first value: False)."""
    return st.sampled_from([False] * (one_in - 1) + [True])


def value(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Plan]:
    return strategy.map(lambda v: ("value", v))


def pointer(kind: str, *about: Any) -> st.SearchStrategy[Plan]:
    """A plan naming something of the server's state, by a position resolved later."""
    return INDEX.map(lambda i: (kind, *about, i))


def _date_text(day: Any) -> str:
    return str(day.isoformat())


@cache
def plausible_plans(entity: str, name: str) -> st.SearchStrategy[Plan]:
    """What a replica could send for this field: real ids, valid enums, in-range numbers,
    copies of what the caller can see."""
    rule = field_rules(entity)[name]
    options: list[st.SearchStrategy[Plan]] = [st.just(("copy",))]
    if rule.kind == "reference":
        assert rule.target is not None
        if rule.target == "agent":
            options += [st.just(("me",))] * 6  # writers name the caller, mostly
        if rule.target == entity:
            options.append(st.just(("source id",)))  # a reversal of the row it copies
        options.append(pointer("id", rule.target))
    elif rule.kind == "id":
        options.append(pointer("id", entity))
    elif rule.kind == "enum":
        options.append(value(st.sampled_from(rule.choices)))
    elif rule.kind == "bool":
        options.append(value(st.booleans()))
    elif rule.kind == "int":
        low = -(10**6) if rule.low is None else rule.low
        high = 10**6 if rule.high is None else rule.high
        options += [value(st.integers(low, min(high, low + 10))),
                    value(st.integers(max(low, -5000), min(high, 5000))),
                    value(st.integers(low, high)), pointer("known"),
                    pointer("negated")]  # a reversal carries its entry's amount negated
    elif rule.kind == "time":
        options += [st.just(("value", NOW)), pointer("known"), value(st.datetimes(
            min_value=datetime(2020, 1, 1), max_value=datetime(2027, 12, 31),
            timezones=ZONES).map(lambda moment: moment.isoformat()))]
    elif rule.kind == "list":
        item = TYPED.map(lambda t: t[: rule.item_max_length or 20])
        options.append(value(st.lists(item, max_size=min(rule.max_length or 5, 5))))
    elif rule.calendar:
        options += [value(st.dates().map(_date_text)), st.just(("value", "2026-11-23")),
                    st.just(("value", "2026-11-22"))]
    elif rule.pattern:
        options += [value(st.from_regex(rule.pattern, fullmatch=True)), pointer("known")]
        if name == "period":
            options.append(st.just(("value", PERIOD)))
    else:
        options += [value(TYPED.map(lambda t: t[: rule.max_length]).filter(
            lambda t: len(t) >= rule.min_length)), pointer("known")]
    if rule.optional:
        options.append(st.just(("value", None)))
    return st.one_of(options)


@cache
def hostile_plans(entity: str, name: str) -> st.SearchStrategy[Plan]:
    """What no replica's services would send for this field."""
    rule = field_rules(entity)[name]
    specific: list[Any] = []
    if rule.kind in ("id", "reference"):
        specific = [uuid7(), "not-an-id"]
    elif rule.kind == "enum":
        specific = [str(rule.choices[0]).upper(), "unheard-of", 99, list(rule.choices)]
    elif rule.kind == "int":
        specific = [edge for edge in (None if rule.low is None else rule.low - 1,
                                      None if rule.high is None else rule.high + 1)
                    if edge is not None] + ["3", 2.0, 2**63 - 1, -(2**63)]
    elif rule.kind == "bool":
        specific = ["yes", "maybe", 2, "1"]
    elif rule.kind == "time":
        specific = TIMES_HOSTILE
    elif rule.kind == "list":
        specific = [["x"] * ((rule.max_length or 50) + 1),
                    ["y" * ((rule.item_max_length or 200) + 1)], [1, 2], [None],
                    [["nested"]], "not a list", ["\x00"], ["\ud800"]]
    else:
        specific = ["x" * ((rule.max_length or 200) + 1), "\x00", "Jo\x00Jansen", "\ud800",
                    "a\udfffb"]
        if rule.pattern or rule.calendar:
            specific += ["2026-13", "2026-02-30", "2026-1-1", "eur", "EURO", "2026-11-23\n"]
    # Ids of rows of another table, or outside the caller's audience, for any field.
    return st.one_of(value(st.sampled_from(specific + ANY_HOSTILE)), pointer("any id"),
                     pointer("id", "mood_entry"), pointer("id", "goodwill_entry"))


@dataclass(frozen=True)
class ChangePlan:
    entity: str
    op: str
    row: Plan  # ("new",) ("id", entity, i) ("any id", i) or ("value", odd)
    like: int | None  # copy a row like the one at this position, when it names none
    probe: bool  # copy the row it names even when the caller may not see it
    fields: tuple[tuple[str, Plan], ...]
    author: Plan
    hlc: str  # now, past, future, garbage
    replay: int | None  # send again the mutation id at this position


ODD_ROW_IDS = ["", "x" * (ID_LENGTH + 1), "\ud800"]
UNKNOWN_FIELDS = ["bogus", "ID", "deleted", "__proto__"]


#: What makes a hostile change hostile: one thing about it, the rest plausible.
HOSTILITIES = ["field"] * 4 + ["op", "row", "author", "clock", "unknown field"]


@st.composite
def change_plans(draw: Any) -> ChangePlan:
    """One change of any entity and op: plausible (which may still break a rule: another
    agent's row, an id of a row outside the caller's audience, a copy of a row that
    exists) or, one time in four, hostile in one respect."""
    # Customers first: Hypothesis draws a list's first entry more often than the rest.
    entity = draw(st.sampled_from(sorted(ENTITY_NAMES, key=lambda e: (e != "customer", e))))
    hostility = draw(st.sampled_from(HOSTILITIES)) if draw(chance(4)) else None
    rules = field_rules(entity)
    op = draw(st.sampled_from(["insert"] * 5 + ["update"] * 2 + ["delete"]))
    if hostility != "op":  # an edit of an insert-only row, a delete of what has no tombstone
        if op == "delete" and not deletable(entity):
            op = "update"
        if op == "update" and entity not in MUTABLE_ENTITIES:
            op = "insert"
    # Now and then a probe: a row that exists, sent with its own values (a client guessing
    # a colleague's mood right): applying it would confirm the guess.
    probe = draw(chance(6))
    if hostility == "row":
        row = draw(st.one_of(value(st.sampled_from(ODD_ROW_IDS)), pointer("any id")))
    elif probe:
        row = ("existing",)
    elif op == "insert":
        row = draw(st.sampled_from([("new",)] * 3 + [("existing",)]))
    else:
        row = ("existing",)
    if row == ("existing",):
        row = draw(pointer("id", entity))
    names = [n for n in rules if n != "id"]
    if op == "insert":
        chosen = [n for n in names if rules[n].required or draw(st.booleans())]
        if draw(chance(4)):
            chosen.append("id")
    elif op == "update":
        chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=4, unique=True))
    else:
        chosen = draw(st.lists(st.sampled_from(names), max_size=1))
    bad = set(draw(st.lists(st.sampled_from(chosen), min_size=1, max_size=2))) \
        if chosen and hostility == "field" else set()
    fields = []
    for name in chosen:
        if name == "id" and name not in bad:
            fields.append((name, ("row id",)))
        elif name in bad:
            fields.append((name, draw(hostile_plans(entity, name))))
        elif probe:
            fields.append((name, ("copy",)))
        else:
            fields.append((name, draw(plausible_plans(entity, name))))
    if hostility == "unknown field":
        fields.append((draw(st.sampled_from(UNKNOWN_FIELDS)), ("value", 1)))
    author: Plan = draw(st.sampled_from([("value", None), ("me",)]))
    if hostility == "author":
        author = draw(st.one_of(pointer("id", "agent"), st.just(("value", "x" * 65))))
    clock = draw(st.sampled_from(["past", "future", "garbage"])) if hostility == "clock" \
        else "now"
    return ChangePlan(entity, op, row, draw(INDEX) if draw(st.booleans()) else None,
                      probe, tuple(fields), author, clock,
                      draw(INDEX) if draw(chance(15)) else None)


@dataclass
class World:
    """What the hostile client knows: every id on the server (ids leak: they are in
    links, logs, screenshots), the values of the rows its role may see, and what was sent."""

    rows: Snapshot
    seen: Snapshot
    me: str
    mutation_ids: list[str]
    made: dict[str, list[str]] = field(default_factory=dict)  # ids inserted this push

    def ids(self, entity: str) -> list[str]:
        return sorted({*self.rows[entity], *self.made.get(entity, [])})

    def every_id(self) -> list[str]:
        return [i for entity in sorted(ENTITY_NAMES) for i in self.ids(entity)]


def _at(items: list[Any], index: int, otherwise: Any = None) -> Any:
    return items[index % len(items)] if items else otherwise


def resolve_value(plan: Plan, world: World, entity: str, name: str, row_id: str,
                  source: dict[str, Any] | None) -> Any:
    """A field's planned value, in the server's state as it is now."""
    rule = field_rules(entity).get(name)
    known = [wire_value(r[name]) for r in world.seen[entity].values()
             if r.get(name) is not None] if rule else []
    fallback = None if rule is None or rule.optional else _fallback(rule, world)
    kind = plan[0]
    if kind == "value":
        return plan[1]
    if kind == "row id":
        return row_id
    if kind == "me":
        return world.me
    if kind == "copy":
        return wire_value(source[name]) if source is not None else fallback
    if kind == "source id":
        return source["id"] if source is not None else fallback
    if kind == "known":
        return _at(known, plan[1], fallback)
    if kind == "negated":
        assert rule is not None
        low = -(10**6) if rule.low is None else rule.low
        high = 10**6 if rule.high is None else rule.high
        return min(max(-_at(known, plan[1], 1), low), high)
    if kind == "id":
        return _at(world.ids(plan[1]), plan[2], uuid7())
    if kind == "any id":
        return _at(world.every_id(), plan[1], uuid7())
    raise AssertionError(plan)


def _fallback(rule: FieldRule, world: World) -> Any:
    """A planned copy of what is not there: some plain value of the field's kind."""
    return {"reference": world.me, "id": uuid7(), "enum": rule.choices[0] if rule.choices
            else None, "bool": False, "int": 1 if rule.low is None else rule.low, "time": NOW,
            "list": []}.get(rule.kind, "2026-11-23" if rule.calendar else
                            PERIOD if rule.pattern else "text")


def resolve(plan: ChangePlan, world: World) -> dict[str, Any]:
    """The change as JSON carries it."""
    entity = plan.entity
    kind = plan.row[0]
    if kind == "new":
        row_id = uuid7()
    elif kind == "value":
        row_id = plan.row[1]
    else:
        row_id = resolve_value(plan.row, world, entity, "id", "", None)
    # A copy of a row: the one this change names when the caller may see it (a re-insert),
    # or one like it (a duplicate, a reversal of it); or, now and then, the row it names
    # even when the caller may not see it: a client probing a colleague's mood with
    # guessed (here: right) values.
    source = world.seen[entity].get(row_id)
    if source is None and plan.like is not None:
        source = _at([world.seen[entity][i] for i in sorted(world.seen[entity])], plan.like)
    if plan.probe and row_id in world.rows[entity]:
        source = world.rows[entity][row_id]
    fields = {name: resolve_value(value_plan, world, entity, name, row_id, source)
              for name, value_plan in plan.fields}
    author = resolve_value(plan.author, world, "agent", "", row_id, None)
    now_ms = int(utcnow().timestamp() * 1000)
    hlc = {"now": stamp_now(f"n{world.me[-6:]}"), "past": "0000000000001-00000-old",
           "future": f"{now_ms + 86_400_000:013d}-00000-ahead",
           "garbage": "not-a-stamp"}[plan.hlc]
    mutation_id = uuid7() if plan.replay is None else _at(world.mutation_ids, plan.replay,
                                                          uuid7())
    if plan.op == "insert" and row_id not in world.rows[entity]:
        world.made.setdefault(entity, []).append(row_id)
    return wire_change(entity, fields, op=plan.op, row_id=row_id, hlc=hlc,
                       mutation_id=mutation_id, author_id=author)


# -- the desk the attacks start from -----------------------------------------------------


def _secret(what: str) -> str:
    return f"secret {what} {uuid7()[-12:]}"


def seed_desk(server: RunningServer) -> None:
    """A little of everything, so the first examples already have rows to aim at: moods
    and allocations with text no one else may ever be shown among them."""
    ids = agent_ids(server.db.engine)

    def push(handle: str, entity: str, fields: dict[str, Any]) -> str:
        change = wire_change(entity, fields)
        answer = push_raw(server.url, server.tokens[handle], [change])
        assert answer.status_code == 200, answer.text
        [result] = answer.json()["results"]
        assert result["status"] == "applied", (entity, result)
        return str(change["row_id"])

    customer = push("alex", "customer", {"name": "Jo Jansen", "email": "jo@example.com"})
    other = push("casey", "customer", {"name": "Kim Klaassen", "products": ["VPN"]})
    department = push("morgan", "department", {"code": "IT", "name": "IT"})
    ticket = push("alex", "ticket", {"subject": "VPN drops", "customer_id": customer,
                                     "owner_id": ids["alex"], "department_id": department,
                                     "created_at": NOW, "updated_at": NOW})
    push("casey", "ticket", {"subject": "Printer", "customer_id": other,
                             "owner_id": ids["casey"], "created_at": NOW, "updated_at": NOW})
    article = push("blake", "kb_article", {"title": "Reset the VPN", "body": "Steps",
                                           "tags": ["vpn"], "author_id": ids["blake"],
                                           "created_at": NOW, "updated_at": NOW})
    push("alex", "ticket_article", {"ticket_id": ticket, "article_id": article,
                                    "agent_id": ids["alex"], "created_at": NOW})
    push("alex", "ticket_event", {"ticket_id": ticket, "agent_id": ids["alex"],
                                  "kind": "note", "detail": "called back", "created_at": NOW})
    contact = push("blake", "contact", {"customer_id": customer, "agent_id": ids["blake"],
                                        "ticket_id": ticket, "channel": "phone",
                                        "summary": "asked again", "occurred_at": NOW,
                                        "self_rating": 2})
    feedback = push("morgan", "feedback", {"ticket_id": ticket, "customer_id": customer,
                                           "agent_id": ids["alex"], "csat": 4,
                                           "received_at": NOW, "author_id": ids["morgan"]})
    push("morgan", "kudos", {"source": "lead", "from_name": "Morgan", "message": "well done",
                             "about_agent_id": ids["alex"], "contact_id": contact,
                             "feedback_id": feedback, "author_id": ids["morgan"],
                             "created_at": NOW})
    for lead, budget in (("morgan", "alex"), ("morgan", "blake"), ("morgan", "morgan"),
                         ("sam", "casey"), ("root", "sam")):
        allocation = push(lead, "goodwill_entry", {
            "kind": "allocation", "budget_agent_id": ids[budget], "period": PERIOD,
            "amount_cents": 5000, "currency": "EUR", "reason": _secret(f"bonus {budget}"),
            "author_id": ids[lead], "created_at": NOW})
    push(lead, "goodwill_entry", {
        "kind": "reversal", "budget_agent_id": ids[budget], "period": PERIOD,
        "amount_cents": -5000, "currency": "EUR", "reason": _secret("taken back"),
        "reverses_id": allocation, "author_id": ids[lead], "created_at": NOW})
    push("alex", "goodwill_entry", {
        "kind": "spend", "budget_agent_id": ids["alex"], "period": PERIOD,
        "amount_cents": -700, "currency": "EUR", "reason": "flowers",
        "customer_id": customer, "ticket_id": ticket, "author_id": ids["alex"],
        "created_at": NOW})
    for handle in HANDLES:
        push(handle, "mood_entry", {"agent_id": ids[handle], "local_date": "2026-11-23",
                                    "score": 2, "note": _secret(f"mood of {handle}"),
                                    "created_at": NOW})


# -- what must hold ----------------------------------------------------------------------


@dataclass
class Tally:
    """What one run did, printed at its end (run with -s to read it)."""

    backend: str
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    entities_applied: Counter[str] = field(default_factory=Counter)
    set_aside: int = 0
    replica_syncs: int = 0
    refusals: Counter[str] = field(default_factory=Counter)
    #: Who sent each mutation id the server remembers the answer to.
    first_sent: dict[str, str] = field(default_factory=dict)
    #: Every mutation id sent in the run: a later push may replay one, as anyone.
    sent: list[str] = field(default_factory=list)

    def report(self) -> str:
        fives = sum(n for status, n in self.statuses.items() if status >= 500)
        return (f"\n[{self.backend}] requests {self.requests}, statuses "
                f"{dict(sorted(self.statuses.items()))}, 5xx {fives}; outcomes "
                f"{dict(self.outcomes.most_common())}; applied per entity "
                f"{dict(sorted(self.entities_applied.items()))}; replica syncs "
                f"{self.replica_syncs}, pulled changes set aside {self.set_aside}; whole "
                f"pushes refused for {dict(self.refusals.most_common(12))}")


def _gist(detail: str) -> str:
    """What a 422 was about, without the ids and values that make each one unique."""
    words = detail.split("): ", 1)[-1]
    return words.split(":")[0][:60]


def _hidden_texts(rows: Snapshot, handle: str) -> list[str]:
    """What people wrote in rows `handle` may not pull (a mood's note, an allocation's
    reason), when long enough not to turn up by chance. Ids are no secret."""
    seen = visible_to(rows, handle)
    found = []
    for entity in ("mood_entry", "goodwill_entry"):
        free = [rule.name for rule in field_rules(entity).values()
                if rule.kind == "text" and not rule.pattern and not rule.calendar]
        for row_id, row in rows[entity].items():
            if row_id not in seen[entity]:
                found += [row[n] for n in free if row[n] is not None and len(row[n]) >= 12]
    return found


def check_answer(server: RunningServer, handle: str, changes: list[dict[str, Any]],
                 answer: Any, before: Snapshot, tally: Tally) -> None:
    request = json.dumps(changes)
    assert answer.status_code < 500, (answer.status_code, answer.text[:2000], request[:4000])
    if answer.status_code != 200:
        detail = answer.json().get("detail")
        assert isinstance(detail, str) and detail, answer.text
        tally.outcomes[f"http {answer.status_code}"] += 1
        tally.refusals[_gist(detail)] += 1
        return
    results = answer.json()["results"]
    assert [r["mutation_id"] for r in results] == [c["mutation_id"] for c in changes]
    hidden = [text for text in _hidden_texts(before, handle) if text not in request]
    leaked = [text for text in hidden if text in answer.text]
    assert not leaked, (handle, leaked, answer.text[:2000])
    seen = visible_to(before, handle)
    for change, result in zip(changes, results, strict=True):
        outcome = result["outcome"] if result["status"] == "duplicate" else result["status"]
        tally.outcomes[f"{outcome} {result.get('code') or ''}".strip()] += 1
        entity, row_id = change["entity"], change["row_id"]
        if outcome == "applied":
            tally.entities_applied[entity] += 1
        # A change naming a row the caller may not see is never applied: "applied" would
        # tell its sender the guessed values were right.
        held = row_id in before.get(entity, {})
        if held and row_id not in seen[entity] and result["status"] != "duplicate":
            assert outcome == "rejected", (handle, change, result)
        if result["current"] is not None:
            assert entity in MUTABLE_ENTITIES, result
            assert result["current"]["id"] == row_id
        # A mutation id belongs to the client that sent it first: only it gets duplicates
        # (a change of another's answered as a duplicate would be dropped unheard).
        mutation_id = change["mutation_id"]
        if result["status"] == "duplicate":
            assert tally.first_sent.get(mutation_id) == handle, (handle, change, result)
        elif result.get("code") not in NOT_YET:
            tally.first_sent.setdefault(mutation_id, handle)
        # Every value the field rules let through, the database stores.
        assert result.get("reason") != "a value of this change cannot be stored", \
            (change, result)


def check_replicas(server: RunningServer, kept: list[Replica],
                   fresh_replica: Callable[[str], Replica], tally: Tally) -> None:
    """Fresh replicas of every role (they log in and pull everything), and the ones kept
    since the start (they pull what is new), hold exactly what their role may see, at
    the server's head, with nothing set aside."""
    for replica in kept:
        replica.sync()
    fresh = [fresh_replica(handle) for handle in HANDLES]
    try:
        head = server_head(server.db)
        rows = snapshot_server(server.db.engine)
        for replica in [*kept, *fresh]:
            tally.replica_syncs += 1
            aside = local.pulled_aside(replica.store)
            tally.set_aside += len(aside)
            assert aside == [], (replica.handle, aside)
            assert local.read_cursor(replica.store) == head, replica.handle
            may_see = visible_to(rows, replica.handle)
            held = snapshot_store(replica.store)
            for entity in ENTITY_NAMES:
                assert held[entity] == may_see[entity], (
                    replica.handle, entity, _difference(held[entity], may_see[entity]))
    finally:
        for replica in fresh:
            replica.close()
            for file in replica.path.parent.glob(f"{replica.path.name}*"):
                file.unlink()


def _difference(held: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    return {"missing": sorted(set(expected) - set(held)),
            "extra": sorted(set(held) - set(expected)),
            "differ": {i: {name: (held[i].get(name), expected[i].get(name))
                           for name in {*held[i], *expected[i]}
                           if held[i].get(name) != expected[i].get(name)}
                       for i in set(held) & set(expected) if held[i] != expected[i]}}


# -- the property ------------------------------------------------------------------------


@dataclass
class FreshReplica(Replica):
    path: Path = Path()


@pytest.fixture
def fresh_replica(server: RunningServer) -> Iterator[Callable[[str], FreshReplica]]:
    """Makes a new replica of an account that logs in and syncs: in a memory-backed
    folder when the machine has one, since each example makes six and on a disk their
    file syncs would take most of the run."""
    memory = Path("/dev/shm")
    where = memory if memory.is_dir() and os.access(memory, os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="deskterm-fresh-", dir=where) as folder:

        def make(handle: str) -> FreshReplica:
            path = Path(folder) / f"fresh-{handle}-{uuid7()}.db"
            made = Replica.open(path, server.url, server.tokens[handle], handle)
            return FreshReplica(made.store, made.client, made.handle, path)

        yield make


@dataclass(repr=False)
class Attack:
    """The server under attack, a replica of every role kept for the whole run, and what
    the run did."""

    server: RunningServer
    kept: list[Replica]
    tally: Tally
    http: httpx.Client

    def __repr__(self) -> str:
        return f"Attack({self.tally.backend})"

    def push(self, handle: str, changes: list[dict[str, Any]]) -> httpx.Response:
        """POST a push as-is, as tests.support.sync.push_raw does (lone surrogates go as
        JSON escapes), on one connection for the whole run."""
        body = json.dumps({"client_id": f"hostile-{handle}", "changes": changes})
        return self.http.post("/api/v1/sync/push", content=body, headers={
            "Authorization": f"Bearer {self.server.tokens[handle]}",
            "Content-Type": "application/json"})


@pytest.fixture
def attack(server: RunningServer, replica_of: Callable[..., Replica]) -> Iterator[Attack]:
    seed_desk(server)
    kept = [replica_of(handle, name=f"kept-{handle}") for handle in HANDLES]
    for replica in kept:
        # Kept replicas sit idle for a whole example, about as long as the server keeps
        # an idle connection open (5 s): a connection the client still trusts may be
        # closed under its next request. Idle connections are dropped well before that.
        replica.client.close()
        replica.client = SyncClient(replica.store, server.url, server.tokens[replica.handle],
                                    transport=httpx.HTTPTransport(
                                        limits=httpx.Limits(keepalive_expiry=1.0)))
    with httpx.Client(base_url=server.url, timeout=30,
                      limits=httpx.Limits(keepalive_expiry=1.0)) as http:
        running = Attack(server, kept, Tally(server.db.engine.dialect.name), http)
        yield running
    print(running.tally.report())  # the run's figures, for whoever runs with -s


#: What each example does: pushes, each as one account, of one to four changes. Drawn
#: whole before the first push, so a failure anywhere replays with the same draws.
PUSHES = st.lists(st.tuples(st.sampled_from(HANDLES), st.lists(change_plans(), min_size=1,
                                                               max_size=4)),
                  min_size=4, max_size=14)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=not EXPLORE, database=None,
          phases=[Phase.explicit, Phase.generate, *([Phase.shrink] if SHRINK else [])],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(pushes=PUSHES)
def test_no_push_from_any_role_hurts_the_server_or_any_reader(
        attack: Attack, fresh_replica: Callable[[str], Replica],
        pushes: list[tuple[str, list[ChangePlan]]]) -> None:
    server, tally = attack.server, attack.tally
    agents = agent_ids(server.db.engine)
    for handle, plans in pushes:
        rows = snapshot_server(server.db.engine)
        world = World(rows, visible_to(rows, handle), agents[handle], tally.sent)
        changes = [resolve(plan, world) for plan in plans]
        note(f"{handle} pushes {json.dumps(changes)[:3000]}")
        answer = attack.push(handle, changes)
        tally.requests += 1
        tally.statuses[answer.status_code] += 1
        check_answer(server, handle, changes, answer, rows, tally)
        tally.sent += [c["mutation_id"] for c in changes]
    check_replicas(server, attack.kept, fresh_replica, tally)
