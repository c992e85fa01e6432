"""`deskterm web` in a real headless Chromium: sign in with the agent's token, work the
queue, spend goodwill, and find the spend in the agent's own store and on the server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from deskterm.domain.money import Money
from deskterm.server.accounts import add_user
from deskterm.server.runner import free_port
from deskterm.services import customers, goodwill, tickets
from deskterm.store import open_store
from deskterm.ui.web.replica import replicas_dir
from tests.support.servers import RunningServer
from tests.support.sync import Replica
from tests.web.browser import CHROMIUM, browser_on

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}: "
                       "apt-get install chromium chromium-driver (.ci/run does)"),
    # The browser signs in to the server; which database the server keeps does not matter.
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]

SUBJECTS = ("Printer on floor 2 jams", "VPN drops every hour", "Laptop will not boot")


@dataclass
class WebDesk:
    url: str
    token: str
    server: RunningServer
    database_url: str


@pytest.fixture
def web_desk(server: RunningServer, database_url: str, tmp_path: Path) -> Iterator[WebDesk]:
    """A server with agent dana (a token, three tickets, a budget) and `deskterm web`."""
    token = add_user(server.db, "dana", role="agent", team="north")
    dana = Replica.open(tmp_path / "dana-laptop.db", server.url, token, "dana")
    customer = customers.create_customer(dana.ctx, name="Jo Jansen", email="jo@example.com")
    for subject in SUBJECTS:
        tickets.create_ticket(dana.ctx, customer=customer.id, subject=subject)
    dana.sync()
    dana.close()
    lead = Replica.open(tmp_path / "morgan.db", server.url, server.tokens["morgan"], "morgan")
    goodwill.allocate(lead.ctx, "dana", Money(5000))
    lead.sync()
    lead.close()

    port = free_port()
    log = tmp_path / "web.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "deskterm", "web", "--server", server.url, "--port",
             str(port)], stdout=output, stderr=subprocess.STDOUT, env=os.environ.copy())
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url, process, log)
        yield WebDesk(url, token, server, database_url)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    for _attempt in range(300):
        if process.poll() is not None:
            raise AssertionError(f"deskterm web ended ({process.returncode}):\n"
                                 f"{log.read_text(errors='replace')}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"deskterm web did not answer on {url}")


def _spends(database_url: str) -> list[tuple[int, str]]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return [(row[0], row[1]) for row in connection.execute(text(
                "SELECT amount_cents, reason FROM goodwill_entry WHERE kind = 'spend'"))]
    finally:
        engine.dispose()


def test_an_agent_signs_in_in_the_browser_works_the_queue_and_spends_goodwill(
        web_desk: WebDesk) -> None:
    with browser_on(web_desk.url) as terminal:
        # The page loads and its session asks for a token, not for anything in the URL.
        terminal.shows(f"Sign in to {web_desk.server.url}")
        assert all("token" not in url for url in terminal.sockets)

        terminal.page.click("#terminal")
        terminal.type("not-a-token-of-anyone")
        terminal.press("Enter")
        terminal.shows("The server does not know that token. 4 tries left.")

        terminal.type(web_desk.token)
        terminal.press("Enter")
        terminal.shows(*SUBJECTS)  # the queue, from dana's own store

        # A key press moves the queue's selection: the highlight goes to the next row.
        rows = sorted(SUBJECTS, key=lambda subject: terminal.text.index(subject))

        def selected() -> str | None:
            """The one row drawn on another background than the others."""
            backgrounds = [terminal.row_background(subject) for subject in rows]
            odd = [s for s, bg in zip(rows, backgrounds, strict=True)
                   if backgrounds.count(bg) == 1]
            return odd[0] if len(odd) == 1 else None

        terminal.until(lambda: selected() is not None, "one highlighted row in the queue")
        first = rows.index(selected() or "")
        assert first < len(rows) - 1
        terminal.press("ArrowDown")
        terminal.until(lambda: selected() == rows[first + 1],
                       "the highlight to move down one row")

        # A goodwill spend, typed in the browser.
        terminal.type("4")
        terminal.type("$")
        terminal.shows("Spend goodwill")
        terminal.type("12.50")
        terminal.press("Enter")
        terminal.type("Flowers after the outage")
        terminal.press("Enter")

        stores = list(replicas_dir().glob("*/*.db"))
        assert len(stores) == 1, stores  # dana's own store, nobody else's

        def in_store() -> bool:
            store = open_store(stores[0], create=False)
            try:
                with store.raw() as connection:
                    return connection.execute(
                        "SELECT count(*) FROM goodwill_entry WHERE kind = 'spend' AND "
                        "amount_cents = -1250 AND reason = 'Flowers after the outage'"
                    ).fetchone()[0] == 1
            finally:
                store.close()

        terminal.until(in_store, "the spend in dana's store")
        terminal.until(lambda: (-1250, "Flowers after the outage") in
                       _spends(web_desk.database_url), "the spend on the server")
