"""`deskterm server import DIR|FILES`: move an existing desk's data into the server.

Like every `deskterm server` command it works on the server's database (the same
--database-url and --config options). The columns of each file are in docs/import.md;
the work is `server.importing`'s.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from deskterm.cli.runtime import Run, Subparsers, add_command
from deskterm.domain.errors import InvalidInput
from deskterm.i18n import _, ngettext
from deskterm.i18n.formats import number


def register(group: Subparsers, database_option: Any) -> None:
    """The `import` command under `deskterm server` (`database_option` adds its flags)."""
    parser = add_command(
        group, "import", import_, _("move an existing desk's data in from CSV files"),
        description=_("Import customers.csv, articles.csv, tickets.csv and contacts.csv (a "
        "directory holding them, or the files). Replicas pull the rows as if an agent had "
        "pushed each one; tickets get their keys from the server. Good rows are kept, bad "
        "rows reported with their line numbers and skipped; records imported before (by "
        "their id column) are counted, not added again. Comma- or semicolon-separated "
        "(Excel). The columns are described in docs/import.md."))
    parser.add_argument("paths", nargs="+", metavar="DIR|FILE",
                        help=_("a directory with the CSV files, or the files themselves"))
    parser.add_argument("--dry-run", action="store_true",
                        help=_("check every row and report, writing nothing"))
    parser.add_argument("--author", metavar="HANDLE",
                        help=_("the agent the rows are written by (default: the server)"))
    database_option(parser)


def import_(run: Run) -> None:
    from deskterm.cli.server import _database
    from deskterm.server.importing import import_desk

    args = run.args
    paths = [Path(path).expanduser() for path in args.paths]
    with _database(run) as db:
        report = import_desk(db, paths, dry_run=args.dry_run, author=args.author)
    if run.out.as_json:
        run.out.json({"dry_run": report.dry_run, "head": report.head, "files": [
            {"file": str(f.path), "entity": f.entity, "imported": f.imported,
             "already_imported": f.already,
             "bad": [{"line": line, "error": why} for line, why in f.bad]}
            for f in report.files]})
    else:
        for done in report.files:
            said = [_counted(done.entity, done.imported, report.dry_run).format(
                file=done.path.name, count=number(done.imported))]
            if done.already:
                said.append(ngettext("{count} imported before, not added again",
                                     "{count} imported before, not added again",
                                     done.already).format(count=number(done.already)))
            if done.bad:
                said.append(ngettext("{count} bad row skipped", "{count} bad rows skipped",
                                     len(done.bad)).format(count=number(len(done.bad))))
            # Separate clauses of one report, each a whole message: their order is no grammar.
            run.out.line("; ".join(said))
            for line, why in done.bad:
                run.out.line(_("  line {line}: {why}").format(line=line, why=why))
        if report.dry_run:
            run.out.hint(_("dry run: nothing was written"))
    if any(f.bad for f in report.files) and not any(f.imported or f.already
                                                    for f in report.files):
        raise InvalidInput(_("no row could be imported"))


def _counted(entity: str, count: int, dry_run: bool) -> str:
    """What a file's rows became, one whole sentence per kind (Dutch words differ)."""
    if dry_run:
        return {
            "customer": ngettext("{file}: {count} customer would be imported",
                                 "{file}: {count} customers would be imported", count),
            "kb_article": ngettext("{file}: {count} article would be imported",
                                   "{file}: {count} articles would be imported", count),
            "ticket": ngettext("{file}: {count} ticket would be imported",
                               "{file}: {count} tickets would be imported", count),
            "contact": ngettext("{file}: {count} contact would be imported",
                                "{file}: {count} contacts would be imported", count),
        }[entity]
    return {
        "customer": ngettext("{file}: {count} customer imported",
                             "{file}: {count} customers imported", count),
        "kb_article": ngettext("{file}: {count} article imported",
                               "{file}: {count} articles imported", count),
        "ticket": ngettext("{file}: {count} ticket imported",
                           "{file}: {count} tickets imported", count),
        "contact": ngettext("{file}: {count} contact imported",
                            "{file}: {count} contacts imported", count),
    }[entity]
