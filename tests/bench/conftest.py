"""The benchmarks' tests share one small demo store per module."""

from __future__ import annotations

from pathlib import Path

import pytest

from deskterm.demo import generate_demo
from deskterm.store import open_store


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo desk of 2,000 tickets (seed 7), made once per test module."""
    path = tmp_path_factory.mktemp("bench") / "small.db"
    store = open_store(path)
    try:
        generate_demo(store, tickets=2000, seed=7)
    finally:
        store.close()
    return path
