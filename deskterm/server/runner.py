"""Run the server: in the foreground (`deskterm serve`) or on a thread (tests, benchmarks)."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import uvicorn

from deskterm.server.app import create_app
from deskterm.server.settings import Settings, load


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def uvicorn_config(settings: Settings) -> uvicorn.Config:
    app = create_app(settings=settings)
    # Open streams end within a second of shutdown instead of holding it up.
    return uvicorn.Config(app, host=settings.host, port=settings.port,
                          log_level=settings.log_level, lifespan="on",
                          timeout_graceful_shutdown=1, access_log=False)


class ServerThread:
    """A real server on a loopback port, on a background thread, until `stop()`.

    `settings` are any `Settings` fields (max_body_bytes=..., say).
    """

    def __init__(self, database_url: str, *, port: int | None = None,
                 heartbeat_seconds: float = 1.0, **settings: Any) -> None:
        self.database_url = database_url
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._settings = dict(heartbeat_seconds=heartbeat_seconds, **settings)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> ServerThread:
        config = uvicorn_config(load(database_url=self.database_url, host="127.0.0.1",
                                     port=self.port, log_level="warning", **self._settings))
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True,
                                        name=f"deskterm-server-{self.port}")
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the server on port {self.port} did not start")
            time.sleep(0.01)
        return self

    @property
    def app(self) -> Any:
        assert self._server is not None
        return self._server.config.loaded_app if hasattr(self._server.config, "loaded_app") \
            else self._server.config.app

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(timeout=10)
        if self._thread.is_alive():
            self._server.force_exit = True
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()
