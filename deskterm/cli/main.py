"""The command line: the parser, its global options and dispatch (failures: cli/errors.py)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from deskterm import __version__
from deskterm.cli import (
    agents,
    attachments,
    bench,
    contacts,
    customers,
    demo,
    feedback,
    goodwill,
    groups,
    kb,
    kudos,
    lead,
    mood,
    promises,
    server,
    tickets,
    web,
)
from deskterm.cli import sync as login_sync
from deskterm.cli.errors import UsageError, run_guarded
from deskterm.cli.language import add_lang_option, start_language
from deskterm.cli.launch import open_workspace
from deskterm.cli.output import Output
from deskterm.cli.runtime import DeskParser, Run
from deskterm.config import load_config
from deskterm.i18n import N_, _
from deskterm.store.files import damaged, is_damage

#: The command groups, in the order `deskterm --help` lists them.
COMMAND_MODULES = (demo, agents, customers, tickets, attachments, groups, contacts, kb, goodwill,
                   mood, kudos, lead, feedback, promises, login_sync, server, web, bench)

_EPILOG = N_("""\
The global options may also follow the command: deskterm ticket list --json.
Acting agent: --as, else DESKTERM_AGENT, else `agent` in the config file
(DESKTERM_CONFIG points at another one). Store: --db, else DESKTERM_DB, else `db`.
Language: --lang nl or en, else DESKTERM_LANG, else `language`, else the system locale.
JSON: times ISO 8601 UTC, money {"amount": "12.50", "currency": "EUR", "cents": 1250}.
Exit status: 0 done, 1 refused (also: sync had changes rejected), 2 usage error (also: a
command group without its command), 70 internal error, 130 interrupted.""")


def build_parser() -> DeskParser:
    parser = DeskParser(
        prog="deskterm", epilog=_(_EPILOG),
        description=_("A terminal workspace for service-desk agents: ticket queue, customer\n"
        "history, knowledge base and goodwill budget."),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"deskterm {__version__}",
                        help=_("show program's version number and exit"))
    parser.add_argument("--db", metavar="PATH", help=_("the store file"))
    parser.add_argument("--as", dest="as_handle", metavar="HANDLE", help=_("act as this agent"))
    parser.add_argument("--json", action="store_true", help=_("print JSON instead of tables"))
    parser.add_argument("--demo", action="store_true",
                        help=_("use the demo desk (made on first use) as its demo agent"))
    add_lang_option(parser)
    parser.set_defaults(handler=None)
    subparsers = parser.add_subparsers(title=_("commands"), metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command line; returns the exit status (the console script exits with it)."""
    args = list(sys.argv[1:] if argv is None else argv)

    def dispatch() -> int:
        _refuse_undecodable(args)
        start_language(args)
        _dispatch(args)
        sys.stdout.flush()  # a closed pipe must surface here, inside the guard
        return 0

    return run_guarded(dispatch)


def _refuse_undecodable(argv: list[str]) -> None:
    """An argument that is not UTF-8 (the shell passed raw bytes) is a usage error: Python
    keeps such bytes as lone surrogates, which no store can hold."""
    for number, word in enumerate(argv, start=1):
        try:
            word.encode("utf-8")
        except UnicodeEncodeError:
            shown = word.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            raise UsageError(_("argument {number} ({shown!r}) is not valid UTF-8 text").format(
                number=number, shown=shown), "deskterm") from None


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
    except Exception as error:
        if not is_damage(error):
            raise
        # A write commits whole or not at all: say which, so nobody does it twice.
        store = run.opened_store
        raise damaged(run.db_path, error, saved=bool(store and store.commits)) from None
    finally:
        run.close()


def _no_command(run: Run) -> None:
    """Plain `deskterm`: the workspace on the configured store (`--demo`: the demo desk)."""
    open_workspace(run.config, run.db_path, run.args.as_handle)
