"""Moving a desk in: `deskterm server import`, an existing desk's data from CSV files.

Four files, read in this order: customers.csv, articles.csv, tickets.csv, contacts.csv
(columns: docs/import.md, `files.KINDS`). Every record becomes a new row written as the
server writes a pushed one (`write`): replicas pull exactly what they would have pulled
had an agent pushed each row, ticket keys given by the server.

Bad rows are reported as the feedback import reports them (line number, what is wrong)
and skipped; nothing of them is written. The good rows of a file go in batches of
`files.BATCH_ROWS`, one transaction each: a batch is judged and written under the log's
lock, so it is whole or absent. A record already imported (its old `id`, remembered in
`imported_row`) is counted, not added again: running the same import twice adds nothing.
A dry run judges every row the same way and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection

from deskterm.domain.clock import utcnow
from deskterm.domain.errors import DeskError, InvalidInput
from deskterm.domain.people import plain_handle
from deskterm.i18n import _
from deskterm.server.changelog import LogWriter
from deskterm.server.database import Database, lock_log
from deskterm.server.importing.files import (
    KINDS,
    Kind,
    Row,
    check_file,
    import_files,
    read_batches,
)
from deskterm.server.importing.rows import Desk, Planned, planned_row
from deskterm.server.importing.write import refresh_statistics, write_batch


@dataclass
class FileReport:
    """What the import did with one file."""

    path: Path
    entity: str
    #: Rows written (in a dry run: rows that would be).
    imported: int = 0
    #: Records imported before (or twice in the file): counted once.
    already: int = 0
    bad: list[tuple[int, str]] = field(default_factory=list)  # (line number, why)


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)
    dry_run: bool = False
    #: The change log's newest entry after the import.
    head: int = 0

    @property
    def imported(self) -> int:
        return sum(f.imported for f in self.files)


def import_desk(db: Database, paths: list[Path], *, dry_run: bool = False,
                author: str | None = None,
                progress: Callable[[FileReport], None] | None = None) -> ImportReport:
    """Import the files `paths` name (a directory: the known files in it).

    `author`: the handle of the agent the rows are written by (default: the server's
    own, like an account it makes). `progress` is told after every batch.
    """
    files = import_files(paths)
    for kind, path in files:
        check_file(kind, path)
    report = ImportReport(dry_run=dry_run)
    with db.reading() as connection:
        desk = Desk.read(connection)
    author_id = None
    if author is not None:
        author_id = desk.agents.get(plain_handle(author))
        if author_id is None:
            raise InvalidInput(_("no agent has the handle {handle}").format(
                handle=plain_handle(author)))
    for kind, path in files:
        done = FileReport(path, kind.entity)
        report.files.append(done)
        seen: dict[str, int] = {}
        for number, batch in enumerate(read_batches(kind, path), start=1):
            if dry_run:
                with db.reading() as connection:
                    good = _judge(connection, kind, desk, batch, seen, done)
            else:
                with db.writing() as connection:
                    writer = LogWriter(connection, lock_log(connection), utcnow())
                    good = _judge(connection, kind, desk, batch, seen, done)
                    write_batch(connection, writer, kind.entity, good, author_id)
                    writer.finish()
                report.head = writer.head
                if number & (number - 1) == 0:  # batch 1, 2, 4, 8, ...
                    refresh_statistics(db)
            done.imported += len(good)
            if progress is not None:
                progress(done)
    if dry_run or not report.head:
        from deskterm.server.database import newest_seq

        report.head = newest_seq(db)
    return report


def _judge(connection: Connection, kind: Kind, desk: Desk, batch: list[tuple[int, Row | str]],
           seen: dict[str, int], done: FileReport) -> list[Planned]:
    """The batch's good rows (planned in `desk`), its bad ones reported in `done`."""
    rows = [row for _line, row in batch if not isinstance(row, str)]
    desk.look_up(connection, kind, rows)
    known = desk.old(kind.entity)
    now = utcnow()
    good = []
    for line, row in batch:
        if isinstance(row, str):
            done.bad.append((line, row))
            continue
        external_id = row.get("id", "")
        if external_id in seen:
            done.bad.append((line, _("id {id} is on line {line} already").format(
                id=external_id, line=seen[external_id])))
            continue
        if external_id in known:
            done.already += 1
            continue
        try:
            planned = planned_row(kind, desk, line, row, now)
        except DeskError as error:
            done.bad.append((line, error.message))
            continue
        seen[external_id] = line
        desk.plan(kind, planned)
        good.append(planned)
    return good


def known_file_names() -> list[str]:
    """The file names an import reads, in its order."""
    return [kind.file for kind in KINDS]


__all__ = ["FileReport", "ImportReport", "import_desk", "known_file_names"]
