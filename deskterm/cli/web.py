"""`deskterm web`: the workspace in a browser, each session signed in as its own agent."""

from __future__ import annotations

import argparse
import ipaddress

from deskterm.cli.runtime import Run, Subparsers, add_command
from deskterm.domain.errors import DeskError, InvalidInput
from deskterm.i18n import _, language

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def register(subparsers: Subparsers) -> None:
    parser = add_command(
        subparsers, "web", web, _("serve the workspace to a browser"),
        description=_("Serve the workspace to a browser. Each browser session asks its agent "
                      "to sign in with their own token (the one `deskterm server user add` "
                      "printed, as for `deskterm login`), checks it with the desk's server "
                      "and opens that agent's own copy of the desk, kept under the data dir "
                      "and synced with the server. The session speaks the language of this "
                      "command (--lang)."))
    parser.add_argument("--host", default=DEFAULT_HOST,
                        help=_("the address to listen on (default {host}: this machine "
                               "only)").format(host=DEFAULT_HOST))
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT,
                        help=_("the port to listen on (default {port})").format(
                            port=DEFAULT_PORT))
    parser.add_argument("--server", metavar="URL",
                        help=_("the desk's server to sign in with (default: the configured "
                               "server)"))
    parser.add_argument("--public", action="store_true",
                        help=_("allow an address other than this machine's own: anyone who "
                               "can reach the port can try tokens, so put TLS in front"))
    parser.add_argument("--public-url", metavar="URL",
                        help=_("the address browsers use, e.g. https://desk.example.org "
                               "behind a TLS proxy (default: http://HOST:PORT)"))


def _port(text: str) -> int:
    """An argparse type: a TCP port, 1 to 65535."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a port number").format(text=text)) from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(
            _("{port} is not a port; use 1 to 65535").format(port=port))
    return port


def is_loopback(host: str) -> bool:
    """Whether `host` is this machine's own address, reachable from nowhere else."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may resolve to any address


def _is_any_address(host: str) -> bool:
    """Whether `host` means every address of the machine (0.0.0.0, ::), which no browser
    can connect to by that name."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def web(run: Run) -> None:
    args = run.args
    server = (args.server or run.config.server or "").rstrip("/")
    if not server:
        raise InvalidInput(_("no server to sign in with: give --server URL, or set "
                             "DESKTERM_SERVER or `server` in the config file"))
    if not server.startswith(("http://", "https://")):
        raise InvalidInput(_("'{server}' is not a server URL: start it with http:// or "
                             "https://").format(server=server))
    loopback = is_loopback(args.host)
    if not loopback and not args.public:
        run.usage_error(_("{host} is reachable from other machines, where anyone who can "
                          "reach port {port} can try tokens: add --public to mean it, and "
                          "put TLS in front (a proxy with https, then --public-url)")
                        .format(host=args.host, port=args.port))
    public_url = args.public_url
    if public_url is not None and not public_url.startswith(("http://", "https://")):
        raise InvalidInput(_("'{url}' is not a URL: start it with http:// or https://")
                           .format(url=public_url))
    if public_url is None and _is_any_address(args.host):
        run.usage_error(_("with --host {host} (every address of this machine), give "
                          "--public-url: the address browsers reach it at").format(
                              host=args.host))
    if public_url is None:
        host = f"[{args.host}]" if ":" in args.host else args.host
        public_url = f"http://{host}:{args.port}"
    if not loopback:
        run.out.hint(_("deskterm web: warning: listening on {host}: anyone who can reach "
                       "port {port} can try tokens; serve it to browsers only through TLS")
                     .format(host=args.host, port=args.port))
    from deskterm.ui.web.serve import serve

    try:
        serve(server, language(), host=args.host, port=args.port,
              public_url=public_url.rstrip("/"), loopback=loopback)
    except OSError as error:  # the port is taken, or the address is not this machine's
        raise DeskError(_("cannot listen on {host} port {port}: {reason}").format(
            host=args.host, port=args.port, reason=error.strerror or error)) from None
