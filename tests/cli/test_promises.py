"""`deskterm promise add|list|keep|move`, and `contact log --keeps`."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest

from deskterm.services import tickets
from tests.cli.conftest import Cli, nothing_written
from tests.conftest import Desk


@pytest.fixture(autouse=True)
def _utc() -> Iterator[None]:
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC0"
    time.tzset()
    yield
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


def _key(desk: Desk, owner: str = "alex") -> str:
    return tickets.create_ticket(desk.as_(owner), customer="jo@example.com",
                                 subject="Laptop broken").key


def test_promise_add_list_move_keep(cli: Cli, desk: Desk) -> None:
    key = _key(desk)
    added = cli("promise", "add", key, "--what", "call back", "--by", "tomorrow")
    assert added.code == 0, added.err
    assert "call back by Tue 24 Nov 17:00" in added.out
    made = cli("promise", "add", key, "--what", "send the new laptop", "--by", "in 1 hour",
               "--json").data
    listed = cli("promise", "list").out
    assert "call back" in listed and "send the new laptop" in listed
    due = cli("promise", "list", "--due", "--json").data
    assert [p["what"] for p in due] == ["send the new laptop"]
    assert due[0]["state"] == "due soon" and due[0]["owner"] == "alex"
    assert cli("promise", "list", "--mine", agent="blake").out.strip() == "no open promises"
    moved = cli("promise", "move", made["short_id"], "--by", "fri 12:00", "--reason",
                "courier delayed")
    assert moved.code == 0 and "Fri 27 Nov 12:00" in moved.out
    assert cli("promise", "keep", made["short_id"]).code == 0
    assert "send the new laptop" not in cli("promise", "list").out


def test_promise_refusals(cli: Cli, desk: Desk) -> None:
    key = _key(desk)
    made = cli("promise", "add", key, "--what", "call back", "--by", "16:00", "--json").data
    with nothing_written(desk.store):
        cli("promise", "add", key, "--what", "call back", "--by", "today 9:00").refused(
            2, "already passed")
        cli("promise", "add", key, "--what", "call back", "--by", "someday").refused(
            2, "cannot read")
        cli("promise", "add", key, "--what", "call back").refused(2, "--by")
        cli("promise", "keep", made["short_id"], agent="blake").refused(1, "owner")
        cli("promise", "move", made["id"], "--by", "fri", "--reason", "busy",
            agent="blake").refused(1, "owner")
        cli("promise", "move", made["id"], "--by", "fri").refused(2, "--reason")
        cli("promise", "move", made["id"], "--by", "fri", "--reason", " ").refused(2, "reason")
        cli("promise", "keep", "nope").refused(1, "no promise")


def test_a_logged_contact_keeps_a_promise(cli: Cli, desk: Desk) -> None:
    key = _key(desk)
    made = cli("promise", "add", key, "--what", "call back", "--by", "16:00", "--json").data
    logged = cli("contact", "log", "--ticket", key, "--channel", "phone", "--direction",
                 "outbound", "--summary", "Called back", "--keeps", made["short_id"])
    assert logged.code == 0, logged.err
    assert cli("promise", "list").out.strip() == "no open promises"


def test_history_says_what_was_promised_and_marks_a_broken_promise(
        cli: Cli, desk: Desk) -> None:
    from datetime import timedelta

    from deskterm.domain import clock

    key = _key(desk)
    call = cli("promise", "add", key, "--what", "call back", "--by", "thu 12:00", "--json")
    laptop = cli("promise", "add", key, "--what", "send the new laptop", "--by", "in 1 hour",
                 "--json").data
    kept = cli("promise", "add", key, "--what", "mail the form", "--by", "tomorrow",
               "--json").data
    assert call.code == 0, call.err
    assert cli("promise", "keep", kept["short_id"]).code == 0

    human = cli("history", "jo@example.com")
    assert human.code == 0, human.err
    assert f"{key} promised: send the new laptop by today 15:30 · due soon" in human.out
    assert f"{key} promised: call back by Thu 12:00\n" in human.out
    assert "mail the form" not in human.out  # kept: no longer owed
    data = cli("history", "jo@example.com", "--json").data
    assert [(p["what"], p["state"]) for p in data["promises"]] == [
        ("send the new laptop", "due soon"), ("call back", "open")]
    assert data["promises"][0]["id"] == laptop["id"] and data["promises"][0]["ticket"] == key

    clock.shift_to(clock.utcnow() + timedelta(hours=2))
    assert (f"{key} promised: send the new laptop by today 15:30 · broken"
            in cli("history", "jo@example.com").out)
