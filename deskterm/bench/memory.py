"""`deskterm bench memory`: resident memory over a shift of keys, beside a stock DataTable's.

A child process runs the app headless (as `bench ui`'s key run does) on a demo store and
sends it keys through every pane and screen an agent uses: the queue (moves, sorts,
views, a filter typed and cleared), a ticket opened and closed, the customer history,
knowledge-base search typed, the goodwill ledger, the agent's own people screens (mood,
kudos, feedback, rejected changes, and a lead's screen that an agent is refused), the
keys help and the command palette. Every so many keys it collects garbage and samples
its resident memory (VmRSS). What is kept after the first WARM_KEYS (caches filling,
modules imported on first use) is the growth the goal holds: over a shift's keys it
must stay under GROWTH_GOAL_MB. The baseline runs the same number of keys on a minimal
Textual app with a stock DataTable, in the same run.

With `trace`, the child also records with tracemalloc, from the warm-up mark to the end,
where what was kept was allocated (the top lines): slower, for finding a leak.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deskterm.bench.figures import Figure, below

Progress = Callable[[str], None]
Report = Callable[[dict[str, Any]], None]

GROWTH_GOAL_MB = 20.0
#: Memory kept before this key is the app settling in (first visits to each screen, caches
#: filling), not growth; a run shorter than twice this counts its first half so.
WARM_KEYS = 1000
#: About this many samples over a run.
SAMPLES = 40
#: The baseline's rows: enough to scroll and sort, few enough to mount in seconds.
BASELINE_ROWS = 5_000
#: A run may take this long to start, plus this long per key, before it is killed.
START_TIMEOUT = 300.0
KEY_TIMEOUT = 0.5
#: How long the app may take to finish the work of a scene (its workers).
SCENE_TIMEOUT = 60.0
#: Lines of tracemalloc's top growth reported, and of the types with most objects added.
TRACE_LINES = 15
TYPE_LINES = 12


def store_tickets(keys: int, quick: bool) -> int:
    """The demo store's size: a big desk at full scale, smaller quick, tiny in tests."""
    if keys < WARM_KEYS:
        return 2000
    return 20_000 if quick else 100_000


def warm_keys(keys: int) -> int:
    """The issue's "after the first 1,000"; in a run too short for that, its first half."""
    return min(WARM_KEYS, keys // 2)


# -- what the child does -------------------------------------------------------------------

#: The agent's round through the app. Each scene starts and ends on the workspace with
#: focus in a pane (never in a text box), so no key of one scene lands where another
#: expects it. Nothing here writes: forms are not opened, nothing is saved.
DESK_SCENES: tuple[tuple[str, ...], ...] = (
    ("1", "down", "down", "down", "pagedown", "pagedown", "up", "up", "end", "home"),
    ("1", "s", "s", "S", "s", "S"),
    ("1", "slash", *"printer", "down", "down", "slash", "escape"),
    ("1", "v", "v", "V", "V", "down", "up"),
    ("1", "down", "enter", "tab", "tab", "escape"),
    ("2", "down", "down", "up", "pagedown", "1", "down"),
    ("3", "slash", *"password", "down", "down", "escape", "escape"),
    ("3", "slash", *"vpn", "escape", "escape"),
    ("4", "down", "down", "up", "1"),
    ("m", "escape", "f", "down", "escape", "F", "down", "escape", "X", "escape", "b"),
    ("question_mark", "question_mark"),
    ("ctrl+p", *"kud", "escape"),
    ("1", "z", "down", "z"),
)
DATATABLE_SCENES: tuple[tuple[str, ...], ...] = (
    ("down", "down", "down", "pagedown", "pagedown", "up", "up", "ctrl+end", "ctrl+home"),
    ("right", "right", "left", "s", "down"),
)


def scene_keys(scenes: tuple[tuple[str, ...], ...], keys: int) -> Iterator[tuple[int, str]]:
    """(scene number, key) for `keys` keys, going round the scenes."""
    sent = 0
    while True:
        for number, scene in enumerate(scenes):
            for key in scene:
                if sent == keys:
                    return
                yield number, key
                sent += 1


async def drive(app_name: str, db: str, handle: str, keys: int, trace: bool,
                report: Report) -> None:
    """In the child: run the app headless, send it `keys` keys, report memory samples."""
    from deskterm.bench.keys import SIZE, key_event, until
    from deskterm.bench.probe import memory_mb

    instance: Any
    if app_name == "deskterm":
        from deskterm.bench import watch
        from deskterm.config import Config
        from deskterm.ui.app import DesktermApp

        instance = DesktermApp(Config(db=Path(db), agent=handle), Path(db), handle,
                               remember_theme=False)
        scenes = DESK_SCENES

        def ready() -> bool:
            return watch.first_rows_shown(instance)
    else:
        from deskterm.bench.baselines import DataTableApp

        instance = DataTableApp(BASELINE_ROWS)
        scenes = DATATABLE_SCENES

        def ready() -> bool:
            return bool(instance.first_frame_ready())

    warm, every = warm_keys(keys), max(1, keys // SAMPLES)
    samples: list[tuple[int, float]] = []
    top: list[str] = []
    counted: Counter[str] = Counter()
    started = time.perf_counter()

    def sample(at: int) -> None:
        gc.collect()  # what stays after a collection is kept, not garbage
        samples.append((at, memory_mb()["rss_mb"]))

    async with instance.run_test(size=SIZE) as pilot:
        await until(ready, what=app_name)
        await settled(instance, pilot)
        sample(0)
        last_scene, snapshot = 0, None
        for sent, (scene, key) in enumerate(scene_keys(scenes, keys), 1):
            if scene != last_scene:
                await settled(instance, pilot)
                if app_name == "deskterm":
                    back_to_workspace(instance)
                last_scene = scene
            instance.post_message(key_event(key))
            await handled(instance)
            if sent == warm:
                await settled(instance, pilot)
                counted = object_counts()
                if trace:
                    import tracemalloc

                    tracemalloc.start(8)
                    snapshot = tracemalloc.take_snapshot()
            if sent % every == 0 or sent in (warm, keys):
                if sent == keys:
                    await settled(instance, pilot)
                sample(sent)
        if snapshot is not None:
            import tracemalloc

            gc.collect()
            grown = tracemalloc.take_snapshot().compare_to(snapshot, "traceback")
            top = [_traced(stat) for stat in grown[:TRACE_LINES]]
            tracemalloc.stop()
        added = object_counts()
        added.subtract(counted)
        report({"event": "memory", "samples": samples, "warm": warm,
                "seconds": time.perf_counter() - started, "top": top,
                "objects": [f"{name} {count:+,}" for name, count in added.most_common(TYPE_LINES)
                            if count > 0], **memory_mb()})
        instance.exit()


def object_counts() -> Counter[str]:
    """How many objects the collector tracks, per type: cheap enough for every run."""
    gc.collect()
    return Counter(type(thing).__qualname__ for thing in gc.get_objects())


def _traced(stat: Any) -> str:
    frames = [f"{frame.filename.rsplit('site-packages/', 1)[-1]}:{frame.lineno}"
              for frame in stat.traceback[:4]]
    return f"{stat.size_diff / 1024:+.0f} KiB in {stat.count_diff:+d} blocks: " + \
        " < ".join(frames)


async def handled(app: Any) -> None:
    """Until the app, its screen and the focused widget have handled what was posted to them
    before now (a key goes to the app first, which hands it on). Not until a repaint: a
    screen with nothing to repaint may not paint for a long time."""
    loop = asyncio.get_running_loop()
    for pump in (app, app.screen, app.focused):
        if pump is None:
            continue
        done: asyncio.Future[None] = loop.create_future()
        if pump.call_later(lambda done=done: done.done() or done.set_result(None)):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done, SCENE_TIMEOUT)


async def settled(app: Any, pilot: Any) -> None:
    """Until the app's workers are done and the screen has stopped repainting."""
    from deskterm.bench.keys import still

    deadline = time.perf_counter() + SCENE_TIMEOUT
    while any(not worker.is_finished for worker in app.workers):
        if time.perf_counter() > deadline:
            break
        await asyncio.sleep(0.005)
    await pilot.pause()
    await still(app)


def back_to_workspace(app: Any) -> None:
    """A scene that left a screen open (a key not taken as meant) is closed here."""
    while len(app.screen_stack) > 2 and type(app.screen).__name__ != "WorkspaceScreen":
        app.pop_screen()
    focused = app.focused
    if focused is not None and type(focused).__name__ in ("Input", "TextArea"):
        app.screen.set_focus(None)


# -- the parent: running both apps, and the figures ----------------------------------------


@dataclass
class MemoryRun:
    """One app's samples: (keys sent, resident MB after a collection)."""

    samples: list[tuple[int, float]] = field(default_factory=list)
    warm: int = 0
    seconds: float = 0.0
    peak_mb: float | None = None
    top: list[str] = field(default_factory=list)
    #: The types with most objects added from the warm-up mark to the end.
    objects: list[str] = field(default_factory=list)
    failed: str | None = None

    def rss_at(self, keys: int) -> float | None:
        """The first sample at or after `keys` keys."""
        return next((mb for at, mb in self.samples if at >= keys), None)

    @property
    def growth(self) -> float | None:
        """MB kept from the warm-up mark to the last key."""
        if self.failed or not self.samples:
            return None
        start = self.rss_at(self.warm)
        return None if start is None else self.samples[-1][1] - start

    def to_json(self) -> dict[str, Any]:
        if self.failed:
            return {"failed": self.failed}
        return {"warm_keys": self.warm, "seconds": round(self.seconds, 1),
                "growth_mb": None if self.growth is None else round(self.growth, 2),
                "peak_rss_mb": self.peak_mb,
                "rss_mb": [[at, round(mb, 2)] for at, mb in self.samples],
                "top_growth": self.top, "objects_added": self.objects}


@dataclass
class MemoryBench:
    """One run of `deskterm bench memory`."""

    keys: int
    store: dict[str, Any]
    machine: dict[str, Any]
    desk: MemoryRun = field(default_factory=MemoryRun)
    baseline: MemoryRun = field(default_factory=MemoryRun)

    def figures(self) -> list[Figure]:
        warm = self.desk.warm or warm_keys(self.keys)
        growth = self.desk.growth
        figures = [Figure(f"RSS growth from key {warm:,} to {self.keys:,}", growth, "MB",
                          self.baseline.growth, "stock DataTable, same keys",
                          f"< {GROWTH_GOAL_MB:.0f} MB", below(growth, GROWTH_GOAL_MB))]
        end = self.desk.samples[-1][1] if self.desk.samples and not self.desk.failed else None
        base = self.baseline.samples[-1][1] if self.baseline.samples \
            and not self.baseline.failed else None
        figures.append(Figure(f"RSS after {self.keys:,} keys", end, "MB", base,
                              "stock DataTable, same keys"))
        return figures

    def to_json(self) -> dict[str, Any]:
        return {"keys": self.keys, "store": self.store, "machine": self.machine,
                "goal_mb": GROWTH_GOAL_MB, "deskterm": self.desk.to_json(),
                "datatable": self.baseline.to_json(),
                "figures": [figure.to_json() for figure in self.figures()]}


def run_memory(keys: int, quick: bool, progress: Progress, *, db: Path | None = None,
               trace: bool = False) -> MemoryBench:
    """Send `keys` keys to the app and to the baseline, each in a child of its own."""
    from deskterm import locations
    from deskterm.bench.ui import (
        check_store,
        describe_machine,
        describe_store,
        prepare_store,
    )

    tickets = store_tickets(keys, quick)
    path = db or locations.cache_dir() / f"bench-{tickets}.db"
    prepare_store(path, tickets, progress)
    check_store(path, "alex")
    bench = MemoryBench(keys=keys, store=describe_store(path), machine=describe_machine())
    with tempfile.TemporaryDirectory(prefix="deskterm-bench-") as scratch:
        from deskterm.bench.spawn import child_env

        env = child_env({"DESKTERM_CONFIG": str(Path(scratch) / "config.toml"),
                         "PYTHONPYCACHEPREFIX": str(locations.cache_dir() / "bench-pycache")})
        for name, run in (("deskterm", bench.desk), ("datatable", bench.baseline)):
            progress(f"{name}: {keys:,} keys" + (" (tracing)" if trace and name == "deskterm"
                                                 else ""))
            _child(run, name, path, keys, trace and name == "deskterm", env)
            if run.failed:
                progress(f"{name}: {run.failed}")
    bench.machine["load_average_end"] = [round(load, 2) for load in os.getloadavg()]
    return bench


def _child(run: MemoryRun, name: str, path: Path, keys: int, trace: bool,
           env: dict[str, str]) -> None:
    from deskterm.bench.spawn import ChildFailed, run_child

    timeout = START_TIMEOUT + keys * KEY_TIMEOUT * (4 if trace else 1)
    args = ["memory", name, "--db", str(path), "--keys", str(keys)]
    try:
        child = run_child(args + (["--trace"] if trace else []), timeout=timeout, env=env,
                          until="memory")
    except ChildFailed as error:
        run.failed = f"failed: {error}"
        return
    event = child.first("memory")
    if event is None:
        run.failed = f"timed out after {timeout:.0f} s"
        return
    if child.returncode:
        # A shift's app must also end well: one that hangs on the way out is killed.
        run.failed = f"reported, then exited with status {child.returncode}"
        return
    run.samples = [(int(at), float(mb)) for at, mb in event["samples"]]
    run.warm, run.seconds = int(event["warm"]), float(event["seconds"])
    run.peak_mb, run.top = event.get("peak_rss_mb"), list(event.get("top", []))
    run.objects = list(event.get("objects", []))


def render_markdown(bench: MemoryBench) -> str:
    """The report: the figures beside the baseline, the samples, and what grew (traced)."""
    lines = [f"# deskterm bench memory: {bench.keys:,} keys", "",
             f"Store: {bench.store.get('tickets', 0):,} tickets. Load average "
             f"{bench.machine.get('load_average')} before, "
             f"{bench.machine.get('load_average_end')} after, on "
             f"{bench.machine.get('cpus')} cores.", "",
             "| figure | value | baseline (same run) | ratio | goal | met |",
             "|---|---:|---|---:|---|---|"]
    for figure in bench.figures():
        ratio = figure.ratio
        lines.append(
            f"| {figure.name} | {_mb(figure.value)} | {_mb(figure.baseline)} "
            f"({figure.baseline_name}) | {'—' if ratio is None else f'{ratio:.2f}x'} | "
            f"{figure.goal or '—'} | "
            f"{'—' if figure.met is None else 'met' if figure.met else '**missed**'} |")
    for name, run in (("deskterm", bench.desk), ("stock DataTable", bench.baseline)):
        lines += ["", f"## {name}", ""]
        if run.failed:
            lines.append(f"Not measured: {run.failed}")
            continue
        lines.append(f"{run.seconds:.0f} s; resident MB after each sample (keys: MB): " +
                     ", ".join(f"{at:,}: {mb:.1f}" for at, mb in run.samples))
        if run.objects:
            lines += ["", "Objects added from the warm-up mark to the end, by type: " +
                      ", ".join(run.objects)]
        if run.top:
            lines += ["", "Kept from the warm-up mark to the end (tracemalloc):", ""]
            lines += [f"- {line}" for line in run.top]
    return "\n".join(lines) + "\n"


def _mb(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} MB"
