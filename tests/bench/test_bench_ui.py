"""`deskterm bench ui` runs end to end on a small store and refuses bad input in one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from deskterm.bench.results import APPS, KEY_ACTIONS
from deskterm.cli.main import main

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the first frame is measured in a Linux pty")

BASELINE_KEYS = {"minimal": {"down"}, "datatable": {"down", "page down", "end", "home",
                                                     "change sort", "scrollbar drag"}}


def numbers(value: object) -> list[float]:
    """Every number in a JSON document (booleans are not numbers here)."""
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [value]
    if isinstance(value, dict):
        return [n for item in value.values() for n in numbers(item)]
    if isinstance(value, list):
        return [n for item in value for n in numbers(item)]
    return []


def test_bench_ui_measures_every_figure(small_store: Path) -> None:
    command = [sys.executable, "-m", "deskterm", "bench", "ui", "--db", str(small_store),
               "--rounds", "1", "--baseline-rows", "2000", "--json"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=240,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["store"]["tickets"] == 2000
    assert data["rounds"] == 1 and data["baseline_rows"] == 2000
    for name in APPS:
        app = data["apps"][name]
        assert app["first_frame"]["median_ms"] > 0, app
        assert app["memory_mb"]["first_frame"]["rss_mb"] > 0
        assert app["memory_mb"]["after_keys"]["peak_rss_mb"] > 0
        expected = set(KEY_ACTIONS) if name == "deskterm" else BASELINE_KEYS[name]
        assert set(app["keys"]) == expected, app["keys"]
        for figure in app["keys"].values():
            assert figure["median_ms"] > 0 and figure["p95_ms"] >= figure["median_ms"]
        assert all(n > 0 for n in numbers(app)), app
    assert data["apps"]["datatable"]["mount"]["median_ms"] > 0
    assert {goal["what"] for goal in data["goals"]} >= {"first frame", "memory", *KEY_ACTIONS}
    assert all(goal["value"] > 0 for goal in data["goals"])
    assert data["machine"]["cpus"] >= 1 and data["machine"]["textual"]
    assert "deskterm bench ui" in data["note"]


@pytest.mark.parametrize("argv", [
    ["--tickets", "0"],
    ["--rounds", "0"],
    ["--rounds", "many"],
    ["--baseline-rows", "-5"],
    ["--tickets", "9999999999"],
])
def test_bad_arguments_are_one_line_and_exit_2(tmp_path: Path, argv: list[str],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.db"
    code = main(["bench", "ui", "--db", str(missing), *argv])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith("deskterm: error: ")
    assert not missing.exists()


def test_unknown_agent_is_refused_before_measuring(small_store: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["bench", "ui", "--db", str(small_store), "--as", "nobody", "--rounds", "1"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.err.count("\n") == 1 and "nobody" in captured.err


def test_a_file_that_is_no_store_is_refused(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other.db"
    other.write_bytes(b"not a database at all" * 100)
    code = main(["bench", "ui", "--db", str(other)])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.err.count("\n") == 1 and captured.err.startswith("deskterm: error: ")
