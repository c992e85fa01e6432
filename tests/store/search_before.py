"""KB search as it was before issue 16's speed work, kept verbatim as the reference that
tests/store/test_search_speed.py compares the fast path with (same ids, order, marks).

Do not change: it is what the fast path must still answer."""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from deskterm import i18n
from deskterm.store import stems
from deskterm.store.fold import fold

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
    language: str | None = None,
) -> list[SearchHit]:
    """Articles matching `text`, best first: all words first, then any word. Words are
    stemmed as `language` (else the current language) stems them."""
    dutch = (language or i18n.language()) == "nl"
    query = dutch_query(parse_query(text)) if dutch else parse_query(text)
    if not query.terms:
        return []
    run = _run_dutch if dutch else _run
    hits = run(connection, query, query.match_all(), limit, department_id, matched_all=True)
    if len(hits) < limit and len(query.terms) > 1:
        seen = {hit.article_id for hit in hits}
        for hit in run(connection, query, query.match_any(), limit, department_id,
                       matched_all=False):
            if hit.article_id not in seen and len(hits) < limit:
                hits.append(hit)
    return hits


def dutch_query(query: ParsedQuery) -> ParsedQuery:
    """`query` in Dutch stems, without the function words when it has others
    (`geen toegang` looks for `toegang`)."""
    def stemmed(term: str) -> str:
        return " ".join(stems.stems(stems.words(term)))

    terms = [term for term in query.terms if term not in stems.STOPWORDS] or query.terms
    kept = [stemmed(term) for term in terms]
    return ParsedQuery([term for term in dict.fromkeys(kept) if term],
                       [stemmed(word) for word in query.excluded if stemmed(word)])


def _run(connection: sqlite3.Connection, query: ParsedQuery, expression: str, limit: int,
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


def _run_dutch(connection: sqlite3.Connection, query: ParsedQuery, expression: str,
               limit: int, department_id: str | None, *, matched_all: bool) -> list[SearchHit]:
    """As `_run`, on the Dutch index; titles and snippets marked from the article."""
    sql = (
        "SELECT f.article_id, a.title, a.body, bm25(kb_fts_nl, " + _WEIGHTS + ") AS rank "
        "FROM kb_fts_nl AS f JOIN kb_article AS a ON a.id = f.article_id "
        "WHERE kb_fts_nl MATCH ? AND NOT a.deleted"
    )
    params: list[object] = [expression]
    if department_id:
        sql += " AND (a.department_id = ? OR a.department_id IS NULL)"
        params.append(department_id)
    sql += " ORDER BY rank LIMIT ?"
    params.append(limit)
    try:
        rows = connection.execute(sql, params).fetchall()
    except sqlite3.OperationalError:
        return []  # as in _run: a search box never crashes
    wanted = [stem for term in query.terms for stem in term.split()]
    return [
        SearchHit(article_id, _marked(title, wanted),
                  _tidy_snippet(_passage(body, wanted)), rank, matched_all)
        for article_id, title, body, rank in rows
    ]


#: Words around the matches in a snippet, as FTS5's snippet() is asked for in _run.
_SNIPPET_WORDS = 18


def _matches(text: str, wanted: list[str]) -> list[tuple[int, int, bool]]:
    """Each word of `text` as (start, end, matched): matched when its stem starts with a
    wanted stem (the search's prefix matching)."""
    spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    found = stems.stems([fold(text[start:end]) for start, end in spans])
    return [(start, end, any(stem.startswith(w) for w in wanted))
            for (start, end), stem in zip(spans, found, strict=True)]


def _marked(text: str, wanted: list[str], words: list[tuple[int, int, bool]] | None = None,
            span: tuple[int, int] | None = None) -> str:
    """`text` (or the part `span` covers) with MARK_START/MARK_END around matched words."""
    words = _matches(text, wanted) if words is None else words
    begin, end = span or (0, len(text))
    out, at = [], begin
    for start, stop, matched in words:
        if matched and begin <= start and stop <= end:
            out += [text[at:start], MARK_START, text[start:stop], MARK_END]
            at = stop
    out.append(text[at:end])
    return "".join(out)


def _passage(body: str, wanted: list[str]) -> str:
    """The body's passage of _SNIPPET_WORDS words with the most matches, marked, with `…`
    where it was cut (as FTS5's snippet())."""
    words = _matches(body, wanted)
    if not words:
        return ""
    count = min(_SNIPPET_WORDS, len(words))
    hits = [int(matched) for _start, _stop, matched in words]
    best, best_score, score = 0, sum(hits[:count]), sum(hits[:count])
    for first in range(1, len(words) - count + 1):
        score += hits[first + count - 1] - hits[first - 1]
        if score > best_score:
            best, best_score = first, score
    cut_before, cut_after = best > 0, best + count < len(words)
    start = words[best][0] if cut_before else 0
    end = words[best + count - 1][1] if cut_after else len(body)
    text = _marked(body, wanted, words, (start, end))
    return ("…" if cut_before else "") + text + ("…" if cut_after else "")


def _tidy_snippet(snippet: str) -> str:
    """Drop Markdown markup from a snippet so it reads as plain text in a list."""
    snippet = re.sub(r"(^|\s)#{1,6}\s", r"\1", snippet)
    snippet = re.sub(r"[*`>|]+", "", snippet)
    return re.sub(r"\s+", " ", snippet).strip()


#: The store's full-text indexes: articles (schema 2, in Dutch stems schema 14) and the
#: queue's ticket text (schema 5).
FULL_TEXT_INDEXES = ("kb_fts", "kb_fts_nl", "ticket_text")


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
