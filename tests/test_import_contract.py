"""The CLI starts without the benchmarks: `deskterm.bench` loads only when a bench command
runs (the import contract in pyproject.toml allows the CLI's bench command, and only it,
to import it; this pins that it does so at run time)."""

from __future__ import annotations

import subprocess
import sys

_BENCH_LOADED = """
import sys
from deskterm.cli.main import build_parser
build_parser().parse_args(["bench", "ui", "--tickets", "10"])
{then}
loaded = sorted(name for name in sys.modules if name.split(".")[:2] == ["deskterm", "bench"])
print("loaded:", *loaded)
"""


def _bench_modules_loaded(then: str = "") -> list[str]:
    done = subprocess.run([sys.executable, "-c", _BENCH_LOADED.format(then=then)],
                          capture_output=True, text=True, timeout=60, check=True)
    line = done.stdout.strip().splitlines()[-1]
    return line.removeprefix("loaded:").split()


def test_the_cli_parses_a_bench_command_without_loading_the_benchmarks() -> None:
    assert _bench_modules_loaded() == []


def test_a_bench_module_loaded_is_seen() -> None:
    # The other side of the test above: what running a bench loads is counted.
    assert "deskterm.bench.report" in _bench_modules_loaded("import deskterm.bench.report")
