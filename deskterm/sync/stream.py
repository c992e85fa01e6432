"""An HTTP transport whose open responses can be cut from another thread (`sync.loop`).

The live poke stream blocks in a socket read between heartbeats (15 s on a real server),
so a flag the reading thread checks between lines cannot stop it promptly. Shutting the
socket down can: the blocked read returns at once and httpx raises a transport error,
which the listening thread takes as its cue to stop.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import Any

import httpx


class InterruptibleTransport(httpx.HTTPTransport):
    """`httpx.HTTPTransport` that remembers the sockets of open responses."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._lock = threading.Lock()
        self._streams: list[Any] = []
        self._interrupted = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        stream = response.extensions.get("network_stream")
        if stream is not None:
            with self._lock:
                self._streams = [s for s in self._streams if _socket_of(s) is not None]
                self._streams.append(stream)
                late = self._interrupted
            if late:  # interrupted while this request was on its way: cut it too
                _shut(stream)
        return response

    def interrupt(self) -> None:
        """Cut every open response and any that opens from now on."""
        with self._lock:
            self._interrupted = True
            streams, self._streams = self._streams, []
        for stream in streams:
            _shut(stream)


def _socket_of(stream: Any) -> socket.socket | None:
    try:
        found = stream.get_extra_info("socket")
    except Exception:  # a closed stream may not answer
        return None
    return found if isinstance(found, socket.socket) and found.fileno() != -1 else None


def _shut(stream: Any) -> None:
    sock = _socket_of(stream)
    if sock is not None:
        with contextlib.suppress(OSError):  # already closed by the peer: nothing to cut
            sock.shutdown(socket.SHUT_RDWR)
