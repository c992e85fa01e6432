"""`deskterm web`'s server: textual-serve, starting one app process per browser session.

Each browser that connects gets its own `python -m deskterm.ui.web` process, which asks
for the agent's token on its sign-in screen; nothing secret is on that process's command
line or in its environment (the serving process's own DESKTERM_TOKEN is not passed on).
"""

from __future__ import annotations

import os
import shlex
import sys
from urllib.parse import urlsplit

from aiohttp import web
from textual_serve.server import Server

from deskterm.i18n import _

#: Variables that name the serving person's own account or store: a browser session is
#: whoever signs in to it, never them.
PERSONAL_VARIABLES = ("DESKTERM_TOKEN", "DESKTERM_AGENT", "DESKTERM_DB", "DESKTERM_SERVER")
#: The names a browser may use for this machine when the port is bound to loopback.
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def session_command(server: str, language: str) -> str:
    """The shell command (textual-serve runs it through a shell) of one browser session."""
    return shlex.join([sys.executable, "-m", "deskterm.ui.web", "--server", server,
                       "--lang", language])


class WorkspaceServer(Server):
    """textual-serve, refusing sessions opened from other sites' pages.

    A page of another site, open in an agent's browser, could otherwise open sessions on
    this port: the browser sends the page's origin with a websocket, and only this
    server's own pages (its public URL; on loopback, any loopback name at this port) may.
    """

    def __init__(self, server: str, language: str, *, host: str, port: int,
                 public_url: str | None, loopback: bool) -> None:
        super().__init__(session_command(server, language), host=host, port=port,
                         title="deskterm", public_url=public_url)  # untranslated: the app's name
        self.desk_server = server
        origins = {_origin(self.public_url)}
        if loopback:
            origins |= {f"http://{name}:{port}" for name in LOOPBACK_NAMES}
        self.allowed_origins = frozenset(origins)

    async def on_startup(self, app: web.Application) -> None:
        self.console.print(
            _("deskterm web: the workspace on {url}, signing in with the desk's server "
              "{server}. Ctrl+C stops it.").format(url=self.public_url,
                                                   server=self.desk_server),
            markup=False, highlight=False)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        origin = request.headers.get("Origin")
        if origin is not None and origin.rstrip("/") not in self.allowed_origins:
            raise web.HTTPForbidden(text="a session may be opened only from this server's "
                                    "own page")
        return await super().handle_websocket(request)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def serve(server: str, language: str, *, host: str, port: int, public_url: str | None,
          loopback: bool) -> None:
    """Serve the workspace until Ctrl+C (or SIGTERM)."""
    for name in PERSONAL_VARIABLES:
        os.environ.pop(name, None)
    os.environ["DESKTERM_LANG"] = language
    WorkspaceServer(server, language, host=host, port=port, public_url=public_url,
                    loopback=loopback).serve()

