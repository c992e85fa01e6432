"""The command line: parser, global options, dispatch, and the one place errors become exit codes.

Every failure ends as exactly one line on stderr, `deskterm: error: ...`, and an exit
status: 2 for usage errors (a wrong command line, or input a service calls invalid:
bad amounts, choices, periods), 1 for refused operations (not found, forbidden,
conflicts, not enough budget, store trouble, no acting agent), 130 after Ctrl-C,
141 when the reader of our output went away, 70 for a bug (`DESKTERM_DEBUG=1` adds
the traceback).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sqlite3
import sys
import traceback
from collections.abc import Sequence

from sqlalchemy.exc import OperationalError

from deskterm import __version__
from deskterm.cli import (
    agents,
    bench,
    contacts,
    customers,
    demo,
    goodwill,
    kb,
    kudos,
    mood,
    tickets,
)
from deskterm.cli.output import Output, one_line
from deskterm.cli.runtime import DeskParser, Run, UsageError
from deskterm.config import load_config
from deskterm.domain.errors import DeskError, InvalidInput

EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

#: The command groups, in the order `deskterm --help` lists them.
COMMAND_MODULES = (demo, agents, customers, tickets, contacts, kb, goodwill, mood, kudos, bench)

_EPILOG = """\
The global options may also follow the command: deskterm ticket list --json.
Acting agent: --as, else DESKTERM_AGENT, else `agent` in the config file
(DESKTERM_CONFIG points at another one). Store: --db, else DESKTERM_DB, else `db`.
JSON: times ISO 8601 UTC, money {"amount": "12.50", "currency": "EUR", "cents": 1250}.
Exit status: 0 done, 1 refused, 2 usage error, 70 internal error, 130 interrupted."""


def build_parser() -> DeskParser:
    parser = DeskParser(
        prog="deskterm", epilog=_EPILOG,
        description="A terminal workspace for service-desk agents: ticket queue, customer\n"
        "history, knowledge base and goodwill budget.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"deskterm {__version__}")
    parser.add_argument("--db", metavar="PATH", help="the store file")
    parser.add_argument("--as", dest="as_handle", metavar="HANDLE", help="act as this agent")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.add_argument("--demo", action="store_true",
                        help="use the demo desk (made on first use) as its demo agent")
    parser.set_defaults(handler=None)
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command line; returns the exit status (the console script exits with it)."""
    try:
        _dispatch(list(sys.argv[1:] if argv is None else argv))
        sys.stdout.flush()  # a closed pipe must surface here, inside our handlers
        return 0
    except SystemExit as stop:  # --help and --version
        return stop.code if isinstance(stop.code, int) else 0
    except UsageError as error:
        return _fail(str(error), EXIT_USAGE)
    except InvalidInput as error:
        return _fail(error.message, EXIT_USAGE)
    except DeskError as error:
        return _fail(error.message, EXIT_REFUSED)
    except (sqlite3.OperationalError, OperationalError) as error:
        cause = getattr(error, "orig", None) or error
        return _fail(f"the store cannot be used right now: {cause}", EXIT_REFUSED)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as error:
        if os.environ.get("DESKTERM_DEBUG") == "1":
            traceback.print_exc()
        return _fail(f"{type(error).__name__}: {error}", EXIT_INTERNAL, prefix="internal error")


def _dispatch(argv: list[str]) -> None:
    parser = build_parser()
    args = parser.parse_args(argv)
    run = Run(args, load_config(), Output(args.json))
    try:
        if args.demo:
            demo.use_demo_store(run)
        if args.handler is None:
            _no_command(run)
        else:
            args.handler(run)
    finally:
        run.close()


def _no_command(run: Run) -> None:
    """Plain `deskterm`: the workspace on the configured store (`--demo`: the demo desk)."""
    if not run.db_path.exists():
        raise DeskError(f"no store at {run.db_path} yet: try `deskterm --demo` for a demo "
                        "desk, or `deskterm demo` to fill this one")
    if not sys.stdout.isatty():
        raise DeskError("the workspace needs a terminal; use a command, e.g. `deskterm ticket "
                        "list`, when piping")
    from deskterm.ui.app import run_app

    run_app(run.config, run.db_path, run.args.as_handle or run.config.agent)


def _fail(message: str, code: int, *, prefix: str = "error") -> int:
    with contextlib.suppress(BrokenPipeError, ValueError):
        print(f"deskterm: {prefix}: {one_line(message)}", file=sys.stderr)
    return code


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # stdout is not a file (tests capture it): nothing will flush it at exit
