"""The server answers in its caller's language, and the client asks in the app's.

A real server on loopback and raw httpx with real tokens: `Accept-Language` chooses Dutch
or English (English without it), whether the words are the route's own, a dependency's
run in the threadpool, or a rule's refusal of a pushed change; and a replica's client
sends the language current when it makes a request, seen where the server reads it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Any

import httpx
import pytest
from fastapi import Depends, FastAPI, Request
from fastapi.security import HTTPAuthorizationCredentials

from deskterm.domain.errors import Forbidden
from deskterm.i18n import _ as translated
from deskterm.i18n import language, set_language, using
from deskterm.server import deps
from deskterm.server.language import accepted_language
from deskterm.server.rules import Caller
from deskterm.services import wellbeing
from deskterm.sync import replica as local
from tests.support.servers import RunningServer
from tests.support.sync import Replica, agent_ids, push_raw, wire_change

DUTCH = "nl-NL,nl;q=0.9,en;q=0.8"


def _get(server: RunningServer, path: str, token: str | None = None,
         language_header: str | None = None) -> httpx.Response:
    headers = {}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if language_header is not None:
        headers["Accept-Language"] = language_header
    return httpx.get(f"{server.url}{path}", headers=headers, timeout=10)


def _fastapi(server: RunningServer) -> FastAPI:
    """The running server's FastAPI app, under whatever uvicorn wrapped it in."""
    app: Any = server.thread.app
    while not isinstance(app, FastAPI):
        app = app.app
    return app


@pytest.mark.parametrize(("header", "chosen"), [
    (DUTCH, "nl"), ("nl", "nl"), ("NL-be", "nl"), ("en-GB,en;q=0.9", "en"),
    ("de-DE, fr;q=0.9, nl;q=0.5", "nl"), ("en;q=0.4, nl;q=0.8", "nl"),
    ("nl;q=0, en", "en"), ("nl;q=0", "en"), ("nl;q=zero, en;q=0.1", "en"),
    ("fr", "en"), ("*", "en"), ("", "en"), (None, "en"),
])
def test_accept_language_picks_admin_only_by_weight(header: str | None,
                                                          chosen: str) -> None:
    assert accepted_language(header) == chosen


def test_a_refused_request_is_answered_in_the_callers_language(
        server: RunningServer) -> None:
    """An agent asks for the team's mood: the lead check (a dependency, run in the
    threadpool) refuses in Dutch when asked in Dutch, in English otherwise."""
    token = server.tokens["alex"]
    dutch = _get(server, "/api/v1/team/mood", token, DUTCH)
    english = _get(server, "/api/v1/team/mood", token)
    assert dutch.status_code == english.status_code == 403
    assert dutch.headers["Content-Language"] == "nl"
    assert english.headers["Content-Language"] == "en"
    assert english.json() == {"detail": "only a lead or admin token may do this (the team's "
                                        "figures and feedback intake are theirs)"}
    assert dutch.json() == {"detail": "alleen met het token van een teamleider of beheerder "
                                      "mag dit (de cijfers van het team en de binnenkomende "
                                      "feedback zijn van hen)"}
    assert "Accept-Language" in dutch.headers["Vary"]


def test_an_unknown_token_and_a_route_refusal_speak_dutch_too(server: RunningServer) -> None:
    unknown = _get(server, "/api/v1/me", "dkt_not-a-token", "nl")
    assert unknown.status_code == 401
    assert unknown.json()["detail"] == ("het token is onbekend of ingetrokken; vraag een "
                                        "beheerder om een nieuw token")
    # The route's own refusal, raised in the route's body (a sync route: the threadpool).
    wrong_day = _get(server, "/api/v1/team/mood?today=2001-01-01", server.tokens["morgan"],
                     "nl")
    assert wrong_day.status_code == 403
    assert wrong_day.json()["detail"] == "vandaag moet vandaag zijn"
    # An answer that is no error says its language too; the body is data, never translated.
    me = _get(server, "/api/v1/me", server.tokens["alex"], "nl")
    assert me.status_code == 200 and me.headers["Content-Language"] == "nl"
    assert me.json()["handle"] == "alex"


def test_a_refused_push_gives_the_rules_reason_in_dutch(server: RunningServer) -> None:
    """A rule only the server judges (server.rules): a change in someone else's name."""
    ids = agent_ids(server.db.engine)
    change = wire_change("mood_entry", {"agent_id": ids["blake"], "local_date": "2026-11-23",
                                        "score": 4, "created_at": "2026-11-23T14:00:00+00:00"},
                         author_id=ids["blake"])
    english = push_raw(server.url, server.tokens["alex"], [change])
    dutch = httpx.post(f"{server.url}/api/v1/sync/push", timeout=10,
                       json={"client_id": "raw-nl", "changes": [dict(
                           change, mutation_id=change["mutation_id"][:-4] + "beef")]},
                       headers={"Authorization": f"Bearer {server.tokens['alex']}",
                                "Accept-Language": "nl"})
    [refused_en] = english.json()["results"]
    [refused_nl] = dutch.json()["results"]
    assert refused_en["code"] == refused_nl["code"] == "forbidden"  # codes are not words
    assert refused_en["reason"] == "a change may only be written in your own name"
    assert refused_nl["reason"] == "je kunt een wijziging alleen op je eigen naam schrijven"


def test_the_language_is_set_where_route_code_runs_sync_and_async(
        server: RunningServer) -> None:
    """A def route runs in the threadpool and an async def one on the event loop: both
    see the request's language (the threadpool gets a copy of the request's context),
    and a refusal raised in either is worded in it."""
    app = _fastapi(server)

    def in_thread(refuse: bool = False) -> dict[str, str]:
        if refuse:
            raise Forbidden(_admin_only())
        return {"language": language()}

    async def on_loop(refuse: bool = False) -> dict[str, str]:
        if refuse:
            raise Forbidden(_admin_only())
        return {"language": language()}

    app.add_api_route("/probe/thread", in_thread)
    app.add_api_route("/probe/loop", on_loop)
    for path in ("/probe/thread", "/probe/loop"):
        assert _get(server, path, language_header="nl").json() == {"language": "nl"}
        assert _get(server, path, language_header="en").json() == {"language": "en"}
        assert _get(server, path).json() == {"language": "en"}
        refused = _get(server, f"{path}?refuse=true", language_header="nl")
        assert refused.status_code == 403
        assert refused.json() == {"detail": "alleen met een beheerderstoken mag dit"}


def _admin_only() -> str:
    """A message of the catalog (the admin check's), translated where it is raised."""
    return translated("only an admin token may do this")


@pytest.fixture
def seen_languages(server: RunningServer) -> Iterator[list[tuple[str | None, str]]]:
    """What the server read from each authenticated request: its Accept-Language header
    and the language its handling ran in (the real token check, recorded on the way)."""
    app = _fastapi(server)
    seen: list[tuple[str | None, str]] = []

    async def recording_caller(request: Request, db: deps.DatabaseDep,
                               credentials: Annotated[HTTPAuthorizationCredentials | None,
                                                      Depends(deps._bearer)]) -> Caller:
        seen.append((request.headers.get("accept-language"), language()))
        return await deps.caller(request, db, credentials)

    app.dependency_overrides[deps.caller] = recording_caller
    try:
        yield seen
    finally:
        app.dependency_overrides.pop(deps.caller, None)


def test_the_client_sends_the_language_current_at_each_request(
        server: RunningServer, replica_of: Callable[..., Replica],
        seen_languages: list[tuple[str | None, str]]) -> None:
    alex = replica_of("alex")
    seen_languages.clear()
    alex.client.me()
    assert seen_languages == [("en", "en")]
    set_language("nl")  # the app switches language: the same client follows at once
    alex.client.me()
    with using("en"):  # a context that speaks English (as a test or a request would)
        alex.client.me()
    assert seen_languages[1:] == [("nl", "nl"), ("en", "en")]
    alex.sync()
    assert seen_languages[3:] and all(seen == ("nl", "nl") for seen in seen_languages[3:])


def test_a_rejected_change_shows_its_reason_in_dutch_on_a_dutch_replica(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    """Alex logs today's mood on the laptop and again on the desktop, offline. The desktop
    speaks Dutch: the server refuses its mood in Dutch, and the replica keeps that reason
    as it came (it is what `deskterm rejected list` and the X screen show)."""
    laptop, desktop = replica_of("alex"), replica_of("alex", name="desktop")
    wellbeing.record_mood(laptop.ctx, 4)
    wellbeing.record_mood(desktop.ctx, 2)
    laptop.sync()
    set_language("nl")
    report = desktop.sync()
    [refused] = report.rejected
    assert refused.code == "conflict"
    assert refused.reason == "er is voor die dag al een stemming vastgelegd"
    [kept] = local.rejected_changes(desktop.store)
    assert kept.reason == "er is voor die dag al een stemming vastgelegd"
    # Kept as received: switching the app back to English does not reword a stored reason.
    set_language("en")
    [kept] = local.rejected_changes(desktop.store)
    assert kept.reason == "er is voor die dag al een stemming vastgelegd"
