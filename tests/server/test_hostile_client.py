"""Issue 9, finding by finding: a hostile agent with a real token and raw HTTP.

Each test is named after the finding it reproduces. The server is the only judge: it
refuses what any replica would refuse, logs nothing a reader cannot apply or may not
see, and answers with nothing the caller may not pull. After every attack, fresh
replicas of every role still log in and sync.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from deskterm.domain.ids import uuid7
from deskterm.sync import replica as local
from tests.support.servers import RunningServer
from tests.support.sync import (
    Replica,
    agent_ids,
    push_raw,
    server_books,
    server_head,
    snapshot_server,
    snapshot_store,
    visible_to,
    wire_change,
)

PERIOD = "2026-11"
NOW = "2026-11-23T14:30:00+00:00"


def pushed(server: RunningServer, handle: str, *changes: dict[str, Any]) -> list[dict[str, Any]]:
    """Push as `handle`; the per-change answers of a push the server took as a whole."""
    answer = push_raw(server.url, server.tokens[handle], list(changes))
    assert answer.status_code == 200, answer.text
    return list(answer.json()["results"])


def refused_whole(server: RunningServer, handle: str, change: dict[str, Any], *words: str
                  ) -> None:
    """The push is answered 422 with a message naming `words`, and nothing is written."""
    before = server_books(server.db.engine)
    answer = push_raw(server.url, server.tokens[handle], [change])
    assert answer.status_code == 422, answer.text
    for word in words:
        assert word in answer.json()["detail"], answer.text
    assert server_books(server.db.engine) == before


def rejected(server: RunningServer, handle: str, change: dict[str, Any], code: str
             ) -> dict[str, Any]:
    """The change alone is answered rejected with `code`, and nothing reaches the log."""
    head = server_head(server.db)
    [result] = pushed(server, handle, change)
    assert (result["status"], result["code"]) == ("rejected", code), result
    assert server_head(server.db) == head
    return result


def a_customer(server: RunningServer, handle: str = "alex") -> str:
    row_id = uuid7()
    [result] = pushed(server, handle, wire_change("customer", {"name": "Jo Jansen"},
                                                  row_id=row_id))
    assert result["status"] == "applied", result
    return row_id


def ledger_entry(server: RunningServer, author: str, fields: dict[str, Any],
                 row_id: str | None = None) -> dict[str, Any]:
    ids = agent_ids(server.db.engine)
    entry = {"kind": "allocation", "budget_agent_id": ids["alex"], "period": PERIOD,
             "amount_cents": 5000, "currency": "EUR", "reason": "monthly budget",
             "author_id": ids[author], "created_at": NOW, **fields}
    return wire_change("goodwill_entry", entry, row_id=row_id or uuid7())


def applied(server: RunningServer, handle: str, change: dict[str, Any]) -> str:
    [result] = pushed(server, handle, change)
    assert result["status"] == "applied", result
    return str(change["row_id"])


def every_role_still_syncs(server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    """A fresh replica of every role logs in, pulls everything it may, and syncs again,
    holding exactly the server's rows it may see and nothing set aside."""
    entities = ["agent", "goodwill_entry", "mood_entry", "contact", "ticket_event",
                "kb_article"]
    for handle in ("alex", "blake", "morgan", "casey", "root"):
        fresh = replica_of(handle, name=f"fresh-{handle}-{uuid7()[-6:]}")
        fresh.sync()
        assert local.read_cursor(fresh.store) == server_head(server.db)
        assert local.pulled_aside(fresh.store) == []
        may_see = visible_to(snapshot_server(server.db.engine, entities), handle)
        assert snapshot_store(fresh.store, entities) == may_see, handle


# -- 1. values the replicas' schema refuses ---------------------------------------------


@pytest.mark.parametrize("rating", [0, 6, 99, -1])
def test_1_a_self_rating_outside_1_to_5_is_refused(server: RunningServer, rating: int) -> None:
    customer = a_customer(server)
    alex = agent_ids(server.db.engine)["alex"]
    refused_whole(server, "alex", wire_change("contact", {
        "customer_id": customer, "agent_id": alex, "channel": "phone",
        "direction": "inbound", "summary": "called", "occurred_at": NOW,
        "self_rating": rating}), "contact.self_rating")


def test_1_a_csat_outside_1_to_5_is_refused(server: RunningServer) -> None:
    customer = a_customer(server, "morgan")
    ids = agent_ids(server.db.engine)
    ticket = applied(server, "morgan", wire_change("ticket", {
        "subject": "Printer", "customer_id": customer, "created_at": NOW,
        "updated_at": NOW}))
    refused_whole(server, "morgan", wire_change("feedback", {
        "ticket_id": ticket, "customer_id": customer, "csat": 9, "received_at": NOW,
        "author_id": ids["morgan"]}), "feedback.csat")


@pytest.mark.parametrize("cents", [2**63 - 1, 1_000_001])
def test_1_an_allocation_over_the_cap_of_one_entry_is_refused(
        server: RunningServer, replica_of: Callable[..., Replica], cents: int) -> None:
    refused_whole(server, "morgan", ledger_entry(server, "morgan", {"amount_cents": cents}),
                  "goodwill_entry.amount_cents")
    applied(server, "morgan", ledger_entry(server, "morgan", {"amount_cents": 1_000_000}))
    applied(server, "morgan", ledger_entry(server, "morgan", {"amount_cents": 1_000_000}))
    # The budget period still takes spends: no sum overflows, no 503.
    spend = ledger_entry(server, "alex", {"kind": "spend", "amount_cents": -100,
                                          "reason": "flowers", "customer_id":
                                          a_customer(server)})
    applied(server, "alex", spend)
    every_role_still_syncs(server, replica_of)


@pytest.mark.parametrize(("field", "value"), [
    ("period", "2026-13"), ("period", "next month"), ("currency", "euro"), ("reason", "x" * 501),
])
def test_1_a_ledger_entry_with_a_malformed_field_is_refused(
        server: RunningServer, field: str, value: str) -> None:
    refused_whole(server, "morgan", ledger_entry(server, "morgan", {field: value}),
                  f"goodwill_entry.{field}")


def test_1_text_longer_than_the_stores_hold_is_refused(server: RunningServer) -> None:
    refused_whole(server, "alex", wire_change("customer", {"name": "x" * 201}),
                  "customer.name")


# -- 2. references outside the reader's audience -----------------------------------------


def test_2_a_spend_that_points_at_the_leads_allocation_is_refused(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    allocation = applied(server, "morgan", ledger_entry(server, "morgan", {}))
    spend = ledger_entry(server, "alex", {"kind": "spend", "amount_cents": -100,
                                          "reason": "flowers", "customer_id": a_customer(server),
                                          "reverses_id": allocation})
    result = rejected(server, "alex", spend, "invalid")
    assert "only a reversal" in result["reason"]
    every_role_still_syncs(server, replica_of)


def test_2_a_reversal_that_would_reach_people_who_cannot_see_its_entry_is_refused(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    allocation = applied(server, "morgan", ledger_entry(server, "morgan", {}))
    # About a customer, the reversal would go to the whole desk; its allocation does not.
    reversal = ledger_entry(server, "morgan", {
        "kind": "reversal", "amount_cents": -5000, "reason": "wrong month",
        "customer_id": a_customer(server), "reverses_id": allocation})
    rejected(server, "morgan", reversal, "invalid")
    every_role_still_syncs(server, replica_of)


# -- 3. what used to be a 500 ------------------------------------------------------------


@pytest.mark.parametrize("change", [
    wire_change("customer", {"name": "Jo \ud800 Jansen"}),
    wire_change("customer", {"name": "Jo", "notes": "\udfff"}),
    wire_change("customer", {"name": "Jo", "created_at": "0001-01-01T00:00:00+01:00"}),
    wire_change("customer", {"name": "Jo", "created_at": "9999-12-31T23:59:59-01:00"}),
], ids=["surrogate-in-name", "surrogate-alone", "before-year-1", "after-year-9999"])
def test_3_input_that_was_a_500_is_a_422(server: RunningServer, change: dict[str, Any]
                                         ) -> None:
    refused_whole(server, "alex", change)


@pytest.mark.parametrize("entity", ["department", "team", "agent"])
def test_3_deleting_what_has_no_tombstone_is_a_422(server: RunningServer, entity: str) -> None:
    row_id = agent_ids(server.db.engine)["alex"] if entity == "agent" else uuid7()
    refused_whole(server, "root", wire_change(entity, {}, op="delete", row_id=row_id),
                  "cannot be deleted")


class _FailingOn(httpx.HTTPTransport):
    """A server with a bug: a push carrying one poisoned change always fails with 500.

    Our server no longer has such a bug to trigger (the tests above prove it); the client
    must still never wedge when a server does, so the bug is put in front of the real
    server here, on the wire, and everything else reaches the real server unchanged.
    """

    def __init__(self, poisoned: str) -> None:
        super().__init__()
        self.poisoned = poisoned

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/sync/push") and self.poisoned.encode() in request.content:
            return httpx.Response(500, json={"detail": "the server failed on this request"})
        return super().handle_request(request)


def test_3_a_client_never_wedges_behind_a_change_the_server_fails_on(
        server: RunningServer, tmp_path: Any) -> None:
    from deskterm.services import customers
    from deskterm.services.context import context_for
    from deskterm.store import open_store
    from deskterm.sync.client import MAX_ATTEMPTS, SyncClient

    store = open_store(tmp_path / "alex.db")
    SyncClient(store, server.url, server.tokens["alex"]).sync()
    ctx = context_for(store, "alex")
    first = customers.create_customer(ctx, name="First Fenna")
    poisoned = customers.create_customer(ctx, name="Poisoned Piet")
    last = customers.create_customer(ctx, name="Last Lotte")
    client = SyncClient(store, server.url, server.tokens["alex"],
                        transport=_FailingOn(poisoned.id))
    for attempt in range(1, MAX_ATTEMPTS + 1):
        report = client.sync()
        on_server = snapshot_server(server.db.engine, ["customer"])["customer"]
        assert first.id in on_server and last.id in on_server  # the rest went up
        assert poisoned.id not in on_server
        if attempt < MAX_ATTEMPTS:
            assert report.held_back == 1 and local.status(store).pending == 1
    assert local.status(store).pending == 0
    [kept] = local.rejected_changes(store)
    assert (kept.row_id, kept.code) == (poisoned.id, "server_failed")
    assert kept.fields["name"] == "Poisoned Piet"  # what the agent typed is kept
    client.close()
    store.close()


# -- 4. forged re-inserts ----------------------------------------------------------------


def test_4_an_allocation_resent_as_a_spend_is_refused_and_not_logged(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    allocation = applied(server, "morgan", ledger_entry(server, "morgan", {}))
    forged = ledger_entry(server, "alex", {"kind": "spend", "amount_cents": -4999,
                                           "reason": "forged"}, row_id=allocation)
    rejected(server, "alex", forged, "forbidden")
    every_role_still_syncs(server, replica_of)


def test_4_a_colleagues_contact_resent_with_new_text_is_refused_and_not_logged(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    ids = agent_ids(server.db.engine)
    customer = a_customer(server)
    contact = {"customer_id": customer, "agent_id": ids["blake"], "channel": "phone",
               "direction": "inbound", "summary": "asked about the invoice",
               "occurred_at": NOW}
    row_id = applied(server, "blake", wire_change("contact", contact))
    rejected(server, "blake", wire_change("contact", {**contact, "summary": "rewritten"},
                                          row_id=row_id), "conflict")
    # The same row sent again as it is changes nothing and is not logged again.
    head = server_head(server.db)
    [again] = pushed(server, "blake", wire_change("contact", contact, row_id=row_id))
    assert again["status"] == "applied" and server_head(server.db) == head
    stored = snapshot_server(server.db.engine, ["contact"])["contact"][row_id]
    assert stored["summary"] == "asked about the invoice"
    every_role_still_syncs(server, replica_of)


# -- 5. impersonation --------------------------------------------------------------------


def _ticket(server: RunningServer, owner: str) -> str:
    ids = agent_ids(server.db.engine)
    return applied(server, owner, wire_change("ticket", {
        "subject": "VPN drops", "customer_id": a_customer(server, owner),
        "owner_id": ids[owner], "created_at": NOW, "updated_at": NOW}))


@pytest.mark.parametrize("agent", [None, "blake"])
def test_5_an_agent_cannot_nudge_a_colleague_as_their_lead(server: RunningServer,
                                                           agent: str | None) -> None:
    ids = agent_ids(server.db.engine)
    ticket = _ticket(server, "blake")
    rejected(server, "alex", wire_change("ticket_event", {
        "ticket_id": ticket, "agent_id": ids[agent] if agent else None, "kind": "nudge",
        "detail": "call the customer back", "created_at": NOW}), "forbidden")


def test_5_a_lead_nudges_in_their_own_name(server: RunningServer) -> None:
    ids = agent_ids(server.db.engine)
    ticket = _ticket(server, "alex")
    applied(server, "morgan", wire_change("ticket_event", {
        "ticket_id": ticket, "agent_id": ids["morgan"], "kind": "nudge",
        "detail": "call the customer back", "created_at": NOW}))


@pytest.mark.parametrize(("entity", "writer"), [
    ("contact", "agent_id"), ("ticket_event", "agent_id"), ("kb_article", "author_id")])
@pytest.mark.parametrize("writer_is", [None, "blake"])
def test_5_writer_fields_must_name_the_caller(server: RunningServer, entity: str, writer: str,
                                              writer_is: str | None) -> None:
    ids = agent_ids(server.db.engine)
    fields: dict[str, Any] = {
        "contact": {"customer_id": a_customer(server), "channel": "phone",
                    "direction": "inbound", "summary": "hi", "occurred_at": NOW},
        "ticket_event": {"ticket_id": _ticket(server, "alex"), "kind": "note",
                         "detail": "noted", "created_at": NOW},
        "kb_article": {"title": "Reset a password", "body": "Steps", "created_at": NOW,
                       "updated_at": NOW},
    }[entity]
    fields[writer] = ids[writer_is] if writer_is else None
    rejected(server, "alex", wire_change(entity, fields), "forbidden")


def test_5_an_edit_cannot_take_over_a_colleagues_article(server: RunningServer) -> None:
    ids = agent_ids(server.db.engine)
    article = applied(server, "blake", wire_change("kb_article", {
        "title": "Reset a password", "body": "Steps", "author_id": ids["blake"],
        "created_at": NOW, "updated_at": NOW}))
    rejected(server, "alex", wire_change("kb_article", {"author_id": ids["alex"]},
                                         op="update", row_id=article), "forbidden")
    [edit] = pushed(server, "alex", wire_change("kb_article", {"body": "Better steps",
                                                               "version": 2},
                                                op="update", row_id=article))
    assert edit["status"] == "applied"  # editing the text is what the KB is for


# -- 6. blocking a lead ------------------------------------------------------------------


def test_6_a_spend_pointing_at_a_colleagues_spend_cannot_block_the_leads_reversal(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    ids = agent_ids(server.db.engine)
    customer = a_customer(server)
    applied(server, "morgan", ledger_entry(server, "morgan", {"budget_agent_id": ids["blake"]}))
    applied(server, "morgan", ledger_entry(server, "morgan", {}))
    blakes = applied(server, "blake", ledger_entry(server, "blake", {
        "kind": "spend", "budget_agent_id": ids["blake"], "amount_cents": -1000,
        "reason": "flowers", "customer_id": customer}))
    rejected(server, "alex", ledger_entry(server, "alex", {
        "kind": "spend", "amount_cents": -1000, "reason": "blocking",
        "customer_id": customer, "reverses_id": blakes}), "invalid")
    applied(server, "morgan", ledger_entry(server, "morgan", {
        "kind": "reversal", "budget_agent_id": ids["blake"], "amount_cents": 1000,
        "reason": "booked twice", "customer_id": customer, "reverses_id": blakes}))
    every_role_still_syncs(server, replica_of)


# -- 7. leaks in answers -----------------------------------------------------------------


def test_7_a_refused_update_of_a_colleagues_mood_carries_nothing_of_it(
        server: RunningServer) -> None:
    ids = agent_ids(server.db.engine)
    mood = applied(server, "blake", wire_change("mood_entry", {
        "agent_id": ids["blake"], "local_date": "2026-11-23", "score": 1,
        "note": "private: rough day at home", "created_at": NOW}))
    for attempt in range(2):  # the first answer, and the answer to a resent mutation id
        change = wire_change("mood_entry", {"score": 5}, op="update", row_id=mood,
                             mutation_id="0194f000-0000-7000-8000-00000000000" + "1")
        answer = push_raw(server.url, server.tokens["alex"], [change])
        assert answer.status_code == 200
        text = answer.text
        assert "rough day" not in text and '"score"' not in text, (attempt, text)
        assert answer.json()["results"][0]["current"] is None


def test_7_a_refused_update_of_an_allocation_carries_nothing_of_it(
        server: RunningServer) -> None:
    allocation = applied(server, "morgan", ledger_entry(server, "morgan", {
        "reason": "secret bonus for the hard month"}))
    answer = push_raw(server.url, server.tokens["blake"], [wire_change(
        "goodwill_entry", {"amount_cents": 9}, op="update", row_id=allocation)])
    assert answer.status_code == 200
    assert "secret bonus" not in answer.text
    assert answer.json()["results"][0]["current"] is None


# -- 8. unbounded pulls ------------------------------------------------------------------


def test_8_a_huge_text_is_refused_and_pull_pages_stay_small(server: RunningServer) -> None:
    from deskterm.server.changelog import PAGE_BYTES

    customer = a_customer(server)
    huge = wire_change("ticket", {"subject": "Big", "description": "x" * 3_900_000,
                                  "customer_id": customer, "created_at": NOW,
                                  "updated_at": NOW})
    answer = push_raw(server.url, server.tokens["alex"], [huge])
    assert answer.status_code in (413, 422), answer.status_code
    ids = agent_ids(server.db.engine)
    body = "Lorem ipsum dolor sit amet. " * 7000  # 196,000 characters, under the limit
    for _ in range(8):
        pushed(server, "alex", *(wire_change("kb_article", {
            "title": "Long article", "body": body, "author_id": ids["alex"],
            "created_at": NOW, "updated_at": NOW}) for _ in range(5)))
    cursor, pages, sizes = 0, 0, []
    while True:
        page = httpx.get(f"{server.url}/api/v1/sync/pull", timeout=30,
                         params={"cursor": cursor, "limit": 5000},
                         headers={"Authorization": f"Bearer {server.tokens['blake']}"})
        sizes.append(len(page.content))
        pages += 1
        cursor = page.json()["cursor"]
        if not page.json()["more"]:
            break
    assert pages >= 2
    assert max(sizes) <= PAGE_BYTES + len(body) + 64 * 1024


# -- the replica's side: a log written by an older server --------------------------------


def test_a_pulled_change_a_replica_cannot_apply_is_set_aside_and_sync_goes_on(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    """An older server accepted a contact dated 1850, which no store holds: replicas new
    and old set it aside with the reason and keep syncing."""
    from deskterm.server.changelog import write_as_server
    from deskterm.sync.codec import DecodedChange

    old_replica = replica_of("blake")
    ids = agent_ids(server.db.engine)
    customer = a_customer(server)
    bad_rating = uuid7()
    write_as_server(server.db, [DecodedChange("contact", bad_rating, "insert", {
        "customer_id": customer, "agent_id": ids["alex"], "channel": "phone",
        "direction": "inbound", "summary": "rated 99",
        "occurred_at": __import__("datetime").datetime.fromisoformat("1850-01-01T00:00:00+00:00")},
        "")])
    good = a_customer(server)
    for replica in (old_replica, replica_of("casey")):
        replica.sync()
        aside = local.pulled_aside(replica.store)
        assert [(a.row_id, a.entity) for a in aside] == [(bad_rating, "contact")]
        assert "contact.occurred_at" in aside[0].reason
        assert aside[0].fields["summary"] == "rated 99"
        held = snapshot_store(replica.store, ["customer", "contact"])
        assert good in held["customer"] and bad_rating not in held["contact"]
        assert local.read_cursor(replica.store) == server_head(server.db)
        replica.sync()  # and again: nothing stuck


# -- found by the property test (test_hostile_property.py) -------------------------------


@pytest.mark.parametrize("op", ["update", "insert"])
@pytest.mark.parametrize("field", ["role", "team_id", "handle"])
def test_an_admin_cannot_make_an_agent_row_disagree_with_the_account(
        server: RunningServer, replica_of: Callable[..., Replica], field: str, op: str) -> None:
    """The server judges a caller by the account; an agent row that said another role or
    team would show every replica a lead who is none (and the app would offer them lead
    screens), and would send a budget's later entries to a lead who never got the earlier
    ones. Only a new agent's row names its handle, role and team."""
    rows = snapshot_server(server.db.engine, ["agent"])["agent"]
    alex = next(row for row in rows.values() if row["handle"] == "alex")
    south = next(row["team_id"] for row in rows.values() if row["handle"] == "casey")
    value = {"role": "lead", "team_id": south, "handle": "alexa"}[field]
    fields = {field: value} if op == "update" else {
        **{name: getattr(v, "value", v) for name, v in alex.items() if name != "id"},
        "created_at": NOW, field: value}
    before = server_books(server.db.engine)
    result = rejected(server, "root", wire_change("agent", fields, op=op, row_id=alex["id"]),
                      "forbidden")
    assert field in result["reason"]
    assert server_books(server.db.engine)["rows"] == before["rows"]
    allocation = ledger_entry(server, "morgan", {})
    applied(server, "morgan", allocation)  # alex is still morgan's, and sam's not
    every_role_still_syncs(server, replica_of)


@pytest.mark.parametrize("version", [2**31, 2**63 - 1])
def test_a_number_the_servers_column_cannot_hold_is_refused_on_every_database(
        server: RunningServer, replica_of: Callable[..., Replica], version: int) -> None:
    """An article's version was allowed up to 2^63-1, but the column is an INTEGER, which
    PostgreSQL keeps in 32 bits: there the change was refused as "cannot be stored" (and
    the article could never be edited past it), on SQLite it was applied. The field rule
    now says what both hold, and both refuse the same, before anything is written."""
    ids = agent_ids(server.db.engine)
    article = {"title": "Reset a password", "body": "Steps", "author_id": ids["alex"],
               "created_at": NOW, "updated_at": NOW}
    refused_whole(server, "alex", wire_change("kb_article", {**article, "version": version}),
                  "kb_article.version")
    applied(server, "alex", wire_change("kb_article", {**article, "version": 2**31 - 1}))
    every_role_still_syncs(server, replica_of)


def test_a_colleagues_mood_cannot_be_confirmed_by_inserting_it_again(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    """An insert that repeats a stored insert-only row exactly is applied (it changes
    nothing), one that does not is a conflict: sent with the id of a colleague's mood,
    trying each score in turn told the sender the one the colleague logged."""
    ids = agent_ids(server.db.engine)
    mood = {"agent_id": ids["blake"], "local_date": "2026-11-23", "score": 2,
            "note": "private: rough day at home", "created_at": NOW}
    row_id = applied(server, "blake", wire_change("mood_entry", mood))
    answers = set()
    for score in range(1, 6):
        guess = wire_change("mood_entry", {**mood, "score": score}, row_id=row_id)
        result = rejected(server, "alex", guess, "forbidden")
        answers.add(result["reason"])
    assert len(answers) == 1  # the same answer, whatever the guess
    # The lead may not see it either; its author may send it again, as a replica does.
    rejected(server, "morgan", wire_change("mood_entry", mood, row_id=row_id), "forbidden")
    [again] = pushed(server, "blake", wire_change("mood_entry", mood, row_id=row_id))
    assert again["status"] == "applied"
    every_role_still_syncs(server, replica_of)


def test_a_mutation_id_another_client_sent_is_not_answered_as_a_duplicate(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    """Processed mutation ids belong to the client that sent them. Another client's change
    with the same id was answered "duplicate, applied" and dropped: its replica held a
    customer the server never got, and learnt how the other change went."""
    mutation_id = uuid7()
    blakes = wire_change("customer", {"name": "Blake's customer"}, mutation_id=mutation_id)
    answer = push_raw(server.url, server.tokens["blake"], [blakes], client_id="blake-laptop")
    assert answer.json()["results"][0]["status"] == "applied"
    alexs = wire_change("customer", {"name": "Alex's customer"}, mutation_id=mutation_id)
    for _ in range(2):  # and again: a refusal is not remembered as the id's answer
        answer = push_raw(server.url, server.tokens["alex"], [alexs], client_id="alex-laptop")
        [result] = answer.json()["results"]
        assert (result["status"], result["code"]) == ("rejected", "conflict"), result
    held = snapshot_server(server.db.engine, ["customer"])["customer"]
    assert alexs["row_id"] not in held and blakes["row_id"] in held
    # The client that sent it first still gets its duplicate.
    answer = push_raw(server.url, server.tokens["blake"], [blakes], client_id="blake-laptop")
    assert answer.json()["results"][0]["status"] == "duplicate"
    every_role_still_syncs(server, replica_of)
