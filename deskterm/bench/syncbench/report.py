"""How a `deskterm bench sync` run is shown: a table per database for people, and its method."""

from __future__ import annotations

from typing import cast

from rich.console import Group, JustifyMethod, RenderableType
from rich.table import Table
from rich.text import Text

from deskterm.bench.report import ms
from deskterm.sync.client import PULL_PAGE

from . import PUSHER_EVERY, SYNC_INTERVAL
from .results import BackendResult, Goal, Latencies, SyncBench, goals_of

_TITLES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _seconds(value: float) -> str:
    return f"{value:.2f} s" if value < 100 else f"{value:.0f} s"


def _spread(figure: Latencies, *, p99: bool = False) -> str:
    """`median · p95 · max` (with p99 before max for the load), or why there is none."""
    if not figure.ok:
        return "not measured"
    points = [figure.median, figure.p95, *([figure.p99] if p99 else []), figure.max]
    return " · ".join(ms(point) for point in points)


def _goal_text(goal: Goal) -> str:
    if goal.unit == "errors":
        return "no errors"
    limit = f"{goal.limit:g} s" if goal.unit == "s" or goal.limit >= 1000 else ms(goal.limit)
    if goal.unit == "ms" and goal.limit >= 1000:
        limit = f"{goal.limit / 1000:g} s"
    return f"< {limit}" if goal.basis == "total" else f"{goal.basis} < {limit}"


def _verdict(goal: Goal) -> Text:
    return Text("met", style="green") if goal.passed else Text("missed", style="bold red")


def render(bench: SyncBench) -> RenderableType:
    """One table: per database, each figure beside its plain-SQL floor, goal and verdict."""
    options = bench.options
    table = Table(title=f"deskterm bench sync: {options['changes']:,} changes, "
                  f"{options['agents']} agents for {options['seconds']} s, "
                  f"{options['rounds']} round trips; server as a {options['server_mode']}"
                  + (f", {options['instances']} instances" if options.get("instances", 1) > 1
                     else ""),
                  title_justify="left")
    for header, justify in (("", "left"), ("deskterm sync", "right"),
                            ("plain SQL, same run", "right"), ("goal", "left"),
                            ("", "left")):
        table.add_column(header, justify=cast(JustifyMethod, justify))  # left or right
    for index, result in enumerate(bench.results):
        if index:
            table.add_section()
        _backend_rows(table, result)
    goals = bench.goals()
    met = sum(goal.passed for goal in goals)
    return Group(table, Text(method(bench)),
                 Text(f"Goals met: {met} of {len(goals)}.", style="bold"))


def _backend_rows(table: Table, result: BackendResult) -> None:
    title = _TITLES.get(result.backend, result.backend)
    if result.skipped:
        table.add_row(Text(title, style="bold"), f"skipped: {result.skipped}", "", "", "")
        return
    table.add_row(Text(title, style="bold"), "", "", "", "")
    goals = {goal.what: goal for goal in goals_of(result)}
    pull, trip, load = result.first_pull, result.round_trip, result.load
    if pull is not None:
        goal = goals["first pull"]
        table.add_row(
            "  first pull (new replica)",
            f"{_seconds(pull.seconds)}: {pull.changes:,} changes, {pull.per_second:,.0f}/s",
            f"{_seconds(pull.baseline_seconds)}: {pull.baseline_rows:,} rows, "
            f"{pull.baseline_per_second:,.0f}/s", _goal_text(goal), _verdict(goal))
    if trip is not None:
        goal, promise = goals["round trip"], goals["round trip (lead's board)"]
        table.add_row(f"  round trip A → B, {trip.rounds} rounds: median · p95 · max",
                      _spread(trip.trip),
                      _spread(trip.baseline), _goal_text(goal), _verdict(goal))
        table.add_row("    for a lead's board", "", "", _goal_text(promise),
                      _verdict(promise))
    if load is not None:
        goal, errors = goals["load"], goals["load errors"]
        table.add_row(f"  load, {load.agents} agents every {SYNC_INTERVAL:.0f} s: "
                      "median · p95 · p99 · max", _spread(load.requests, p99=True),
                      _spread(load.baseline, p99=True), _goal_text(goal), _verdict(goal))
        table.add_row("    of which pulls", _spread(load.pulls, p99=True), "", "", "")
        table.add_row("    of which pushes", _spread(load.pushes, p99=True), "", "", "")
        table.add_row(
            "    requests",
            f"{len(load.requests.samples):,} in {load.elapsed:.0f} s, "
            f"{load.per_second:,.0f}/s, {load.errors} errors",
            f"{len(load.baseline.samples):,} pull queries, {load.baseline_per_second:,.0f}/s",
            _goal_text(errors), _verdict(errors))
        busy = f"load generator {load.generator_cpu:.0f} s"
        if load.server_cpu is not None:
            busy = f"server {load.server_cpu:.0f} s, " + busy
        table.add_row("    CPU time over the load", f"{busy} (late p99 {ms(load.late_p99_ms)})",
                      "", "", "")
        for example in load.error_examples:
            table.add_row("", Text(example, style="red"), "", "", "")
    if result.failed:
        table.add_row("  failed", Text(result.failed, style="bold red"), "", "", "")


def method(bench: SyncBench) -> str:
    machine = bench.machine
    model = f" ({machine['cpu_model']})" if machine.get("cpu_model") else ""
    loads = "/".join(f"{value:.1f}" for value in machine.get("load_average", []))
    loads_end = "/".join(f"{value:.1f}" for value in machine.get("load_average_end", []))
    postgres = f", PostgreSQL {machine['postgresql']}" if machine.get("postgresql") else ""
    server = ("a `deskterm serve` process of its own" if bench.options["server_mode"] ==
              "process" else "a thread of the benchmark's process")
    databases = "; ".join(f"{_TITLES.get(r.backend, r.backend)} {r.database}"
                          for r in bench.results if r.database)
    return (
        f"Machine: {machine['cpus']} CPUs{model} (load {loads} at the start, {loads_end} at "
        f"the end), {machine['platform']}, Python {machine['python']}, SQLite "
        f"{machine['sqlite']}{postgres}.\n"
        f"Server: {server} on a loopback port, over a fresh database per run ({databases}); "
        "replicas are SQLite store files.\n"
        f"First pull: a new replica's SyncClient.pull() of the whole log (pages of "
        f"{PULL_PAGE:,}, the next fetched while one is applied, all in one transaction with "
        "the queue indexes rebuilt at the end), "
        "seeding not included; plain SQL: the rows it then holds (updates folded in), "
        "executemany into an empty store of the same schema in one transaction.\n"
        "Round trip: from A's service call (ticket subject) through push, the poke and B's "
        "pull until B's store holds it; plain SQL: executemany of the one row into the "
        "server's database, commit, SELECT on a second connection.\n"
        f"Load: every request of the agents (one in {PUSHER_EVERY} pushes one change before "
        "pulling), each agent on its own connection, spread evenly over the interval; plain "
        "SQL: the same pull queries (head, then the page after the same cursor) straight "
        "through SQLAlchemy on 8 threads. CPU time: what the server process and the load "
        "generator used over the load; late: how far behind schedule the generator sent "
        "(p99), which stays small unless the generator itself is starved.")
