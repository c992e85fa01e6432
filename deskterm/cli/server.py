"""`deskterm serve` and `deskterm server ...`: run the shared server, migrate its database,
manage its accounts.

Every command here works on the server's database, never on an agent's store. Each
setting comes from its flag, else its DESKTERM_SERVER_* variable, else the TOML file
given with `--config FILE`, else its default (`server.settings`); without a URL the
database is an embedded SQLite file in the user data directory.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from deskterm.cli import mailbox, server_import
from deskterm.cli.output import iso, role_label
from deskterm.cli.runtime import Run, Subparsers, add_command, add_group
from deskterm.domain.errors import DeskError
from deskterm.i18n import _, ngettext
from deskterm.i18n.formats import number
from deskterm.present import local_time

#: Findings `server check` lists; --json gives them all.
SHOWN_FINDINGS = 200


class ServerTrouble(DeskError):
    """The server's database or port cannot be used."""


def _database_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database-url", metavar="URL",
                        help=_("sqlite:///FILE or postgresql+psycopg://USER@HOST/DB "
                        "(default: DESKTERM_SERVER_DATABASE_URL, else database_url in "
                        "--config, else server.db in the user data directory)"))
    parser.add_argument("--config", metavar="FILE", type=Path,
                        help=_("a TOML file of server settings (database_url, host, port, "
                        "max_body_bytes, ...); flags and DESKTERM_SERVER_* variables win"))


def register(subparsers: Subparsers) -> None:
    parser = add_command(subparsers, "serve", serve, _("run the shared server the desk syncs with"),
                         description=_("Run the shared server. Its database is migrated to "
                         "this deskterm's schema on start (once, under a lock, when several "
                         "instances start together); a database a newer deskterm made is "
                         "refused."))
    _database_option(parser)
    parser.add_argument("--host", help=_("address to listen on "
                        "(default 127.0.0.1; 0.0.0.0 for every interface)"))
    parser.add_argument("--port", type=int, help=_("port (default 8765)"))

    group = add_group(subparsers, "server", _("manage the shared server's database and accounts"))
    parser = add_command(group, "migrate", migrate, _("upgrade the server database to this "
                         "deskterm's schema"),
                         description=_("Create the server database, or upgrade one an older "
                         "deskterm made, in place, keeping every row. Safe to run while "
                         "other instances start: the upgrade runs once, under a lock. "
                         "`deskterm serve` does the same on start; run this to do it ahead."))
    _database_option(parser)
    users = add_group(group, "user", _("accounts: who may sync, with which role and team"))
    parser = add_command(users, "add", user_add, _("create an account and print its token once"))
    parser.add_argument("handle", metavar="HANDLE", help=_("the account's handle"))
    parser.add_argument("--role", choices=["agent", "lead", "admin"], default="agent",
                        help=_("what the account may do (default agent)"))
    parser.add_argument("--team", metavar="TEAM", help=_("the team (made if new)"))
    parser.add_argument("--name", metavar="NAME", help=_("full name (default: the handle)"))
    parser.add_argument("--tier", type=int, choices=[1, 2, 3], default=1,
                        help=_("support line: 1 the desk, 2 or 3 specialists (default 1)"))
    _database_option(parser)
    parser = add_command(users, "list", user_list, _("every account, with role and team"))
    _database_option(parser)
    parser = add_command(users, "revoke", user_revoke, _("revoke an account's token for good"))
    parser.add_argument("handle", metavar="HANDLE", help=_("the account's handle"))
    _database_option(parser)
    parser = add_command(group, "check", check, _("find change-log entries a replica cannot apply"),
                         description=_("Read the whole change log as every replica would and "
                         "list the entries some reader cannot apply (values a replica refuses, "
                         "references to rows a reader cannot have, forged re-inserts, writes "
                         "in another's name). Exit status 1 when there are any. With --repair, "
                         "move them to the quarantine table so every replica syncs again."))
    parser.add_argument("--repair", action="store_true",
                        help=_("quarantine what the check finds (kept, with the reason)"))
    _database_option(parser)
    mailbox.register(group, _database_option)
    server_import.register(group, _database_option)


def _settings(run: Run) -> Any:
    from deskterm.server.settings import load

    args = run.args
    return load(args.config, database_url=args.database_url,
                host=getattr(args, "host", None), port=getattr(args, "port", None))


@contextlib.contextmanager
def _database(run: Run, settings: Any = None) -> Iterator[Any]:
    from deskterm.server.database import open_database

    db = open_database(settings or _settings(run))
    try:
        yield db
    finally:
        db.dispose()


def serve(run: Run) -> None:
    from deskterm.server.database import safe_url
    from deskterm.server.runner import serve as run_server

    args = run.args
    if args.port is not None and not 0 < args.port < 65536:
        run.usage_error(_("port {port} is out of range").format(port=args.port))
    settings = _settings(run)
    _check_port(settings.host, settings.port)
    # Migrate (or refuse a newer database) before listening, with a line saying so.
    with _database(run, settings) as db:
        _say_migrated(run, db.migration)
    run.out.hint(_("deskterm server on http://{host}:{port}  (database {database}; Ctrl-C "
                   "stops it)").format(host=settings.host, port=settings.port,
                                       database=safe_url(settings.resolved_database_url)))
    run_server(settings)


def migrate(run: Run) -> None:
    from deskterm.server.database import safe_url

    settings = _settings(run)
    with _database(run, settings) as db:
        migration = db.migration
    if run.out.as_json:
        run.out.json({"database": safe_url(settings.resolved_database_url),
                      "before": migration.before, "after": migration.after})
        return
    if not migration.changed:
        run.out.line(_("the server database is up to date (schema revision {revision})").format(
            revision=migration.after))
    else:
        _say_migrated(run, migration, out=run.out.line)


def _say_migrated(run: Run, migration: Any, out: Any = None) -> None:
    say = out or run.out.hint
    if migration.before is None:
        say(_("created the server database (schema revision {revision})").format(
            revision=migration.after))
    elif migration.changed:
        say(_("upgraded the server database from schema revision {before} to {after}, every "
              "row kept").format(before=migration.before, after=migration.after))


def _check_port(host: str, port: int) -> None:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise ServerTrouble(_("port {port} on {host} is in use; pick another with "
                                      "--port").format(port=port, host=host)) from None
            raise ServerTrouble(_("cannot listen on {host}:{port}: {reason}").format(
                host=host, port=port, reason=error.strerror)) from None


def user_add(run: Run) -> None:
    from deskterm.domain.people import plain_handle
    from deskterm.server.accounts import add_user

    args = run.args
    with _database(run) as db:
        token = add_user(db, args.handle, role=args.role, team=args.team, name=args.name,
                         tier=args.tier)
    if run.out.as_json:
        run.out.json({"handle": plain_handle(args.handle), "role": args.role,
                      "team": args.team, "token": token})
        return
    run.out.line(token)
    run.out.hint(_("account '{handle}' ({role}) made. The token above is shown only this "
                   "once; hand it over safely. On their machine: deskterm login --server URL "
                   "(it asks for the token; or --token-file PATH)").format(handle=args.handle,
                                                                          role=role_label(args.role)))


def user_list(run: Run) -> None:
    from deskterm.server.accounts import list_users

    with _database(run) as db:
        rows = list_users(db)
    if run.out.as_json:
        run.out.json([{"handle": r.handle, "name": r.name, "role": r.role, "team": r.team,
                       "created_at": iso(r.created_at),
                       "revoked_at": iso(r.revoked_at)} for r in rows])
        return
    run.out.table([_("HANDLE"), _("NAME"), _("ROLE"), _("TEAM"), _("SINCE"), _("REVOKED")], [
        (r.handle, r.name, role_label(r.role), r.team or "", local_time(r.created_at),
         local_time(r.revoked_at) if r.revoked_at else "")
        for r in rows], empty=_("no accounts yet: deskterm server user add HANDLE --role ..."))


def user_revoke(run: Run) -> None:
    from deskterm.server.accounts import revoke_user

    with _database(run) as db:
        revoke_user(db, run.args.handle)
    run.out.line(_("account '{handle}' revoked; its token no longer works").format(
        handle=run.args.handle))


def check(run: Run) -> None:
    from deskterm.server import check as log_check

    with _database(run) as db:
        report = log_check.repair(db) if run.args.repair else log_check.check(db)
    findings = report.findings
    if run.out.as_json:
        run.out.json({"entries": report.entries, "quarantined": report.quarantined,
                      "rows_removed": report.rows_removed, "rows_kept": report.rows_kept,
                      "findings": [{"seq": f.seq, "entity": f.entity, "row_id": f.row_id,
                                    "op": f.op, "reason": f.reason} for f in findings]})
    else:
        _say_checked(run, report)
    if findings and not run.args.repair:
        raise ServerTrouble(ngettext(
            "{count} change-log entry cannot be applied by every replica; deskterm server "
            "check --repair quarantines it",
            "{count} change-log entries cannot be applied by every replica; deskterm server "
            "check --repair quarantines them", len(findings)).format(count=number(len(findings))))


def _say_checked(run: Run, report: Any) -> None:
    """What the check read and found, and after --repair what it moved, for a person."""
    findings = report.findings
    if findings:
        run.out.line(ngettext(
            "read {entries} change-log entry: {count} that not every replica can apply",
            "read {entries} change-log entries: {count} that not every replica can apply",
            report.entries).format(entries=number(report.entries), count=number(len(findings))))
    else:
        run.out.line(ngettext(
            "read {entries} change-log entry: none that not every replica can apply",
            "read {entries} change-log entries: none that not every replica can apply",
            report.entries).format(entries=number(report.entries)))
    if not findings:
        return
    run.out.table([_("seq"), _("change"), _("row"), _("reason")], [
        (str(f.seq), f"{f.op} {f.entity.replace('_', ' ')}", f.row_id, f.reason)
        for f in findings[:SHOWN_FINDINGS]])
    if len(findings) > SHOWN_FINDINGS:
        run.out.hint(_("... and {count} more (--json lists them all)").format(
            count=number(len(findings) - SHOWN_FINDINGS)))
    if run.args.repair:
        # TRANSLATORS: {count} server rows made only by the quarantined entries.
        run.out.line(ngettext(
            "quarantined {quarantined}; removed {count} server row that only they made",
            "quarantined {quarantined}; removed {count} server rows that only they made",
            report.rows_removed).format(quarantined=number(report.quarantined),
                                        count=number(report.rows_removed)))
        for kept in report.rows_kept:
            # TRANSLATORS: {row} is a server row (its table and id) the check did not remove.
            run.out.hint(_("kept {row}: other rows refer to it").format(row=kept))
