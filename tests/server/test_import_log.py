"""An import logs what pushes of the same rows would: replicas pull the same and end equal.

One server (SQLite and PostgreSQL): a small desk is imported as alex and a fresh replica
pulls it. Then those rows are taken out of the server again (rows, clocks, log entries,
the import's bookkeeping, the ticket counter) and alex pushes the very same rows through
the normal push, as his replica would; a second fresh replica pulls them. Both replicas
and the server hold the same rows (numbers included), and the log entries carry the
same entities, fields, authors and audiences, each row stamped once (`*`) at its
change's stamp.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update

from deskterm.domain import ENTITIES
from deskterm.domain.ids import uuid7
from deskterm.server.changelog import write_as_server
from deskterm.server.check import check
from deskterm.server.database import (
    FIRST_TICKET_NUMBER,
    change_log,
    counter,
    note_log_rewritten,
)
from deskterm.server.importing import import_desk
from deskterm.server.importing.imported import imported_row
from deskterm.sync.codec import DecodedChange
from deskterm.sync.merge import field_clock
from tests.support.servers import RunningServer
from tests.support.sync import (
    Replica,
    agent_ids,
    pull_everything,
    push_raw,
    snapshot_server,
    snapshot_store,
)

IMPORTED = ["customer", "kb_article", "ticket", "contact"]


def _write_desk(folder: Path) -> None:
    (folder / "customers.csv").write_text(
        "id;name;email;organisation;products;notes;created_at\n"
        "c1;Anna de Vries;anna@example.nl;Gemeente;Laptop|VPN;Prefers mail;2024-03-01T09:30\n"
        "c2;Bert Jansen;;;;;2024-03-02\n", encoding="utf-8")
    (folder / "articles.csv").write_text(
        "id,title,body,tags,department,author,created_at\n"
        "a1,Reset the VPN,\"Step 1\n\nStep 2\",vpn|network,FIN,alex,2024-01-05T08:00:00+01:00\n",
        encoding="utf-8")
    (folder / "tickets.csv").write_text(
        "id,subject,customer,customer_email,kind,status,priority,department,owner,"
        "description,created_at,updated_at\n"
        "t1,VPN drops,c1,,incident,open,P2,FIN,alex,It drops at noon,2024-03-03T10:00,\n"
        "t2,New laptop,,anna@example.nl,request,waiting,\"4,0\",,,,2024-03-04T10:00,"
        "2024-03-05T10:00\n", encoding="utf-8")
    (folder / "contacts.csv").write_text(
        "id,ticket,customer,channel,direction,summary,occurred_at,agent,subject,body,address\n"
        "k1,t1,,phone,inbound,Called about the VPN,2024-03-03T10:05,alex,,,\n"
        "k2,t2,,email,outbound,Asked which model,2024-03-04T11:00,alex,Your laptop,Which?,"
        "anna@example.nl\n"
        "k3,,c2,walk-in,inbound,Came by the desk,2024-03-06T09:00,alex,,,\n", encoding="utf-8")


def _imported_changes(changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [c for c in changes if c["entity"] in IMPORTED]


def _clocks(replica: Replica) -> dict[tuple[str, str, str], str]:
    with replica.store.engine.connect() as connection:
        return {(e, r, f): h for e, r, f, h in connection.execute(
            select(field_clock.c.entity, field_clock.c.row_id, field_clock.c.field,
                   field_clock.c.hlc).where(field_clock.c.entity.in_(IMPORTED)))}


def _audiences(server: RunningServer) -> dict[tuple[str, str], tuple[Any, ...]]:
    with server.db.reading() as connection:
        return {(e, r): (a, aa, at, au) for e, r, a, aa, at, au in connection.execute(
            select(change_log.c.entity, change_log.c.row_id, change_log.c.audience,
                   change_log.c.audience_agent_id, change_log.c.audience_team_id,
                   change_log.c.author_id).where(change_log.c.entity.in_(IMPORTED)))}


def _take_out(server: RunningServer) -> None:
    """The imported rows gone from the server again, as if never written."""
    with server.db.writing() as connection:
        for entity in reversed(IMPORTED):
            connection.execute(delete(ENTITIES[entity].__table__))
        connection.execute(delete(field_clock).where(field_clock.c.entity.in_(IMPORTED)))
        connection.execute(delete(change_log).where(change_log.c.entity.in_(IMPORTED)))
        connection.execute(delete(imported_row))
        connection.execute(update(counter).values(value=FIRST_TICKET_NUMBER - 1))
        note_log_rewritten(connection)  # as whatever takes logged changes back must


def test_an_import_logs_what_pushes_of_the_same_rows_would(
        server: RunningServer, replica_of: Callable[..., Replica], tmp_path: Path) -> None:
    write_as_server(server.db, [DecodedChange("department", "dep-fin", "insert",
                                              {"code": "FIN", "name": "Finance"})])
    _write_desk(tmp_path)
    report = import_desk(server.db, [tmp_path], author="alex")
    assert [(f.entity, f.imported, f.bad) for f in report.files] == [
        ("customer", 2, []), ("kb_article", 1, []), ("ticket", 2, []), ("contact", 3, [])]

    imported = replica_of("alex", "imported")
    pulled = _imported_changes(pull_everything(server.url, server.tokens["alex"]))
    rows = snapshot_store(imported.store, IMPORTED)
    clocks = _clocks(imported)
    audiences = _audiences(server)
    held = snapshot_server(server.db.engine, IMPORTED)
    assert sorted(t["number"] for t in rows["ticket"].values()) == [1001, 1002]
    assert clocks and len(pulled) == 8
    assert check(server.db).findings == []  # every reader can apply every entry

    _take_out(server)
    alex_id = agent_ids(server.db.engine)["alex"]
    pushes = [{"mutation_id": uuid7(), "entity": c["entity"], "row_id": c["row_id"],
               "op": "insert", "author_id": alex_id,
               "hlc": f"{int(c['hlc'].split('-')[0]):013d}-{index:05d}-alexnode",
               "fields": {k: (None if k == "number" else v) for k, v in c["fields"].items()}}
              for index, c in enumerate(pulled)]
    answer = push_raw(server.url, server.tokens["alex"], pushes)
    assert answer.status_code == 200, answer.text
    assert {r["status"] for r in answer.json()["results"]} == {"applied"}, answer.text

    pushed_replica = replica_of("alex", "pushed")
    repulled = _imported_changes(pull_everything(server.url, server.tokens["alex"]))
    assert snapshot_store(pushed_replica.store, IMPORTED) == rows
    assert snapshot_server(server.db.engine, IMPORTED) == held
    assert [(c["entity"], c["row_id"], c["op"], c["fields"], c["author_id"]) for c in repulled] \
        == [(c["entity"], c["row_id"], c["op"], c["fields"], c["author_id"]) for c in pulled]
    assert _audiences(server) == audiences
    # Each row stamped once, row-wide, at the stamp of the change that made it.
    for replica, changes in ((imported, pulled), (pushed_replica, repulled)):
        assert _clocks(replica) == {(c["entity"], c["row_id"], "*"): c["hlc"]
                                    for c in changes if c["entity"] != "contact"}
