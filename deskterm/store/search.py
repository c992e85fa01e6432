"""Knowledge-base search on SQLite FTS5: BM25 ranking, prefix matching, highlighted snippets.

What a person types is never handed to FTS5 as query syntax. It is read into terms
(words, "quoted phrases", -excluded words) and rebuilt as a safe MATCH expression, so
quotes, AND, *, -, and unbalanced brackets can never make a search fail.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

#: Markers around highlighted text in titles and snippets; they never occur in articles.
MARK_START = "\x02"
MARK_END = "\x03"

#: Column weights for bm25(): a hit in the title counts most, then tags, then body.
_WEIGHTS = "10.0, 5.0, 1.0"
_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
#: A "quoted phrase"; with a minus at the start of a word (-"old client") it excludes.
_PHRASE = re.compile(r'(?P<minus>(?<!\S)-)?"(?P<text>[^"]*)"')
_MAX_QUERY = 500
_MAX_TERMS = 16


@dataclass(frozen=True)
class ParsedQuery:
    terms: list[str]  # words and phrases that must (or, relaxed, may) match
    excluded: list[str]

    def match_all(self) -> str:
        return self._expression(" AND ")

    def match_any(self) -> str:
        return self._expression(" OR ")

    def _expression(self, joiner: str) -> str:
        positive = joiner.join(_quote(term, prefix=" " not in term) for term in self.terms)
        if len(self.terms) > 1:
            positive = f"({positive})"
        for word in self.excluded:
            positive += f" NOT {_quote(word, prefix=False)}"
        return positive


def parse_query(text: str) -> ParsedQuery:
    """Read free text into search terms. Never fails; may return no terms."""
    text = text[:_MAX_QUERY]
    terms: list[str] = []
    excluded: list[str] = []
    for match in _PHRASE.finditer(text):
        words = _WORD.findall(match["text"])
        if words:
            (excluded if match["minus"] else terms).append(" ".join(words).lower())
    rest = _PHRASE.sub(" ", text)
    for token in rest.split():
        words = _WORD.findall(token)
        if not words or (len(words) == 1 and words[0] in _OPERATORS):
            continue
        if token.startswith("-") and len(token) > 1:
            excluded.extend(w.lower() for w in words)
        else:
            terms.extend(w.lower() for w in words)
    unique = list(dict.fromkeys(terms))[:_MAX_TERMS]
    return ParsedQuery(unique, list(dict.fromkeys(excluded))[:_MAX_TERMS])


def _quote(term: str, *, prefix: bool) -> str:
    return '"' + term.replace('"', '""') + '"' + ("*" if prefix else "")


@dataclass(frozen=True)
class SearchHit:
    article_id: str
    title: str  # with MARK_START/MARK_END around matched words
    snippet: str  # a passage of the body around the matches, marked the same way
    rank: float  # bm25: lower is better
    matched_all: bool  # False when found only by the relaxed (any-word) search

    @property
    def plain_title(self) -> str:
        return strip_marks(self.title)


def strip_marks(text: str) -> str:
    return text.replace(MARK_START, "").replace(MARK_END, "")


def search(
    connection: sqlite3.Connection,
    text: str,
    *,
    limit: int = 20,
    department_id: str | None = None,
) -> list[SearchHit]:
    """Articles matching `text`, best first: all words first, then any word."""
    query = parse_query(text)
    if not query.terms:
        return []
    hits = _run(connection, query.match_all(), limit, department_id, matched_all=True)
    if len(hits) < limit and len(query.terms) > 1:
        seen = {hit.article_id for hit in hits}
        for hit in _run(connection, query.match_any(), limit, department_id, matched_all=False):
            if hit.article_id not in seen and len(hits) < limit:
                hits.append(hit)
    return hits


def _run(connection: sqlite3.Connection, expression: str, limit: int,
         department_id: str | None, *, matched_all: bool) -> list[SearchHit]:
    sql = (
        "SELECT f.article_id, highlight(kb_fts, 0, ?, ?), "
        "snippet(kb_fts, 2, ?, ?, '…', 18), bm25(kb_fts, " + _WEIGHTS + ") AS rank "
        "FROM kb_fts AS f JOIN kb_article AS a ON a.id = f.article_id "
        "WHERE kb_fts MATCH ? AND NOT a.deleted"
    )
    params: list[object] = [MARK_START, MARK_END, MARK_START, MARK_END, expression]
    if department_id:
        sql += " AND (a.department_id = ? OR a.department_id IS NULL)"
        params.append(department_id)
    sql += " ORDER BY rank LIMIT ?"
    params.append(limit)
    try:
        rows = connection.execute(sql, params).fetchall()
    except sqlite3.OperationalError:
        # parse_query only builds quoted terms, so this is not expected; a search box
        # must still never crash, so an unforeseen expression finds nothing.
        return []
    return [
        SearchHit(article_id, title, _tidy_snippet(snippet), rank, matched_all)
        for article_id, title, snippet, rank in rows
    ]


def _tidy_snippet(snippet: str) -> str:
    """Drop Markdown markup from a snippet so it reads as plain text in a list."""
    snippet = re.sub(r"(^|\s)#{1,6}\s", r"\1", snippet)
    snippet = re.sub(r"[*`>|]+", "", snippet)
    return re.sub(r"\s+", " ", snippet).strip()


#: The store's full-text indexes: articles (schema 2) and the queue's ticket text (schema 5).
FULL_TEXT_INDEXES = ("kb_fts", "ticket_text")


def purge_deleted_text(connection: sqlite3.Connection) -> None:
    """Make text deleted from the full-text indexes gone from them, not only unfindable.

    FTS5 records a deletion as a marker and keeps the old terms in its index segments
    until those are merged; 'optimize' merges every segment into one, without them.
    Run after an erasure, in its transaction, with secure_delete on (so the pages of the
    old segments are zeroed as they are freed). A database without the indexes (the
    server's) is left alone.
    """
    for name in FULL_TEXT_INDEXES:
        if connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                              (name,)).fetchone():
            connection.execute(f"INSERT INTO {name} ({name}) VALUES ('optimize')")
