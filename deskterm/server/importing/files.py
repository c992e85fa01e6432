"""Reading an import's CSV files: which file is which, their columns, their cells.

The files are read the way the feedback import reads its CSV (services.feedback): comma-
or semicolon-separated (Excel in a Dutch locale writes `;` and a decimal comma), with or
without a UTF-8 byte-order mark, a header row required (names case-insensitive, order
free). A row with more fields than the header is bad (a separator in an unquoted value
would otherwise shift it silently); empty trailing fields are not. Rows come one batch
at a time, so a file of a million rows is never held whole.
"""

from __future__ import annotations

import csv
from collections.abc import Generator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from functools import cache
from pathlib import Path
from typing import TypeVar

from deskterm.domain.errors import InvalidInput
from deskterm.i18n import _, ngettext
from deskterm.i18n.formats import number

#: How many rows go into one transaction.
BATCH_ROWS = 5_000
#: The longest cell read (a little above the longest field, an article's body).
FIELD_CHARACTERS = 1024 * 1024
#: The separator of several values in one cell (a customer's products, an article's tags).
LIST_SEPARATOR = "|"


@dataclass(frozen=True)
class Kind:
    """One kind of file: its name, the entity its rows become, its columns."""

    file: str
    entity: str
    required: tuple[str, ...]
    optional: tuple[str, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.required, *self.optional)


#: The files an import reads, in the order it reads them (a ticket names its customer,
#: a contact its ticket). The columns are documented in docs/import.md.
KINDS = (
    Kind("customers.csv", "customer", ("id", "name"),
         ("organisation", "email", "phone", "products", "notes", "created_at", "updated_at")),
    Kind("articles.csv", "kb_article", ("id", "title"),
         ("body", "tags", "department", "author", "created_at", "updated_at")),
    Kind("tickets.csv", "ticket", ("id", "subject"),
         ("customer", "customer_email", "description", "kind", "status", "priority",
          "department", "owner", "resolution", "created_at", "updated_at", "resolved_at",
          "last_contact_at")),
    Kind("contacts.csv", "contact", ("id", "channel", "summary", "occurred_at"),
         ("ticket", "customer", "customer_email", "agent", "direction", "subject", "body",
          "address")),
)
KIND_OF_FILE = {kind.file: kind for kind in KINDS}

Row = dict[str, str]
E = TypeVar("E", bound=Enum)


def import_files(paths: list[Path]) -> list[tuple[Kind, Path]]:
    """The files to read and their kinds, in reading order.

    A directory stands for the known files in it (at least one must be there); a file
    is known by its name (`tickets.csv`).
    """
    found: dict[str, Path] = {}
    for path in paths:
        if path.is_dir():
            inside = [path / kind.file for kind in KINDS if (path / kind.file).is_file()]
            if not inside:
                raise InvalidInput(_("{path} holds none of {files}").format(
                    path=path, files=", ".join(kind.file for kind in KINDS)))
            for each in inside:
                _add(found, each)
            continue
        if not path.exists():
            raise InvalidInput(_("no file {path}").format(path=path))
        _add(found, path)
    return [(kind, found[kind.file]) for kind in KINDS if kind.file in found]


def _add(found: dict[str, Path], path: Path) -> None:
    name = path.name.lower()
    if name not in KIND_OF_FILE:
        raise InvalidInput(_("{path}: an import reads only files named {files}").format(
            path=path, files=", ".join(kind.file for kind in KINDS)))
    if name in found and found[name].resolve() != path.resolve():
        raise InvalidInput(_("{first} and {second} are both a {file}; import one at a "
                             "time").format(first=found[name], second=path, file=name))
    found[name] = path


def check_file(kind: Kind, path: Path) -> None:
    """Refuse a file whose header (or first row) cannot be read, before anything is written."""
    batches = read_batches(kind, path, size=1)
    try:
        next(batches, None)
    finally:
        batches.close()


def read_batches(kind: Kind, path: Path, size: int = BATCH_ROWS
                 ) -> Generator[list[tuple[int, Row | str]], None, None]:
    """The file's rows in batches, each with the line it starts on: its values by column,
    or why the row cannot be read."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except IsADirectoryError:
        raise InvalidInput(_("{path} is a directory, not a CSV file").format(path=path)) from None
    except OSError as error:
        raise InvalidInput(_("cannot read {path}: {error}").format(path=path,
                                                              error=error.strerror)) from None
    # An article's body may hold 200,000 characters, more than the csv module's default.
    csv.field_size_limit(max(csv.field_size_limit(), FIELD_CHARACTERS))
    with handle:
        try:
            first = handle.readline()
            handle.seek(0)
            # Excel in a Dutch (or German, French...) locale separates with ';'.
            delimiter = ";" if first.count(";") > first.count(",") else ","
            reader = csv.reader(handle, delimiter=delimiter)
            header = _header(kind, path, next(reader, []))
            batch: list[tuple[int, Row | str]] = []
            ended = reader.line_num
            for values in reader:
                start, ended = ended + 1, reader.line_num
                if not any(v.strip() for v in values):
                    continue
                if [v for v in values[len(header):] if v.strip()]:
                    batch.append((start, _("{count} fields, but the header has {header}: is "
                                           "a '{delimiter}' in a value not quoted?").format(
                        count=len(values), header=len(header), delimiter=delimiter)))
                else:
                    batch.append((start, {name: value.strip() for name, value in
                                          zip(header, values, strict=False) if name}))
                if len(batch) >= size:
                    yield batch
                    batch = []
            if batch:
                yield batch
        except UnicodeDecodeError:
            raise InvalidInput(_("{path} is not UTF-8 text").format(path=path)) from None
        except csv.Error as error:
            raise InvalidInput(_("{path} is not a readable CSV file: {error}").format(
                path=path, error=error)) from None


def _header(kind: Kind, path: Path, names: list[str]) -> list[str]:
    header = [name.strip().lower() for name in names]
    while header and not header[-1]:
        header.pop()  # empty trailing columns, as spreadsheets write them
    missing = [name for name in kind.required if name not in header]
    if missing:
        raise InvalidInput(ngettext(
            "{path} needs a header row with the column {missing}",
            "{path} needs a header row with the columns {missing}", len(missing)
        ).format(path=path, missing=", ".join(missing)))
    unknown = [name for name in header if name and name not in kind.columns]
    if unknown:
        raise InvalidInput(ngettext(
            "{path} has an unknown column {unknown}; known: {known}",
            "{path} has unknown columns {unknown}; known: {known}", len(unknown)
        ).format(path=path, unknown=", ".join(unknown), known=", ".join(kind.columns)))
    return header


# -- cells ---------------------------------------------------------------------------------


def moment(row: Row, column: str) -> datetime | None:
    """A time cell (ISO 8601; UTC when it gives no offset); None when empty."""
    text = row.get(column, "")
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(_("{column} '{given}' is not an ISO 8601 time (2024-03-01T09:30)"
                             ).format(column=column, given=text)) from None
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def whole(row: Row, column: str, low: int, high: int) -> int | None:
    """A whole-number cell as a spreadsheet may write it (`3`, `3.0`, `3,0`); None when empty."""
    text = row.get(column, "")
    if not text:
        return None
    digits, _mark, fraction = text.replace(",", ".").partition(".")
    if digits.isdigit() and not fraction.strip("0") and low <= int(digits) <= high:
        return int(digits)
    raise InvalidInput(_("{column} must be a whole number from {lowest} to {highest}, not "
                         "'{given}'").format(column=column, lowest=low, highest=high,
                                             given=text))


def choice(row: Row, column: str, enum: type[E]) -> E | None:
    """A cell naming one of an enum's values (case-insensitive); None when empty."""
    text = row.get(column, "").lower()
    if not text:
        return None
    member: E | None = _members(enum).get(text)
    if member is not None:
        return member
    raise InvalidInput(_("{column} '{given}' is not one of: {known}").format(
        column=column, given=row[column], known=", ".join(str(m.value) for m in enum)))


@cache
def _members(enum: type[E]) -> dict[str, E]:
    return {str(member.value): member for member in enum}


def listed(row: Row, column: str, most: int, longest: int) -> list[str]:
    """A cell of several values separated by `|`."""
    values = [part.strip() for part in row.get(column, "").split(LIST_SEPARATOR)
              if part.strip()]
    if len(values) > most:
        raise InvalidInput(_("{column} has {count} values; at most {limit}").format(
            column=column, count=number(len(values)), limit=number(most)))
    for value in values:
        if len(value) > longest:
            raise InvalidInput(_("{column}: '{value}' is longer than {limit} characters"
                                 ).format(column=column, value=value, limit=number(longest)))
    return values


def text_cell(row: Row, column: str, limit: int) -> str:
    """A text cell, at most `limit` characters."""
    text = row.get(column, "")
    if len(text) > limit:
        raise InvalidInput(_("{field} is too long ({count} characters; at most {limit})"
                             ).format(field=column, count=number(len(text)),
                                      limit=number(limit)))
    return text
