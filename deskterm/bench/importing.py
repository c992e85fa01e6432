"""The import's speed (`deskterm server import`) beside plain executemany, in one run.

N generated records (a tenth customers, a fiftieth articles, the rest tickets and their
contacts) are written as CSV files first (not timed). Then, per backend (SQLite; and
PostgreSQL when a server is given), into fresh server databases in the same run:

- import: `server.importing.import_desk` of the files, from reading the CSV to the last
  commit (rows checked, references found, rows merged, change log written, in batches);
- executemany: the same rows (read back from the imported database) inserted into the
  same tables of another fresh database with one executemany per table and batch,
  nothing checked and nothing logged: the floor the import is held to (at most 5x);
- one by one: a sample of the same rows written through `LogWriter.write_as_server`, one
  change at a time, as the server wrote its own changes before the import had a batched
  path (shown for comparison, not a goal).

The issue's goal: at least 5,000 rows/s on each backend and at most 5x executemany's
time. There is no CLI command of its own: `deskterm bench all` calls `run_import`. The
report is English only, like the other benches'.
"""

from __future__ import annotations

import csv
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_ROWS = 100_000
QUICK_ROWS = 20_000
#: Rows written one by one for the comparison with the old path.
ONE_BY_ONE_ROWS = 2_000
GOAL_ROWS_PER_S = 5_000.0
GOAL_RATIO = 5.0
BATCH = 5_000


@dataclass
class ImportOptions:
    rows: int | None = None
    quick: bool = False
    #: A PostgreSQL server to make scratch databases on (None: SQLite only).
    database_url: str | None = None
    progress: Callable[[str], None] | None = None

    @property
    def count(self) -> int:
        return self.rows or (QUICK_ROWS if self.quick else DEFAULT_ROWS)


@dataclass
class Timed:
    what: str
    rows: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    def to_json(self) -> dict[str, Any]:
        return {"what": self.what, "rows": self.rows, "seconds": round(self.seconds, 3),
                "rows_per_s": round(self.per_second, 1)}


@dataclass
class BackendResult:
    backend: str
    imported: Timed | None = None
    executemany: Timed | None = None
    one_by_one: Timed | None = None
    failed: str | None = None

    @property
    def ratio(self) -> float | None:
        """The import's time over executemany's, per row."""
        if not (self.imported and self.executemany and self.executemany.per_second):
            return None
        return self.executemany.per_second / self.imported.per_second

    @property
    def met(self) -> bool:
        ratio = self.ratio
        return (self.imported is not None and ratio is not None
                and self.imported.per_second >= GOAL_ROWS_PER_S and ratio <= GOAL_RATIO)

    def to_json(self) -> dict[str, Any]:
        return {"backend": self.backend, "failed": self.failed,
                "import": self.imported.to_json() if self.imported else None,
                "executemany": self.executemany.to_json() if self.executemany else None,
                "one_by_one": self.one_by_one.to_json() if self.one_by_one else None,
                "ratio": round(self.ratio, 2) if self.ratio is not None else None,
                "goal_rows_per_s": GOAL_ROWS_PER_S, "goal_ratio": GOAL_RATIO,
                "met": self.met}


@dataclass
class ImportBench:
    rows: int
    results: list[BackendResult] = field(default_factory=list)
    skipped: str = ""
    #: The machine's 1-minute load average before and after (figures on a busy machine
    #: are noisy; the ratio to the same run's executemany is what compares).
    load_before: float = 0.0
    load_after: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"rows": self.rows, "skipped": self.skipped, "cores": os.cpu_count(),
                "load_before": self.load_before, "load_after": self.load_after,
                "results": [r.to_json() for r in self.results]}


def render(bench: ImportBench) -> str:
    lines = [f"Import of {bench.rows:,} generated rows (CSV to committed), beside "
             "executemany of the same rows", "",
             "| backend | import rows/s | executemany rows/s | ratio | one by one rows/s "
             "| goal | met |", "|---|---:|---:|---:|---:|---|---|"]
    for result in bench.results:
        if result.failed:
            lines.append(f"| {result.backend} | failed: {result.failed} | | | | | no |")
            continue
        assert result.imported and result.executemany
        lines.append(
            f"| {result.backend} | {result.imported.per_second:,.0f} | "
            f"{result.executemany.per_second:,.0f} | {result.ratio or 0:.2f}x | "
            + (f"{result.one_by_one.per_second:,.0f}" if result.one_by_one else "—")
            + f" | ≥{GOAL_ROWS_PER_S:,.0f}/s, ≤{GOAL_RATIO:g}x | "
            + ("yes" if result.met else "no") + " |")
    lines += ["", f"{os.cpu_count()} cores; load average {bench.load_before:.2f} before, "
              f"{bench.load_after:.2f} after."]
    if bench.skipped:
        lines += ["", f"PostgreSQL skipped: {bench.skipped}"]
    return "\n".join(lines)


def run_import(options: ImportOptions) -> ImportBench:
    """Generate, import and compare on each backend (see the module)."""
    from deskterm.bench.syncbench.servers import fresh_database

    say = options.progress or (lambda _message: None)
    bench = ImportBench(options.count, load_before=os.getloadavg()[0])
    backends = ["sqlite"] + (["postgres"] if options.database_url else [])
    if not options.database_url:
        bench.skipped = "no PostgreSQL server given"
    with tempfile.TemporaryDirectory(prefix="deskterm-bench-import-") as folder:
        work = Path(folder)
        files = work / "desk"
        files.mkdir()
        say(f"writing {bench.rows:,} records as CSV")
        generate(files, bench.rows)
        for backend in backends:
            result = BackendResult("PostgreSQL" if backend == "postgres" else "SQLite")
            bench.results.append(result)
            try:
                with fresh_database(backend, work, options.database_url) as url, \
                        fresh_database(backend, work, options.database_url) as floor_url:
                    _measure(result, files, url, floor_url, say)
            except Exception as error:  # a bench reports what failed, and goes on
                result.failed = f"{type(error).__name__}: {error}"
    bench.load_after = os.getloadavg()[0]
    return bench


def _measure(result: BackendResult, files: Path, url: str, floor_url: str,
             say: Callable[[str], None]) -> None:
    from deskterm.server.database import Database
    from deskterm.server.importing import import_desk

    db = Database(url)
    try:
        _seed(db)
        say(f"{result.backend}: import")
        started = time.perf_counter()
        report = import_desk(db, [files], author="bench")
        seconds = time.perf_counter() - started
        bad = sum(len(f.bad) for f in report.files)
        if bad:
            raise RuntimeError(f"{bad} generated rows were refused: {report.files}")
        result.imported = Timed("import", report.imported, seconds)
        rows = _rows(db)
    finally:
        db.dispose()
    floor = Database(floor_url)
    try:
        _copy_people(floor, rows)
        say(f"{result.backend}: executemany of the same rows")
        result.executemany = _executemany(floor, rows)
        say(f"{result.backend}: one by one through write_as_server (a sample)")
        result.one_by_one = _one_by_one(floor, rows)
    finally:
        floor.dispose()


def _seed(db: Any) -> None:
    from deskterm.server.accounts import add_user

    add_user(db, "bench", role="agent", team="bench")


def _rows(db: Any) -> dict[str, list[dict[str, Any]]]:
    from sqlalchemy import select

    from deskterm.domain import ENTITIES

    found = {}
    with db.reading() as connection:
        for entity in ("team", "agent", "customer", "kb_article", "ticket", "contact"):
            table = ENTITIES[entity].__table__
            found[entity] = [dict(row) for row in
                             connection.execute(select(table)).mappings().all()]
    return found


def _copy_people(db: Any, rows: dict[str, list[dict[str, Any]]]) -> None:
    """The teams and agents the rows name, as they are in the imported database."""
    from sqlalchemy import insert

    from deskterm.domain import ENTITIES

    with db.writing() as connection:
        for entity in ("team", "agent"):
            connection.execute(insert(ENTITIES[entity].__table__), rows.pop(entity))


def _executemany(db: Any, rows: dict[str, list[dict[str, Any]]]) -> Timed:
    from sqlalchemy import insert

    from deskterm.domain import ENTITIES

    total = 0
    started = time.perf_counter()
    for entity, values in rows.items():
        table = ENTITIES[entity].__table__
        for start in range(0, len(values), BATCH):
            with db.writing() as connection:
                connection.execute(insert(table), values[start:start + BATCH])
        total += len(values)
    return Timed("executemany", total, time.perf_counter() - started)


def _one_by_one(db: Any, rows: dict[str, list[dict[str, Any]]]) -> Timed:
    """Customers written again under new ids, one change at a time (the old path)."""
    from deskterm.domain.ids import uuid7
    from deskterm.server.changelog import write_as_server
    from deskterm.sync.codec import DecodedChange

    sample = rows["customer"][:ONE_BY_ONE_ROWS]
    changes = [DecodedChange("customer", uuid7(), "insert",
                             {k: v for k, v in row.items() if k != "id"}) for row in sample]
    started = time.perf_counter()
    write_as_server(db, changes)
    return Timed("one by one", len(changes), time.perf_counter() - started)


def generate(folder: Path, count: int) -> None:
    """`count` records as the four CSV files of a desk moving in."""
    customers = max(1, count // 10)
    articles = max(1, count // 50)
    tickets = max(1, (count - customers - articles) * 4 // 9)
    contacts = max(1, count - customers - articles - tickets)
    topics = ("VPN", "printer", "laptop", "password", "mail", "badge", "Teams", "monitor")
    with (folder / "customers.csv").open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "name", "email", "organisation", "products", "created_at"])
        for n in range(customers):
            out.writerow([f"c{n}", f"Customer {n}", f"customer{n}@example.com",
                          f"Org {n % 97}", f"{topics[n % 8]}|{topics[(n + 3) % 8]}",
                          f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}T09:00:00Z"])
    with (folder / "articles.csv").open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "title", "body", "tags", "author"])
        for n in range(articles):
            out.writerow([f"a{n}", f"How to fix the {topics[n % 8]} ({n})",
                          f"Step one for {topics[n % 8]}.\n\nStep two.", topics[n % 8].lower(),
                          "bench"])
    with (folder / "tickets.csv").open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "subject", "customer", "priority", "status", "owner", "description",
                      "created_at"])
        for n in range(tickets):
            out.writerow([f"t{n}", f"{topics[n % 8]} trouble {n}", f"c{n % customers}",
                          1 + n % 4, ("new", "open", "waiting", "closed")[n % 4],
                          "bench" if n % 3 else "", f"The {topics[n % 8]} fails again.",
                          f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}T10:00:00Z"])
    with (folder / "contacts.csv").open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "ticket", "channel", "summary", "occurred_at", "agent"])
        for n in range(contacts):
            out.writerow([f"k{n}", f"t{n % tickets}", ("phone", "email", "chat")[n % 3],
                          f"Talked about the {topics[n % 8]}",
                          f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}T11:00:00Z",
                          "bench" if n % 2 else ""])


__all__ = ["ImportBench", "ImportOptions", "generate", "render", "run_import"]
