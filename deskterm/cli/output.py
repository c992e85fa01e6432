"""How the CLI prints: rich tables and cards for people, JSON for scripts, hints on stderr.

JSON conventions (every command that prints data accepts `--json`):

- lists are JSON arrays, single things are objects; keys are snake_case;
- rows carry their full `id` (UUID) and, where people type a shorter form, `key`
  (tickets: `SD-1042`) or `short_id` (8 hex digits: customers, articles, ledger entries);
- times are ISO 8601 in UTC with a `Z` (`2026-11-23T14:30:00.123456Z`), or null;
- money is `{"amount": "12.50", "currency": "EUR", "cents": 1250}`;
- agents appear by handle, departments by code.

People get times in their local time zone and ages like `3d` or `5h`.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from rich.console import Console, RenderableType
from rich.segment import Segment, Segments
from rich.table import Table
from rich.text import Text

from deskterm.domain.enums import Role
from deskterm.domain.money import Money
from deskterm.i18n import _

#: Widest that Markdown (KB articles) is set, so long lines stay readable.
READING_WIDTH = 100
#: Width for tables when stdout is not a terminal and COLUMNS is unset: wide enough
#: that piped output is not cut at 80 columns.
PIPE_WIDTH = 200


def role_label(role: str) -> str:
    """A role as the server stores and sends it (`lead`), in the reader's words
    (`teamleider`); one this deskterm does not know, as it is."""
    try:
        return Role(role).label
    except ValueError:
        return role


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with `Z`, as JSON carries times."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def money(amount: Money) -> dict[str, Any]:
    return {"amount": amount.plain, "currency": amount.currency, "cents": amount.cents}


class Output:
    """Where a command's results go: tables and text for people, or one JSON document."""

    def __init__(self, as_json: bool = False) -> None:
        self.as_json = as_json
        width = None
        if not sys.stdout.isatty() and not os.environ.get("COLUMNS"):
            width = PIPE_WIDTH
        # file=None: rich writes to whatever sys.stdout is when it prints.
        self.console = Console(highlight=False, width=width, soft_wrap=False)

    def json(self, data: Any) -> None:
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=_json_default))
        sys.stdout.write("\n")

    def show(self, *renderables: RenderableType) -> None:
        self.console.print(*renderables)

    def markdown(self, text: str) -> None:
        from rich.markdown import Markdown  # imported here: it costs every other command time

        self.console.print(Markdown(text), width=min(self.console.width, READING_WIDTH))

    def line(self, message: str) -> None:
        """A plain line on stdout (no markup interpreted)."""
        self.console.print(Text(message))

    def hint(self, message: str) -> None:
        """Advice for the person, on stderr, so it never mixes into data on stdout."""
        print(message, file=sys.stderr)

    def table(self, columns: Sequence[str], rows: Iterable[Sequence[RenderableType | None]],
              *, title: str | None = None, empty: str | None = None) -> None:
        """A table; `columns` ending in `>` are right-aligned (the `>` is not shown).

        A titled table is a section of a longer output: a blank line sets it apart.
        """
        rows = list(rows)
        empty = _("none") if empty is None else empty
        if title:
            self.console.print()
        if not rows:
            self.line(_("{title}: {empty}").format(title=title, empty=empty) if title else empty)
            return
        table = Table(title=Text(title, style="bold") if title else None, title_justify="left",
                      box=None, header_style="bold", pad_edge=False)
        for column in columns:
            right = column.endswith(">")
            table.add_column(column.rstrip(">"), justify="right" if right else "left",
                             overflow="fold")
        for row in rows:
            table.add_row(*(_text(cell) for cell in row))
        self._show_trimmed(table)

    def card(self, fields: Iterable[tuple[str, RenderableType | None]],
             *, title: str | None = None) -> None:
        """Label: value lines for one thing; empty values are left out."""
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        for label, value in fields:
            if value not in (None, ""):
                grid.add_row(label, _text(value))
        if title:
            self.show(Text(title, style="bold underline"))
        self._show_trimmed(grid)

    def _show_trimmed(self, renderable: RenderableType) -> None:
        """Print `renderable` with no blanks at the ends of its lines: rich pads every cell
        to its column's width, which leaves trailing spaces in files, diffs and `less`."""
        lines = self.console.render_lines(renderable, self.console.options, pad=False)
        trimmed = [segment for line in lines for segment in (*_rstrip(line), Segment.line())]
        self.console.print(Segments(trimmed), end="", crop=False)


def _rstrip(line: list[Segment]) -> list[Segment]:
    """A rendered line without the plain blanks at its end (styled blanks are drawn)."""
    kept = list(line)
    while kept:
        last = kept[-1]
        if last.control or (last.style and last.style.bgcolor):
            break
        text = last.text.rstrip(" ")
        if text:
            kept[-1] = Segment(text, last.style)
            break
        kept.pop()
    return kept


def _text(cell: RenderableType | None) -> RenderableType:
    """Plain strings as Text: data such as "[urgent] printer" must never be read as markup."""
    if cell is None:
        return ""
    return Text(cell) if isinstance(cell, str) else cell


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, Money):
        return money(value)
    if hasattr(value, "value"):  # enums
        return value.value
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
