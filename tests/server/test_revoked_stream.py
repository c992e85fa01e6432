"""Issue 9, "a revoked token's live stream": revoking an account ends its open streams.

The stream is read over raw HTTP from a real server; the account is revoked the way
`deskterm server user revoke` does it, straight in the server's database, so the
server instance learns of it only by looking (as it would from another machine).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable

import httpx

from deskterm.server.accounts import revoke_user
from deskterm.services import customers
from tests.support.servers import RunningServer
from tests.support.sync import Replica, wait_for

#: The finding's bound: revocation ends streams "within a few seconds".
ENDS_WITHIN = 5.0


class StreamReader:
    """GET /api/v1/sync/stream on a thread, keeping every line and when the stream ended."""

    def __init__(self, url: str, token: str) -> None:
        self.url, self.token = url, token
        self.lines: list[str] = []
        self.status: int | None = None
        self.ended_at: float | None = None
        self.error: Exception | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="stream-reader")

    def _run(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        try:
            with httpx.stream("GET", f"{self.url}/api/v1/sync/stream", headers=headers,
                              timeout=httpx.Timeout(10.0)) as response:
                self.status = response.status_code
                for line in response.iter_lines():
                    self.lines.append(line)
                    if self._stop.is_set():  # heartbeats come every second on test servers
                        return
            self.ended_at = time.monotonic()
        except Exception as error:  # kept for the test to look at
            self.error = error

    def start(self) -> StreamReader:
        self._thread.start()
        wait_for(lambda: self.lines or self.error, what="the stream's first poke")
        assert self.error is None and self.status == 200, (self.error, self.status)
        return self

    def pokes(self) -> list[int]:
        return [json.loads(line.removeprefix("data:"))["seq"]
                for previous, line in zip(self.lines, self.lines[1:], strict=False)
                if previous == "event: poke" and line.startswith("data:")]

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


def test_a_revoked_tokens_live_stream_ends_within_seconds(
        server: RunningServer, replica_of: Callable[..., Replica]) -> None:
    blake = replica_of("blake")
    reader = StreamReader(server.url, server.tokens["alex"]).start()
    try:
        revoked_at = time.monotonic()
        revoke_user(server.db, "alex")
        wait_for(lambda: reader.ended_at is not None or reader.error, timeout=ENDS_WITHIN,
                 interval=0.05, what="the revoked token's stream to end")
        assert reader.error is None, reader.error
        assert reader.ended_at is not None and reader.ended_at - revoked_at < ENDS_WITHIN
        assert "event: revoked" in reader.lines, reader.lines

        # Another account's push afterwards reaches the stream no more.
        heard = list(reader.lines)
        customers.create_customer(blake.ctx, name="Jo Jansen")
        head = blake.sync().head
        time.sleep(1.5)  # pokes reach a live stream within a second (test_stream)
        assert reader.lines == heard
        assert all(seq < head for seq in reader.pokes())
    finally:
        reader.stop()
    # And the token opens no new stream.
    answer = httpx.get(f"{server.url}/api/v1/sync/stream", timeout=5,
                       headers={"Authorization": f"Bearer {server.tokens['alex']}"})
    assert answer.status_code == 401 and "revoked" in answer.json()["detail"]
