"""The role table, tried from every role in both directions: what a push may write, what a
pull hands out, and who the server says a token belongs to.

Pushes are made raw (no local service would even try most of them): the server must
refuse each on its own, whatever the client is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from deskterm.domain import ENTITIES
from deskterm.domain.ids import uuid7
from deskterm.server.accounts import revoke_user
from deskterm.server.database import change_log
from tests.support.servers import RunningServer
from tests.support.sync import agent_ids, push_raw, server_books, wire_change

NOW = "2026-11-23T14:30:00+00:00"
PERIOD = "2026-11"


@dataclass
class Desk:
    """The server's people by handle, and raw pushes as any of them."""

    server: RunningServer
    ids: dict[str, str]

    def push(self, handle: str, *changes: dict[str, Any]) -> list[dict[str, Any]]:
        answer = push_raw(self.server.url, self.server.tokens[handle], list(changes),
                          client_id=f"{handle}-client")
        assert answer.status_code == 200, answer.text
        return list(answer.json()["results"])

    def entry(self, kind: str, budget: str, author: str, cents: int,
              reverses: str | None = None, customer: str | None = None) -> dict[str, Any]:
        """A goodwill ledger entry on `budget`'s budget, written in `author`'s name."""
        return wire_change("goodwill_entry", {
            "kind": kind, "budget_agent_id": self.ids[budget], "period": PERIOD,
            "amount_cents": cents, "currency": "EUR", "reason": f"{kind} by {author}",
            "reverses_id": reverses, "customer_id": customer,
            "author_id": self.ids[author], "created_at": NOW}, author_id=self.ids[author])

    def mood(self, of: str, author: str, day: str = "2026-11-23") -> dict[str, Any]:
        return wire_change("mood_entry", {"agent_id": self.ids[of], "local_date": day,
                                          "score": 4}, author_id=self.ids[author])

    def pull_all(self, handle: str) -> list[dict[str, Any]]:
        headers = {"Authorization": f"Bearer {self.server.tokens[handle]}"}
        changes: list[dict[str, Any]] = []
        cursor = 0
        with httpx.Client(base_url=self.server.url, headers=headers, timeout=30) as http:
            while True:
                page = http.get("/api/v1/sync/pull", params={"cursor": cursor, "limit": 5000})
                assert page.status_code == 200, page.text
                body = page.json()
                changes += body["changes"]
                cursor = body["cursor"]
                if not body["more"]:
                    return changes


@pytest.fixture
def desk(server: RunningServer) -> Desk:
    return Desk(server, agent_ids(server.db.engine))


def _logged(server: RunningServer, mutation_id: str) -> bool:
    with server.db.engine.connect() as connection:
        return connection.execute(select(change_log.c.seq).where(
            change_log.c.mutation_id == mutation_id)).first() is not None


def _outcome(desk: Desk, handle: str, change: dict[str, Any]) -> str:
    """Push one change as `handle`: 'applied' or the rejection's code. Checks it is so."""
    (result,) = desk.push(handle, change)
    assert result["mutation_id"] == change["mutation_id"]
    table = ENTITIES[change["entity"]].__table__
    with desk.server.db.engine.connect() as connection:
        stored = connection.execute(select(table).where(table.c.id == change["row_id"])
                                    ).mappings().first()
    if result["status"] == "applied":
        assert stored is not None and _logged(desk.server, change["mutation_id"])
        return "applied"
    assert result["status"] == "rejected" and result["reason"], result
    assert not _logged(desk.server, change["mutation_id"])
    if change["op"] == "insert":
        assert stored is None, f"a refused insert left its row: {change}"
    return str(result["code"])


def test_an_agent_may_not_manage_budgets_or_write_as_anyone_else(desk: Desk) -> None:
    ids = desk.ids
    allocation = desk.entry("allocation", "blake", "morgan", 5000)
    assert _outcome(desk, "morgan", allocation) == "applied"
    own = desk.entry("allocation", "alex", "morgan", 5000)
    assert _outcome(desk, "morgan", own) == "applied"
    customer = wire_change("customer", {"name": "Jo", "created_at": NOW, "updated_at": NOW})
    assert _outcome(desk, "alex", customer) == "applied"
    refused = {
        "allocate to self": desk.entry("allocation", "alex", "alex", 100),
        "allocate to a teammate": desk.entry("allocation", "blake", "alex", 100),
        "reverse an allocation": desk.entry("reversal", "blake", "alex", -5000,
                                            reverses=allocation["row_id"]),
        "spend from another's budget": desk.entry("spend", "blake", "alex", -100),
        "spend in another's name": {**desk.entry("spend", "alex", "blake", -100),
                                    "author_id": ids["alex"]},
        "push as another author": {**desk.entry("spend", "alex", "alex", -100),
                                   "author_id": ids["blake"]},
        "log another's mood": desk.mood("blake", "alex"),
        "log a contact as another": wire_change("contact", {
            "customer_id": customer["row_id"], "agent_id": ids["blake"], "channel": "phone",
            "summary": "Called", "occurred_at": NOW}, author_id=ids["alex"]),
        "send kudos as another": wire_change("kudos", {
            "source": "customer", "from_name": "Jo", "message": "Thanks",
            "about_agent_id": ids["blake"], "author_id": ids["blake"], "created_at": NOW}),
        "send kudos as a lead": wire_change("kudos", {
            "source": "lead", "from_name": "Alex", "message": "Well done",
            "about_agent_id": ids["blake"], "author_id": ids["alex"], "created_at": NOW}),
        "write a KB article as another": wire_change("kb_article", {
            "title": "Printers", "body": "Turn it off and on", "author_id": ids["blake"],
            "created_at": NOW, "updated_at": NOW}),
        "create an agent": wire_change("agent", {"handle": "mallory", "name": "Mallory",
                                                 "role": "admin", "created_at": NOW}),
        "create a team": wire_change("team", {"name": "Rogue", "created_at": NOW}),
        "make themself admin": wire_change("agent", {"role": "admin"}, op="update",
                                           row_id=ids["alex"]),
        "move to another team": wire_change("agent", {"team_id": None}, op="update",
                                            row_id=ids["alex"]),
        "create a department": wire_change("department", {"code": "FIN", "name": "Finance"}),
        "edit a ledger entry": wire_change("goodwill_entry", {"amount_cents": 99999},
                                           op="update", row_id=own["row_id"]),
    }
    for case, change in refused.items():
        assert _outcome(desk, "alex", change) == "forbidden", case
    # What an agent may do still goes through.
    assert _outcome(desk, "alex", desk.entry("spend", "alex", "alex", -100)) == "applied"
    assert _outcome(desk, "alex", desk.mood("alex", "alex")) == "applied"


def test_a_lead_manages_budgets_of_their_own_team_only(desk: Desk) -> None:
    north = desk.entry("allocation", "alex", "morgan", 4000)
    south = desk.entry("allocation", "casey", "sam", 4000)
    assert _outcome(desk, "morgan", north) == "applied"
    assert _outcome(desk, "sam", south) == "applied"
    assert _outcome(desk, "morgan", desk.entry("allocation", "blake", "morgan", 100)) \
        == "applied"
    refused = {
        "allocate to another team": desk.entry("allocation", "casey", "morgan", 100),
        "reverse in another team": desk.entry("reversal", "casey", "morgan", -4000,
                                              reverses=south["row_id"]),
        "spend from a member's budget": desk.entry("spend", "alex", "morgan", -100),
        "log a member's mood": desk.mood("alex", "morgan"),
        "create an agent": wire_change("agent", {"handle": "newbie", "name": "Newbie",
                                                 "created_at": NOW}),
        "create a team": wire_change("team", {"name": "North Two", "created_at": NOW}),
        "allocate in an admin's name": {**desk.entry("allocation", "alex", "root", 100),
                                        "author_id": desk.ids["morgan"]},
    }
    for case, change in refused.items():
        assert _outcome(desk, "morgan", change) == "forbidden", case
    assert _outcome(desk, "sam", desk.entry("allocation", "alex", "sam", 100)) == "forbidden"
    reversal = desk.entry("reversal", "alex", "morgan", -4000, reverses=north["row_id"])
    assert _outcome(desk, "morgan", reversal) == "applied"


def test_an_admin_manages_everyone_but_writes_only_in_their_own_name(desk: Desk) -> None:
    for budget in ("alex", "casey", "root"):
        allocation = desk.entry("allocation", budget, "root", 2500)
        assert _outcome(desk, "root", allocation) == "applied", budget
    south = desk.entry("allocation", "casey", "root", 700)
    assert _outcome(desk, "root", south) == "applied"
    assert _outcome(desk, "root", desk.entry("reversal", "casey", "root", -700,
                                             reverses=south["row_id"])) == "applied"
    team = wire_change("team", {"name": "West", "created_at": NOW})
    assert _outcome(desk, "root", team) == "applied"
    assert _outcome(desk, "root", wire_change("agent", {
        "handle": "wes", "name": "Wes", "team_id": team["row_id"], "created_at": NOW})) \
        == "applied"
    assert _outcome(desk, "root", desk.mood("alex", "root")) == "forbidden"
    assert _outcome(desk, "root", desk.entry("spend", "casey", "root", -100)) == "forbidden"
    assert _outcome(desk, "root", {**desk.entry("allocation", "alex", "sam", 100),
                                   "author_id": desk.ids["root"]}) == "forbidden"


def test_a_revoked_token_is_401_and_its_push_applies_nothing(desk: Desk) -> None:
    server = desk.server
    revoke_user(server.db, "blake")
    before = server_books(server.db.engine)
    answer = push_raw(server.url, server.tokens["blake"], [desk.mood("blake", "blake")])
    assert answer.status_code == 401 and "revoked" in answer.json()["detail"]
    assert answer.headers.get("www-authenticate") == "Bearer"
    assert server_books(server.db.engine) == before
    for path in ("/api/v1/me", "/api/v1/sync/pull", "/api/v1/sync/stream"):
        refused = httpx.get(server.url + path, timeout=10,
                            headers={"Authorization": f"Bearer {server.tokens['blake']}"})
        assert refused.status_code == 401, path


BAD_CREDENTIALS = {
    "no token": {}, "unknown token": {"Authorization": "Bearer dkt_not-a-token"},
    "two words": {"Authorization": "Bearer dkt_a dkt_b"},
    "basic auth": {"Authorization": "Basic YWxleDpzZWNyZXQ="},
    "no scheme": {"Authorization": "dkt_no-scheme"},
}


def test_no_or_bad_token_is_401_with_a_message(server: RunningServer) -> None:
    before = server_books(server.db.engine)
    for case, headers in BAD_CREDENTIALS.items():
        with httpx.Client(base_url=server.url, headers=headers, timeout=10) as http:
            answers = [http.get("/api/v1/me"), http.get("/api/v1/sync/pull"),
                       http.get("/api/v1/sync/stream"),
                       http.post("/api/v1/sync/push", json={"client_id": "x", "changes": [
                           wire_change("team", {"name": "Sneaky", "created_at": NOW})]})]
        for answer in answers:
            assert answer.status_code == 401, (case, answer.request.url, answer.text)
            assert "token" in answer.json()["detail"], case
    assert server_books(server.db.engine) == before


def test_pulls_hand_out_moods_to_their_agent_only_and_allocations_by_role(desk: Desk) -> None:
    moods = {handle: desk.mood(handle, handle) for handle in
             ("alex", "blake", "morgan", "casey", "sam", "root")}
    for handle, mood in moods.items():
        assert _outcome(desk, handle, mood) == "applied"
    allocations = {
        "alex": desk.entry("allocation", "alex", "morgan", 3000),
        "blake": desk.entry("allocation", "blake", "morgan", 3000),
        "casey": desk.entry("allocation", "casey", "sam", 3000),
        "sam": desk.entry("allocation", "sam", "root", 3000),
    }
    for budget, allocation in allocations.items():
        author = "sam" if budget == "casey" else "root" if budget == "sam" else "morgan"
        assert _outcome(desk, author, allocation) == "applied"
    reversal = desk.entry("reversal", "blake", "morgan", -3000,
                          reverses=allocations["blake"]["row_id"])
    assert _outcome(desk, "morgan", reversal) == "applied"
    # A spend on a customer is part of that customer's history: the whole desk sees it.
    customer = wire_change("customer", {"name": "Jo", "created_at": NOW, "updated_at": NOW})
    assert _outcome(desk, "alex", customer) == "applied"
    public_spend = desk.entry("spend", "alex", "alex", -500, customer=customer["row_id"])
    assert _outcome(desk, "alex", public_spend) == "applied"

    budget_rows = {budget: {a["row_id"]} for budget, a in allocations.items()}
    budget_rows["blake"].add(reversal["row_id"])
    sees = {
        "alex": {"alex"},
        "blake": {"blake"},
        "casey": {"casey"},
        "morgan": {"alex", "blake"},  # the lead's own team, and not the other team
        "sam": {"casey", "sam"},
        "root": {"alex", "blake", "casey", "sam"},
    }
    for handle, budgets in sees.items():
        pulled = desk.pull_all(handle)
        got_moods = {c["row_id"] for c in pulled if c["entity"] == "mood_entry"}
        assert got_moods == {moods[handle]["row_id"]}, f"{handle} got another's mood"
        ledger = {c["row_id"] for c in pulled if c["entity"] == "goodwill_entry"}
        wanted = set().union(*(budget_rows[b] for b in budgets)) | {public_spend["row_id"]}
        assert ledger == wanted, handle
        assert customer["row_id"] in {c["row_id"] for c in pulled}


def test_me_says_who_each_token_belongs_to(desk: Desk) -> None:
    expected = [("alex", "agent", "north"), ("casey", "agent", "south"),
                ("morgan", "lead", "north"), ("sam", "lead", "south"), ("root", "admin", None)]
    for handle, role, team in expected:
        answer = httpx.get(f"{desk.server.url}/api/v1/me", timeout=10,
                           headers={"Authorization": f"Bearer {desk.server.tokens[handle]}"})
        assert answer.status_code == 200
        assert answer.json() == {"handle": handle, "agent_id": desk.ids[handle], "role": role,
                                 "team": team, "server_id": desk.server.db.server_id}


def test_only_the_server_numbers_tickets(desk: Desk) -> None:
    """A number a replica picks would later be handed to someone else's ticket."""
    customer = wire_change("customer", {"name": "Jo", "created_at": NOW, "updated_at": NOW})
    assert _outcome(desk, "alex", customer) == "applied"

    def ticket(**fields: Any) -> dict[str, Any]:
        return wire_change("ticket", {"subject": "Printer", "customer_id": customer["row_id"],
                                      "created_at": NOW, "updated_at": NOW, **fields})

    assert _outcome(desk, "alex", ticket(number=1002)) == "forbidden"
    numbered = [ticket(), ticket()]
    assert [r["assigned"] for r in desk.push("blake", *numbered)] == [
        {"number": 1001}, {"number": 1002}]
    renumber = wire_change("ticket", {"number": 7}, op="update", row_id=numbered[0]["row_id"])
    for handle in ("alex", "root"):
        assert _outcome(desk, handle, renumber | {"mutation_id": uuid7()}) == "forbidden"
    table = ENTITIES["ticket"].__table__
    with desk.server.db.engine.connect() as connection:
        assert connection.execute(select(table.c.number).where(
            table.c.id == numbered[0]["row_id"])).scalar_one() == 1001
