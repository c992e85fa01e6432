"""`deskterm bench`: measure deskterm's speed (`bench ui`, `bench sync`, `bench memory`...).

`deskterm.bench` is imported only when a bench command runs: the app's import graph
keeps it out (the import contract in pyproject.toml). The sizes a bench takes, and
their defaults, are this command's options.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from deskterm.cli.demo import Progress
from deskterm.cli.runtime import Run, Subparsers, add_command, add_group
from deskterm.i18n import _
from deskterm.i18n.formats import number

#: `bench ui`: tickets in the store made when there is none, rounds per figure, rows
#: of the stock DataTable baseline.
DEFAULT_TICKETS = 1_000_000
DEFAULT_ROUNDS = 5
DEFAULT_BASELINE_ROWS = 100_000
#: `bench sync`: changes the new replica pulls, simulated agents, seconds of load,
#: round trips from A to B.
DEFAULT_CHANGES = 100_000
DEFAULT_AGENTS = 200
DEFAULT_SECONDS = 60
DEFAULT_SYNC_ROUNDS = 50
#: The environment variable the tests read; the benchmark's default PostgreSQL server.
PG_VARIABLE = "DESKTERM_TEST_PG_URL"

MAX_TICKETS = 5_000_000
MAX_ROUNDS = 100
MAX_BASELINE_ROWS = 1_000_000
MAX_CHANGES = 10_000_000
MAX_AGENTS = 2000
MAX_SECONDS = 3600
MAX_SYNC_ROUNDS = 1000
MAX_INSTANCES = 8
#: `bench search`: generated articles, rounds per figure.
DEFAULT_ARTICLES = 100_000
MAX_ARTICLES = 1_000_000
DEFAULT_SEARCH_ROUNDS = 10
#: `bench memory`: keys sent (full, --quick).
DEFAULT_MEMORY_KEYS = 20_000
QUICK_MEMORY_KEYS = 3000
MAX_MEMORY_KEYS = 1_000_000
#: `bench mail`: queued messages.
DEFAULT_MAIL_MESSAGES = 10_000
MAX_MAIL_MESSAGES = 1_000_000


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high`."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                _("'{text}' is not a whole number").format(text=text)) from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                _("{value} is out of range; use {low} to {high}").format(
                    value=value, low=number(low), high=number(high)))
        return value

    return parse


def register(subparsers: Subparsers) -> None:
    group = add_group(subparsers, "bench", _("measure deskterm's speed"))
    parser = add_command(
        group, "ui", bench_ui, _("time the workspace's first frame and keys, and its memory"),
        description=_("Time the workspace on a big demo store: from process start to the first "
        "interactive frame, and from a key press in the queue to the repaint, with its "
        "memory; beside them, the same for a minimal Textual app and a stock DataTable. "
        "The store is --db (made with the demo generator when missing), else a demo store "
        "cached per size; DESKTERM_DB and the config's `db` are not used, so that an "
        "agent's own store is never measured by accident. The app acts as --as (default "
        "alex, the demo's agent). Progress goes to stderr; it takes a few minutes."))
    parser.add_argument("--tickets", type=whole_number(1, MAX_TICKETS), default=DEFAULT_TICKETS,
                        metavar="N", help=_("tickets in the store to make when there is none "
                        "(default {default})").format(default=number(DEFAULT_TICKETS)))
    parser.add_argument("--rounds", type=whole_number(1, MAX_ROUNDS), default=DEFAULT_ROUNDS,
                        metavar="R", help=_("rounds per figure (default {default})").format(
                            default=number(DEFAULT_ROUNDS)))
    parser.add_argument("--baseline-rows", type=whole_number(1, MAX_BASELINE_ROWS),
                        default=DEFAULT_BASELINE_ROWS, metavar="N",
                        help=_("rows of the stock DataTable (default {default})").format(
                            default=number(DEFAULT_BASELINE_ROWS)))
    _register_sync(group)
    _register_mail(group)
    _register_search(group)
    _register_memory(group)
    _register_all(group)


def _register_search(group: Subparsers) -> None:
    parser = add_command(
        group, "search", bench_search, _("time knowledge-base search on many articles, "
        "beside the bare full-text query"),
        description=_("Time knowledge-base search on a store of generated articles in English "
        "and Dutch (made once and cached per size, or --db): the top 20 with highlighted "
        "snippets for a set of queries, beside the bare FTS5 query for the same text in the "
        "same run; and search as you type in the KB pane, from the last key to the results "
        "on screen. Progress goes to stderr."))
    parser.add_argument("--articles", type=whole_number(1, MAX_ARTICLES),
                        default=DEFAULT_ARTICLES, metavar="N",
                        help=_("generated articles in the store (default {default})").format(
                            default=number(DEFAULT_ARTICLES)))
    parser.add_argument("--rounds", type=whole_number(1, MAX_ROUNDS),
                        default=DEFAULT_SEARCH_ROUNDS, metavar="R",
                        help=_("rounds per figure (default {default})").format(
                            default=number(DEFAULT_SEARCH_ROUNDS)))


def _register_memory(group: Subparsers) -> None:
    parser = add_command(
        group, "memory", bench_memory, _("measure memory over a shift of keys, beside a "
        "stock DataTable"),
        description=_("Send the workspace a shift of keys through every pane and screen "
        "(queue, a ticket, history, knowledge base, goodwill, your own screens, the command "
        "palette) on a demo store, and sample its resident memory as it goes; beside it, the "
        "same number of keys on a minimal Textual app with a stock DataTable, in the same "
        "run. The figure is the growth after the first 1,000 keys. Progress goes to stderr."))
    parser.add_argument("--keys", type=whole_number(1, MAX_MEMORY_KEYS), metavar="N",
                        help=_("keys to send (default {default}, {quick} with --quick)").format(
                            default=number(DEFAULT_MEMORY_KEYS),
                            quick=number(QUICK_MEMORY_KEYS)))
    parser.add_argument("--quick", action="store_true",
                        help=_("fewer keys on a smaller store"))
    parser.add_argument("--trace", action="store_true",
                        help=_("also find where what was kept was allocated (tracemalloc; "
                               "slower)"))


def _register_all(group: Subparsers) -> None:
    parser = add_command(
        group, "all", bench_all, _("run every benchmark and write one report"),
        description=_("Run every benchmark (ui, sync, search, writes, import, memory and a "
        "bigger desk of 2,000 agents on two server instances) and write one Markdown and one "
        "JSON report into --out: each figure beside its baseline from the same run, the "
        "ratio, the goal and whether it was met, and the machine. PostgreSQL: --database-url "
        "(default: {variable}); without one its parts are skipped. With --quick every part "
        "runs at a smaller scale.").format(variable=PG_VARIABLE))
    parser.add_argument("--quick", action="store_true",
                        help=_("a smaller scale of every part (fits in 20 minutes on 2 cores)"))
    parser.add_argument("--out", metavar="DIR", default="bench-report",
                        help=_("the folder the reports are written to (default {default})")
                        .format(default="bench-report"))
    parser.add_argument("--database-url", metavar="URL",
                        help=_("a PostgreSQL server to make the benchmarks' databases on "
                               "(default: {variable})").format(variable=PG_VARIABLE))


def _register_mail(group: Subparsers) -> None:
    parser = add_command(
        group, "mail", bench_mail, _("time the mail intake beside a bare IMAP FETCH"),
        description=_("Queue messages in a throwaway Dovecot on a loopback port (Debian's "
        "dovecot-imapd must be installed) and time, in the same run, fetching them all over "
        "IMAP alone and the server's intake taking them all (parse, one transaction each, "
        "flag), in messages per second. The server database is a fresh SQLite file, or a "
        "PostgreSQL database made on the server --database-url names."))
    parser.add_argument("--messages", type=whole_number(1, MAX_MAIL_MESSAGES),
                        default=DEFAULT_MAIL_MESSAGES, metavar="N",
                        help=_("queued messages (default {default})").format(
                            default=number(DEFAULT_MAIL_MESSAGES)))
    parser.add_argument("--database-url", metavar="URL",
                        help=_("a PostgreSQL server to make the benchmark's database on "
                               "(default: a SQLite file)"))


def _register_sync(group: Subparsers) -> None:
    parser = add_command(
        group, "sync", bench_sync, _("time sync on loopback, beside plain SQL, on SQLite and "
        "PostgreSQL"),
        description=_("Time the sync protocol against a real server on a loopback port, over "
        "a fresh SQLite file and a fresh PostgreSQL database: a new replica's first pull of "
        "the log, one change's round trip from agent A to agent B (push, poke, pull), and "
        "many simulated agents syncing every 2 s. Beside each, the same rows written or read "
        "with plain SQL in the same run. PostgreSQL: a database is made on the server "
        "--database-url names (default: {variable}) and dropped afterwards; without one "
        "PostgreSQL is skipped. Progress goes to stderr; the default sizes take several "
        "minutes.").format(variable=PG_VARIABLE))
    parser.add_argument("--database-url", metavar="URL",
                        help=_("a PostgreSQL server to make the benchmark's database on, "
                        "e.g. {example} (default: {variable})").format(
                            example="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
                            variable=PG_VARIABLE))
    parser.add_argument("--changes", type=whole_number(1, MAX_CHANGES), default=DEFAULT_CHANGES,
                        metavar="N", help=_("changes in the log the new replica pulls "
                        "(default {default})").format(default=number(DEFAULT_CHANGES)))
    parser.add_argument("--agents", type=whole_number(1, MAX_AGENTS), default=DEFAULT_AGENTS,
                        metavar="N", help=_("simulated agents in the load "
                        "(default {default})").format(default=number(DEFAULT_AGENTS)))
    parser.add_argument("--seconds", type=whole_number(1, MAX_SECONDS), default=DEFAULT_SECONDS,
                        metavar="S", help=_("how long the load runs, in seconds "
                        "(default {default})").format(default=number(DEFAULT_SECONDS)))
    parser.add_argument("--rounds", type=whole_number(1, MAX_SYNC_ROUNDS),
                        default=DEFAULT_SYNC_ROUNDS, metavar="R",
                        help=_("round trips from A to B (default {default})").format(
                            default=number(DEFAULT_SYNC_ROUNDS)))
    parser.add_argument("--instances", type=whole_number(1, MAX_INSTANCES), default=1,
                        metavar="N", help=_("server instances on the one database; the "
                        "load's agents are spread over them (default {default})").format(
                            default=number(1)))


def bench_ui(run: Run) -> None:
    from deskterm.bench.report import note, render
    from deskterm.bench.ui import UiOptions, run_ui_bench

    args = run.args
    options = UiOptions(db=Path(args.db).expanduser() if args.db else None,
                        tickets=args.tickets, rounds=args.rounds,
                        baseline_rows=args.baseline_rows, handle=args.as_handle or "alex")
    with Progress() as progress:
        bench = run_ui_bench(options, progress)
    if run.out.as_json:
        run.out.json({**bench.to_json(), "note": note(bench)})
        return
    run.out.show(render(bench))
    run.out.show("")
    run.out.line(_("Note:"))
    run.out.line(note(bench))


def _postgres_url(run: Run, *, environment: bool = True) -> str | None:
    """--database-url, else (`environment`) DESKTERM_TEST_PG_URL, else None; a usage error
    when it names another database than PostgreSQL."""
    import os

    url = run.args.database_url or (os.environ.get(PG_VARIABLE) if environment else None) \
        or None
    if url is not None and not url.startswith("postgresql"):
        run.usage_error(_("--database-url must be a PostgreSQL URL (postgresql+psycopg://...), "
                          "not '{scheme}:...'").format(scheme=url.split(":", 1)[0]))
    return url


def bench_sync(run: Run) -> None:
    from deskterm.bench.syncbench.report import render
    from deskterm.bench.syncbench.run import SyncOptions, run_sync_bench
    from deskterm.domain.errors import DeskError

    args = run.args
    url = _postgres_url(run)
    # The bench's own report speaks English only, and says why PostgreSQL was skipped.
    skip = "" if url else f"no PostgreSQL server given (--database-url or {PG_VARIABLE})"
    options = SyncOptions(database_url=url, changes=args.changes, agents=args.agents,
                          seconds=args.seconds, rounds=args.rounds, skip_reason=skip,
                          instances=args.instances)
    bench = run_sync_bench(options, _progress_line)
    if run.out.as_json:
        run.out.json(bench.to_json())
    else:
        run.out.show(render(bench))
    failed = [f"{result.backend}: {result.failed}" for result in bench.results if result.failed]
    if failed:
        raise DeskError(_("the benchmark could not measure everything: {failures}").format(
            failures="; ".join(failed)))


def bench_search(run: Run) -> None:
    from deskterm.bench.search import SearchOptions, render, run_search_bench

    args = run.args
    options = SearchOptions(articles=args.articles, rounds=args.rounds,
                            db=Path(args.db).expanduser() if args.db else None)
    bench = run_search_bench(options, _progress_line)
    if run.out.as_json:
        run.out.json(bench.to_json())
    else:
        run.out.show(render(bench))


def bench_memory(run: Run) -> None:
    from deskterm.bench.memory import render_markdown, run_memory

    args = run.args
    keys = args.keys or (QUICK_MEMORY_KEYS if args.quick else DEFAULT_MEMORY_KEYS)
    bench = run_memory(keys, args.quick, _progress_line, trace=args.trace,
                       db=Path(args.db).expanduser() if args.db else None)
    if run.out.as_json:
        run.out.json(bench.to_json())
    else:
        run.out.line(render_markdown(bench))


def bench_all(run: Run) -> None:
    from deskterm.bench.all import FULL, QUICK, AllOptions, run_all

    args = run.args
    url = _postgres_url(run)
    out = Path(args.out).expanduser()
    bench = run_all(AllOptions(scale=QUICK if args.quick else FULL, out=out,
                               database_url=url), _progress_line)
    if run.out.as_json:
        run.out.json(bench.to_json())
        return
    data = bench.to_json()
    run.out.line(_("Reports written: {markdown} and {json}").format(
        markdown=out / "bench-all.md", json=out / "bench-all.json"))
    run.out.line(_("Goals met: {met} of {total}").format(
        met=number(data["goals_met"]), total=number(data["goals_total"])))


def bench_mail(run: Run) -> None:
    from deskterm.bench.dovecot import find_dovecot
    from deskterm.bench.mail import render, run_mail_bench
    from deskterm.domain.errors import DeskError

    args = run.args
    if find_dovecot() is None:
        raise DeskError(_("bench mail needs Dovecot: apt-get install dovecot-imapd"))
    url = _postgres_url(run, environment=False)
    bench = run_mail_bench(args.messages, _progress_line, url)
    if run.out.as_json:
        run.out.json(bench.to_json())
    else:
        run.out.show(render(bench))


def _progress_line(message: str) -> None:
    """`bench sync` reports a few dozen steps: each on a line of its own, on stderr."""
    import sys

    print(message, file=sys.stderr, flush=True)
