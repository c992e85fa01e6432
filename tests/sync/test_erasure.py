"""Issue 10, finding 11: a customer's personal data is erased everywhere (AVG/GDPR).

On real stores and a real server (SQLite and PostgreSQL): the name, email and phone are
gone from the bytes of every store file and of the server's SQLite database (on
PostgreSQL: from every table and the change log, by query), also from replicas that
were offline, and a change pending on such a replica cannot bring them back. The
history keeps its shape, and the erasure log names nobody.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlmodel import SQLModel

from deskterm.domain import Customer, CustomerErasure, Ticket
from deskterm.domain.customers import ERASED_NAME
from deskterm.domain.errors import Forbidden, InvalidInput
from deskterm.domain.feedback import FeedbackResponse
from deskterm.domain.money import Money
from deskterm.server.database import server_metadata
from deskterm.services import contacts, customers, goodwill, groups, promises, tickets, wellbeing
from deskterm.services.feedback import record_feedback
from deskterm.sync import replica as local
from tests.support.servers import RunningServer
from tests.support.sync import (
    Replica,
    agent_ids,
    push_raw,
    snapshot_server,
    snapshot_store,
    stamp_now,
    sync_until_quiet,
    visible_to,
    wire_change,
)

NAME, EMAIL, PHONE = "Jo Jansen", "jo.jansen@example.com", "+31 6 1234 5678"
#: What must be found nowhere after the erasure: the name (and surname alone), the email,
#: the phone however it was written, and whole fields an erasure removes.
PERSONAL = [NAME, "Jansen", EMAIL, "1234 5678", "prefers mornings", "Bakery", "Spoke to",
            "Great help"]
REASON = "the customer asked for it by letter, case 2026-118"


@dataclass
class History:
    customer_id: str
    ticket_ids: list[str]


def jo_history(server: RunningServer, alex: Replica, morgan: Replica) -> History:
    """A customer whose name, email and phone are all over the desk's records."""
    groups.add_group(morgan.ctx, "Identity", tier=2)  # where its ticket escalates to
    morgan.sync()
    alex.sync()
    jo = customers.create_customer(
        alex.ctx, name=NAME, email=EMAIL, phone=PHONE, organisation="Jansen Bakery",
        products=["Oven"], notes=f"{NAME} prefers mornings")
    customers.update_customer(alex.ctx, jo.id, notes=f"{NAME} prefers mornings, {PHONE}")
    first = tickets.create_ticket(
        alex.ctx, customer=jo.id, subject=f"{NAME} cannot log in",
        description=f"{NAME} ({EMAIL}, {PHONE}) cannot log in since Monday")
    contacts.log_contact(alex.ctx, channel="phone", ticket=first.id, customer=jo.id,
                         summary=f"Spoke to {NAME} at {PHONE}")
    promise = promises.make_promise(alex.ctx, first.id, what=f"call {NAME} on {PHONE}",
                                    by="tomorrow")
    promises.move_promise(alex.ctx, promise.id, by="fri 12:00",
                          reason=f"{NAME} asked for Friday, mail {EMAIL}")
    tickets.escalate_ticket(alex.ctx, first.id, tier=2, group="Identity",
                            reason=f"{NAME} needs a reset, mail {EMAIL}")
    second = tickets.create_ticket(alex.ctx, customer=jo.id, subject="Oven timer broken")
    tickets.add_note(alex.ctx, second.id, "Mrs Jansen says thanks, call 06 1234 5678")
    tickets.resolve_ticket(alex.ctx, second.id, resolution=f"Called {NAME} back")
    goodwill.allocate(morgan.ctx, "alex", Money(5000))
    sync_until_quiet([morgan, alex], server.db)
    goodwill.spend(alex.ctx, Money(1500), reason=f"Flowers for {NAME}", ticket=second.id)
    wellbeing.add_kudos(morgan.ctx, message=f"Alex was great! {NAME}", from_name=NAME,
                        about="alex", customer=jo.id)  # a customer's words: a lead enters them
    morgan.sync()
    alex.sync()
    morgan.sync()
    record_feedback(morgan.ctx, FeedbackResponse(ticket=second.id, csat=5,
                                                 comment=f"Great help - {NAME}, {EMAIL}"))
    morgan.sync()
    alex.sync()
    return History(jo.id, [first.id, second.id])


# -- where personal data could be left --------------------------------------------------


def bytes_found(paths: list[Path]) -> dict[str, list[str]]:
    """Which of PERSONAL each file holds, byte for byte (case ignored), files with none
    left out."""
    found = {}
    for path in paths:
        if not path.exists():
            continue
        data = path.read_bytes().lower()
        hits = [word for word in PERSONAL if word.lower().encode() in data]
        if hits:
            found[path.name] = hits
    return found


def store_files(replica: Replica) -> list[Path]:
    main = replica.store.path
    return [main, *(main.with_name(main.name + side) for side in ("-wal", "-journal", "-shm"))]


def server_leftovers(server: RunningServer) -> dict[str, list[str]]:
    """PERSONAL left on the server: in the bytes of its SQLite files, or on PostgreSQL in
    any row of any table (the domain tables, the change log and its quarantine)."""
    url = server.db.url
    if url.startswith("sqlite:///"):
        main = Path(url.removeprefix("sqlite:///"))
        return bytes_found([main, *(main.with_name(main.name + side)
                                    for side in ("-wal", "-journal", "-shm"))])
    found: dict[str, list[str]] = {}
    with server.db.engine.connect() as connection:
        for table in [*SQLModel.metadata.sorted_tables, *server_metadata.sorted_tables]:
            rows = " ".join(str(tuple(row)) for row in connection.execute(select(table)))
            hits = [word for word in PERSONAL if word.lower() in rows.lower()]
            if hits:
                found[table.name] = hits
    return found


def the_history(replica_or_server: Replica | RunningServer, history: History
                ) -> tuple[int, int, int, int]:
    """Tickets, contacts, ticket events and ledger entries about the customer."""
    if isinstance(replica_or_server, Replica):
        connection_of = replica_or_server.store.engine.connect
    else:
        connection_of = replica_or_server.db.engine.connect
    marks = {"c": history.customer_id, "t1": history.ticket_ids[0],
             "t2": history.ticket_ids[1]}
    with connection_of() as connection:
        return tuple(connection.execute(text(sql), marks).scalar_one() for sql in (
            "SELECT count(*) FROM ticket WHERE customer_id = :c",
            "SELECT count(*) FROM contact WHERE customer_id = :c",
            "SELECT count(*) FROM ticket_event WHERE ticket_id IN (:t1, :t2)",
            "SELECT count(*) FROM goodwill_entry WHERE ticket_id IN (:t1, :t2)",
        ))  # type: ignore[return-value]


# -- the tests ---------------------------------------------------------------------------


def test_11_an_erased_customer_is_in_no_byte_of_any_store_nor_of_the_server(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    alex, morgan, blake = replica_of("alex"), replica_of("morgan"), replica_of("blake")
    history = jo_history(server, alex, morgan)
    blake.sync()
    shape = the_history(blake, history)
    assert shape == (2, 1, 5, 1)
    assert bytes_found(store_files(blake))  # the data is there to be erased

    erasure = customers.erase_customer(morgan.ctx, history.customer_id, reason=REASON)
    assert bytes_found(store_files(morgan)) == {}  # the lead's own store, before any sync
    sync_until_quiet([morgan, alex, blake], server.db)

    for each in (alex, morgan, blake):
        assert bytes_found(store_files(each)) == {}, each.handle
        assert the_history(each, history) == shape
    assert server_leftovers(server) == {}
    assert the_history(server, history) == shape
    # Every copy holds the same rows, the erasure log among them.
    expected = snapshot_server(server.db.engine)
    for each in (alex, morgan, blake):
        assert snapshot_store(each.store) == visible_to(expected, each.handle), each.handle
    jo = expected["customer"][history.customer_id]
    assert (jo["name"], jo["email"], jo["phone"], jo["organisation"], jo["notes"],
            jo["products"]) == (ERASED_NAME, None, None, None, "", [])
    assert jo["erased_at"] == erasure.erased_at
    logged = expected["customer_erasure"][erasure.id]
    assert (logged["customer_id"], logged["agent_id"], logged["reason"]) == (
        history.customer_id, agent_ids(server.db.engine)["morgan"], REASON)
    subjects = sorted(row["subject"] for row in expected["ticket"].values())
    assert subjects == [f"{ERASED_NAME} cannot log in", "Oven timer broken"]


def test_11_a_replica_that_was_offline_is_scrubbed_when_it_comes_back(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    alex, morgan = replica_of("alex"), replica_of("morgan")
    history = jo_history(server, alex, morgan)
    casey = replica_of("casey")  # another team, another machine: holds it all, then goes away
    assert bytes_found(store_files(casey))

    customers.erase_customer(morgan.ctx, history.customer_id, reason=REASON)
    sync_until_quiet([morgan, alex], server.db)
    assert bytes_found(store_files(casey))  # still offline: nothing reached it

    casey.sync()
    assert bytes_found(store_files(casey)) == {}
    with casey.store.reading() as session:
        jo = session.get(Customer, history.customer_id)
    assert jo is not None and jo.name == ERASED_NAME and jo.erased_at is not None


@pytest.mark.parametrize("order", ["push_first", "pull_first"])
def test_11_a_change_pending_on_an_offline_replica_cannot_bring_the_data_back(
        server: RunningServer, replica_of: Callable[..., Replica], order: str) -> None:
    alex, morgan = replica_of("alex"), replica_of("morgan")
    history = jo_history(server, alex, morgan)
    first, second = history.ticket_ids
    # Offline, alex keeps working on the customer the lead is about to erase.
    customers.update_customer(alex.ctx, history.customer_id, notes=f"{NAME} moved, {PHONE}")
    contacts.log_contact(alex.ctx, channel="email", customer=history.customer_id,
                         ticket=second, summary=f"Spoke to {NAME} again, {EMAIL}")
    tickets.add_note(alex.ctx, first, f"{NAME} rang from {PHONE}")
    promises.make_promise(alex.ctx, first, what=f"mail {NAME} at {EMAIL}", by="tomorrow")
    customers.erase_customer(morgan.ctx, history.customer_id, reason=REASON)
    morgan.sync()

    if order == "pull_first":  # a live poke: the erasure arrives before alex's push
        alex.client.pull()
        assert bytes_found(store_files(alex)) == {}
    report = alex.sync()
    sync_until_quiet([alex, morgan], server.db)

    assert bytes_found(store_files(alex)) == {}
    assert bytes_found(store_files(morgan)) == {}
    assert server_leftovers(server) == {}
    refused = {(r.entity, r.code) for r in local.rejected_changes(alex.store)}
    assert ("customer", "erased") in refused  # the notes: never written again
    assert ("ticket_event", "erased") in refused  # written before the erasure: refused
    assert ("promise_event", "erased") in refused  # so is what was promised
    if order == "push_first":
        assert {r.code for r in report.rejected} == {"erased"}
    # The new contact keeps the history's shape, its summary scrubbed like the others.
    assert the_history(server, history)[1] == 2
    entities = ["customer", "ticket", "ticket_event", "contact", "customer_erasure",
                "promise_event"]
    assert snapshot_store(alex.store, entities) == snapshot_server(server.db.engine, entities)


def test_11_text_written_after_the_erasure_stays_as_written(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    alex, morgan = replica_of("alex"), replica_of("morgan")
    history = jo_history(server, alex, morgan)
    first = history.ticket_ids[0]
    customers.erase_customer(morgan.ctx, history.customer_id, reason=REASON)
    # The lead goes on with the ticket before syncing; alex after pulling the erasure.
    tickets.add_note(morgan.ctx, first, "Erased on request; closing this")
    sync_until_quiet([morgan, alex], server.db)
    tickets.resolve_ticket(alex.ctx, first, resolution="Closed after the erasure")
    sync_until_quiet([alex, morgan], server.db)

    assert local.rejected_changes(alex.store) == []
    assert local.rejected_changes(morgan.store) == []
    with server.db.engine.connect() as connection:
        ticket = connection.execute(select(Ticket.__table__).where(
            Ticket.__table__.c.id == first)).one()
    assert ticket.resolution == "Closed after the erasure"
    entities = ["customer", "ticket", "ticket_event", "contact"]
    expected = snapshot_server(server.db.engine, entities)
    assert snapshot_store(alex.store, entities) == expected
    assert snapshot_store(morgan.store, entities) == expected
    details = {row["detail"] for row in expected["ticket_event"].values()}
    assert {"Erased on request; closing this", "Closed after the erasure"} <= details


def test_11_a_new_replica_after_the_erasure_never_receives_the_data(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    alex, morgan = replica_of("alex"), replica_of("morgan")
    history = jo_history(server, alex, morgan)
    customers.erase_customer(morgan.ctx, history.customer_id, reason=REASON)
    morgan.sync()
    blake = replica_of("blake")
    assert bytes_found(store_files(blake)) == {}
    assert the_history(blake, history) == (2, 1, 5, 1)


def test_11_agents_may_not_erase_a_customer(server: RunningServer,
                                            replica_of: Callable[..., Replica]) -> None:
    alex, morgan = replica_of("alex"), replica_of("morgan")
    history = jo_history(server, alex, morgan)
    with pytest.raises(Forbidden, match="only a team lead or admin"):
        customers.erase_customer(alex.ctx, history.customer_id, reason=REASON)
    ids = agent_ids(server.db.engine)
    answer = push_raw(server.url, server.tokens["alex"], [wire_change(ERASURE_ENTITY, {
        "customer_id": history.customer_id, "agent_id": ids["alex"], "reason": REASON,
        "erased_at": "2026-11-23T14:30:00+00:00"})])
    [result] = answer.json()["results"]
    assert (result["status"], result["code"]) == ("rejected", "forbidden")
    assert "lead or admin" in result["reason"]
    with server.db.engine.connect() as connection:
        assert connection.execute(select(CustomerErasure.__table__)).all() == []
        jo = connection.execute(select(Customer.__table__).where(
            Customer.__table__.c.id == history.customer_id)).one()
    assert jo.name == NAME


def test_11_the_erasure_log_names_nobody_even_when_the_reason_did(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    alex, morgan = replica_of("alex"), replica_of("morgan")
    history = jo_history(server, alex, morgan)
    with pytest.raises(InvalidInput, match="leave out the customer's name, email and phone"):
        customers.erase_customer(morgan.ctx, history.customer_id,
                                 reason=f"{NAME} wrote from {EMAIL}")
    # A replica that did not check (an older one, a script) is scrubbed by the server.
    ids = agent_ids(server.db.engine)
    answer = push_raw(server.url, server.tokens["morgan"], [wire_change(ERASURE_ENTITY, {
        "customer_id": history.customer_id, "agent_id": ids["morgan"],
        "reason": f"{NAME} wrote from {EMAIL}", "erased_at": "2026-11-23T14:30:00+00:00"},
        hlc=stamp_now())])
    assert answer.json()["results"][0]["status"] == "applied"
    alex.sync()
    [logged] = customers.erasure_log(alex.store)
    assert logged.reason == f"{ERASED_NAME} wrote from {ERASED_NAME}"
    assert bytes_found(store_files(alex)) == {}
    assert server_leftovers(server) == {}


ERASURE_ENTITY = "customer_erasure"
