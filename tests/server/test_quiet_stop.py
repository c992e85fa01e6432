"""A normal stop with apps connected is quiet: the streams end, the log has no ERROR.

`deskterm serve` runs in a subprocess with its real log on stderr; apps are stand-ins
reading the live stream with a real token (httpx, as SyncClient does). Ctrl-C (SIGINT)
and SIGTERM are how a person and a service manager stop it.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from deskterm.server.accounts import add_user
from deskterm.server.database import Database
from deskterm.server.runner import ServerThread, free_port
from tests.support.sync import deskterm_command, wait_for

#: A stop that cuts nothing takes well under uvicorn's grace period plus start-up slack.
STOPS_WITHIN = 3.0


class StreamReader:
    """One app's live stream on a thread: the lines it read, and how it ended."""

    def __init__(self, url: str, token: str) -> None:
        self.lines: list[str] = []
        self.ended_cleanly = False
        self.error: Exception | None = None
        self._thread = threading.Thread(target=self._read, args=(url, token), daemon=True)
        self._thread.start()

    def _read(self, url: str, token: str) -> None:
        try:
            with httpx.stream("GET", f"{url}/api/v1/sync/stream", timeout=30,
                              headers={"Authorization": f"Bearer {token}"}) as response:
                response.raise_for_status()
                for line in response.iter_lines():
                    self.lines.append(line)
            self.ended_cleanly = True
        except Exception as error:  # kept for the test to look at
            self.error = error

    def connected(self) -> bool:
        assert self.error is None, self.error
        return any(line.startswith("event: poke") for line in self.lines)

    def join(self) -> None:
        self._thread.join(timeout=10)
        assert not self._thread.is_alive()


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM],
                         ids=["ctrl-c", "sigterm"])
def test_stopping_deskterm_serve_with_apps_connected_logs_no_error(
        database_url: str, tmp_path: Path, stop_signal: signal.Signals) -> None:
    db = Database(database_url)
    try:
        token = add_user(db, "alex", role="agent", team="Support")
    finally:
        db.dispose()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen([*deskterm_command(), "serve", "--port", str(port),
                                "--database-url", database_url],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        def healthy() -> bool:
            assert process.poll() is None, process.communicate()
            try:
                return httpx.get(f"{url}/healthz", timeout=1).status_code == 200
            except httpx.TransportError:
                return False

        wait_for(healthy, timeout=30, interval=0.1, what="deskterm serve to answer")
        apps = [StreamReader(url, token) for _ in range(3)]
        for app in apps:
            wait_for(app.connected, what="the stream's first poke")
        asked = time.monotonic()
        process.send_signal(stop_signal)
        _, log = process.communicate(timeout=20)
        took = time.monotonic() - asked
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert "shutdown complete" in log, log
    assert "ERROR" not in log and "Traceback" not in log, log
    assert took < STOPS_WITHIN, f"the stop took {took:.1f} s:\n{log}"
    for app in apps:
        app.join()
        # The response ended as a response does: no cut connection, no half chunk.
        assert app.error is None and app.ended_cleanly, app.error


def test_a_server_thread_stopped_with_a_stream_open_ends_it_cleanly(
        database_url: str, caplog: pytest.LogCaptureFixture) -> None:
    db = Database(database_url)
    try:
        token = add_user(db, "alex", role="agent", team="Support")
    finally:
        db.dispose()
    server = ServerThread(database_url, heartbeat_seconds=30).start()
    try:
        app = StreamReader(server.url, token)
        wait_for(app.connected, what="the stream's first poke")
        with caplog.at_level("INFO", logger="uvicorn.error"):
            # uvicorn's own handler keeps its records from the root logger: listen there.
            uvicorn_log = logging.getLogger("uvicorn.error")
            uvicorn_log.addHandler(caplog.handler)
            try:
                asked = time.monotonic()
                server.stop()
                took = time.monotonic() - asked
            finally:
                uvicorn_log.removeHandler(caplog.handler)
    finally:
        server.stop()
    app.join()
    problems = [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]
    assert not problems, [r.getMessage() for r in problems]
    assert app.error is None and app.ended_cleanly, app.error
    # A 30 s heartbeat does not hold the stop up: the stream is told at once.
    assert took < STOPS_WITHIN, took
