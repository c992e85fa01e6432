"""`deskterm bench writes`: how fast the server applies pushed changes, beside executemany.

On a fresh server database (SQLite, and PostgreSQL when a server is given), a lead
allocates goodwill budgets to a few agents and writes some KB articles. Then the agents
push N realistic mixed changes in batches of 500, taking turns: new customers, tickets
with their `created` event and a logged contact, goodwill spends on them, ticket
updates and KB edits (an article update and its `kb_edit` row). Each push goes through
`server.changelog.push` in this process: decoding, every rule, the merge, numbering,
the log and the answers, as over HTTP less the HTTP.

The baseline, in the same run and database: the same batches' rows written with
executemany, one savepoint per batch inside one transaction that is rolled back at
the end (so the push then meets the same database): each insert's row into its table,
each update as an UPDATE, and one change_log row per change. It is the floor no push
can go below: no rules, no merge, no
answers. The report is Markdown and JSON, English only, like the other benches.
"""

from __future__ import annotations

import json
import random
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

DEFAULT_CHANGES = 20_000
QUICK_CHANGES = 5_000
BATCH = 500
AGENTS = 4
ARTICLES = 40
GOAL_PER_SECOND = 5_000.0
GOAL_RATIO = 5.0

Figure = tuple[str, float, str, float, str, bool]


@dataclass
class WritesOptions:
    changes: int = DEFAULT_CHANGES
    database_url: str | None = None
    quick: bool = False
    skip_reason: str = ""


@dataclass
class BackendResult:
    backend: str
    changes: int = 0
    push_seconds: float = 0.0
    baseline_seconds: float = 0.0
    outcomes: dict[str, int] = field(default_factory=dict)
    failed: str | None = None

    @property
    def per_second(self) -> float:
        return self.changes / self.push_seconds if self.push_seconds else 0.0

    @property
    def baseline_per_second(self) -> float:
        return self.changes / self.baseline_seconds if self.baseline_seconds else 0.0

    @property
    def ratio(self) -> float:
        return self.baseline_per_second / self.per_second if self.per_second else 0.0

    @property
    def met(self) -> bool:
        return self.per_second >= GOAL_PER_SECOND and self.ratio <= GOAL_RATIO

    def to_json(self) -> dict[str, Any]:
        if self.failed:
            return {"backend": self.backend, "failed": self.failed}
        return {"backend": self.backend, "changes": self.changes,
                "push_seconds": round(self.push_seconds, 3),
                "changes_per_s": round(self.per_second, 1),
                "baseline": {"what": "executemany of the same rows and log rows",
                             "seconds": round(self.baseline_seconds, 3),
                             "changes_per_s": round(self.baseline_per_second, 1)},
                "ratio": round(self.ratio, 2), "outcomes": self.outcomes,
                "goal": {"changes_per_s": GOAL_PER_SECOND, "max_ratio": GOAL_RATIO},
                "met": self.met}


@dataclass
class WritesResult:
    options: WritesOptions
    results: list[BackendResult] = field(default_factory=list)
    skipped: str = ""

    @property
    def figures(self) -> list[Figure]:
        """(name, value, unit, baseline, goal, met) per backend, for `bench all`."""
        return [(f"server writes ({result.backend})", round(result.per_second, 1),
                 "changes/s", round(result.baseline_per_second, 1),
                 f">= {GOAL_PER_SECOND:,.0f} changes/s and <= {GOAL_RATIO:g}x executemany",
                 result.met) for result in self.results if not result.failed]

    def to_json(self) -> dict[str, Any]:
        return {"changes": self.options.changes, "batch": BATCH, "agents": AGENTS,
                "results": [result.to_json() for result in self.results],
                "skipped": self.skipped or None,
                "figures": [dict(zip(("name", "value", "unit", "baseline", "goal", "met"),
                                     figure, strict=True)) for figure in self.figures]}


def render(bench: WritesResult) -> str:
    """The Markdown report."""
    lines = [f"Server writes: {bench.options.changes:,} mixed changes pushed in batches of "
             f"{BATCH} by {AGENTS} agents", "",
             "| database | changes/s | executemany changes/s | ratio | goal | met |",
             "|---|---:|---:|---:|---|---|"]
    for result in bench.results:
        if result.failed:
            lines.append(f"| {result.backend} | failed: {result.failed} | | | | |")
            continue
        lines.append(f"| {result.backend} | {result.per_second:,.0f} | "
                     f"{result.baseline_per_second:,.0f} | {result.ratio:.2f}x | "
                     f">= {GOAL_PER_SECOND:,.0f}/s, <= {GOAL_RATIO:g}x | "
                     f"{'yes' if result.met else 'no'} |")
    if bench.skipped:
        lines.append(f"| PostgreSQL | skipped: {bench.skipped} | | | | |")
    lines.append("")
    for result in bench.results:
        if result.outcomes:
            lines.append(f"{result.backend} outcomes: " + ", ".join(
                f"{name} {count:,}" for name, count in sorted(result.outcomes.items())))
    lines.append("Ratio: executemany's changes/s over the push's, same run, same database "
                 "(the baseline's batches are savepoints of one transaction, rolled back).")
    return "\n".join(lines)


def run_writes(options: WritesOptions, progress: Callable[[str], None] | None = None
               ) -> WritesResult:
    """Measure on SQLite, and on PostgreSQL when `options.database_url` names a server."""
    from deskterm.bench.syncbench.servers import fresh_database

    say = progress or (lambda message: None)
    if options.quick:
        options.changes = min(options.changes, QUICK_CHANGES)
    bench = WritesResult(options, skipped="" if options.database_url else options.skip_reason)
    backends = ["sqlite"] + (["postgres"] if options.database_url else [])
    with tempfile.TemporaryDirectory(prefix="deskterm-bench-writes-") as folder:
        for backend in backends:
            name = "PostgreSQL" if backend == "postgres" else "SQLite"
            result = BackendResult(name)
            try:
                with fresh_database(backend, Path(folder), options.database_url) as url:
                    _measure(url, options.changes, result, say)
            except Exception as error:  # the report says what failed
                result.failed = f"{type(error).__name__}: {error}"
            bench.results.append(result)
    return bench


def _measure(url: str, count: int, result: BackendResult, say: Callable[[str], None]) -> None:
    from deskterm.server import changelog
    from deskterm.server.accounts import add_user, caller_for_token
    from deskterm.server.database import Database
    from deskterm.sync.wire import PushRequest

    db = Database(url)
    try:
        lead_token = add_user(db, "lead", role="lead", team="north")
        lead = caller_for_token(db, lead_token)
        assert lead is not None
        agents = []
        for index in range(AGENTS):
            caller = caller_for_token(db, add_user(db, f"agent{index}", role="agent", team="north"))
            assert caller is not None
            agents.append(caller)
        workload = Workload(lead.agent_id, [agent.agent_id for agent in agents])
        say(f"{result.backend}: seeding budgets and {ARTICLES} KB articles")
        answer, _changed = changelog.push(db, lead, PushRequest.model_construct(
            client_id="bench-lead", changes=workload.seed()))
        assert all(r.status == "applied" for r in answer.results), answer.results[:1]
        batches = list(workload.batches(count))
        say(f"{result.backend}: executemany baseline, {count:,} changes")
        decoded = [changelog.decode(PushRequest.model_construct(client_id="b", changes=batch))
                   for _agent, batch in batches]
        connection = db.engine.connect()
        outer = connection.begin()
        try:
            started = time.perf_counter()
            for index, rows in enumerate(decoded):
                with connection.begin_nested():
                    _executemany(connection, rows, index * BATCH)
            result.baseline_seconds = time.perf_counter() - started
        finally:
            outer.rollback()
            connection.close()
        say(f"{result.backend}: pushing {count:,} changes in {len(batches)} pushes")
        outcomes: Counter[str] = Counter()
        started = time.perf_counter()
        for agent_index, batch in batches:
            caller = agents[agent_index]
            answer, _changed = changelog.push(db, caller, PushRequest.model_construct(
                client_id=f"bench-agent{agent_index}", changes=batch))
            outcomes.update(r.code or r.status for r in answer.results)
        result.push_seconds = time.perf_counter() - started
        result.changes = count
        result.outcomes = dict(outcomes)
        say(f"{result.backend}: {result.per_second:,.0f} changes/s, executemany "
            f"{result.baseline_per_second:,.0f}/s")
    finally:
        db.dispose()


def _executemany(connection: Any, changes: list[Any], offset: int) -> None:
    """The same rows as the push writes, with executemany and no judging."""
    from sqlalchemy import bindparam, insert

    from deskterm.domain.clock import utcnow
    from deskterm.server.database import change_log
    from deskterm.sync.codec import table_of

    inserts: dict[tuple[str, frozenset[str]], list[dict[str, Any]]] = defaultdict(list)
    updates: dict[tuple[str, frozenset[str]], list[dict[str, Any]]] = defaultdict(list)
    log = []
    now = utcnow()
    for seq, change in enumerate(changes, start=offset + 1):
        if change.op == "insert":
            row = dict(change.fields, id=change.row_id)
            if change.entity == "ticket":
                row["number"] = 1_000_000 + seq
            inserts[(change.entity, frozenset(row))].append(row)
        else:
            updates[(change.entity, frozenset(change.fields))].append(
                {**{f"v_{k}": v for k, v in change.fields.items()}, "row_id_": change.row_id})
        log.append({"seq": 10_000_000 + seq, "mutation_id": change.mutation_id,
                    "entity": change.entity, "row_id": change.row_id, "op": change.op,
                    "fields": json.dumps(change.fields, default=str), "hlc": change.hlc,
                    "author_id": change.author_id, "audience": "all",
                    "audience_agent_id": None, "audience_team_id": None, "created_at": now})
    order = ("customer", "ticket", "ticket_event", "contact", "goodwill_entry",
             "kb_article", "kb_edit")
    for (entity, _shape), rows in sorted(inserts.items(),
                                         key=lambda item: order.index(item[0][0])):
        connection.execute(insert(table_of(entity)), rows)
    for (entity, names), rows in updates.items():
        table = table_of(entity)
        connection.execute(table.update().where(table.c.id == bindparam("row_id_"))
                           .values({n: bindparam(f"v_{n}") for n in names}), rows)
    connection.execute(insert(change_log), log)


class Workload:
    """The run's changes in wire form: a desk's agents at work (see the module's note)."""

    def __init__(self, lead_id: str, agent_ids: list[str]) -> None:
        from deskterm.bench.syncbench.changes import Clock
        from deskterm.domain.clock import utcnow
        from deskterm.domain.goodwill import period_of

        self.lead_id = lead_id
        self.agent_ids = agent_ids
        self.clocks = {agent: Clock(f"bench{index}") for index, agent in enumerate(agent_ids)}
        self.lead_clock = Clock("benchlead")
        self.period = period_of(utcnow())
        self.articles: dict[str, int] = {}
        self.rng = random.Random(16)

    def seed(self) -> list[Any]:
        from deskterm.bench.syncbench.changes import _change
        from deskterm.domain.clock import utcnow
        from deskterm.domain.ids import uuid7

        now = utcnow().isoformat()
        changes = []
        for agent in self.agent_ids:
            changes.append(_change(self.lead_clock, "goodwill_entry", uuid7(), "insert", {
                "kind": "allocation", "budget_agent_id": agent, "period": self.period,
                "amount_cents": 1_000_000, "currency": "EUR", "reason": "Monthly budget",
                "author_id": self.lead_id, "created_at": now}, self.lead_id))
        for index in range(ARTICLES):
            article = uuid7()
            self.articles[article] = 1
            changes.append(_change(self.lead_clock, "kb_article", article, "insert", {
                "title": f"How to fix problem {index}", "body": "Step one.\n" * 20,
                "tags": ["howto"], "author_id": self.lead_id, "version": 1,
                "created_at": now, "updated_at": now, "deleted": False}, self.lead_id))
        return changes

    def batches(self, count: int) -> Iterator[tuple[int, list[Any]]]:
        """(agent index, up to BATCH changes), agents taking turns, `count` in all."""
        streams = [self._stream(index) for index in range(len(self.agent_ids))]
        made = 0
        turn = 0
        while made < count:
            size = min(BATCH, count - made)
            stream = streams[turn % len(streams)]
            yield turn % len(streams), [next(stream) for _unused in range(size)]
            made += size
            turn += 1

    def _stream(self, index: int) -> Iterator[Any]:
        from deskterm.bench.syncbench.changes import _change, _subject
        from deskterm.domain.clock import utcnow
        from deskterm.domain.ids import uuid7

        agent = self.agent_ids[index]
        clock = self.clocks[agent]
        rng = random.Random(index)
        customer = ""
        number = 0
        while True:
            now = utcnow()
            stamp = now.isoformat()
            if number % 6 == 0:
                customer = uuid7()
                yield _change(clock, "customer", customer, "insert", {
                    "name": f"Customer {index}-{number}", "email": f"c{index}-{number}@example.com",
                    "created_at": stamp, "updated_at": stamp}, agent)
            ticket = uuid7()
            yield _change(clock, "ticket", ticket, "insert", {
                "subject": _subject(rng), "description": "Reported by phone.",
                "customer_id": customer, "owner_id": agent, "status": "open",
                "created_at": stamp, "updated_at": stamp}, agent)
            yield _change(clock, "ticket_event", uuid7(), "insert", {
                "ticket_id": ticket, "agent_id": agent, "kind": "created", "detail": "phone",
                "created_at": stamp}, agent)
            yield _change(clock, "contact", uuid7(), "insert", {
                "customer_id": customer, "agent_id": agent, "ticket_id": ticket,
                "channel": "phone", "summary": "Called about the ticket",
                "occurred_at": stamp}, agent)
            if number % 3 == 0:
                yield _change(clock, "goodwill_entry", uuid7(), "insert", {
                    "kind": "spend", "budget_agent_id": agent, "period": self.period,
                    "amount_cents": -rng.randint(100, 2000), "currency": "EUR",
                    "ticket_id": ticket, "customer_id": customer,
                    "reason": "Voucher for the trouble", "author_id": agent,
                    "created_at": stamp}, agent)
            if number % 2 == 0:
                yield _change(clock, "ticket", ticket, "update", {
                    "status": "waiting", "updated_at": (now + timedelta(seconds=1)).isoformat()},
                    agent)
            if number % 4 == 0:
                article = rng.choice(sorted(self.articles))
                version = self.articles[article] + 1
                self.articles[article] = version
                yield _change(clock, "kb_article", article, "update", {
                    "body": f"Step one.\nStep two ({version}).\n" * 10, "version": version,
                    "updated_at": stamp}, agent)
                yield _change(clock, "kb_edit", uuid7(), "insert", {
                    "article_id": article, "version": version, "editor_id": agent,
                    "changed": ["body"], "edited_at": stamp}, agent)
            number += 1


__all__ = ["DEFAULT_CHANGES", "WritesOptions", "WritesResult", "render", "run_writes"]
