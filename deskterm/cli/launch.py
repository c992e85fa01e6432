"""The quick way into the workspace: `deskterm [--db PATH] [--as HANDLE] [--demo] [--lang L]`.

Opening the workspace needs none of the command modules (nor the services and SQLModel
under them), so when the command line holds only these global options the entry point
comes here first, and the first frame does not wait for those imports.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence
from pathlib import Path

from deskterm import locations
from deskterm.config import Config, load_config
from deskterm.domain.errors import DeskError
from deskterm.i18n import _, language

#: The demo desk's agent (deskterm.demo.DEFAULT_AGENT, repeated so launching stays light).
DEMO_AGENT = "alex"


def workspace_options(argv: Sequence[str]) -> dict[str, str] | None:
    """The global options when `argv` holds nothing else; None when the full CLI must run."""
    options: dict[str, str] = {}
    words = list(argv)
    while words:
        word = words.pop(0)
        name, equals, value = word.partition("=")
        if name in ("--db", "--as", "--lang"):
            if not equals:
                if not words:
                    return None  # let the full parser say what is missing
                value = words.pop(0)
            options[name[2:]] = value
        elif word == "--demo":
            options["demo"] = "yes"
        else:
            return None  # a command, --help, --version, --json or a typo: the full CLI
    return options


def launch(options: dict[str, str]) -> int | None:
    """Open the workspace; None when the full CLI must run first (to make the demo desk)."""
    config = load_config()
    if options.get("demo"):
        path = locations.demo_store_path(language())
        if not path.exists():
            return None
        handle: str | None = options.get("as") or DEMO_AGENT
    else:
        path = Path(options["db"]).expanduser() if options.get("db") else config.db
        handle = options.get("as")  # else the store's login, else config `agent`
    open_workspace(config, path, handle)
    return 0


def open_workspace(config: Config, path: Path, handle: str | None) -> None:
    """Run the Textual workspace on the store at `path` as `handle`."""
    if not path.exists():
        raise DeskError(_("no store at {path} yet: try `deskterm --demo` for a demo desk, "
                          "or `deskterm demo` to fill this one").format(path=path))
    if not sys.stdout.isatty():
        raise DeskError(_("the workspace needs a terminal; use a command, e.g. `deskterm "
                          "ticket list`, when piping"))
    # No garbage collection until the first frame is painted (the workspace turns it on
    # again, `settle_collector`): starting makes some 30,000 objects, hardly any garbage,
    # and the collector would walk them again and again meanwhile.
    gc.disable()
    try:
        from deskterm.ui.app import run_app

        run_app(config, path, handle)
    finally:
        gc.enable()
