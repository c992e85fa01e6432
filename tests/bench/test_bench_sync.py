"""`deskterm bench sync` measures every figure on each database and refuses bad input in one line.

Tiny runs only (300 changes, 3 agents for 2 s, 3 round trips): these prove the benchmark
works end to end against a real server and databases, never how fast anything is.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from deskterm.cli.main import main
from tests.cli.conftest import Cli, Result

PG_VARIABLE = "DESKTERM_TEST_PG_URL"
TINY = ("--changes", "300", "--agents", "3", "--seconds", "2", "--rounds", "3")
GOALS = {"first pull", "round trip", "round trip (lead's board)", "load", "load errors"}


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """`run_cli("bench", "sync", ...)`: main(argv) with its exit status and captured output."""

    def run(*argv: str) -> Result:
        capsys.readouterr()
        code = main(list(argv))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def positive(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def check_latencies(figure: dict[str, Any], count: int | None = None) -> None:
    assert figure["count"] >= 1, figure
    if count is not None:
        assert figure["count"] == count, figure
    for key in ("median_ms", "p95_ms", "p99_ms", "min_ms", "max_ms"):
        assert positive(figure[key]), (key, figure)
    assert figure["min_ms"] <= figure["median_ms"] <= figure["p95_ms"] <= figure["max_ms"]


def check_backend(backend: dict[str, Any]) -> None:
    """Every figure and its floor measured, with positive numbers that agree with each other."""
    assert "failed" not in backend and "skipped" not in backend, backend
    pull = backend["first_pull"]
    # 300 seeded changes, plus the accounts, the small desk and the load's own pushes.
    assert pull["changes"] > 300 and pull["pages"] >= 1
    assert positive(pull["seconds"]) and positive(pull["changes_per_s"])
    assert pull["baseline"]["rows"] == pull["rows"] > 0
    assert positive(pull["baseline"]["seconds"]) and positive(pull["baseline"]["rows_per_s"])
    assert positive(pull["seed_seconds"])
    trip = backend["round_trip"]
    assert trip["rounds"] == 3
    check_latencies(trip["trip"], 3)
    check_latencies(trip["baseline"], 3)
    load = backend["load"]
    assert (load["agents"], load["pushers"], load["seconds"]) == (3, 1, 2)
    assert load["errors"] == 0, load["error_examples"]
    check_latencies(load["pulls"])
    check_latencies(load["pushes"])
    check_latencies(load["requests"], load["pulls"]["count"] + load["pushes"]["count"])
    assert load["pulls"]["count"] >= 3  # every agent synced at least once
    check_latencies(load["baseline"], load["pulls"]["count"])
    assert positive(load["requests_per_s"]) and positive(load["baseline"]["queries_per_s"])


def test_every_figure_is_measured_on_each_database(run_cli: Cli) -> None:
    result = run_cli("bench", "sync", *TINY, "--json")
    assert result.code == 0, result.err
    data = result.data
    assert data["options"]["changes"] == 300 and data["options"]["agents"] == 3
    check_backend(data["backends"]["sqlite"])
    if os.environ.get(PG_VARIABLE):
        check_backend(data["backends"]["postgresql"])
        measured = ["sqlite", "postgresql"]
    else:
        assert PG_VARIABLE in data["backends"]["postgresql"]["skipped"]
        measured = ["sqlite"]
    goals = data["goals"]
    assert {(goal["backend"], goal["what"]) for goal in goals} == \
        {(backend, what) for backend in measured for what in GOALS}
    assert all(goal["value"] is not None for goal in goals)
    assert data["goals_total"] == len(goals)
    assert data["goals_met"] == sum(goal["passed"] for goal in goals)
    assert "first pull: a new replica pulls the whole log" in result.err


def test_the_table_has_a_row_per_figure_and_says_why_postgresql_was_skipped(
        run_cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PG_VARIABLE, raising=False)
    result = run_cli("bench", "sync", *TINY)
    assert result.code == 0, result.err
    for row in ("SQLite", "first pull (new replica)", "round trip A → B, 3 rounds",
                "for a lead's board", "load, 3 agents every 2 s", "of which pulls",
                "of which pushes", "requests", "Goals met: "):
        assert row in result.out, row
    assert "skipped: no PostgreSQL server given" in result.out
    assert "postgresql: skipped" in result.err


@pytest.mark.parametrize(("options", "words"), [
    (("--changes", "0"), ["--changes", "out of range"]),
    (("--agents", "many"), ["--agents", "not a whole number"]),
    (("--seconds", "-5"), ["--seconds", "out of range"]),
    (("--rounds", "100000"), ["--rounds", "out of range"]),
    (("--database-url", "sqlite:///server.db"), ["PostgreSQL URL"]),
    (("--pace", "2"), ["unrecognized arguments"]),
])
def test_bad_options_exit_2_with_one_line(run_cli: Cli, options: tuple[str, ...],
                                          words: list[str]) -> None:
    run_cli("bench", "sync", *options).refused(2, *words)


def test_an_unreachable_postgresql_is_refused_before_anything_runs(run_cli: Cli) -> None:
    result = run_cli("bench", "sync", *TINY, "--database-url",
                             "postgresql+psycopg://postgres@127.0.0.1:1/nothing")
    result.refused(1, "cannot use the PostgreSQL server", "127.0.0.1:1")
