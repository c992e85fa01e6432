"""Run the server (and its mail intake): in the foreground (`deskterm serve`) or on a thread
(tests, benchmarks)."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import uvicorn

from deskterm.server.app import create_app
from deskterm.server.mail.intake import MailService
from deskterm.server.settings import Settings, load


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def uvicorn_config(settings: Settings) -> uvicorn.Config:
    app = create_app(settings=settings)
    # A request still running a second after shutdown began is cut (DeskServer ends the
    # streams before that, so only a stuck request would be).
    return uvicorn.Config(app, host=settings.host, port=settings.port,
                          log_level=settings.log_level, lifespan="on",
                          timeout_graceful_shutdown=1, access_log=False)


class DeskServer(uvicorn.Server):
    """uvicorn's server, which ends the open event streams first when it stops.

    uvicorn waits for open responses before the app's lifespan shutdown, and an event
    stream never ends by itself: it would be cancelled after the grace period, with an
    ERROR and a traceback per connected app. So the streams are told first (the
    notifier's `close`); each ends its response, and the stop is quiet and quick.
    """

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        state = getattr(self.config.app, "state", None)
        notifier = getattr(state, "notifier", None)
        if notifier is not None:
            await notifier.close()
        await super().shutdown(sockets)


def start_mail(config: uvicorn.Config) -> MailService:
    """The mail intake of every desk mailbox, beside the API (server.mail.intake), on the
    app's database; what it writes pokes the app's streams like a push."""
    state: Any = getattr(config.app, "state")  # noqa: B009  (the FastAPI app's; see create_app)
    return MailService(state.db, notify=state.notifier.publish_threadsafe).start()


def serve(settings: Settings) -> None:
    """Run the server, and its mail intake, in the foreground until Ctrl-C (or SIGTERM)."""
    config = uvicorn_config(settings)
    mail = start_mail(config)
    try:
        DeskServer(config).run()
    finally:
        mail.stop()


class ServerThread:
    """A real server on a loopback port, on a background thread, until `stop()`.

    `settings` are any `Settings` fields (max_body_bytes=..., say); `mail` runs the mail
    intake beside it as `deskterm serve` does.
    """

    def __init__(self, database_url: str, *, port: int | None = None,
                 heartbeat_seconds: float = 1.0, mail: bool = False, **settings: Any) -> None:
        self.database_url = database_url
        self.mail = mail
        self._mail: MailService | None = None
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._settings = dict(heartbeat_seconds=heartbeat_seconds, **settings)
        self._server: DeskServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> ServerThread:
        config = uvicorn_config(load(database_url=self.database_url, host="127.0.0.1",
                                     port=self.port, log_level="warning", **self._settings))
        self._server = DeskServer(config)
        self._mail = start_mail(config) if self.mail else None
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
    def state(self) -> Any:
        """The app's state (its database, notifier, log tail: see create_app)."""
        assert self._server is not None
        return getattr(self._server.config.app, "state")  # noqa: B009  (see start_mail)

    @property
    def app(self) -> Any:
        assert self._server is not None
        return self._server.config.loaded_app if hasattr(self._server.config, "loaded_app") \
            else self._server.config.app

    def stop(self) -> None:
        if self._mail is not None:
            self._mail.stop()
            self._mail = None
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
