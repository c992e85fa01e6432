"""Benchmark stores made once and kept: never half-made, never split from their WAL."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def made_in_place(path: Path) -> Iterator[Path]:
    """Yield a file beside `path` to make a store in; once it is made, it is checkpointed
    (all of it in the file itself, none in a WAL) and moved to `path`. Whatever happens,
    no half-made store or its WAL and shared-memory files stay behind."""
    partial = path.with_name(path.name + ".partial")
    leftovers = [partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")]
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)
    try:
        yield partial
        connection = sqlite3.connect(partial)
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()
        os.replace(partial, path)
    finally:
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
