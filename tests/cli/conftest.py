"""CLI fixtures: run `deskterm` in-process on a temp store and read what it printed."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from deskterm.cli.main import main
from deskterm.store import Store
from tests.conftest import Desk, table_counts
from tests.support.demo import demo_store


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str

    @property
    def data(self) -> Any:
        """stdout parsed as JSON."""
        return json.loads(self.out)

    def refused(self, code: int, *words: str) -> None:
        """Failed with `code` and exactly one stderr line naming `words`; nothing on stdout."""
        assert self.code == code, (self.code, self.out, self.err)
        assert self.err.count("\n") == 1 and self.err.endswith("\n"), self.err
        assert self.err.startswith("deskterm: error: "), self.err
        assert "Traceback" not in self.err
        assert self.out == ""
        for word in words:
            assert word in self.err, (word, self.err)


Cli = Callable[..., Result]


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """`run_cli("ticket", "list")`: main(argv) with its exit status and captured output."""

    def run(*argv: str) -> Result:
        capsys.readouterr()
        code = main(list(argv))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def cli(run_cli: Cli, desk: Desk) -> Cli:
    """Like run_cli, on the desk fixture's store, acting as alex unless --as says otherwise."""

    def run(*argv: str, agent: str | None = "alex") -> Result:
        prefix = ["--db", str(desk.store.path)]
        if agent:
            prefix += ["--as", agent]
        return run_cli(*prefix, *argv)

    return run


@contextmanager
def nothing_written(store: Store) -> Iterator[None]:
    """Asserts that the block leaves every table's row count as it was."""
    before = table_counts(store)
    yield
    assert table_counts(store) == before


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small generated demo store, made once per session; copy it before writing."""
    return demo_store(tmp_path_factory.mktemp("demo") / "demo.db", tickets=2000)


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the small demo store."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    return path
