"""A query parameter given twice is a malformed request (found by Schemathesis in CI:
`/api/v1/sync/pull?cursor=null&cursor=0.0` was answered as if the last one counted)."""

from __future__ import annotations

import httpx

from tests.support.servers import RunningServer


def _pull(server: RunningServer, query: str, language: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {server.tokens['alex']}"}
    if language:
        headers["Accept-Language"] = language
    return httpx.get(f"{server.url}/api/v1/sync/pull?{query}", headers=headers, timeout=10)


def test_a_repeated_query_parameter_is_refused_and_a_single_one_taken(
        server: RunningServer) -> None:
    assert _pull(server, "cursor=0&limit=1").status_code == 200
    refused = _pull(server, "cursor=null&cursor=0.0&limit=1")
    assert refused.status_code == 422
    assert refused.json()["detail"] == "query.cursor: given more than once; give it once"
    assert refused.json()["errors"] == [
        {"loc": ["query", "cursor"], "msg": "given more than once; give it once"}]
    dutch = _pull(server, "cursor=0&limit=1&limit=2", "nl")
    assert dutch.status_code == 422
    assert dutch.json()["detail"] == "query.limit: meer dan eens gegeven; geef het één keer"
