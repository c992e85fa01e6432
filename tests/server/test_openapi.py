"""Issue 9, "OpenAPI that lies": /openapi.json documents the error forms the API really sends.

Every error is `{"detail": str}` (a 422 may add `errors`); the document a real server
serves must say so for every status a route can answer, and the real answers must fit.
(.ci/run goes further: Schemathesis checks thousands of answers against the document.)
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.servers import RunningServer

PROBLEM = "#/components/schemas/Problem"
VALIDATION_PROBLEM = "#/components/schemas/ValidationProblem"


def _spec(server: RunningServer) -> dict[str, Any]:
    answer = httpx.get(f"{server.url}/openapi.json", timeout=10)
    assert answer.status_code == 200
    return answer.json()  # type: ignore[no-any-return]


def _schema_ref(response: dict[str, Any]) -> str:
    return response["content"]["application/json"]["schema"]["$ref"]  # type: ignore[no-any-return]


def test_openapi_that_lies_push_declares_401_413_422_503_with_the_problem_schema(
        server: RunningServer) -> None:
    spec = _spec(server)
    responses = spec["paths"]["/api/v1/sync/push"]["post"]["responses"]
    for status in ("401", "413", "503"):
        assert _schema_ref(responses[status]) == PROBLEM, (status, responses[status])
    assert _schema_ref(responses["422"]) == VALIDATION_PROBLEM, responses["422"]
    schemas = spec["components"]["schemas"]
    assert schemas["Problem"]["required"] == ["detail"]
    assert schemas["Problem"]["properties"]["detail"]["type"] == "string"
    problem = schemas["ValidationProblem"]
    assert problem["required"] == ["detail"] and "errors" in problem["properties"]
    where = schemas["FieldProblem"]
    assert set(where["required"]) == {"loc", "msg"}
    # FastAPI's own 422 form is one this server never sends: it is documented nowhere.
    assert "HTTPValidationError" not in schemas


def test_openapi_that_lies_every_error_any_route_declares_is_a_problem(
        server: RunningServer) -> None:
    for path, operations in _spec(server)["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            errors = {status: r for status, r in responses.items() if status >= "400"}
            assert "503" in errors, (method, path)
            if operation.get("security"):
                assert "401" in errors, (method, path)
            for status, response in errors.items():
                wanted = VALIDATION_PROBLEM if status == "422" else PROBLEM
                assert _schema_ref(response) == wanted, (method, path, status)


def test_openapi_that_lies_real_error_answers_fit_what_is_declared(
        server: RunningServer) -> None:
    """The push route's 401, 413 and 422, as a real server sends them."""
    push = f"{server.url}/api/v1/sync/push"
    token = {"Authorization": f"Bearer {server.tokens['alex']}"}
    unauthorized = httpx.post(push, json={"client_id": "x", "changes": []}, timeout=10)
    assert unauthorized.status_code == 401
    assert set(unauthorized.json()) == {"detail"}
    too_large = httpx.post(push, content=b" " * (5 * 1024 * 1024), timeout=30,
                           headers={**token, "Content-Type": "application/json"})
    assert too_large.status_code == 413 and set(too_large.json()) == {"detail"}
    malformed = httpx.post(push, json={"client_id": "x", "changes": [{"op": "upsert"}]},
                           headers=token, timeout=10)
    assert malformed.status_code == 422
    body = malformed.json()
    assert set(body) == {"detail", "errors"} and isinstance(body["detail"], str)
    assert all(set(e) == {"loc", "msg"} for e in body["errors"])
