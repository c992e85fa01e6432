"""How a `deskterm bench ui` run is shown: a table for people, and a note to paste."""

from __future__ import annotations

from typing import cast

from rich.console import Group, JustifyMethod, RenderableType
from rich.table import Table
from rich.text import Text

from deskterm.bench.plans import COMMON_WORD, RARE_WORD
from deskterm.bench.results import (
    FIRST_FRAME_GOAL_MS,
    KEY_ACTIONS,
    MEMORY_GOAL_MB,
    AppResult,
    Figure,
    Goal,
    UiBench,
)

_BASELINE_KEYS = {"minimal": {"down"},
                  "datatable": {"down", "page down", "end", "home", "change sort"}}


def ms(value: float) -> str:
    if value >= 1000:
        return f"{value / 1000:.2f} s"
    return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"


def pair(figure: Figure | None) -> str:
    """`median · p95`, or why there is none."""
    if figure is None:
        return "—"
    if not figure.ok:
        return figure.failed or "not measured"
    return f"{ms(figure.median)} · {ms(figure.p95)}"


def _memory(result: AppResult) -> str:
    peak = result.peak_memory
    if peak is None:
        return "—"
    growth = result.growth_per_round
    kept = f" (+{growth:.1f} MB/round)" if growth is not None and growth >= 0.5 else ""
    return f"{peak:.0f} MB{kept}"


def _memory_note(result: AppResult, rounds: int) -> str:
    """Peak, at the first frame, and what each round of keys keeps."""
    peak, first = result.peak_memory, result.frame_memory.get("rss_mb")
    if peak is None:
        return "not measured"
    text = f"{peak:.0f} MB peak" + (f", {first:.0f} MB at the first frame" if first else "")
    growth = result.growth_per_round
    if growth is not None:
        presses = sum(len(samples.samples) for samples in result.keys.values()) // rounds
        text += f", {growth:+.1f} MB kept per round of {presses} timed keys"
    return text


def _verdict(goal: Goal) -> Text:
    return Text("met", style="green") if goal.passed else Text("missed", style="bold red")


def _goal_text(goal: Goal) -> str:
    limit = ms(goal.limit) if goal.unit == "ms" else f"{goal.limit:.0f} MB"
    return f"< {limit} ({goal.basis})"


def render(bench: UiBench) -> RenderableType:
    """The table: per figure, deskterm beside the baselines, the goal and the verdict."""
    desk, minimal, grid = (bench.apps[name] for name in ("deskterm", "minimal", "datatable"))
    goals = {goal.what: goal for goal in bench.goals()}
    table = Table(title=f"deskterm bench ui: {bench.store['tickets']:,} tickets, "
                  f"median · p95 of {bench.rounds} rounds", title_justify="left")
    for header, justify in (("", "left"), ("deskterm", "right"), ("rows shown", "right"),
                            ("its CPU", "right"), ("minimal app", "right"),
                            (f"DataTable {bench.baseline_rows:,}", "right"),
                            ("goal", "left"), ("", "left")):
        table.add_column(header, justify=cast(JustifyMethod, justify))  # left or right
    frame = goals["first frame"]
    table.add_row("first frame", pair(desk.first_frame), "", median(desk.frame_cpu),
                  pair(minimal.first_frame), pair(grid.first_frame), _goal_text(frame),
                  _verdict(frame))
    table.add_row("  of which mounting rows", "", "", "", "", pair(grid.mount), "", "")
    memory = goals["memory"]
    table.add_row("memory (peak RSS)", _memory(desk), "", "", _memory(minimal), _memory(grid),
                  _goal_text(memory), _verdict(memory))
    table.add_section()
    for action in KEY_ACTIONS:
        goal = goals[action]
        table.add_row(
            _label(action), _key_cell(desk, action), pair(desk.rows_shown.get(action))
            if action in desk.rows_shown else "", median(desk.keys_cpu.get(action)),
            _key_cell(minimal, action) if action in _BASELINE_KEYS["minimal"] else "",
            _key_cell(grid, action) if action in _BASELINE_KEYS["datatable"] else "",
            _goal_text(goal), _verdict(goal))
    met = sum(goal.passed for goal in goals.values())
    return Group(table, Text(_method(bench)), Text(f"Goals met: {met} of {len(goals)}.",
                                                    style="bold"))


def median(figure: Figure | None) -> str:
    return ms(figure.median) if figure is not None and figure.ok else ""


def _key_cell(result: AppResult, action: str) -> str:
    if result.keys_failed:
        return result.keys_failed
    return pair(result.keys.get(action))


def _label(action: str) -> str:
    return {"filter (common word)": f"filter “{COMMON_WORD}”",
            "filter (rare word)": f"filter “{RARE_WORD}”"}.get(action, action)


def _machine(bench: UiBench) -> str:
    machine = bench.machine
    model = f" ({machine['cpu_model']})" if machine.get("cpu_model") else ""
    start, end = ("/".join(f"{value:.1f}" for value in machine.get(key, []))
                  for key in ("load_average", "load_average_end"))
    return (f"{machine['cpus']} CPUs{model} (load {start} at the start, {end} at the end), "
            f"{machine['platform']}, "
            f"Python {machine['python']}, Textual {machine['textual']}, Rich {machine['rich']}, "
            f"SQLite {machine['sqlite']}")


def _method(bench: UiBench) -> str:
    store = bench.store
    columns, rows = bench.size
    return (
        f"Machine: {_machine(bench)}.\n"
        f"Store: {store['path']}, {store['tickets']:,} tickets, {store['size_mb']:,.0f} MB.\n"
        f"First frame: from spawning the process, in a {columns}x{rows} pseudo-terminal, to "
        "the first painted frame (deskterm: the workspace with the queue's first rows), "
        "after one unmeasured start to warm the bytecode and page caches.\n"
        f"Keys: headless at {columns}x{rows}, from the key event to the paint showing its "
        "result with no read outstanding (count included); `rows shown` is the paint of the "
        "new rows alone; `its CPU` is the app's CPU time (all threads) in that time, less "
        "sensitive than the clock to other load on the machine. deskterm on the All view; "
        "filters timed from the last key, "
        f"debounce {bench.filter_debounce_ms:.0f} ms included. A key meets its goal by p95.")


def note(bench: UiBench) -> str:
    """The figures in a few lines of plain text, for the issue's closing note."""
    desk, minimal, grid = (bench.apps[name] for name in ("deskterm", "minimal", "datatable"))
    goals = {goal.what: goal for goal in bench.goals()}

    def one(figure: Figure | None) -> str:
        if figure is None or not figure.ok:
            return (figure.failed if figure is not None else None) or "not measured"
        return f"{ms(figure.median)} (p95 {ms(figure.p95)})"

    def verdict(what: str) -> str:
        return "met" if goals[what].passed else "missed"

    def key(action: str) -> str:
        text = f"{_label(action)} {one(desk.keys.get(action))}"
        rows = desk.rows_shown.get(action)
        if rows is not None and rows.ok:
            text += f", rows shown {ms(rows.median)}"
        cpu = desk.keys_cpu.get(action)
        if cpu is not None and cpu.ok:
            text += f", CPU {ms(cpu.median)}"
        return text + ("" if goals[action].passed else " [missed]")

    frame = goals["first frame"]
    keys = "; ".join(key(action) for action in KEY_ACTIONS)
    table_keys = grid.keys_failed or "; ".join(
        f"{action} {one(grid.keys.get(action))}" for action in KEY_ACTIONS
        if action in _BASELINE_KEYS["datatable"])
    return "\n".join([
        f"deskterm bench ui on {_machine(bench)}; a store of {bench.store['tickets']:,} "
        f"tickets ({bench.store['size_mb']:,.0f} MB); median (p95) of {bench.rounds} rounds, "
        f"{bench.size[0]}x{bench.size[1]}.",
        f"- First frame: deskterm {one(desk.first_frame)}, CPU {median(desk.frame_cpu)} "
        f"(goal {ms(FIRST_FRAME_GOAL_MS)}, {'met' if frame.passed else 'missed'}); minimal app "
        f"{one(minimal.first_frame)}; stock DataTable of {bench.baseline_rows:,} rows "
        f"{one(grid.first_frame)}, mounting the rows {one(grid.mount)}.",
        f"- Memory: deskterm {_memory_note(desk, bench.rounds)} (goal "
        f"{MEMORY_GOAL_MB:.0f} MB, {verdict('memory')}); minimal app {_memory(minimal)}; "
        f"DataTable {_memory(grid)}.",
        f"- deskterm keys on the All view (goal 50 ms, filters 150 ms from the last key with "
        f"the {bench.filter_debounce_ms:.0f} ms debounce, at p95): {keys}.",
        f"- Minimal app, down: {minimal.keys_failed or one(minimal.keys.get('down'))}. "
        f"DataTable: {table_keys}.",
        f"- Goals met: {sum(goal.passed for goal in goals.values())} of {len(goals)}.",
    ])
