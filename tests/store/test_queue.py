"""The virtual queue returns exactly what a plain query would, at any position, any sort."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from deskterm.demo import generate_demo
from deskterm.store import open_store
from deskterm.store import queue as queue_module
from deskterm.store.queue import QueueSort, QueueSource, QueueSpec, QueueView

OPEN = ("new", "open", "waiting", "escalated")


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("queue") / "queue.db"
    store = open_store(path)
    generate_demo(store, tickets=3000, seed=11, anchor=datetime(2026, 11, 23, tzinfo=UTC))
    store.close()
    return path


def reference(path: Path, spec: QueueSpec) -> list[str]:
    """The spec's ticket ids in order, computed the slow obvious way in Python."""
    connection = sqlite3.connect(path)
    rows = connection.execute(
        "SELECT t.rowid, t.id, t.number, t.subject, t.customer_sort, t.status, t.priority, "
        "t.owner_sort, t.created_at, ifnull(t.last_contact_at, ''), t.owner_id, "
        "t.department_id, t.deleted FROM ticket AS t"
    ).fetchall()
    connection.close()
    words = spec.text.lower().split()
    chosen = []
    for (rowid, id_, number, subject, customer, status, priority, owner, created, contact,
         owner_id, department_id, deleted) in rows:
        if deleted or (spec.view != QueueView.ALL and status not in OPEN):
            continue
        if spec.view == QueueView.MINE and owner_id != spec.agent_id:
            continue
        if spec.view == QueueView.UNASSIGNED and owner_id is not None:
            continue
        if spec.view == QueueView.ESCALATED and status != "escalated":
            continue
        if spec.view == QueueView.WAITING and status != "waiting":
            continue
        if spec.view == QueueView.DEPARTMENT and department_id != spec.department_id:
            continue
        key_match = bool(words) and spec.text.upper().removeprefix("SD-") == str(number)
        if words and not key_match and not all(
                w in subject.lower() or w in customer or w in owner for w in words):
            continue
        status_part = () if spec.view == QueueView.ALL or spec.sort == QueueSort.STATUS \
            else (status,)
        leading = {
            QueueSort.KEY: (number if number is not None else 2**63 - 1,),
            QueueSort.SUBJECT: (subject.lower(), customer, owner),
            QueueSort.CUSTOMER: (customer, created),
            QueueSort.STATUS: (status, created),
            QueueSort.PRIORITY: (priority, created),
            QueueSort.OWNER: (owner, created),
            QueueSort.AGE: (created,),
            QueueSort.LAST_CONTACT: (contact,),
        }[spec.sort]
        chosen.append(((*leading, *status_part, rowid), id_))
    chosen.sort(reverse=spec.descending)
    return [id_ for _key, id_ in chosen]


def ids(source: QueueSource, start: int, stop: int) -> list[str]:
    return [row.id for row in source.rows(start, stop)]


@pytest.fixture(scope="module")
def people(demo_path: Path) -> dict[str, str]:
    connection = sqlite3.connect(demo_path)
    alex = connection.execute("SELECT id FROM agent WHERE handle = 'alex'").fetchone()[0]
    it = connection.execute("SELECT id FROM department WHERE code = 'IT'").fetchone()[0]
    connection.close()
    return {"alex": alex, "it": it}


@pytest.mark.parametrize("view", list(QueueView))
@pytest.mark.parametrize("sort", list(QueueSort))
def test_every_view_and_sort_matches_the_plain_query(demo_path: Path, people: dict[str, str],
                                                     view: QueueView, sort: QueueSort) -> None:
    source = QueueSource(str(demo_path))
    try:
        for descending in (True, False):
            spec = QueueSpec(view=view, sort=sort, descending=descending,
                             agent_id=people["alex"], department_id=people["it"])
            source.set_spec(spec)
            expected = reference(demo_path, spec)
            assert source.count() == len(expected)
            assert ids(source, 0, len(expected) + 10) == expected
            # Jumps first (offsets from either end), then neighbours (keyset seeks).
            source.set_spec(spec)
            source.count()
            total = len(expected)
            rng = random.Random(f"{view}{sort}{descending}")
            for start in [total - 5, total // 2, *(rng.randrange(max(1, total)) for _ in range(4))]:
                start = max(0, start)
                assert ids(source, start, start + 70) == expected[start:start + 70]
                assert ids(source, max(0, start - 64), start) == expected[max(0, start - 64):start]
    finally:
        source.close()


@pytest.mark.parametrize("text", ["printer", "vpn laptop", "zzqx", "SD-42", "ALEX", "an",
                                  "%", "_", "o'brien", "ü"])
@pytest.mark.parametrize("view", [QueueView.ALL, QueueView.OPEN, QueueView.MINE])
@pytest.mark.parametrize("mode", ["probe", "set-small", "set-walk", "rows"])
def test_filters_match_the_plain_query_in_every_mode(
        demo_path: Path, people: dict[str, str], monkeypatch: pytest.MonkeyPatch, text: str,
        view: QueueView, mode: str) -> None:
    if mode != "probe":
        monkeypatch.setattr(queue_module, "_PROBE_SECONDS", 0.0)
    if mode == "set-walk":
        monkeypatch.setattr(queue_module, "_DRIVE_FROM_MATCHES", 0)
    if mode == "rows":
        monkeypatch.setattr(queue_module, "_SMALL_MATCH", 0)
    source = QueueSource(str(demo_path))
    try:
        spec = QueueSpec(view=view, sort=QueueSort.PRIORITY, descending=False, text=text,
                         agent_id=people["alex"])
        source.set_spec(spec)
        expected = reference(demo_path, spec)
        assert ids(source, 0, 64) == expected[:64]
        assert source.count() == len(expected)
        middle = len(expected) // 2
        assert ids(source, middle, middle + 64) == expected[middle:middle + 64]
        assert ids(source, 0, len(expected) + 5) == expected
    finally:
        source.close()


def test_a_change_to_the_store_shows_after_invalidate(demo_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "copy.db"
    path.write_bytes(demo_path.read_bytes())
    source = QueueSource(str(path), QueueSpec(view=QueueView.ALL, sort=QueueSort.KEY))
    try:
        before = source.count()
        top = source.rows(0, 1)[0]
        connection = sqlite3.connect(path)
        connection.execute("UPDATE ticket SET deleted = 1 WHERE id = ?", [top.id])
        connection.commit()
        connection.close()
        source.invalidate()
        assert source.count() == before - 1
        assert source.rows(0, 1)[0].id != top.id
    finally:
        source.close()
