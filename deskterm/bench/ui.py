"""`deskterm bench ui`: the workspace's first frame, key latency and memory on a big store,
beside a minimal Textual app and a stock DataTable measured in the same run.

First frame: a fresh process in a pseudo-terminal of 120x40 runs the app as a person
starts it; the time runs from just before the process is spawned until the app has
painted its first interactive frame (for deskterm: the workspace with the queue's first
rows). Keys: a fresh process runs the app headless at 120x40 and times each key from the
key event to the paint that shows its result (see `deskterm.bench.keys`). Every child
process has a deadline and is killed when it passes it.
"""

from __future__ import annotations

import contextlib
import os
import platform
import sqlite3
import statistics
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from deskterm import locations
from deskterm.bench import (
    TERMINAL_SIZE,
)
from deskterm.bench.results import APPS, AppResult, Figure, UiBench
from deskterm.bench.spawn import ChildFailed, child_env, run_child

DEMO_SEED = 7
#: A first frame (the DataTable's mount included) slower than this is reported as timed out.
FRAME_TIMEOUT = 120.0
#: A key run may take this long to start, plus this long per round, before it is killed.
KEYS_START_TIMEOUT = 180.0
KEYS_ROUND_TIMEOUT = 300.0

Progress = Callable[[str], None]


@dataclass(frozen=True)
class UiOptions:
    db: Path | None
    tickets: int
    rounds: int
    baseline_rows: int
    handle: str = "alex"


def store_path(options: UiOptions) -> Path:
    """The store measured: --db, else one cached per ticket count."""
    if options.db is not None:
        return options.db
    return locations.cache_dir() / f"bench-{options.tickets}.db"


def prepare_store(path: Path, tickets: int, progress: Progress) -> None:
    """Make the demo store at `path` unless it exists; a half-made one never stays behind."""
    if path.exists():
        return
    from deskterm.bench.stores import made_in_place
    from deskterm.demo import generate_demo
    from deskterm.store import open_store

    progress(f"making a demo store of {tickets:,} tickets in {path} (once)")
    with made_in_place(path) as partial:
        store = open_store(partial)
        try:
            generate_demo(store, tickets=tickets, seed=DEMO_SEED, progress=progress)
        finally:
            store.close()


def check_store(path: Path, handle: str) -> None:
    """Refuse, before minutes of measuring, a file that is no store or an unknown agent."""
    from deskterm.services.context import context_for
    from deskterm.store import open_store

    store = open_store(path, create=False)
    try:
        context_for(store, handle)
    finally:
        store.close()


def describe_store(path: Path) -> dict[str, Any]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tickets = connection.execute("SELECT count(*) FROM ticket WHERE NOT deleted").fetchone()
    finally:
        connection.close()
    return {"path": str(path), "tickets": int(tickets[0]),
            "size_mb": round(path.stat().st_size / 2**20, 1)}


def describe_machine() -> dict[str, Any]:
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            model = next((line.split(":", 1)[1].strip() for line in info
                          if line.startswith("model name")), "")
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu_model": model or platform.processor(),
            "load_average": [round(load, 2) for load in os.getloadavg()],
            "platform": platform.platform(), "python": platform.python_version(),
            "textual": metadata.version("textual"), "rich": metadata.version("rich"),
            "sqlite": sqlite3.sqlite_version}


def run_ui_bench(options: UiOptions, progress: Progress) -> UiBench:
    """Measure deskterm and the two baselines; every child is ended by its deadline."""
    from deskterm.ui.widgets.queue.pane import FILTER_DEBOUNCE

    path = store_path(options)
    prepare_store(path, options.tickets, progress)
    check_store(path, options.handle)
    bench = UiBench(machine=describe_machine(), store=describe_store(path),
                    rounds=options.rounds, baseline_rows=options.baseline_rows,
                    size=TERMINAL_SIZE, filter_debounce_ms=FILTER_DEBOUNCE * 1000)
    app_args = {"deskterm": ["--db", str(path), "--as", options.handle], "minimal": [],
                "datatable": ["--rows", str(options.baseline_rows)]}
    with tempfile.TemporaryDirectory(prefix="deskterm-bench-") as scratch:
        # No config of the person running it (keymap, theme) and no DESKTERM_* settings.
        env = child_env({"DESKTERM_CONFIG": str(Path(scratch) / "config.toml"),
                         "PYTHONPYCACHEPREFIX": str(locations.cache_dir() / "bench-pycache")})
        bench.apps = {name: AppResult(mount=Figure() if name == "datatable" else None)
                      for name in APPS}
        frame_memory: dict[str, list[dict[str, float]]] = {name: [] for name in APPS}
        for name, args in (("deskterm", app_args["deskterm"]), ("datatable", ["--rows", "1"])):
            # Unmeasured: fills the bytecode cache (the DataTable's covers the minimal app)
            # and warms the OS's page cache, as on an agent's machine after the first start.
            progress(f"warming up: {name}")
            with contextlib.suppress(ChildFailed):
                run_child(["frame", name, *args], timeout=FRAME_TIMEOUT, env=env,
                          size=TERMINAL_SIZE, until="frame")
        for number in range(1, options.rounds + 1):
            # Rounds interleave the apps, so that the machine's moods spread over all three.
            for name in APPS:
                result = bench.apps[name]
                if result.first_frame.failed is None:
                    progress(f"first-frame round {number}/{options.rounds}: {name}")
                    _first_frame(result, app_args[name], name, env, frame_memory[name])
        for name in APPS:
            result = bench.apps[name]
            result.frame_memory = _median_memory(frame_memory[name])
            if result.first_frame.failed is not None:
                result.keys_failed = f"not measured: first frame {result.first_frame.failed}"
                continue
            progress(f"keys: {name} ({options.rounds} rounds)")
            _keys(result, app_args[name], name, options.rounds, env)
    bench.machine["load_average_end"] = [round(load, 2) for load in os.getloadavg()]
    return bench


def _first_frame(result: AppResult, args: list[str], name: str, env: dict[str, str],
                 memories: list[dict[str, float]]) -> None:
    try:
        child = run_child(["frame", name, *args], timeout=FRAME_TIMEOUT, env=env,
                          size=TERMINAL_SIZE, until="frame")
    except ChildFailed as error:
        result.first_frame.failed = f"failed: {error}"
        return
    event = child.first("frame")
    if event is None:
        result.first_frame.failed = f"timed out after {FRAME_TIMEOUT:.0f} s"
        if result.mount is not None:
            result.mount.failed = result.first_frame.failed
        return
    result.first_frame.samples.append((event["at"] - child.started) * 1000)
    result.frame_cpu.samples.append(event["cpu_s"] * 1000)
    if result.mount is not None and "mount_started" in event:
        result.mount.samples.append((event["at"] - event["mount_started"]) * 1000)
    memories.append({key: event[key] for key in ("rss_mb", "peak_rss_mb") if key in event})


def _keys(result: AppResult, args: list[str], name: str, rounds: int,
          env: dict[str, str]) -> None:
    timeout = KEYS_START_TIMEOUT + rounds * KEYS_ROUND_TIMEOUT
    try:
        child = run_child(["keys", name, "--rounds", str(rounds), *args], timeout=timeout,
                          env=env, until="keys")
    except ChildFailed as error:
        result.keys_failed = f"failed: {error}"
        return
    event = child.first("keys")
    if event is None:
        result.keys_failed = f"timed out after {timeout:.0f} s"
        return
    result.keys = {action: Figure(samples) for action, samples in event["samples"].items()}
    result.rows_shown = {action: Figure(samples) for action, samples in event["first"].items()}
    result.keys_cpu = {action: Figure(samples) for action, samples in event["cpu"].items()}
    result.keys_memory = {key: event[key] for key in ("rss_mb", "peak_rss_mb") if key in event}
    result.rss_by_round = list(event.get("rss_mb_by_round", []))


def _median_memory(memories: list[dict[str, float]]) -> dict[str, float]:
    keys = {key for memory in memories for key in memory}
    return {key: statistics.median(memory[key] for memory in memories if key in memory)
            for key in sorted(keys)}
