"""`deskterm demo` and `deskterm --demo`: fill a store with a generated demo desk."""

from __future__ import annotations

import sys
import time
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

from deskterm import locations
from deskterm.cli.runtime import Run, Subparsers, add_command
from deskterm.domain.errors import DeskError
from deskterm.i18n import N_, _, language
from deskterm.i18n.formats import number
from deskterm.store import open_store

DEFAULT_TICKETS = 20_000
DEFAULT_SEED = 7
#: The demo summary's card: each count's label (the summary's field names stay English).
SUMMARY_LABELS = {"teams": N_("Teams"), "departments": N_("Departments"),
                  "agents": N_("Agents"), "customers": N_("Customers"),
                  "tickets": N_("Tickets"), "contacts": N_("Contacts"),
                  "articles": N_("Articles"), "ledger_entries": N_("Ledger entries"),
                  "moods": N_("Moods"), "kudos": N_("Kudos")}
#: Without a terminal, progress within one stage is printed at most this often.
QUIET_SECONDS = 5.0


def register(subparsers: Subparsers) -> None:
    parser = add_command(
        subparsers, "demo", demo, _("fill the store with a demo desk"),
        description=_("Fill the store (--db, DESKTERM_DB, config `db` or the default) with a "
        "generated demo desk: agents, customers, tickets, contacts, KB, ledgers. The store "
        "must be empty. Progress goes to stderr."))
    parser.add_argument("--tickets", type=int, default=DEFAULT_TICKETS, metavar="N",
                        help=_("how many tickets (default {count})").format(
                            count=number(DEFAULT_TICKETS)))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="S",
                        help=_("random seed: the same seed makes the same desk (default "
                               "{seed})").format(seed=DEFAULT_SEED))


def demo(run: Run) -> None:
    summary = fill(run.db_path, tickets=run.args.tickets, seed=run.args.seed)
    counts = _summary_dict(summary)
    if run.out.as_json:
        run.out.json({"db": str(run.db_path), **counts})
    else:
        seconds = counts.pop("seconds", None)
        title = (_("Demo desk in {path} ({seconds} s)") if isinstance(seconds, float | int)
                 else _("Demo desk in {path}"))
        run.out.card([(_summary_label(name), number(value)
                       if isinstance(value, int) else str(value))
                      for name, value in counts.items()],
                     title=title.format(path=run.db_path, seconds=number(seconds or 0, 1)))
    if not (run.args.as_handle or run.config.agent):
        agent = _default_agent()
        run.out.hint(_("act as the demo agent with --as {agent} (or set DESKTERM_AGENT={agent}), "
                       "e.g. deskterm --as {agent} ticket list --mine").format(agent=agent))


def _summary_label(name: str) -> str:
    label = SUMMARY_LABELS.get(name)
    return _(label) if label else name.replace("_", " ").capitalize()


def use_demo_store(run: Run) -> None:
    """`deskterm --demo`: the demo store (filled once, on first use), acting as the demo agent."""
    path = locations.demo_store_path(language())
    if not path.exists():
        run.out.hint(_("making the demo desk in {path} (once)...").format(path=path))
        fill(path, tickets=DEFAULT_TICKETS, seed=DEFAULT_SEED)
    run.args.db = str(path)
    run.args.as_handle = run.args.as_handle or _default_agent()


def fill(path: Path, *, tickets: int, seed: int) -> object:
    """Generate the demo into the store at `path`; a store this call made is removed on failure."""
    try:
        from deskterm.demo import generate_demo
    except ImportError as error:
        raise DeskError(_("the demo generator is not available in this build ({error})").format(
            error=error)) from None
    existed = path.exists()
    store = open_store(path, create=True)
    done = False
    try:
        with Progress() as progress:
            summary = generate_demo(store, tickets=tickets, seed=seed, progress=progress)
        done = True
        return summary
    finally:
        store.close()
        if not done and not existed:  # leave nothing behind: no half-filled or empty store
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)


def _default_agent() -> str:
    try:
        from deskterm.demo import DEFAULT_AGENT
    except ImportError:
        return "alex"
    return str(DEFAULT_AGENT)


def _summary_dict(summary: object) -> dict[str, Any]:
    if is_dataclass(summary) and not isinstance(summary, type):
        return asdict(summary)
    return dict(vars(summary))


class Progress:
    """The generator's progress messages on stderr: one updating line on a terminal;
    otherwise a line per stage ("customers ...", "tickets ...", "indexing", ...) and,
    within a long stage, one every few seconds. A message's stage is its `stage` (the
    demo generator's Step, the same in every language), else its first word."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.stage = ""
        self.shown_at = 0.0

    def __call__(self, message: str) -> None:
        # The demo generator's lines carry their stage (a Step); others (bench's) start with it.
        stage = getattr(message, "stage", None) or message.split(" ", 1)[0]
        now = time.monotonic()
        if stage != self.stage or now - self.shown_at >= (0.1 if self.tty else QUIET_SECONDS):
            sys.stderr.write(f"\r\x1b[2K{message}" if self.tty else f"{message}\n")
            sys.stderr.flush()
            self.shown_at = now
        self.stage = stage

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.tty and self.stage:
            sys.stderr.write("\n")
