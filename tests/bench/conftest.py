"""The benchmarks' tests share one small demo store per module."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.demo import demo_store


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo desk of 2,000 tickets (seed 7), made once per test module."""
    return demo_store(tmp_path_factory.mktemp("bench") / "small.db", tickets=2000)
