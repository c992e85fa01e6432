"""A push judged as one batch answers and writes exactly what pushing its changes one at a
time (the one-by-one writer) does: the same statuses, codes, reasons and assigned numbers,
the same rows, and the same change log.

Two copies of one seeded SQLite server database: one takes the generated changes as one
batched push, the other one push per change with the one-by-one path.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from deskterm.domain import ENTITIES
from deskterm.server import changelog
from deskterm.server.accounts import add_user, caller_for_token
from deskterm.server.database import Database, change_log, processed_mutation
from deskterm.server.rules import Caller
from deskterm.sync.merge import field_clock
from deskterm.sync.wire import Change, PushRequest

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
STAMP = NOW.isoformat()
MS = int(NOW.timestamp() * 1000)
PERIOD = "2026-12"
KINDS_OF_ID = {"t": 1, "nothere": 2, "c": 3, "g": 4, "m": 5, "seed": 6, "alloc": 7, "kb": 8,
               "cu": 9}


def uid(kind: str, number: int) -> str:
    """A made-up id in the wire's form, the same in both runs (never a server's uuid7)."""
    return f"0000000{KINDS_OF_ID[kind]}-0000-7000-8000-{number:012d}"


class Desk:
    """Callers and a counter for stamps and ids, the same in both databases."""

    def __init__(self, me: Caller, other: Caller, lead: Caller) -> None:
        self.me, self.other, self.lead = me, other, lead
        self.count = 0
        self.tickets: list[str] = []
        self.contacts: list[str] = []
        self.made: list[Change] = []

    def next_id(self, kind: str) -> str:
        self.count += 1
        return uid(kind, self.count)

    def change(self, entity: str, row_id: str, op: str, fields: dict[str, Any],
               *, ahead: bool = False) -> Change:
        self.count += 1
        wall = MS + (3_600_000 if ahead else self.count)
        made = Change(mutation_id=uid("m", self.count), entity=entity, row_id=row_id,
                      op=op, fields=fields, hlc=f"{wall:013d}-00000-node",  # type: ignore[arg-type]
                      author_id=self.me.agent_id)
        self.made.append(made)
        return made


def make(desk: Desk, kind: str, pick: int) -> Change:
    me = desk.me.agent_id
    if kind == "ticket":
        row = desk.next_id("t")
        desk.tickets.append(row)
        return desk.change("ticket", row, "insert", {
            "subject": f"Printer {pick}", "status": "open", "owner_id": me,
            "customer_id": uid("cu", 1),
            "created_at": STAMP, "updated_at": STAMP})
    if kind == "update" and desk.tickets:
        return desk.change("ticket", desk.tickets[pick % len(desk.tickets)], "update",
                           {"subject": f"Printer {pick} again"})
    if kind == "unknown_update":
        return desk.change("ticket", desk.next_id("nothere"), "update", {"subject": "x"})
    if kind == "contact":
        ticket = desk.tickets[pick % len(desk.tickets)] if desk.tickets else None
        row = desk.next_id("c")
        desk.contacts.append(row)
        return desk.change("contact", row, "insert", {
            "agent_id": me, "ticket_id": ticket, "channel": "phone", "customer_id": uid("cu", 1),
            "summary": f"Called {pick}", "occurred_at": STAMP})
    if kind == "unknown_reference":
        return desk.change("contact", desk.next_id("c"), "insert", {
            "agent_id": me, "ticket_id": uid("nothere", 0), "channel": "phone",
            "customer_id": uid("cu", 1),
            "summary": "Called", "occurred_at": STAMP})
    if kind == "forbidden_writer":
        return desk.change("contact", desk.next_id("c"), "insert", {
            "agent_id": desk.other.agent_id, "channel": "email", "summary": "Not mine",
            "customer_id": uid("cu", 1),
            "occurred_at": STAMP})
    if kind == "spend":
        return desk.change("goodwill_entry", desk.next_id("g"), "insert", {
            "kind": "spend", "budget_agent_id": me, "period": PERIOD,
            "amount_cents": -(pick % 7 + 1) * 1000, "currency": "EUR",
            "reason": "Voucher for the trouble", "author_id": me, "created_at": STAMP})
    if kind == "clock_ahead":
        return desk.change("ticket", desk.next_id("t"), "insert", {
            "subject": "From the future", "status": "open", "created_at": STAMP,
            "customer_id": uid("cu", 1),
            "updated_at": STAMP}, ahead=True)
    if kind == "insert_only_update" and desk.contacts:
        return desk.change("contact", desk.contacts[pick % len(desk.contacts)], "update",
                           {"summary": "rewritten"})
    if kind == "duplicate" and desk.made:
        return desk.made[pick % len(desk.made)]
    if kind == "kb_edit":
        version = 2 + pick % 2  # two edits of one version conflict
        return desk.change("kb_article", uid("kb", 1), "update", {
            "body": f"Body {pick}", "version": version, "updated_at": STAMP})
    return make(desk, "ticket", pick)


KINDS = ["ticket", "update", "unknown_update", "contact", "unknown_reference",
         "forbidden_writer", "spend", "clock_ahead", "insert_only_update", "duplicate",
         "kb_edit"]


def seeded(folder: Path) -> tuple[str, dict[str, str]]:
    url = f"sqlite:///{folder / 'seed.db'}"
    db = Database(url)
    tokens = {handle: add_user(db, handle, role=role, team="north")
              for handle, role in (("me", "agent"), ("other", "agent"), ("lead", "lead"))}
    lead = caller_for_token(db, tokens["lead"])
    me = caller_for_token(db, tokens["me"])
    assert lead is not None and me is not None
    seed = [
        Change(mutation_id=uid("seed", 3), entity="customer", row_id=uid("cu", 1), op="insert",
               fields={"name": "Ada Jansen", "created_at": STAMP, "updated_at": STAMP},
               hlc=f"{MS - 11_000:013d}-00000-lead", author_id=lead.agent_id),
        Change(mutation_id=uid("seed", 1), entity="goodwill_entry", row_id=uid("alloc", 1),
               op="insert",
               fields={"kind": "allocation", "budget_agent_id": me.agent_id, "period": PERIOD,
                       "amount_cents": 10_000, "currency": "EUR", "reason": "Monthly budget",
                       "author_id": lead.agent_id, "created_at": STAMP},
               hlc=f"{MS - 10_000:013d}-00000-lead", author_id=lead.agent_id),
        Change(mutation_id=uid("seed", 2), entity="kb_article", row_id=uid("kb", 1), op="insert",
               fields={"title": "Printers", "body": "Turn it off and on.", "tags": [],
                       "author_id": lead.agent_id, "version": 1, "created_at": STAMP,
                       "updated_at": STAMP, "deleted": False},
               hlc=f"{MS - 9_000:013d}-00000-lead", author_id=lead.agent_id),
    ]
    changelog.push(db, lead, PushRequest(client_id="lead", changes=seed), now=NOW)
    db.dispose()
    return url, tokens


def state(db: Database) -> dict[str, Any]:
    """Every row a push may write, the log without what the server makes up anew."""
    with db.reading() as connection:
        found: dict[str, Any] = {}
        for entity in ("ticket", "contact", "goodwill_entry", "kb_article", "kb_edit"):
            table = ENTITIES[entity].__table__
            rows = [dict(row._mapping) for row in connection.execute(select(table))]
            if entity == "kb_article":  # conflict copies get fresh ids
                rows = [{k: v for k, v in row.items() if k != "id"} for row in rows]
            found[entity] = sorted(rows, key=repr)
        found["clocks"] = sorted(tuple(row) for row in connection.execute(select(field_clock))
                                 if not str(row.row_id).startswith("01"))
        found["log"] = [(row.seq, row.entity, row.op, row.hlc[:13], row.audience,
                         row.mutation_id if row.mutation_id.startswith("0000") else "")
                        for row in connection.execute(select(change_log)
                                                      .order_by(change_log.c.seq))]
        found["answers"] = sorted(
            (row.mutation_id, row.outcome, row.code, row.reason, row.assigned, row.seq)
            for row in connection.execute(select(processed_mutation)))
    return found


def outcome(result: Any) -> tuple[Any, ...]:
    return (result.mutation_id, result.status, result.code, result.reason, result.assigned,
            result.current, result.current_clocks)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 50)),
                     min_size=1, max_size=40))
def test_a_batch_answers_and_writes_what_one_by_one_does(
        plan: list[tuple[str, int]], tmp_path_factory: Any) -> None:
    folder = tmp_path_factory.mktemp("batch")
    url, tokens = seeded(folder)
    other_path = folder / "one-by-one.db"
    shutil.copyfile(url.removeprefix("sqlite:///"), other_path)
    batched, single = Database(url), Database(f"sqlite:///{other_path}")
    try:
        callers = [caller_for_token(batched, tokens[h]) for h in ("me", "other", "lead")]
        assert all(callers)
        desk = Desk(*callers)  # type: ignore[arg-type]
        changes = [make(desk, kind, pick) for kind, pick in plan]
        answer, _changed = changelog.push(
            batched, desk.me, PushRequest(client_id="me", changes=changes), now=NOW + timedelta())
        one_by_one = []
        for change in changes:
            reply, _changed = changelog.push(single, desk.me, PushRequest(
                client_id="me", changes=[change]), now=NOW, batched=False)
            one_by_one.extend(reply.results)
        assert [outcome(r) for r in answer.results] == [outcome(r) for r in one_by_one]
        assert state(batched) == state(single)
    finally:
        batched.dispose()
        single.dispose()


def test_a_batch_the_database_refuses_is_judged_again_one_by_one(tmp_path: Path) -> None:
    """Two resolver groups of one push with the same name: the batch's judging does not
    see the clash, the database refuses its writes, and the push is judged again one by
    one in a new transaction: the answers, rows and log of pushing each change alone."""
    url, tokens = seeded(tmp_path)
    other_path = tmp_path / "one-by-one.db"
    shutil.copyfile(url.removeprefix("sqlite:///"), other_path)
    batched, single = Database(url), Database(f"sqlite:///{other_path}")
    try:
        lead = caller_for_token(batched, tokens["lead"])
        assert lead is not None
        groups = [Change(mutation_id=uid("m", n), entity="resolver_group", row_id=uid("g", n),
                         op="insert", fields={"name": "Identity", "tier": 2, "created_at": STAMP},
                         hlc=f"{MS + n:013d}-00000-lead", author_id=lead.agent_id)
                  for n in (1, 2)]
        answer, changed = changelog.push(
            batched, lead, PushRequest(client_id="lead", changes=groups), now=NOW)
        assert changed
        assert [(r.status, r.code) for r in answer.results] == \
            [("applied", None), ("rejected", "conflict")]
        one_by_one = [changelog.push(single, lead, PushRequest(
            client_id="lead", changes=[group]), now=NOW, batched=False)[0].results[0]
            for group in groups]
        assert [outcome(r) for r in answer.results] == [outcome(r) for r in one_by_one]
        assert state(batched) == state(single)
        with batched.reading() as connection:
            table = ENTITIES["resolver_group"].__table__
            assert [row.id for row in connection.execute(select(table))] == [uid("g", 1)]
    finally:
        batched.dispose()
        single.dispose()
