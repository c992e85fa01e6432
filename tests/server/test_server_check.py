"""`deskterm server check [--repair]`: a desk hit by an older server's log recovers.

The bad entries are written the way an older server wrote them: applied to its tables
and logged, with no rule checked (`write_as_server`), or put straight into the log.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import insert, select

from deskterm.cli.main import main
from deskterm.domain.ids import uuid7
from deskterm.server.changelog import write_as_server
from deskterm.server.database import change_log, log_head, quarantine
from deskterm.sync import replica as local
from deskterm.sync.codec import DecodedChange
from tests.support.servers import RunningServer
from tests.support.sync import (
    Replica,
    agent_ids,
    push_raw,
    server_head,
    snapshot_server,
    snapshot_store,
    visible_to,
    wire_change,
)

NOW = datetime.fromisoformat("2026-11-23T14:30:00+00:00")


def deskterm(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def damage_the_log(server: RunningServer) -> dict[str, str]:
    """Four entries an older server logged that not every replica can apply."""
    ids = agent_ids(server.db.engine)
    customer, allocation, contact = uuid7(), uuid7(), uuid7()
    answer = push_raw(server.url, server.tokens["alex"], [
        wire_change("customer", {"name": "Jo Jansen"}, row_id=customer)])
    assert answer.json()["results"][0]["status"] == "applied"
    answer = push_raw(server.url, server.tokens["morgan"], [wire_change("goodwill_entry", {
        "kind": "allocation", "budget_agent_id": ids["alex"], "period": "2026-11",
        "amount_cents": 5000, "reason": "monthly", "author_id": ids["morgan"]},
        row_id=allocation)])
    assert answer.json()["results"][0]["status"] == "applied"
    rated = uuid7()
    write_as_server(server.db, [DecodedChange("contact", rated, "insert", {
        "customer_id": customer, "agent_id": ids["alex"], "channel": "phone",
        "direction": "inbound", "summary": "rated 99",
        "occurred_at": datetime.fromisoformat("1850-01-01T00:00:00+00:00")}, "")],
        author_id=ids["alex"])
    pointing = uuid7()
    write_as_server(server.db, [DecodedChange("goodwill_entry", pointing, "insert", {
        "kind": "spend", "budget_agent_id": ids["alex"], "period": "2026-11",
        "amount_cents": -100, "currency": "EUR", "customer_id": customer, "reason": "x",
        "reverses_id": allocation, "author_id": ids["alex"], "created_at": NOW}, "")],
        author_id=ids["alex"])
    write_as_server(server.db, [DecodedChange("contact", contact, "insert", {
        "customer_id": customer, "agent_id": ids["blake"], "channel": "email",
        "direction": "inbound", "summary": "the real text", "occurred_at": NOW}, "")],
        author_id=ids["blake"])
    with server.db.writing() as connection:  # the forged rewrite, as it was logged
        head = server_head(server.db)
        connection.execute(insert(change_log).values(
            seq=head + 1, mutation_id=uuid7(), entity="contact", row_id=contact, op="insert",
            fields=json.dumps({"customer_id": customer, "agent_id": ids["blake"],
                               "channel": "email", "direction": "inbound",
                               "summary": "forged text", "occurred_at": NOW.isoformat()}),
            hlc="1795000000000-00000-forger", author_id=ids["alex"], audience="all",
            created_at=NOW))
        connection.execute(log_head.update().values(seq=head + 1))
    return {"rated": rated, "pointing": pointing, "forged": contact}


def test_check_finds_what_replicas_cannot_apply_and_repair_lets_everyone_sync(
        server: RunningServer, replica_of: Callable[..., Replica],
        capsys: pytest.CaptureFixture[str]) -> None:
    bad = damage_the_log(server)
    url = ["--database-url", server.db.url]

    code, out, err = deskterm(capsys, "server", "check", *url)
    assert code == 1
    assert "3 change-log entries cannot be applied by every replica" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "contact.occurred_at" in out and "inserts again" in out and "some of its readers" in out

    code, out, err = deskterm(capsys, "--json", "server", "check", "--repair", *url)
    assert code == 0, err
    report: dict[str, Any] = json.loads(out)
    assert report["quarantined"] == 3
    assert {f["row_id"] for f in report["findings"]} == set(bad.values())
    with server.db.reading() as connection:
        kept = connection.execute(select(quarantine.c.row_id, quarantine.c.reason)).all()
    assert {row_id for row_id, _ in kept} == set(bad.values())
    assert all(reason for _, reason in kept)
    rows = snapshot_server(server.db.engine, ["contact", "goodwill_entry"])
    assert bad["rated"] not in rows["contact"]  # only the bad insert made it
    assert bad["pointing"] not in rows["goodwill_entry"]
    assert rows["contact"][bad["forged"]]["summary"] == "the real text"

    code, out, err = deskterm(capsys, "server", "check", *url)
    assert (code, err) == (0, ""), err
    assert "none that not every replica can apply" in out

    entities = ["agent", "contact", "goodwill_entry", "mood_entry"]
    for handle in ("alex", "blake", "morgan", "casey", "root"):
        fresh = replica_of(handle, name=f"after-repair-{handle}")
        assert local.pulled_aside(fresh.store) == []
        assert local.read_cursor(fresh.store) == server_head(server.db)
        assert snapshot_store(fresh.store, entities) == \
            visible_to(snapshot_server(server.db.engine, entities), handle)


def test_a_replica_of_this_version_sets_the_damage_aside_before_any_repair(
        server: RunningServer, replica_of: Callable[..., Replica],
        capsys: pytest.CaptureFixture[str]) -> None:
    bad = damage_the_log(server)
    blake = replica_of("blake")  # a first pull: the bulk load falls back to page by page
    aside = {a.row_id: a.reason for a in local.pulled_aside(blake.store)}
    # The date no store holds; the spend points at an allocation blake may not see.
    assert set(aside) == {bad["rated"], bad["pointing"]}
    assert "contact.occurred_at" in aside[bad["rated"]]
    assert local.read_cursor(blake.store) == server_head(server.db)
    held = snapshot_store(blake.store, ["contact"])["contact"]
    assert held[bad["forged"]]["summary"] == "the real text"  # the rewrite changed nothing
    blake.sync()  # and the next round goes on

    code, out, err = deskterm(capsys, "--db", str(blake.store.path), "sync", "--status")
    assert code == 0, err
    assert "set aside" in out and "rated 99" in out and "contact.occurred_at" in out
