"""`deskterm bench all` writes one Markdown and one JSON report with every part, and
`deskterm bench search` measures every query and the pane. Tiny scales only: these prove
the benchmarks work end to end, never how fast anything is."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from deskterm.bench.all import PARTS, TINY, AllOptions, run_all
from deskterm.bench.search import QUERIES
from deskterm.cli.main import main

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the first frame is measured in a Linux pty")
PG_VARIABLE = "DESKTERM_TEST_PG_URL"


def test_bench_all_writes_both_reports_with_every_part(tmp_path: Path) -> None:
    url = os.environ.get(PG_VARIABLE) or None
    out = tmp_path / "report"
    lines: list[str] = []
    # Every part but memory, which tests/bench/test_bench_memory.py runs (its two apps'
    # start-ups are most of its time, at any number of keys).
    asked = tuple(part for part in PARTS if part != "memory")
    bench = run_all(AllOptions(scale=TINY, out=out, database_url=url, parts=asked),
                    lines.append)
    markdown = (out / "bench-all.md").read_text(encoding="utf-8")
    data = json.loads((out / "bench-all.json").read_text(encoding="utf-8"))
    assert [part["name"] for part in data["parts"]] == list(PARTS)
    for name in PARTS:
        assert f"## {name}\n" in markdown, name
    parts = {part["name"]: part for part in data["parts"]}
    # The parts this branch has measure; each figure stands beside its same-run baseline.
    for name in ("ui", "sync", "search"):
        part = parts[name]
        assert not part["note"].startswith("failed"), part["note"]
        assert part["figures"], name
        with_baseline = [f for f in part["figures"] if f["baseline"] is not None]
        assert with_baseline, name
        # Each part measures beside its baseline (a single key round may time out on a
        # loaded machine: its figure is then reported as not measured, not as a number).
        assert any(f["value"] is not None and f["ratio"] is not None
                   for f in with_baseline), name
    assert {f["name"] for f in parts["search"]["figures"]} >= {
        "KB pane: last key to results painted, p95",
        "search English: top 20 with snippets, p95", "search Dutch: top 20 with snippets, p95"}
    # The server's writes and the import measure on SQLite (and PostgreSQL when given),
    # beside executemany of the same rows.
    for name, unit in (("writes", "changes/s"), ("import", "rows/s")):
        figures = parts[name]["figures"]
        assert figures and all(f["unit"] == unit and f["baseline"] for f in figures), name
        assert {f["name"].split("(")[-1].rstrip(")").lower() for f in figures} >= (
            {"sqlite", "postgresql"} if url else {"sqlite"}), figures
    # A part not asked for says so.
    assert parts["memory"]["note"] == "skipped: not asked for (--parts)"
    assert f"Note: {parts['memory']['note']}" in markdown and not parts["memory"]["figures"]
    big = parts["bigger desk"]
    if url:
        assert not big["note"], big["note"]
        assert [f["met"] is not None for f in big["figures"]] == [True, True, True]
        assert big["details"]["options"]["instances"] == 2
        assert big["details"]["backends"]["postgresql"]["load"]["instances"] == 2
    else:
        assert "no PostgreSQL server given" in big["note"]
    machine = data["machine"]
    assert machine["cpus"] >= 1 and machine["python"] and machine["sqlite"]
    assert len(machine["load_average_before"]) == len(machine["load_average_after"]) == 3
    assert "postgresql" in machine
    assert data["goals_total"] == sum(f["met"] is not None for p in data["parts"]
                                      for f in p["figures"])
    assert f"Goals met: {data['goals_met']} of {data['goals_total']}" in markdown
    assert "| figure | value | baseline (same run) | ratio | goal | met |" in markdown
    assert bench.machine == machine
    assert any(line.startswith("== search") for line in lines)


def test_bench_search_measures_every_query_and_the_pane(
        capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["bench", "search", "--articles", "200", "--rounds", "1", "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    data = json.loads(captured.out)
    assert data["store"]["articles"] >= 200
    assert [(q["language"], q["text"]) for q in data["queries"]] == \
        [(language, text) for language, _kind, text in QUERIES]
    assert all(q["search_median_ms"] > 0 and q["raw_median_ms"] > 0 for q in data["queries"])
    assert sum(q["hits"] > 0 for q in data["queries"]) >= len(QUERIES) // 2
    assert len(data["typing"]["samples_ms"]) == 5 and "typing_failed" not in data
    figures = {figure["name"]: figure for figure in data["figures"]}
    assert figures["KB pane: last key to results painted, p95"]["value"] > 0


@pytest.mark.parametrize(("argv", "words"), [
    (["bench", "all", "--database-url", "sqlite:///x.db"], ["PostgreSQL URL"]),
    (["bench", "all", "--fast"], ["unrecognized arguments"]),
    (["bench", "search", "--articles", "0"], ["--articles", "out of range"]),
    (["bench", "sync", "--instances", "9"], ["--instances", "out of range"]),
])
def test_bad_options_exit_2_with_one_line(argv: list[str], words: list[str],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    code = main(argv)
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.count("\n") == 1
    for word in words:
        assert word in captured.err
