"""`deskterm bench`: measure deskterm's speed (`bench ui`; `bench sync` is to follow)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from deskterm.bench import DEFAULT_BASELINE_ROWS, DEFAULT_ROUNDS, DEFAULT_TICKETS
from deskterm.cli.demo import Progress
from deskterm.cli.runtime import Run, Subparsers, add_command, add_group

MAX_TICKETS = 5_000_000
MAX_ROUNDS = 100
MAX_BASELINE_ROWS = 1_000_000


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high`."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is out of range; use {low} to {high}")
        return value

    return parse


def register(subparsers: Subparsers) -> None:
    group = add_group(subparsers, "bench", "measure deskterm's speed")
    parser = add_command(
        group, "ui", bench_ui, "time the workspace's first frame and keys, and its memory",
        description="Time the workspace on a big demo store: from process start to the first "
        "interactive frame, and from a key press in the queue to the repaint, with its "
        "memory; beside them, the same for a minimal Textual app and a stock DataTable. "
        "The store is --db (made with the demo generator when missing), else a demo store "
        "cached per size; DESKTERM_DB and the config's `db` are not used, so that an "
        "agent's own store is never measured by accident. The app acts as --as (default "
        "alex, the demo's agent). Progress goes to stderr; it takes a few minutes.")
    parser.add_argument("--tickets", type=whole_number(1, MAX_TICKETS), default=DEFAULT_TICKETS,
                        metavar="N", help=f"tickets in the store to make when there is none "
                        f"(default {DEFAULT_TICKETS:,})")
    parser.add_argument("--rounds", type=whole_number(1, MAX_ROUNDS), default=DEFAULT_ROUNDS,
                        metavar="R", help=f"rounds per figure (default {DEFAULT_ROUNDS})")
    parser.add_argument("--baseline-rows", type=whole_number(1, MAX_BASELINE_ROWS),
                        default=DEFAULT_BASELINE_ROWS, metavar="N",
                        help=f"rows of the stock DataTable (default {DEFAULT_BASELINE_ROWS:,})")


def bench_ui(run: Run) -> None:
    from deskterm.bench.report import note, render
    from deskterm.bench.ui import UiOptions, run_ui_bench

    args = run.args
    options = UiOptions(db=Path(args.db).expanduser() if args.db else None,
                        tickets=args.tickets, rounds=args.rounds,
                        baseline_rows=args.baseline_rows, handle=args.as_handle or "alex")
    with Progress() as progress:
        bench = run_ui_bench(options, progress)
    if run.out.as_json:
        run.out.json({**bench.to_json(), "note": note(bench)})
        return
    run.out.show(render(bench))
    run.out.show("")
    run.out.line("Note:")
    run.out.line(note(bench))
