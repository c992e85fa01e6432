"""Demo fixtures: one demo desk for the whole run, and a plain SQLite connection to it."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from deskterm.demo import DemoSummary, generate_demo
from deskterm.domain import ENTITIES
from deskterm.store import Store, open_store

ANCHOR = datetime(2026, 3, 18, tzinfo=UTC)  # a Wednesday in mid-month
ANCHOR_TEXT = "2026-03-18 00:00:00.000000"
TICKETS = 3000
STAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$")


def fill(path: Path, *, tickets: int = 1000, seed: int = 7) -> tuple[Store, DemoSummary]:
    store = open_store(path)
    return store, generate_demo(store, tickets=tickets, seed=seed, anchor=ANCHOR)


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with closing(sqlite3.connect(path)) as con:
        tables = [*ENTITIES, "kb_fts"]
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, DemoSummary, Path]]:
    path = tmp_path_factory.mktemp("demo") / "desk.db"
    messages: list[str] = []
    store = open_store(path)
    summary = generate_demo(store, tickets=TICKETS, seed=11, anchor=ANCHOR,
                            progress=messages.append)
    assert f"tickets {TICKETS:,}/{TICKETS:,}" in messages  # English groups digits: 3,000
    yield store, summary, path
    store.close()


@pytest.fixture()
def con(demo: tuple[Store, DemoSummary, Path]) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(demo[2])
    yield connection
    connection.close()


def scalar(con: sqlite3.Connection, sql: str, *args: object) -> object:
    return con.execute(sql, args).fetchone()[0]


@pytest.fixture(scope="session")
def default_desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A desk the size `deskterm demo` makes by default (20,000 tickets, seed 7): for what
    needs the default desk's numbers, such as the survey's driver ranking."""
    store = open_store(tmp_path_factory.mktemp("default") / "desk.db")
    generate_demo(store, tickets=20_000, seed=7, anchor=ANCHOR)
    yield store
    store.close()
