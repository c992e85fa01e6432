"""`deskterm bench memory` at a tiny scale: both apps' children run their keys, report
their memory as they go and exit by themselves; the figures stand beside the baseline.
Never how much memory anything takes: that is the benchmark's to say."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from deskterm.bench.memory import DESK_SCENES, GROWTH_GOAL_MB, scene_keys, warm_keys
from deskterm.cli.main import main

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="resident memory is read from /proc")
KEYS = 100  # one round of the key script (bench all tries 200)


def test_bench_memory_reports_growth_beside_the_stock_datatable(
        small_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--db", str(small_store), "bench", "memory", "--keys", str(KEYS), "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    data = json.loads(captured.out)
    assert data["keys"] == KEYS and data["store"]["tickets"] == 2000
    for name in ("deskterm", "datatable"):
        run = data[name]
        assert "failed" not in run, run  # reported, and exited by itself with status 0
        keys = [at for at, _mb in run["rss_mb"]]
        assert keys[0] == 0 and keys[-1] == KEYS and keys == sorted(keys)
        assert warm_keys(KEYS) in keys
        assert all(mb > 0 for _at, mb in run["rss_mb"])
    growth, end = data["figures"]
    assert growth["goal"] == f"< {GROWTH_GOAL_MB:.0f} MB" and growth["met"] is not None
    assert growth["value"] is not None and growth["baseline"] is not None
    assert end["value"] > 0 and end["baseline"] > 0


def test_the_key_script_goes_through_every_pane_and_screen() -> None:
    sent = [key for _scene, key in scene_keys(DESK_SCENES, 10_000)]
    assert len(sent) == 10_000
    # The panes (1-4), a ticket (enter), the agent's own screens, the help and the palette.
    assert {"1", "2", "3", "4", "enter", "m", "f", "F", "X", "question_mark",
            "ctrl+p"} <= set(sent)
    assert "q" not in sent and "ctrl+c" not in sent  # nothing quits half-way
