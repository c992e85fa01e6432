"""HTML mail as readable text: paragraphs, line breaks, lists as `- `, links as `text (url)`.

An HTML-only mail is shown to an agent as plain text in a terminal. The standard
library's `html.parser` reads it (it never builds a tree, so no nesting is too deep);
scripts, styles and the head are dropped, entities decoded, blanks tidied. Any markup,
however broken, gives text: what was read before a parser error is kept.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: More HTML than this is not read: a mail's text is cut far sooner (BODY_LIMIT).
HTML_READ_LIMIT = 1_000_000
#: HTML is fed to the parser in pieces this long (see `html_to_text`).
_FEED = 65_536
#: A construct left open at the end longer than this is read as text, not parsed.
_OPEN_LIMIT = 2_000

#: Elements whose content is not text a person reads.
_HIDDEN = frozenset({"script", "style", "head", "title", "template", "noscript", "svg"})
#: Elements that stand apart as paragraphs (a blank line around them).
_PARAGRAPHS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "blockquote",
    "pre", "hr", "address", "figure", "form", "fieldset"})
#: Elements that begin on a line of their own.
_LINES = frozenset({
    "div", "tr", "li", "dt", "dd", "section", "article", "header", "footer", "main",
    "nav", "aside", "caption", "center", "details", "summary", "body"})
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col",
                   "embed", "source", "track", "wbr", "param"})
_BLANKS = re.compile(r"[ \t\r\n\f\v\u00a0]+")
_TAGS = re.compile(r"<[^>]*>?")
_LINK_SCHEMES = ("http://", "https://", "mailto:", "ftp://", "tel:")


class _Reader(HTMLParser):
    """Collects the readable text of HTML, with the breaks its block elements make."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._break = 0          # the break owed before the next text: 0, 1 line, 2 blank
        self._hidden = 0         # depth inside hidden elements
        self._pre = 0            # depth inside <pre>
        self._links: list[tuple[str, int]] = []  # (href, chunk index its text starts at)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
            return
        if tag == "body":
            self._hidden = 0  # a <head> left open ends where the body begins
        if tag in _PARAGRAPHS:
            self._owe(2)
        elif tag in _LINES:
            self._owe(1)
        if tag == "pre":
            self._pre += 1
        elif tag == "br":
            self._newline()
        elif tag == "li" and not self._hidden:
            self._text("- ")
        elif tag in ("td", "th"):
            self._text(" ")
        elif tag == "a":
            href = (dict(attrs).get("href") or "").strip()
            self._links.append((href, len(self.chunks)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
            return
        if tag == "pre":
            self._pre = max(0, self._pre - 1)
        if tag == "a" and self._links:
            href, start = self._links.pop()
            text = "".join(self.chunks[start:]).strip()
            if href.lower().startswith(_LINK_SCHEMES) and href not in (text, "mailto:" + text):
                self._text(f" ({href})" if text else href)
        if tag in _PARAGRAPHS:
            self._owe(2)
        elif tag in _LINES:
            self._owe(1)

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        if not self._pre:
            data = _BLANKS.sub(" ", data)
            if not data.strip():
                if self.chunks and not self._break and not self.chunks[-1].endswith((" ", "\n")):
                    self.chunks.append(" ")
                return
            if self._break or not self.chunks or self.chunks[-1].endswith((" ", "\n")):
                data = data.lstrip()
        self._text(data)

    def _owe(self, lines: int) -> None:
        if self.chunks:
            self._break = max(self._break, lines)

    def _newline(self) -> None:
        if self._hidden:
            return
        self.chunks.append("\n")
        self._break = 0

    def _text(self, text: str) -> None:
        if self._hidden or not text:
            return
        if self._break:
            self.chunks.append("\n" * self._break)
            self._break = 0
        self.chunks.append(text)


def html_to_text(html: str) -> str:
    """The readable text of `html` (at most HTML_READ_LIMIT characters of it are read)."""
    reader = _Reader()
    html = html[:HTML_READ_LIMIT]
    try:
        # Fed in pieces, the parser stops at a construct still open (`<?`, `<![`, `<!--`
        # with no end) and waits; only `close()` forces it through, and that takes time
        # quadratic in what is left open (minutes for a megabyte of `<?`). So a long
        # rest still open at the end is read as plain text instead.
        for start in range(0, len(html), _FEED):
            reader.feed(html[start:start + _FEED])
        if len(reader.rawdata) > _OPEN_LIMIT:
            rest, reader.rawdata = reader.rawdata, ""
            reader.handle_data(_TAGS.sub(" ", rest))
        reader.close()
    except Exception:  # html.parser raises on some broken markup: keep what was read
        pass
    return tidy("".join(reader.chunks))


def tidy(text: str) -> str:
    """Lines without trailing blanks, at most one blank line in a row, no blank start or end."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
