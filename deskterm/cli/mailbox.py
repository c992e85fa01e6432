"""`deskterm server mailbox add|list|test|remove`: the desk mailboxes the server reads.

Like every `deskterm server` command it works on the server's database (the same
--database-url and --config options). A password is never given on the command line:
`add` stores where to read it (--password-env VARIABLE or --password-file FILE), and the
server reads it from there when it loads its mailboxes.
"""

from __future__ import annotations

from typing import Any

from deskterm.cli.runtime import Run, Subparsers, add_command, add_group
from deskterm.domain.errors import DeskError
from deskterm.i18n import _
from deskterm.i18n.formats import number
from deskterm.present import local_time


class MailboxUnreachable(DeskError):
    """`mailbox test` could not log in to one of the mailbox's servers."""


def register(group: Subparsers, database_option: Any) -> None:
    """The `mailbox` commands under `deskterm server` (`database_option` adds its flags)."""
    mailboxes = add_group(group, "mailbox", _("the desk's mailboxes: mail in (IMAP) and out "
                                              "(SMTP)"))
    parser = add_command(mailboxes, "add", add, _("add a mailbox the server reads and sends "
                                                  "from"),
                         description=_("Add a desk mailbox. The server (deskterm serve) turns "
                         "its new mail into tickets and contacts and sends the desk's answers "
                         "from it. URLs: imaps://USER@HOST[:PORT][/FOLDER] (TLS), "
                         "imap://USER@HOST?starttls=1 (STARTTLS), smtps://USER@HOST or "
                         "smtp://USER@HOST:587?starttls=1; plain imap:// and smtp:// only on "
                         "a loopback address. USER defaults to the address. The password "
                         "is read from a variable or a file, never given here."))
    parser.add_argument("name", metavar="NAME", help=_("the mailbox's name (support, sales, ...)"))
    parser.add_argument("--imap", required=True, metavar="URL",
                        help=_("where mail is read: imaps://USER@HOST[/FOLDER]"))
    parser.add_argument("--smtp", required=True, metavar="URL",
                        help=_("where mail is sent: smtps://USER@HOST"))
    parser.add_argument("--address", required=True, metavar="ADDRESS",
                        help=_("the desk's address customers write to"))
    parser.add_argument("--department", metavar="CODE",
                        help=_("the department its new tickets go to"))
    secret = parser.add_mutually_exclusive_group(required=True)
    secret.add_argument("--password-env", metavar="VARIABLE",
                        help=_("read the password from this environment variable of the server"))
    secret.add_argument("--password-file", metavar="FILE",
                        help=_("read the password from this file (first line)"))
    parser.add_argument("--processed-folder", metavar="FOLDER",
                        help=_("move taken mail to this folder (default: leave it, marked "
                               "read)"))
    parser.add_argument("--poll-seconds", type=float, default=30.0, metavar="SECONDS",
                        help=_("how often to look for mail when the server offers no IDLE "
                               "(default 30)"))
    database_option(parser)
    parser = add_command(mailboxes, "list", list_mailboxes, _("every mailbox, with what it took"))
    database_option(parser)
    parser = add_command(mailboxes, "test", test,
                         _("log in to a mailbox's IMAP and SMTP servers and say what was found"))
    parser.add_argument("name", metavar="NAME", help=_("the mailbox's name"))
    database_option(parser)
    parser = add_command(mailboxes, "remove", remove, _("stop reading a mailbox"))
    parser.add_argument("name", metavar="NAME", help=_("the mailbox's name"))
    database_option(parser)


def _database(run: Run) -> Any:
    from deskterm.cli.server import _database as server_database

    return server_database(run)


def add(run: Run) -> None:
    from deskterm.server.mail.mailboxes import add_mailbox

    args = run.args
    with _database(run) as db:
        row = add_mailbox(db, args.name, address=args.address, imap_url=args.imap,
                          smtp_url=args.smtp, department=args.department,
                          password_env=args.password_env, password_file=args.password_file,
                          processed_folder=args.processed_folder,
                          poll_seconds=args.poll_seconds)
    if run.out.as_json:
        run.out.json(_shape(row, 0))
        return
    run.out.line(_("mailbox '{name}' added ({address})").format(name=row.name,
                                                              address=row.address))
    run.out.hint(_("deskterm serve reads it from its next start; deskterm server mailbox test "
                   "{name} tries the login now").format(name=row.name))


def list_mailboxes(run: Run) -> None:
    from deskterm.server.mail.mailboxes import mailbox_rows, taken_counts

    with _database(run) as db, db.reading() as connection:
        rows = mailbox_rows(connection)
        taken = taken_counts(connection)
    if run.out.as_json:
        run.out.json([_shape(r, taken.get(r.name, 0)) for r in rows])
        return
    run.out.table([_("NAME"), _("ADDRESS"), _("IMAP"), _("DEPARTMENT"), _("PASSWORD FROM"),
                   _("TAKEN"), _("SINCE")], [
        (r.name, r.address, r.imap_url, r.department or "",
         _("variable {name}").format(name=r.password_env) if r.password_env
         else _("file {path}").format(path=r.password_file),
         number(taken.get(r.name, 0)), local_time(r.created_at)) for r in rows],
        empty=_("no mailboxes yet: deskterm server mailbox add NAME --imap URL --smtp URL "
                "--address ADDRESS --password-env VARIABLE"))


def _shape(row: Any, taken: int) -> dict[str, Any]:
    return {"name": row.name, "address": row.address, "imap_url": row.imap_url,
            "smtp_url": row.smtp_url, "department": row.department,
            "password_env": row.password_env, "password_file": row.password_file,
            "processed_folder": row.processed_folder, "poll_seconds": row.poll_seconds,
            "taken": taken}


def test(run: Run) -> None:
    from deskterm.server.mail.mailboxes import find_mailbox, probe_imap, probe_smtp

    with _database(run) as db, db.reading() as connection:
        mailbox = find_mailbox(connection, run.args.name).loaded()
    results = [probe_imap(mailbox), probe_smtp(mailbox)]
    if run.out.as_json:
        run.out.json([{"server": kind, "ok": ok, "said": said} for kind, ok, said in results])
    else:
        for kind, ok, said in results:
            # TRANSLATORS: {server} is IMAP or SMTP; {said} what was found or what failed.
            run.out.line((_("{server}: ok, {said}") if ok else
                          _("{server}: failed, {said}")).format(server=kind, said=said))
    if not all(ok for _kind, ok, _said in results):
        raise MailboxUnreachable(_("mailbox '{name}' cannot be used as configured").format(
            name=run.args.name))


def remove(run: Run) -> None:
    from deskterm.server.mail.mailboxes import remove_mailbox

    with _database(run) as db:
        remove_mailbox(db, run.args.name)
    run.out.line(_("mailbox '{name}' removed; what it took stays on its tickets").format(
        name=run.args.name))

