"""The log's tail in memory (server.tail): the same pages as the database, never older.

A page from the tail must be, byte for byte, the page `changelog.pull` reads from the
database, for every caller (each audience) and cursor; a pull must see what was
committed before it, whoever committed it; and what an erasure scrubbed from logged
changes must never come back from the tail's copy.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, insert, update

from deskterm.domain.enums import Role
from deskterm.server import changelog
from deskterm.server.database import (
    Database,
    LogState,
    change_log,
    log_head,
    log_state,
    note_log_rewritten,
)
from deskterm.server.rules import Caller
from deskterm.server.tail import LogTail, Read, SharedReads, read_tail
from deskterm.services import customers
from tests.support.servers import RunningServer
from tests.support.sync import Replica, pull_everything, sync_until_quiet

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
AGENTS = ("agent-a", "agent-b", "agent-c")
TEAMS = ("team-n", "team-s")
CALLERS = [
    Caller("acc-a", "a", "agent-a", Role.AGENT, "team-n"),
    Caller("acc-b", "b", "agent-b", Role.AGENT, "team-s"),
    Caller("acc-l", "l", "agent-l", Role.LEAD, "team-n"),
    Caller("acc-s", "s", "agent-s", Role.LEAD, "team-s"),
    Caller("acc-r", "r", "agent-r", Role.ADMIN, None),
]
#: (audience, agent id, team id) as the log stores them.
AUDIENCES = st.one_of(
    st.just(("all", None, None)),
    st.tuples(st.just("agent"), st.sampled_from(AGENTS), st.sampled_from(TEAMS)),
    st.tuples(st.just("budget"), st.sampled_from(AGENTS), st.sampled_from(TEAMS)))


@pytest.fixture(scope="module")
def log_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('tail') / 'server.db'}")
    yield db
    db.dispose()


def _log(db: Database, audiences: list[tuple[str, str | None, str | None]],
         sizes: list[int]) -> None:
    """Append changes of these audiences (and field sizes) to the log, as pushes would."""
    with db.writing() as connection:
        head = log_state(connection).head
        for offset, ((audience, agent_id, team_id), size) in enumerate(
                zip(audiences, sizes, strict=True), 1):
            connection.execute(insert(change_log).values(
                seq=head + offset, mutation_id=f"m{head + offset}", entity="customer",
                row_id=f"r{head + offset}", op="insert",
                fields=json.dumps({"name": "x" * size, "note": "é\"\\"}, ensure_ascii=False),
                hlc=f"1772442000000-{head + offset:05d}-node", author_id=agent_id,
                audience=audience, audience_agent_id=agent_id, audience_team_id=team_id,
                created_at=NOW))
        connection.execute(update(log_head).values(seq=head + len(audiences)))


def _tail_of(db: Database, size: int) -> LogTail:
    tail = LogTail(size)
    tail.take(read_tail(db, tail.known_after, size))
    return tail


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(audiences=st.lists(AUDIENCES, min_size=1, max_size=40),
       more=st.lists(AUDIENCES, max_size=40),
       size=st.integers(min_value=4, max_value=60),
       sizes=st.lists(st.integers(min_value=0, max_value=80), min_size=80, max_size=80),
       asks=st.lists(st.tuples(st.sampled_from(CALLERS), st.integers(0, 100),
                               st.integers(1, 12)), min_size=1, max_size=12))
def test_a_page_from_the_tail_is_the_page_from_the_database(
        log_db: Database, audiences: list[Any], more: list[Any], size: int,
        sizes: list[int], asks: list[tuple[Caller, int, int]]) -> None:
    _log(log_db, audiences, sizes[:len(audiences)])
    tail = _tail_of(log_db, size)
    _log(log_db, more, sizes[:len(more)])  # the tail reads on from where it was
    tail.take(read_tail(log_db, tail.known_after, size))
    with log_db.reading() as connection:
        state = log_state(connection)
    assert tail.top == state.head
    for caller, back, limit in asks:
        cursor = max(0, state.head - back)
        page = tail.page(caller, cursor, limit, state, log_db.server_id)
        if cursor < tail.floor:
            assert page is None  # older than the tail holds: the database answers
            continue
        assert page == changelog.pull(log_db, caller, cursor, limit)


def test_the_tail_answers_nothing_when_the_log_was_rewritten_or_is_ahead(
        log_db: Database) -> None:
    _log(log_db, [("all", None, None)] * 3, [5, 5, 5])
    tail = _tail_of(log_db, 100)

    def page(state: LogState) -> bytes | None:
        return tail.page(CALLERS[0], cursor, 10, state, log_db.server_id)

    with log_db.reading() as connection:
        state = log_state(connection)
    cursor = state.head - 2
    assert page(state) == changelog.pull(log_db, CALLERS[0], cursor, 10)
    _log(log_db, [("all", None, None)], [5])
    with log_db.reading() as connection:
        ahead = log_state(connection)
    # The head the pull read is newer than what the tail took in.
    assert page(ahead) is None
    with log_db.writing() as connection:
        note_log_rewritten(connection)
        rewritten = log_state(connection)
    tail.take(read_tail(log_db, tail.known_after, 100))  # drops the copy
    assert len(tail) == 0
    assert page(rewritten) is None
    tail.take(read_tail(log_db, tail.known_after, 100))  # read anew
    assert page(rewritten) == changelog.pull(log_db, CALLERS[0], cursor, 10)
    # The database went back (a restore from a backup): a read finds the head below the
    # tail's top, and the tail drops its copy.
    back = LogState(rewritten.head - 1, rewritten.rewrites)
    tail.take(Read(tail.known_after, rewritten.head, back.head, back.rewrites, []))
    assert len(tail) == 0 and page(back) is None


def _pull(server: RunningServer, handle: str, cursor: int) -> dict[str, Any]:
    answer = httpx.get(f"{server.url}/api/v1/sync/pull", params={"cursor": cursor},
                       headers={"Authorization": f"Bearer {server.tokens[handle]}"})
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _statements(server: RunningServer) -> Callable[[], list[str]]:
    """The statements the running server's database engine executes from now on."""
    seen: list[str] = []
    engine = server.thread.state.db.engine

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    return lambda: seen


def test_a_pull_of_the_newest_changes_reads_only_the_log_head(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    alex = replica_of("alex")
    customers.create_customer(alex.ctx, name="Ada Tail")
    alex.sync()
    head = _pull(server, "blake", 0)["head"]
    back = _pull(server, "blake", head - 1)  # the tail has read up to the head by now
    seen = _statements(server)
    again = _pull(server, "blake", head - 1)
    assert again == back and [c["fields"].get("name") for c in again["changes"]] == ["Ada Tail"]
    # It read the head (the tail's own reads may run meanwhile), and no page of the log.
    assert any("log_head" in statement for statement in seen())
    assert not any("audience_agent_id =" in statement for statement in seen())


def test_an_erased_name_never_comes_back_from_the_tail(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    alex, morgan = replica_of("alex"), replica_of("morgan")
    jo = customers.create_customer(alex.ctx, name="Jo Tailsma", email="jo@example.com")
    alex.sync()
    for _ in range(2):  # the second from the tail's copy, with the name in it
        assert "Jo Tailsma" in json.dumps(_pull(server, "blake", 0))
    morgan.sync()
    customers.erase_customer(morgan.ctx, jo.id, reason="asked by letter")
    sync_until_quiet([morgan, alex], server.db)
    for _ in range(3):
        everything = json.dumps(pull_everything(server.url, server.tokens["blake"]))
        assert "Jo Tailsma" not in everything and "jo@example.com" not in everything


def test_pulls_that_come_together_share_a_read_that_began_after_each_came(
        log_db: Database) -> None:
    states = SharedReads(log_db, LogTail(100))
    statements: list[str] = []
    held = threading.Event()  # set: a read on a worker thread, once made, waits for `go`
    go = threading.Event()

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "log_head" in statement and threading.current_thread() is not threading.main_thread():
            statements.append(statement)
            if held.is_set():
                go.wait(5)

    async def together() -> list[LogState]:
        return list(await asyncio.gather(*(states.read() for _ in range(50))))

    async def after_a_commit() -> tuple[int, int, int]:
        held.set()
        go.clear()
        under_way = asyncio.ensure_future(states.read())
        await asyncio.sleep(0.02)  # its read is made, and waits
        _log(log_db, [("all", None, None)], [5])  # committed before the next pull came
        with log_db.reading() as connection:
            committed = log_state(connection).head
        after = asyncio.ensure_future(states.read())
        await asyncio.sleep(0.02)
        held.clear()
        go.set()
        return committed, (await after).head, (await under_way).head

    event.listen(log_db.engine, "after_cursor_execute", note)
    try:
        found = asyncio.run(together())
        assert len(set(found)) == 1 and len(statements) <= 2  # 50 pulls, one or two reads
        for _ in range(3):
            committed, seen, before = asyncio.run(after_a_commit())
            assert (before, seen) == (committed - 1, committed)
    finally:
        event.remove(log_db.engine, "after_cursor_execute", note)
