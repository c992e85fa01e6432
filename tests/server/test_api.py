"""The API's public face: liveness without a token, and the routes the schema documents."""

from __future__ import annotations

from pathlib import Path

import httpx

from deskterm.server.app import create_app
from tests.support.servers import RunningServer


def test_healthz_answers_without_a_token(server: RunningServer) -> None:
    answer = httpx.get(f"{server.url}/healthz", timeout=10)
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "ok"
    assert body["database"] == ("postgresql" if server.db.is_postgres else "sqlite")
    assert isinstance(body["head"], int) and body["head"] > 0  # the accounts' agents


def test_the_openapi_schema_lists_the_sync_routes(server: RunningServer) -> None:
    answer = httpx.get(f"{server.url}/openapi.json", timeout=10)
    assert answer.status_code == 200
    schema = answer.json()
    paths = schema["paths"]
    assert set(paths["/api/v1/sync/push"]) == {"post"}
    assert set(paths["/api/v1/sync/pull"]) == {"get"}
    assert set(paths["/api/v1/sync/stream"]) == {"get"}
    assert set(paths["/api/v1/me"]) == {"get"}
    assert "/healthz" in paths
    pull_parameters = {p["name"] for p in paths["/api/v1/sync/pull"]["get"]["parameters"]}
    assert {"cursor", "limit"} <= pull_parameters
    # The routes that need a token say so, and say how.
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("scheme", "").lower() == "bearer" for s in schemes.values())
    for path in ("/api/v1/sync/push", "/api/v1/sync/pull", "/api/v1/me"):
        operation = next(iter(paths[path].values()))
        assert operation.get("security"), path


async def test_a_bug_still_answers_in_the_apis_json_form(tmp_path: Path) -> None:
    """A route that fails unexpectedly: 500, but JSON with a detail like every error."""
    app = create_app(f"sqlite:///{tmp_path / 'server.db'}")

    @app.get("/broken")
    def broken() -> None:
        raise RuntimeError("secret internals")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://desk") as client:
            answer = await client.get("/broken")
            assert (await client.get("/healthz")).status_code == 200
    finally:
        app.state.db.dispose()
    assert answer.status_code == 500
    assert "secret internals" not in answer.text  # internals stay in the server's log
    assert "failed" in answer.json()["detail"]
