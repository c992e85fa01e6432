"""What a command runs with: the parser type, options, config, store, acting agent and output."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any, NoReturn

from deskterm.cli.errors import UsageError
from deskterm.cli.language import add_lang_option
from deskterm.cli.output import Output
from deskterm.config import Config
from deskterm.domain.actor import NoActor
from deskterm.i18n import _, language
from deskterm.services import org
from deskterm.services.context import ServiceContext, context_for
from deskterm.store import Store, open_store
from deskterm.store.login import Login, acting_handle, read_login

Handler = Callable[["Run"], None]
Subparsers = Any  # argparse._SubParsersAction: private, so not named in signatures


class DeskParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are raised, so `main` reports them in its one place."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message, self.prog)


@cache
def common_options(spoken: str) -> argparse.ArgumentParser:
    """The global options again, for after the command (`deskterm ticket list --json`),
    with their help in the language `spoken` (made once per language, when a parser is
    built: never at import, before the language is chosen).

    Their defaults are SUPPRESS: a subparser default would overwrite the value the
    same option was given before the command.
    """
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help=_("print JSON instead of tables"))
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                        help=_("the store file (default: DESKTERM_DB, config `db`)"))
    common.add_argument("--as", dest="as_handle", metavar="HANDLE", default=argparse.SUPPRESS,
                        help=_("act as this agent (default: DESKTERM_AGENT, config `agent`)"))
    add_lang_option(common, suppress=True)
    return common


def add_command(subparsers: Subparsers, name: str, handler: Handler, summary: str,
                **kwargs: Any) -> argparse.ArgumentParser:
    """A leaf command that runs `handler`, with the global options accepted after it."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name, help=summary, description=kwargs.pop("description", summary),
        parents=[common_options(language())], **kwargs)
    parser.set_defaults(handler=handler, command_parser=parser)
    return parser


def limit_value(text: str) -> int:
    """An argparse type: a list size, a whole number from 1 to 10,000."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a whole number").format(text=text)) from None
    if not 1 <= value <= 10_000:
        raise argparse.ArgumentTypeError(
            _("{value} is out of range; use 1 to 10000").format(value=value))
    return value


def add_limit(parser: argparse.ArgumentParser, default: int) -> None:
    parser.add_argument("--limit", type=limit_value, default=default, metavar="N",
                        help=_("show at most N (default {default})").format(default=default))


def add_group(subparsers: Subparsers, name: str, summary: str) -> Subparsers:
    """A command group (`ticket`, `kb`, ...). On its own it is a usage error (exit 2) whose
    one stderr line names the group's commands: a script that forgot the command must fail."""
    parser: argparse.ArgumentParser = subparsers.add_parser(name, help=summary,
                                                            description=summary,
                                                            parents=[common_options(language())])
    commands = parser.add_subparsers(title=_("commands"), metavar="COMMAND")

    def missing_command(run: Run) -> None:
        parser.error(_("{group} needs a command: {commands}").format(
            group=parser.prog, commands=", ".join(commands.choices)))

    parser.set_defaults(handler=missing_command)
    return commands


@dataclass
class Run:
    """One invocation: parsed options, config, output, and the store once opened."""

    args: argparse.Namespace
    config: Config
    out: Output
    _store: Store | None = field(default=None, repr=False)

    @property
    def db_path(self) -> Path:
        return Path(self.args.db).expanduser() if self.args.db else self.config.db

    @cached_property
    def login(self) -> Login | None:
        """The store's login (store.login), None when it has none or there is no store."""
        if not self.db_path.exists():
            return None
        self.store()  # made sure of (and upgraded) before its meta is read
        return read_login(self.db_path)

    @property
    def handle(self) -> str:
        """The acting agent's handle: the store's account when it is logged in, else --as,
        else DESKTERM_AGENT, else config `agent`."""
        handle = acting_handle(self.login, self.args.as_handle, self.config.agent)
        if not handle:
            raise NoActor()  # cli.errors says how to name one
        return str(handle)

    @property
    def opened_store(self) -> Store | None:
        """The store if a command opened it, else None."""
        return self._store

    def store(self, *, create: bool = False) -> Store:
        """The store; read commands refuse a missing file instead of making an empty one.

        An agent named with `--as` must exist in it (a fresh store, which holds no agent
        yet, excepted), also for commands that only read: `--as nobody` is a typo to say."""
        if self._store is None:
            self._store = open_store(self.db_path, create=create)
            if self.args.as_handle and org.holds_agents(self._store):
                self.ctx  # noqa: B018 - made (and cached) for what it refuses: NotFound
        return self._store

    @cached_property
    def ctx(self) -> ServiceContext:
        """The service context acting as the agent named by `handle`."""
        return context_for(self.store(), self.handle, currency=self.config.currency)

    @cached_property
    def handles(self) -> dict[str, str]:
        """Agent id -> handle, to show people by the name they type."""
        return {agent.id: agent.handle for agent, _team in org.list_agents(self.store())}

    @cached_property
    def departments(self) -> dict[str, str]:
        """Department id -> code."""
        return {d.id: d.code for d in org.list_departments(self.store())}

    def usage_error(self, message: str) -> NoReturn:
        """Refuse a combination of options argparse cannot express, as a usage error."""
        parser: argparse.ArgumentParser = self.args.command_parser
        parser.error(message)

    def handle_of(self, agent_id: str | None) -> str | None:
        return self.handles.get(agent_id) if agent_id else None

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
