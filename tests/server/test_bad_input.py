"""Bad input through raw HTTP: always a 4xx with a message, never a 5xx, never half-applied.

Every malformed push below carries a valid change first, so "nothing changed on the
server" also proves that one bad change in a batch keeps the good ones out.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from deskterm.domain.ids import uuid7
from deskterm.server.app import MAX_BODY_BYTES
from deskterm.server.runner import ServerThread
from deskterm.services import customers
from deskterm.sync import replica as local
from deskterm.sync.client import SyncClient
from deskterm.sync.wire import MAX_PULL_LIMIT, MAX_PUSH_CHANGES
from tests.support.servers import RunningServer
from tests.support.sync import (
    Replica,
    agent_ids,
    push_raw,
    server_books,
    snapshot_server,
    snapshot_store,
    stamp_now,
    wire_change,
)

NOW = "2026-11-23T14:30:00+00:00"


def _customer(name: str = "Jo Jansen", **fields: Any) -> dict[str, Any]:
    return wire_change("customer", {"name": name, "created_at": NOW, "updated_at": NOW,
                                    **fields})


def _body(*changes: dict[str, Any], **extra: Any) -> bytes:
    return json.dumps({"client_id": "raw-client", "changes": list(changes), **extra}).encode()


def _refused(response: httpx.Response, status: int | tuple[int, ...], case: str) -> str:
    """The answer is the expected 4xx, as JSON with a one-sentence `detail`."""
    wanted = status if isinstance(status, tuple) else (status,)
    assert response.status_code in wanted, (case, response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/json"), case
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail.strip(), (case, response.text)
    return detail


def _malformed_pushes(alex_id: str) -> Iterator[tuple[str, bytes, int | tuple[int, ...]]]:
    """(case, request body, expected status): each a valid change followed by a bad one."""
    good = _customer()

    def bad(**override: Any) -> bytes:
        return _body(good, {**_customer("Kim Klaassen"), **override})

    yield "not JSON", b'{"client_id": "x", "changes": [', 422
    yield "not UTF-8", b'{"client_id": "\xff\xfe", "changes": []}', (400, 422)
    yield "JSON but not an object", b"[1, 2, 3]", 422
    yield "nested past what the parser takes", b"[" * 100_000 + b"]" * 100_000, (400, 422)
    yield "no client id", json.dumps({"changes": [good]}).encode(), 422
    yield "changes not a list", json.dumps({"client_id": "x", "changes": {"0": good}}).encode(), 422
    yield "an unknown top-level key", _body(good, mode="force"), 422
    yield "fields not an object", bad(fields=["name", "Kim"]), 422
    yield "a field of the wrong type", bad(fields={"name": 123, "created_at": NOW,
                                                   "updated_at": NOW}), 422
    yield "a list where text belongs", bad(fields={"name": ["Kim"], "created_at": NOW,
                                                   "updated_at": NOW}), 422
    yield "an unknown entity", bad(entity="invoice"), 422
    yield "an unknown field", bad(fields={"name": "Kim", "created_at": NOW, "updated_at": NOW,
                                          "shoe_size": 44}), 422
    yield "an op outside the enum", bad(op="upsert"), 422
    yield "an insert missing a required field", _body(good, wire_change(
        "ticket", {"subject": "No customer", "created_at": NOW, "updated_at": NOW})), 422
    yield "a naive timestamp", bad(fields={"name": "Kim", "created_at": "2026-11-23T14:30:00",
                                           "updated_at": NOW}), 422
    yield "a timestamp that is no time", bad(fields={"name": "Kim", "created_at": "tomorrow",
                                                     "updated_at": NOW}), 422
    yield "a bad clock stamp", bad(hlc="yesterday"), 422
    yield "a clock stamp with a bad node", bad(hlc=stamp_now("no spaces allowed")), 422
    yield "a bad mutation id", bad(mutation_id="42"), 422
    yield "a missing mutation id", _body(good, {k: v for k, v in _customer().items()
                                                if k != "mutation_id"}), 422
    yield "an enum value that does not exist", _body(good, wire_change(
        "mood_entry", {"agent_id": alex_id, "local_date": "2026-11-23", "score": 3},
        author_id=alex_id), wire_change(
        "kudos", {"source": "anonymous", "from_name": "A fan", "message": "Thanks",
                  "author_id": alex_id, "created_at": NOW}, author_id=alex_id)), 422
    yield "a NUL character in text", bad(fields={"name": "Kim\x00", "created_at": NOW,
                                                 "updated_at": NOW}), 422
    yield "an integer beyond 64 bits", _body(good, wire_change(
        "goodwill_entry", {"kind": "spend", "budget_agent_id": alex_id, "period": "2026-11",
                           "amount_cents": -(10**30), "reason": "Too much",
                           "author_id": alex_id, "created_at": NOW}, author_id=alex_id)), 422
    yield "an update that changes the id", _body(good, wire_change(
        "customer", {"id": uuid7(), "name": "Moved"}, op="update", row_id=good["row_id"])), 422
    yield "an empty row id", bad(row_id=""), 422
    yield "a row id too long to store", bad(row_id="r" * 65), 422


def test_malformed_pushes_get_a_4xx_with_a_message_and_change_nothing(
        server: RunningServer) -> None:
    alex_id = agent_ids(server.db.engine)["alex"]
    before = server_books(server.db.engine)
    headers = {"Authorization": f"Bearer {server.tokens['alex']}",
               "Content-Type": "application/json"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=30) as http:
        for case, body, status in _malformed_pushes(alex_id):
            _refused(http.post("/api/v1/sync/push", content=body), status, case)
        # The server is still well and nothing of any of it was written.
        assert http.get("/healthz").status_code == 200
    assert server_books(server.db.engine) == before


def test_a_detail_names_the_change_and_field_at_fault(server: RunningServer) -> None:
    bad = _customer("Kim", created_at="2026-11-23T14:30:00")
    answer = push_raw(server.url, server.tokens["alex"], [_customer(), bad])
    detail = _refused(answer, 422, "naive time")
    assert "change 1" in detail and bad["mutation_id"] in detail and "created_at" in detail
    detail = _refused(push_raw(server.url, server.tokens["alex"], [_customer(), _customer(
        "Kim", shoe_size=44)]), 422, "unknown field")
    assert "shoe_size" in detail


def test_oversized_bodies_get_413_with_or_without_a_length(server: RunningServer) -> None:
    before = server_books(server.db.engine)
    too_big = MAX_BODY_BYTES + 1
    padding = "x" * too_big
    body = _body(_customer(notes=padding))
    headers = {"Authorization": f"Bearer {server.tokens['alex']}",
               "Content-Type": "application/json"}

    def chunks() -> Iterator[bytes]:  # no Content-Length: sent chunked
        for start in range(0, len(body), 64 * 1024):
            yield body[start:start + 64 * 1024]

    with httpx.Client(base_url=server.url, headers=headers, timeout=30) as http:
        declared = http.post("/api/v1/sync/push", content=body)
        assert "content-length" in {k.lower() for k in declared.request.headers}
        _refused(declared, 413, "with Content-Length")
        chunked = http.post("/api/v1/sync/push", content=chunks())
        assert chunked.request.headers.get("transfer-encoding") == "chunked"
        detail = _refused(chunked, 413, "chunked")
        assert "larger than the server accepts" in detail
        assert http.get("/healthz").status_code == 200
    assert server_books(server.db.engine) == before


def test_more_changes_than_one_push_may_carry_is_422(server: RunningServer) -> None:
    before = server_books(server.db.engine)
    changes = [_customer(f"Customer {n}") for n in range(MAX_PUSH_CHANGES + 1)]
    detail = _refused(push_raw(server.url, server.tokens["alex"], changes), 422, "too many")
    assert "changes" in detail
    assert server_books(server.db.engine) == before
    # Exactly the limit is fine.
    answer = push_raw(server.url, server.tokens["alex"], changes[:MAX_PUSH_CHANGES])
    assert answer.status_code == 200
    assert {r["status"] for r in answer.json()["results"]} == {"applied"}


def test_a_change_to_a_row_the_server_lacks_is_rejected_alone(server: RunningServer) -> None:
    alex_id = agent_ids(server.db.engine)["alex"]
    first, last = _customer("First"), _customer("Last")
    ghost_update = wire_change("customer", {"name": "Ghost"}, op="update")
    ghost_delete = wire_change("ticket", {}, op="delete")
    mood = wire_change("mood_entry", {"agent_id": alex_id, "local_date": "2026-11-23",
                                      "score": 4}, author_id=alex_id)
    mood_edit = wire_change("mood_entry", {"score": 5}, op="update", row_id=mood["row_id"],
                            author_id=alex_id)
    answer = push_raw(server.url, server.tokens["alex"],
                      [first, ghost_update, ghost_delete, mood, mood_edit, last])
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [(r["status"], r["code"]) for r in results] == [
        ("applied", None), ("rejected", "unknown_row"), ("rejected", "unknown_row"),
        ("applied", None), ("rejected", "forbidden"), ("applied", None)]
    assert all(r["reason"] for r in results if r["status"] == "rejected")
    assert all(r["outcome"] == r["status"] for r in results)  # first answers, not repeats
    rows = server_books(server.db.engine)["rows"]
    assert {rows["customer"][c["row_id"]]["name"] for c in (first, last)} == {"First", "Last"}
    assert ghost_update["row_id"] not in rows["customer"]
    assert rows["mood_entry"][mood["row_id"]]["score"] == 4


def test_pull_parameters_out_of_range_are_422(server: RunningServer) -> None:
    headers = {"Authorization": f"Bearer {server.tokens['alex']}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=10) as http:
        for params in ({"cursor": -1}, {"limit": 0}, {"limit": MAX_PULL_LIMIT + 1},
                       {"limit": -5}, {"cursor": "seven"}, {"limit": "all"},
                       {"cursor": "1.5"}):
            detail = _refused(http.get("/api/v1/sync/pull", params=params), 422, str(params))
            assert next(iter(params)) in detail, detail
        assert http.get("/api/v1/sync/pull", params={"limit": MAX_PULL_LIMIT}).status_code == 200


def test_unknown_routes_and_methods_are_4xx_json(server: RunningServer) -> None:
    headers = {"Authorization": f"Bearer {server.tokens['alex']}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=10) as http:
        _refused(http.get("/api/v1/nothing-here"), 404, "unknown route")
        _refused(http.get("/api/v1/sync/push"), 405, "GET on push")
        _refused(http.delete("/api/v1/sync/pull"), 405, "DELETE on pull")


def test_a_change_the_server_cannot_take_is_rejected_locally_and_never_wedges_the_outbox(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    """A newer client's field, or a NUL pasted into a name: shown, not stuck forever."""
    alex = replica_of("alex")
    before = customers.create_customer(alex.ctx, name="Before")
    pasted = customers.create_customer(alex.ctx, name="Pasted\x00name")
    _inject_change(alex, "customer", {"name": "From the future", "created_at": NOW,
                                      "updated_at": NOW, "loyalty_tier": "gold"})
    after = customers.create_customer(alex.ctx, name="After")
    report = alex.sync()
    assert report.applied == 2
    assert sorted(r.code for r in report.rejected) == ["invalid", "invalid"]
    assert all("cannot accept" in (r.reason or "") for r in report.rejected)
    status = local.status(alex.store)
    assert (status.pending, status.rejected) == (0, 2)
    reasons = {r.row_id: r.reason for r in local.rejected_changes(alex.store)}
    assert "NUL" in reasons[pasted.id] and any("loyalty_tier" in r for r in reasons.values())
    on_server = server_books(server.db.engine)["rows"]["customer"]
    assert {before.id, after.id} <= set(on_server) and pasted.id not in on_server
    # The next round has nothing left to send.
    assert alex.sync().pushed == 0


def test_a_batch_too_big_for_the_server_is_split_not_stuck(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    """An instance with a small body limit: the client halves its pushes until they fit."""
    alex = replica_of("alex")
    made = [customers.create_customer(alex.ctx, name=f"Customer {n}", notes="n" * 200).id
            for n in range(60)]
    _inject_change(alex, "customer", {"name": "Huge", "created_at": NOW, "updated_at": NOW,
                                      "notes": "h" * 40_000})
    with ServerThread(server.thread.database_url, max_body_bytes=16 * 1024) as small, \
            SyncClient(alex.store, small.url, server.tokens["alex"]) as client:
        report = client.sync()
    assert report.applied == 60
    assert [r.code for r in report.rejected] == ["too_large"]
    assert set(made) <= set(server_books(server.db.engine)["rows"]["customer"])
    assert local.status(alex.store).pending == 0


def _inject_change(replica: Replica, entity: str, fields: dict[str, Any]) -> str:
    """Queue a change no service of this version would make (as a newer client would)."""
    change = wire_change(entity, fields, hlc=stamp_now("injected"))
    with replica.store.raw() as connection:
        connection.execute(
            "INSERT INTO outbox (mutation_id, entity, row_id, op, fields, hlc, author_id, "
            "created_at) VALUES (?, ?, ?, 'insert', ?, ?, NULL, ?)",
            (change["mutation_id"], entity, change["row_id"], json.dumps(fields),
             change["hlc"], NOW))
    return str(change["row_id"])


def test_a_mood_whose_date_is_no_date_is_refused_and_the_team_view_still_answers(
        server: RunningServer) -> None:
    alex_id = agent_ids(server.db.engine)["alex"]
    for day in ("yesterday", "2026-11-23T10:00", "20261123", "2026-02-30"):
        mood = wire_change("mood_entry", {"agent_id": alex_id, "local_date": day, "score": 3},
                           author_id=alex_id)
        answer = push_raw(server.url, server.tokens["alex"], [mood])
        assert answer.status_code == 422, (day, answer.text)
        assert "mood_entry.local_date" in answer.json()["detail"]
    good = wire_change("mood_entry", {"agent_id": alex_id, "local_date": "2026-11-23",
                                      "score": 3}, author_id=alex_id)
    answer = push_raw(server.url, server.tokens["alex"], [good])
    assert answer.json()["results"][0]["status"] == "applied"
    lead = httpx.get(f"{server.url}/api/v1/team/mood", timeout=10,
                     headers={"Authorization": f"Bearer {server.tokens['morgan']}"})
    assert lead.status_code == 200, lead.text


def test_an_insert_that_leaves_out_fields_reaches_every_replica_whole(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    """Defaults are filled once, by the server, and logged: replicas do not each pick a "now"."""
    alex, blake = replica_of("alex"), replica_of("blake")
    row_id = uuid7()
    change = wire_change("customer", {"name": "Partial Pat"}, row_id=row_id)
    answer = push_raw(server.url, server.tokens["alex"], [change])
    assert answer.status_code == 200 and answer.json()["results"][0]["status"] == "applied"
    alex.sync()
    time.sleep(0.01)  # a replica filling its own created_at would now pick another time
    blake.sync()
    on_server = snapshot_server(server.db.engine, ["customer"])["customer"][row_id]
    assert snapshot_store(alex.store, ["customer"])["customer"][row_id] == on_server
    assert snapshot_store(blake.store, ["customer"])["customer"][row_id] == on_server
