"""`bench.importing.run_import` measures what it says, on a small scale (not timed here)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from deskterm.bench.importing import ImportOptions, generate, render, run_import
from deskterm.server.importing.files import KINDS


def test_the_generated_desk_has_every_file_and_the_count_asked(tmp_path: Path) -> None:
    generate(tmp_path, 1_000)
    lines = {kind.file: len(list(csv.reader(io.StringIO((tmp_path / kind.file).read_text())))) - 1
             for kind in KINDS}
    assert sum(lines.values()) == 1_000 and all(lines.values())


def test_run_import_reports_the_import_beside_executemany() -> None:
    bench = run_import(ImportOptions(rows=600))
    [sqlite] = bench.results
    assert sqlite.failed is None
    assert sqlite.imported is not None and sqlite.imported.rows == 600
    assert sqlite.executemany is not None and sqlite.executemany.rows == 600
    assert sqlite.one_by_one is not None and sqlite.one_by_one.rows > 0
    assert sqlite.ratio is not None and sqlite.ratio > 0
    data = bench.to_json()
    assert data["results"][0]["import"]["rows"] == 600 and "met" in data["results"][0]
    assert "PostgreSQL skipped" in render(bench)
    assert ImportOptions(quick=True).count == 20_000 and ImportOptions().count == 100_000
