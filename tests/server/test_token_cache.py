"""Issue 16, a bigger desk: the instance's memory of tokens (`accounts.CallerCache`) never
outlives a revocation, and two instances on one database answer pulls alike.

Real servers on loopback ports, real HTTP; accounts revoked the way `deskterm server user
revoke` does it, straight in the database, so an instance learns of it only as it would
from another machine. "Heard" below is the instance's own word for it: the revoked
token's open stream on that instance ends with `event: revoked`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from deskterm.domain.enums import Role
from deskterm.server.accounts import CallerCache, revoke_user
from deskterm.server.rules import Caller
from deskterm.server.runner import ServerThread
from tests.server.test_revoked_stream import StreamReader
from tests.support.servers import RunningServer
from tests.support.sync import agent_ids, push_raw, wait_for, wire_change

API = "/api/v1"


@pytest.fixture
def other(server: RunningServer) -> Iterator[ServerThread]:
    """A second instance on the same database."""
    with ServerThread(server.thread.database_url) as second:
        yield second


def _get(url: str, token: str, path: str, **params: int) -> httpx.Response:
    return httpx.get(f"{url}{API}{path}", params=params, timeout=10,
                     headers={"Authorization": f"Bearer {token}"})


def _head(url: str, token: str) -> int:
    return int(_get(url, token, "/sync/pull", cursor=0, limit=1).json()["head"])


def test_a_revoked_token_is_refused_on_every_instance_once_heard(
        server: RunningServer, other: ServerThread) -> None:
    token = server.tokens["alex"]
    for url in (server.url, other.url):  # both instances now remember the token
        assert _get(url, token, "/me").status_code == 200
    readers = [StreamReader(url, token).start() for url in (server.url, other.url)]
    try:
        revoke_user(server.db, "alex")
        for reader in readers:
            wait_for(lambda r=reader: r.ended_at is not None or r.error,  # type: ignore[misc]
                     timeout=5.0, interval=0.02, what="the instance to hear of the revocation")
            assert "event: revoked" in reader.lines, reader.lines
        for url in (server.url, other.url):
            for path in ("/me", "/sync/pull"):
                refused = _get(url, token, path)
                assert refused.status_code == 401, (url, path)
                assert "revoked" in refused.json()["detail"]
        # Another agent's token is still good on both.
        assert all(_get(url, server.tokens["blake"], "/me").status_code == 200
                   for url in (server.url, other.url))
    finally:
        for reader in readers:
            reader.stop()


def test_a_pull_after_a_push_on_the_other_instance_returns_the_new_change(
        server: RunningServer, other: ServerThread) -> None:
    reader = server.tokens["blake"]
    cursor = _head(other.url, reader)
    assert _get(other.url, reader, "/sync/pull", cursor=cursor).json()["changes"] == []
    ids = agent_ids(server.db.engine)
    now = "2026-03-02T09:00:00+00:00"
    change = wire_change("customer", {"name": "Ada Pull", "created_at": now, "updated_at": now},
                         author_id=ids["alex"])
    pushed = push_raw(server.url, server.tokens["alex"], [change], "alex-laptop")
    assert pushed.status_code == 200 and pushed.json()["results"][0]["status"] == "applied"
    page = _get(other.url, reader, "/sync/pull", cursor=cursor).json()
    assert [c["mutation_id"] for c in page["changes"]] == [change["mutation_id"]]
    assert page["head"] == page["cursor"] == pushed.json()["head"]


def test_an_empty_pull_answers_as_before(server: RunningServer) -> None:
    token = server.tokens["blake"]
    head = _head(server.url, token)
    for _ in range(2):  # the token looked up, then remembered: the same answer
        answer = _get(server.url, token, "/sync/pull", cursor=head)
        assert answer.status_code == 200
        assert answer.json() == {"changes": [], "cursor": head, "head": head, "more": False,
                                 "server_id": server.db.server_id, "reset": False}


def _caller(account_id: str) -> Caller:
    return Caller(account_id, "alex", "agent-1", Role.AGENT, None)


def test_the_cache_forgets_revoked_expired_and_oldest_entries() -> None:
    cache = CallerCache(ttl=60.0, size=2)
    cache.put("h1", _caller("a1"))
    assert cache.get("h1", frozenset()) == _caller("a1")
    assert cache.get("h1", frozenset({"a1"})) is None
    assert cache.get("h1", frozenset()) is None  # gone, not merely hidden
    cache.put("h1", _caller("a1"))
    cache.put("h2", _caller("a2"))
    cache.put("h3", _caller("a3"))
    assert cache.get("h1", frozenset()) is None and cache.get("h3", frozenset()) is not None
    expired = CallerCache(ttl=0.0)
    expired.put("h1", _caller("a1"))
    time.sleep(0.001)
    assert expired.get("h1", frozenset()) is None


def _answer(response: httpx.Response) -> tuple[int, bytes, dict[str, str | None]]:
    return response.status_code, response.content, {
        name: response.headers.get(name)
        for name in ("content-type", "content-length", "content-language", "vary")}


def test_the_quick_pull_answers_as_the_route_does(server: RunningServer) -> None:
    """The first request of a token goes through FastAPI's route (the token is looked up);
    the next ones, the same in every byte, through `routes.quick_pull`."""
    token = server.tokens["alex"]
    head = _head(server.url, server.tokens["blake"])  # alex's token not used before here
    for query, language in ((f"cursor={head}", None), ("cursor=0&limit=3", None),
                            ("limit=2", "nl"), (f"cursor={head + 5}", None)):
        headers = {"Authorization": f"Bearer {token}",
                   **({"Accept-Language": language} if language else {})}
        answers = [_answer(httpx.get(f"{server.url}{API}/sync/pull?{query}", headers=headers,
                                     timeout=10)) for _ in range(2)]
        assert answers[0] == answers[1], query
        assert answers[0][0] == 200 and answers[0][2]["content-language"] == (language or "en")


@pytest.mark.parametrize("query", ["cursor=-1", "cursor=1.5", "cursor=0&cursor=0", "limit=0",
                                   "limit=5001", "cursor=%31", "cursor", "other=1"])
def test_an_unusual_pull_is_the_routes_to_answer(server: RunningServer, query: str) -> None:
    token = server.tokens["alex"]
    assert _get(server.url, token, "/me").status_code == 200  # the token is remembered
    answer = httpx.get(f"{server.url}{API}/sync/pull?{query}", timeout=10,
                       headers={"Authorization": f"Bearer {token}", "Accept-Language": "nl"})
    if query in ("cursor=%31", "other=1"):  # FastAPI reads these as cursor=1 and no cursor
        assert answer.status_code == 200
        return
    assert answer.status_code == 422 and answer.headers["content-language"] == "nl"
    assert answer.json()["detail"]
