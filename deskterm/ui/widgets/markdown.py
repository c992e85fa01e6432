"""Markdown as deskterm shows it: KB articles and ticket descriptions read the same way.

Textual's Markdown widget, with one change: a table whose header cells are all empty
(`| | |` over `|---|---|`, how a key/value table is written) shows no empty header row.
Descriptions are Markdown too (`markdown_text`), with each typed line break kept, as a
person typing a description means it.
"""

from __future__ import annotations

import re

from rich.markdown import Markdown as RichMarkdown
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownTable, MarkdownTableContent


class _TableContent(MarkdownTableContent):
    DEFAULT_CSS = """
    _TableContent.-headerless > .header { display: none; }
    """

    def __init__(self, headers: list[Content], rows: list[list[Content]]) -> None:
        super().__init__(headers, rows)
        self.set_class(not any(header.plain.strip() for header in headers), "-headerless")


class _Table(MarkdownTable):
    def compose(self) -> ComposeResult:
        headers, rows = self._get_headers_and_rows()
        self._headers, self._rows = headers, rows
        yield _TableContent(headers, rows)


class DeskMarkdown(Markdown):
    """Textual's Markdown, key/value tables without an empty header row."""

    BLOCKS = {**Markdown.BLOCKS, "table_open": _Table}


def markdown_text(text: str) -> RichMarkdown:
    """A description as Markdown for a Static: `*text*` in italics, lines as typed."""
    return RichMarkdown(keep_line_breaks(text))


def keep_line_breaks(text: str) -> str:
    """Each single line break as a Markdown hard break (two trailing spaces), so lines
    typed one under the other stay so; blank lines still part paragraphs."""
    return re.sub(r"(?<=\S)[ \t]*\n(?=[ \t]*\S)", "  \n", text)
