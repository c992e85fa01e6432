"""The benchmark's child process: runs one app and reports, as JSON lines, on a given fd.

    python -m deskterm.bench.probe frame {deskterm,minimal,datatable} --report-fd N ...
    python -m deskterm.bench.probe keys  {deskterm,minimal,datatable} --report-fd N ...
    python -m deskterm.bench.probe memory {deskterm,datatable} --keys K --report-fd N ...

`frame` runs the app for real (the parent gives it a pseudo-terminal) and reports, with
time.monotonic() (one clock for every process on the machine), when the first
interactive frame has been painted, then quits. `keys` runs it headless and reports key
latencies. `memory` runs it headless through a shift of keys and reports its resident
memory as it goes (see `deskterm.bench.memory`). Imports stay lazy so that a baseline
never pays for deskterm's modules.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: How often the frame probe checks whether the first frame is ready (seconds).
FRAME_POLL = 0.005

Report = Callable[[dict[str, Any]], None]


def memory_mb() -> dict[str, float]:
    """This process's resident memory now and at its peak, in MB (Linux /proc, else rusage)."""
    values: dict[str, float] = {}
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                name, _, rest = line.partition(":")
                if name in ("VmRSS", "VmHWM"):
                    values["rss_mb" if name == "VmRSS" else "peak_rss_mb"] = \
                        int(rest.split()[0]) / 1024
    except OSError:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        values = {"rss_mb": peak, "peak_rss_mb": peak}
    return values


def reporter(fd: int) -> Report:
    stream = os.fdopen(fd, "w", encoding="utf-8", buffering=1)

    def report(event: dict[str, Any]) -> None:
        stream.write(json.dumps(event) + "\n")
        stream.flush()

    return report


def probed(app_class: type, ready: Callable[[Any], bool], report: Report) -> type:
    """`app_class` that reports (and quits) once `ready(app)` holds and a frame shows it."""

    class Probed(app_class):  # type: ignore[misc]  # any app class, known at run time only
        def on_mount(self) -> None:
            # Textual calls every class's on_mount along the MRO: the app's own runs too.
            self._bench_timer = self.set_interval(FRAME_POLL, self._bench_poll)

        def _bench_poll(self) -> None:
            if ready(self):
                self._bench_timer.stop()
                self.call_after_refresh(self._bench_painted)

        def _bench_painted(self) -> None:
            event: dict[str, Any] = {"event": "frame", "at": time.monotonic(),
                                     "cpu_s": time.process_time(), **memory_mb()}
            started = getattr(self, "mount_started", None)
            if started:
                event["mount_started"] = started
                event["rows_added"] = self.rows_added
            report(event)
            self.exit()

    Probed.__name__ = Probed.__qualname__ = app_class.__name__
    return Probed


def first_frame(app: str, options: argparse.Namespace, report: Report) -> None:
    """Run the app as a person would start it, and report its first interactive frame."""
    if app == "deskterm":
        # The real entry point, `deskterm --db PATH --as HANDLE`, with the app class swapped
        # for one that watches for the queue's first rows.
        import deskterm.ui.app as ui_app
        from deskterm.__main__ import main
        from deskterm.bench import watch

        ui_app.DesktermApp = probed(  # type: ignore[misc, assignment]  # swaps the class main() runs
            ui_app.DesktermApp, watch.first_rows_shown, report)
        code = main(["--db", options.db, "--as", options.handle])
        if code:
            raise SystemExit(code)
        return
    from deskterm.bench import baselines

    instance = (probed(baselines.MinimalApp, _own_ready, report)() if app == "minimal"
                else probed(baselines.DataTableApp, _own_ready, report)(options.rows))
    instance.run()


def _own_ready(app: Any) -> bool:
    return bool(app.first_frame_ready())


async def key_latency(app: str, options: argparse.Namespace, report: Report) -> None:
    """Run the app headless, put it through the plan's rounds, report the samples."""
    from deskterm.bench import plans
    from deskterm.bench.keys import SIZE, KeyRun, until

    if app == "deskterm":
        from deskterm.config import Config
        from deskterm.ui.app import DesktermApp
        from deskterm.ui.widgets.queue.pane import SELECT_DEBOUNCE

        db = Path(options.db)
        instance: Any = DesktermApp(Config(db=db, agent=options.handle), db, options.handle,
                                    remember_theme=False)
        rest, round_, setup = SELECT_DEBOUNCE + 0.05, plans.deskterm_round, plans.deskterm_setup
    else:
        from deskterm.bench import baselines

        instance = baselines.MinimalApp() if app == "minimal" \
            else baselines.DataTableApp(options.rows)
        rest, round_, setup = 0.0, (plans.minimal_round if app == "minimal"
                                    else plans.datatable_round), None
    started = time.perf_counter()
    async with instance.run_test(size=SIZE) as pilot:
        run = KeyRun(instance, pilot, rest=rest)
        if setup is None:
            await until(lambda: _own_ready(instance), what=app)
        else:
            await setup(run)
        ready = time.perf_counter() - started
        by_round = []
        for _ in range(options.rounds):
            await round_(run)
            gc.collect()  # what stays after a collection is kept, not garbage
            by_round.append(memory_mb()["rss_mb"])
        report({"event": "keys", "samples": run.samples, "first": run.first, "cpu": run.cpu,
                "ready_s": ready, "rss_mb_by_round": by_round, **memory_mb()})
        instance.exit()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deskterm.bench.probe")
    parser.add_argument("mode", choices=("frame", "keys", "memory"))
    parser.add_argument("app", choices=("deskterm", "minimal", "datatable"))
    parser.add_argument("--report-fd", type=int, required=True)
    parser.add_argument("--db", default="")
    parser.add_argument("--as", dest="handle", default="alex")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keys", type=int, default=1000)
    parser.add_argument("--trace", action="store_true")
    options = parser.parse_args(argv)
    report = reporter(options.report_fd)
    try:
        if options.mode == "frame":
            first_frame(options.app, options, report)
        elif options.mode == "memory":
            from deskterm.bench.memory import drive

            asyncio.run(drive(options.app, options.db, options.handle, options.keys,
                              options.trace, report))
        else:
            asyncio.run(key_latency(options.app, options, report))
    except Exception as error:
        report({"event": "error", "message": f"{type(error).__name__}: {error}"})
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
