"""A generated demo desk in a store file, for fixtures that make one once and share it."""

from __future__ import annotations

from pathlib import Path

from deskterm.demo import generate_demo
from deskterm.store import open_store


def demo_store(path: Path, *, tickets: int, seed: int = 7) -> Path:
    """Make a demo desk of `tickets` tickets at `path` (seeded: the same desk each time)."""
    store = open_store(path)
    try:
        generate_demo(store, tickets=tickets, seed=seed)
    finally:
        store.close()
    return path
