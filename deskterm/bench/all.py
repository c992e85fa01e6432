"""`deskterm bench all`: every benchmark in one run, one Markdown and one JSON report.

Parts, in order: ui (first frame, keys, memory), sync (first pull, round trip, load on
SQLite and PostgreSQL), search (100,000 articles), the writes, import and memory benches
(imported lazily: a part whose module is missing is skipped with a note), and a bigger
desk (2,000 agents against two server instances on one PostgreSQL, and a new replica's
first pull of 1,000,000 changes). Each part gives `Figure`s (bench.figures): the value
beside its baseline from the same run, the ratio, the goal and whether it was met; ui and
sync are adapted here from their own results. The machine is described once: cores, load
average before and after, Python, SQLite and PostgreSQL.

`--quick` runs every part at a smaller scale (`QUICK`), to fit in 20 minutes on 2 cores.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import platform
import sqlite3
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from deskterm.bench.figures import Figure, below

Progress = Callable[[str], None]
#: The issue's first-frame goal: at most this many times the minimal Textual app's.
FIRST_FRAME_RATIO_GOAL = 2.0
BIG_DESK_P99_GOAL_MS = 200.0
BIG_PULL_GOAL_S = 60.0


@dataclass(frozen=True)
class Scale:
    """The sizes of one run of every part."""

    name: str
    ui_tickets: int
    ui_rounds: int
    ui_baseline_rows: int
    sync_changes: int
    sync_agents: int
    sync_seconds: int
    sync_rounds: int
    search_articles: int
    search_rounds: int
    #: Passed to the writes, import and memory parts (each reads what it knows).
    writes_changes: int
    import_rows: int
    memory_keys: int
    big_agents: int
    big_instances: int
    big_seconds: int
    big_changes: int


FULL = Scale("full", ui_tickets=1_000_000, ui_rounds=5, ui_baseline_rows=100_000,
             sync_changes=100_000, sync_agents=200, sync_seconds=60, sync_rounds=50,
             search_articles=100_000, search_rounds=10, writes_changes=100_000,
             import_rows=100_000, memory_keys=20_000, big_agents=2000, big_instances=2,
             big_seconds=60, big_changes=1_000_000)
QUICK = Scale("quick", ui_tickets=100_000, ui_rounds=2, ui_baseline_rows=20_000,
              sync_changes=20_000, sync_agents=100, sync_seconds=20, sync_rounds=20,
              search_articles=100_000, search_rounds=3, writes_changes=20_000,
              import_rows=20_000, memory_keys=3000, big_agents=500, big_instances=2,
              big_seconds=20, big_changes=100_000)
#: For the tests: every part end to end, in a few minutes.
TINY = Scale("tiny", ui_tickets=2000, ui_rounds=1, ui_baseline_rows=2000,
             sync_changes=300, sync_agents=3, sync_seconds=2, sync_rounds=3,
             search_articles=300, search_rounds=1, writes_changes=300, import_rows=300,
             memory_keys=200, big_agents=6, big_instances=2, big_seconds=2, big_changes=300)

#: The parts whose modules other work adds: (part, module, function).
LAZY_PARTS = (("writes", "deskterm.bench.writes", "run_writes"),
              ("import", "deskterm.bench.importing", "run_import"),
              ("memory", "deskterm.bench.memory", "run_memory"))
PARTS = ("ui", "sync", "search", "writes", "import", "memory", "bigger desk")


@dataclass(frozen=True)
class AllOptions:
    scale: Scale
    out: Path
    #: PostgreSQL server for sync and the bigger desk; None: those parts say why not.
    database_url: str | None
    #: The parts to run (default all of PARTS); the others are reported as not asked for.
    parts: tuple[str, ...] = PARTS


@dataclass
class Part:
    """One benchmark's figures, or why it has none."""

    name: str
    figures: list[Figure] = field(default_factory=list)
    note: str = ""  # skipped or failed: why
    seconds: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)  # the part's own JSON

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "seconds": round(self.seconds, 1), "note": self.note,
                "figures": [figure.to_json() for figure in self.figures],
                "details": self.details}


@dataclass
class AllBench:
    machine: dict[str, Any]
    scale: Scale
    parts: list[Part] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        figures = [figure for part in self.parts for figure in part.figures]
        held = [figure for figure in figures if figure.met is not None]
        return {"machine": self.machine, "scale": asdict(self.scale),
                "seconds": round(self.seconds, 1),
                "parts": [part.to_json() for part in self.parts],
                "goals_met": sum(bool(figure.met) for figure in held),
                "goals_total": len(held)}


def describe_machine(pg_url: str | None) -> dict[str, Any]:
    machine: dict[str, Any] = {
        "cpus": os.cpu_count(), "platform": platform.platform(),
        "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
        "load_average_before": [round(load, 2) for load in os.getloadavg()],
        "started_at": time.strftime("%Y-%m-%d %H:%M:%S %Z")}
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            machine["cpu_model"] = next((line.split(":", 1)[1].strip() for line in info
                                         if line.startswith("model name")), "")
    except OSError:
        pass
    machine["postgresql"] = _pg_version(pg_url) if pg_url else "not given"
    return machine


def _pg_version(pg_url: str) -> str:
    try:
        from deskterm.bench.syncbench.run import _pg_version as version

        return version(pg_url)
    except Exception as error:
        return f"unreachable: {error}"


def run_all(options: AllOptions, progress: Progress) -> AllBench:
    """Every part in turn; a part that fails is noted and the run goes on. Writes the
    reports into options.out (bench-all.md, bench-all.json)."""
    started = time.perf_counter()
    bench = AllBench(describe_machine(options.database_url), options.scale)
    runners: dict[str, Callable[[AllOptions, Progress, Part], None]] = {
        "ui": _ui, "sync": _sync, "search": _search, "bigger desk": _bigger_desk}
    for name in PARTS:
        part = Part(name)
        bench.parts.append(part)
        if name not in options.parts:
            part.note = "skipped: not asked for (--parts)"
            continue
        progress(f"== {name}")
        began = time.perf_counter()
        try:
            if name in runners:
                runners[name](options, _prefixed(progress, name), part)
            else:
                _lazy(name, options, _prefixed(progress, name), part)
        except Exception as error:
            part.note = f"failed: {type(error).__name__}: {error}"
            part.details["traceback"] = traceback.format_exc(limit=6)
            progress(f"{name}: {part.note}")
        part.seconds = time.perf_counter() - began
    bench.seconds = time.perf_counter() - started
    bench.machine["load_average_after"] = [round(load, 2) for load in os.getloadavg()]
    write_reports(bench, options.out)
    return bench


def _prefixed(progress: Progress, name: str) -> Progress:
    return lambda message: progress(f"{name}: {message}")


# -- the parts -----------------------------------------------------------------------------


def _ui(options: AllOptions, progress: Progress, part: Part) -> None:
    from deskterm.bench.results import FIRST_FRAME_GOAL_MS, KEY_ACTIONS
    from deskterm.bench.ui import UiOptions, run_ui_bench

    scale = options.scale
    bench = run_ui_bench(UiOptions(db=None, tickets=scale.ui_tickets, rounds=scale.ui_rounds,
                                   baseline_rows=scale.ui_baseline_rows), progress)
    part.details = bench.to_json()
    part.figures = ui_figures(bench, FIRST_FRAME_GOAL_MS, KEY_ACTIONS)


def ui_figures(bench: Any, frame_goal_ms: float, actions: tuple[str, ...]) -> list[Figure]:
    """`bench ui`'s results as figures: first frame against the minimal app, each key
    against the stock DataTable's same key where it has one, memory."""
    desk, minimal = bench.apps.get("deskterm"), bench.apps.get("minimal")
    datatable = bench.apps.get("datatable")
    figures: list[Figure] = []
    if desk is None:
        return figures
    frame = desk.first_frame.median if desk.first_frame.ok else None
    floor = minimal.first_frame.median if minimal is not None and minimal.first_frame.ok \
        else None
    ratio = frame / floor if frame is not None and floor else None
    figures.append(Figure(
        f"first frame ({bench.store.get('tickets', 0):,} tickets), median", frame, "ms", floor,
        "minimal Textual app, median", f"<= {FIRST_FRAME_RATIO_GOAL:g}x minimal app",
        None if ratio is None else ratio <= FIRST_FRAME_RATIO_GOAL))
    figures.append(Figure("first frame, median", frame, "ms", floor,
                          "minimal Textual app, median", f"< {frame_goal_ms:.0f} ms",
                          below(frame, frame_goal_ms)))
    goals = {goal.what: goal for goal in bench.goals()}
    for action in actions:
        key = desk.keys.get(action)
        value = key.p95 if key is not None and key.ok else None
        other = datatable.keys.get(action) if datatable is not None else None
        goal = goals.get(action)
        figures.append(Figure(
            f"key: {action}, p95", value, "ms",
            other.p95 if other is not None and other.ok else None,
            "stock DataTable, same key, p95" if other is not None else "",
            f"p95 < {goal.limit:.0f} ms" if goal else "", goal.passed if goal else None))
    memory = goals.get("memory")
    figures.append(Figure("memory, peak", desk.peak_memory, "MB",
                          minimal.peak_memory if minimal is not None else None,
                          "minimal Textual app, peak",
                          f"< {memory.limit:.0f} MB" if memory else "",
                          memory.passed if memory else None))
    return figures


def _sync_options(options: AllOptions, *, agents: int, seconds: int, changes: int,
                  rounds: int, instances: int, backends: tuple[str, ...]) -> Any:
    from deskterm.bench.syncbench.run import SyncOptions

    return SyncOptions(database_url=options.database_url, changes=changes, agents=agents,
                       seconds=seconds, rounds=rounds, instances=instances,
                       backends=backends,
                       skip_reason="" if options.database_url else "no PostgreSQL server given")


def _sync(options: AllOptions, progress: Progress, part: Part) -> None:
    from deskterm.bench.syncbench.run import run_sync_bench

    scale = options.scale
    bench = run_sync_bench(_sync_options(
        options, agents=scale.sync_agents, seconds=scale.sync_seconds,
        changes=scale.sync_changes, rounds=scale.sync_rounds, instances=1,
        backends=("sqlite", "postgresql")), progress)
    part.details = bench.to_json()
    part.figures = sync_figures(bench)
    part.note = _sync_note(bench)


def _sync_note(bench: Any) -> str:
    notes = [f"{result.backend}: {result.skipped or result.failed}"
             for result in bench.results if result.skipped or result.failed]
    return "; ".join(notes)


def sync_figures(bench: Any, *, prefix: str = "") -> list[Figure]:
    """`bench sync`'s results as figures, per database, each beside its plain-SQL floor."""
    from deskterm.bench.syncbench.results import goals_of

    figures: list[Figure] = []
    for result in bench.results:
        if result.skipped:
            continue
        goals = {goal.what: goal for goal in goals_of(result)}
        name = f"{prefix}{result.backend}"
        pull, trip, load = result.first_pull, result.round_trip, result.load
        goal = goals["first pull"]
        figures.append(Figure(
            f"{name}: first pull of {pull.changes:,} changes" if pull else
            f"{name}: first pull", pull.seconds if pull else None, "s",
            pull.baseline_seconds if pull else None, "executemany of the same rows",
            f"< {goal.limit:g} s", goal.passed))
        goal = goals["round trip"]
        figures.append(Figure(
            f"{name}: round trip A → B, p95", trip.trip.p95 if trip and trip.trip.ok else None,
            "ms", trip.baseline.p95 if trip and trip.baseline.ok else None,
            "direct SQL write and read, p95", f"p95 < {goal.limit:g} ms", goal.passed))
        goal = goals["load"]
        label = f"{load.agents:,} agents" if load else "agents"
        if load and load.instances > 1:
            label += f" on {load.instances} instances"
        figures.append(Figure(
            f"{name}: load, {label}, p99",
            load.requests.p99 if load and load.requests.ok else None, "ms",
            load.baseline.p99 if load and load.baseline.ok else None,
            "the same pull queries directly, p99", f"p99 < {goal.limit:g} ms", goal.passed))
        goal = goals["load errors"]
        figures.append(Figure(f"{name}: load errors", load.errors if load else None, "errors",
                              goal="none", met=goal.passed))
    return figures


def _search(options: AllOptions, progress: Progress, part: Part) -> None:
    from deskterm.bench.search import SearchOptions, run_search_bench

    scale = options.scale
    bench = run_search_bench(SearchOptions(articles=scale.search_articles,
                                           rounds=scale.search_rounds), progress)
    part.details = bench.to_json()
    part.figures = bench.figures()
    if bench.typing_failed:
        part.note = f"search as you type failed: {bench.typing_failed}"


def _bigger_desk(options: AllOptions, progress: Progress, part: Part) -> None:
    from deskterm.bench.syncbench.run import run_sync_bench

    if not options.database_url:
        part.note = "skipped: no PostgreSQL server given (--database-url or DESKTERM_TEST_PG_URL)"
        return
    scale = options.scale
    bench = run_sync_bench(_sync_options(
        options, agents=scale.big_agents, seconds=scale.big_seconds,
        changes=scale.big_changes, rounds=3, instances=scale.big_instances,
        backends=("postgresql",)), progress)
    part.details = bench.to_json()
    part.note = _sync_note(bench)
    for result in bench.results:
        if result.skipped:
            continue
        load, pull = result.load, result.first_pull
        p99 = load.requests.p99 if load and load.requests.ok else None
        part.figures.append(Figure(
            f"{result.backend}: {scale.big_agents:,} agents every 2 s on "
            f"{scale.big_instances} instances, p99", p99, "ms",
            load.baseline.p99 if load and load.baseline.ok else None,
            "the same pull queries directly, p99", f"p99 < {BIG_DESK_P99_GOAL_MS:.0f} ms",
            below(p99, BIG_DESK_P99_GOAL_MS)))
        part.figures.append(Figure(f"{result.backend}: errors under that load",
                                   load.errors if load else None, "errors", goal="none",
                                   met=None if load is None else load.errors == 0))
        part.figures.append(Figure(
            f"{result.backend}: a new replica's first pull of "
            f"{pull.changes if pull else scale.big_changes:,} changes",
            pull.seconds if pull else None, "s", pull.baseline_seconds if pull else None,
            "executemany of the same rows", f"< {BIG_PULL_GOAL_S:.0f} s",
            below(pull.seconds if pull else None, BIG_PULL_GOAL_S)))


def _lazy(name: str, options: AllOptions, progress: Progress, part: Part) -> None:
    """A part another change adds: its module's function takes the scale, a progress
    callback and the PostgreSQL URL, and returns a list of Figures (or an object with
    .figures() and .to_json())."""
    module_name, function_name = next((module, function) for part_name, module, function
                                      in LAZY_PARTS if part_name == name)
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as missing:
        if missing.name is not None and module_name.startswith(missing.name):
            part.note = f"skipped: {module_name} is not in this build"
            progress(part.note)
            return
        raise
    run = getattr(module, function_name)
    if name in _ADAPTED:
        part.figures, part.details = _ADAPTED[name](module, options, progress)
        return
    result = run(**_arguments(run, name, options, progress))
    if isinstance(result, list):
        part.figures = [figure for figure in result if isinstance(figure, Figure)]
    else:
        part.figures = list(result.figures())
        if hasattr(result, "to_json"):
            part.details = result.to_json()


def _writes(module: Any, options: AllOptions, progress: Progress
            ) -> tuple[list[Figure], dict[str, Any]]:
    """`bench.writes`: pushes beside executemany of the same rows, per backend."""
    result = module.run_writes(module.WritesOptions(
        changes=options.scale.writes_changes, database_url=options.database_url,
        quick=options.scale.name != "full"), progress)
    figures = [Figure(name, value, unit, baseline, "executemany of the same rows", goal, met)
               for name, value, unit, baseline, goal, met in result.figures]
    return figures, result.to_json()


def _import(module: Any, options: AllOptions, progress: Progress
            ) -> tuple[list[Figure], dict[str, Any]]:
    """`bench.importing`: `deskterm server import` beside executemany, per backend."""
    bench = module.run_import(module.ImportOptions(
        rows=options.scale.import_rows, quick=options.scale.name != "full",
        database_url=options.database_url, progress=progress))
    figures = []
    for result in bench.results:
        if result.failed or result.imported is None:
            continue
        figures.append(Figure(
            f"server import ({result.backend})", result.imported.per_second, "rows/s",
            result.executemany.per_second if result.executemany else None,
            "executemany of the same rows",
            f">= {module.GOAL_ROWS_PER_S:,.0f} rows/s and <= {module.GOAL_RATIO:g}x "
            "executemany", result.met))
    return figures, bench.to_json()


#: Parts whose own options object `bench all` builds (their functions take one).
_ADAPTED: dict[str, Callable[[Any, AllOptions, Progress],
                             tuple[list[Figure], dict[str, Any]]]] = {
    "writes": _writes, "import": _import}


def _arguments(run: Callable[..., Any], name: str, options: AllOptions,
               progress: Progress) -> dict[str, Any]:
    """What a lazy part's function asks for, by its parameters' names."""
    scale = options.scale
    size = {"writes": scale.writes_changes, "import": scale.import_rows,
            "memory": scale.memory_keys}[name]
    known: dict[str, Any] = {
        "scale": scale, "quick": scale.name != "full", "progress": progress,
        "database_url": options.database_url, "pg_url": options.database_url,
        "out": options.out, "changes": size, "rows": size, "keys": size, "size": size}
    parameters = inspect.signature(run).parameters
    return {key: value for key, value in known.items() if key in parameters}


# -- the reports ---------------------------------------------------------------------------


def write_reports(bench: AllBench, out: Path) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    markdown, data = out / "bench-all.md", out / "bench-all.json"
    markdown.write_text(render_markdown(bench), encoding="utf-8")
    data.write_text(json.dumps(bench.to_json(), indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return markdown, data


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "errors":
        return f"{value:.0f}"
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2f}" if abs(value) < 10 \
        else f"{value:.1f}"
    return f"{text} {unit}"


def _verdict(figure: Figure) -> str:
    return "—" if figure.met is None else "met" if figure.met else "**missed**"


def render_markdown(bench: AllBench) -> str:
    machine = bench.machine
    data = bench.to_json()
    lines = [
        f"# deskterm bench all ({bench.scale.name} scale)", "",
        f"Started {machine.get('started_at', '')}, took {bench.seconds / 60:.1f} min. "
        f"Goals met: {data['goals_met']} of {data['goals_total']}.", "",
        "## Machine", "",
        f"- cores: {machine.get('cpus')} ({machine.get('cpu_model', '')})",
        f"- load average before: {machine.get('load_average_before')}, after: "
        f"{machine.get('load_average_after')}",
        f"- Python {machine.get('python')}, SQLite {machine.get('sqlite')}, PostgreSQL "
        f"{machine.get('postgresql')}; {machine.get('platform')}", "",
        "Figures on a shared machine are noisy: read each beside its baseline from the "
        "same run (the ratio), not against another run.", "",
    ]
    for part in bench.parts:
        lines += [f"## {part.name}", ""]
        if part.note:
            lines += [f"Note: {part.note}", ""]
        if part.figures:
            lines += ["| figure | value | baseline (same run) | ratio | goal | met |",
                      "|---|---:|---|---:|---|---|"]
            for figure in part.figures:
                ratio = figure.ratio
                baseline = (f"{_number(figure.baseline, figure.unit)} ({figure.baseline_name})"
                            if figure.baseline is not None else "—")
                lines.append(
                    f"| {figure.name} | {_number(figure.value, figure.unit)} | {baseline} | "
                    f"{'—' if ratio is None else f'{ratio:.2f}x'} | {figure.goal or '—'} | "
                    f"{_verdict(figure)} |")
            lines.append("")
        elif not part.note:
            lines += ["No figures.", ""]
        lines += [f"({part.seconds:.0f} s)", ""]
    return "\n".join(lines)
