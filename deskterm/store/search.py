"""Knowledge-base search on SQLite FTS5: BM25 ranking, prefix matching, highlighted snippets.

A search stems words in the current language: English through FTS5's porter tokenizer
(`kb_fts`), Dutch through Snowball's Dutch stemmer (`kb_fts_nl`, store.stems), whose
index holds stems, so a Dutch hit's title and snippet are marked here, from the article.

What a person types is never handed to FTS5 as query syntax. It is read into terms
(words, "quoted phrases", -excluded words) and rebuilt as a safe MATCH expression, so
quotes, AND, *, -, and unbalanced brackets can never make a search fail.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from deskterm import i18n
from deskterm.store import stems

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
#: Words around the matches in a snippet: FTS5's snippet() in _run, _passage in Dutch.
_SNIPPET_WORDS = 18
_MAX_TERMS = 16
#: A word is also looked for as the start of longer words (prefix matching: `pass` finds
#: `password`) from this many characters. A single letter is looked for as itself: `r*`
#: matches nearly every article, and FTS5 expands it over the whole index in one step that
#: cannot be stopped (a few hundred ms at 100,000 articles), on every first key typed.
_MIN_PREFIX = 2


@dataclass(frozen=True)
class ParsedQuery:
    terms: list[str]  # words and phrases that must (or, relaxed, may) match
    excluded: list[str]

    def match_all(self) -> str:
        return self._expression(" AND ")

    def match_any(self) -> str:
        return self._expression(" OR ")

    def _expression(self, joiner: str) -> str:
        positive = joiner.join(_quote(term, prefix=" " not in term and len(term) >= _MIN_PREFIX)
                               for term in self.terms)
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


#: SQLite virtual-machine steps between two looks at a search's `stale` (about 1 ms).
_STALE_EVERY = 20_000


class StaleSearch(Exception):
    """A search given up because a newer one replaced it (see `search`'s `stale`)."""


def search(
    connection: sqlite3.Connection,
    text: str,
    *,
    limit: int = 20,
    department_id: str | None = None,
    language: str | None = None,
    stale: Callable[[], bool] | None = None,
) -> list[SearchHit]:
    """Articles matching `text`, best first: all words first, then any word (only when
    every word finds fewer than `limit`). Words are stemmed as `language` (else the
    current language) stems them.

    `stale`, when given, is asked every millisecond or so while SQLite works: once it
    says True the search stops and raises StaleSearch (search as you type: the agent has
    typed on, so these results are not wanted any more)."""
    dutch = (language or i18n.language()) == "nl"
    query = dutch_query(parse_query(text)) if dutch else parse_query(text)
    if not query.terms:
        return []
    if stale is not None:
        connection.set_progress_handler(lambda: int(stale()), _STALE_EVERY)
    try:
        hits = _search(connection, query, limit, department_id, dutch, stale)
    finally:
        if stale is not None:
            connection.set_progress_handler(None, 0)
    if stale is not None and stale():
        raise StaleSearch(text)
    return hits


def _search(connection: sqlite3.Connection, query: ParsedQuery, limit: int,
            department_id: str | None, dutch: bool,
            stale: Callable[[], bool] | None) -> list[SearchHit]:
    run = _run_dutch if dutch else _run
    hits = run(connection, query, query.match_all(), limit, department_id, matched_all=True)
    if stale is not None and stale():
        raise StaleSearch(query.match_all())
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


def _top(connection: sqlite3.Connection, table: str, expression: str, limit: int,
         department_id: str | None) -> list[tuple[int, str, float]]:
    """The best `limit` rows of `table` (kb_fts or kb_fts_nl) as (rowid, article id, rank).

    Ranked on the index alone, with the LIMIT before anything is joined: an article's id
    (in the index's own copy of the text) is read for these rows only, not for the
    thousands a common word matches. Deleted articles are not in the index (the triggers
    take them out); should one be, or should a department narrow the search, the rows
    are ranked after the join, as the article table says.
    """
    rank = f"bm25({table}, {_WEIGHTS})"
    if department_id is None:
        top = connection.execute(
            f"SELECT rowid, {rank} AS rank FROM {table} WHERE {table} MATCH ? "
            "ORDER BY rank, rowid LIMIT ?", (expression, limit)).fetchall()
        if not top:
            return []
        marks = ", ".join("?" for _row in top)
        live = dict(connection.execute(
            f"SELECT f.rowid, f.article_id FROM {table} AS f "
            f"JOIN kb_article AS a ON a.id = f.article_id "
            f"WHERE f.rowid IN ({marks}) AND NOT a.deleted", [row for row, _rank in top]))
        if len(live) == len(top):
            return [(row, live[row], rank) for row, rank in top]
    sql = (f"SELECT f.rowid, f.article_id, {rank} AS rank FROM {table} AS f "
           "JOIN kb_article AS a ON a.id = f.article_id "
           f"WHERE {table} MATCH ? AND NOT a.deleted")
    params: list[object] = [expression]
    if department_id:
        sql += " AND (a.department_id = ? OR a.department_id IS NULL)"
        params.append(department_id)
    sql += " ORDER BY rank, f.rowid LIMIT ?"
    params.append(limit)
    return [(row, article_id, rank) for row, article_id, rank in connection.execute(sql, params)]


#: A scratch index, per connection, in its temporary database: the few hits' text goes in
#: so that FTS5's highlight() and snippet() mark them exactly as on the whole index (they
#: read the document's own matches only), at the cost of 20 documents, not of thousands.
_SCRATCH = "temp.kb_hits"
_SCRATCH_SCHEMA = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {_SCRATCH} USING fts5(title, tags, body, "
    "tokenize = 'porter unicode61 remove_diacritics 2')")


def _run(connection: sqlite3.Connection, query: ParsedQuery, expression: str, limit: int,
         department_id: str | None, *, matched_all: bool) -> list[SearchHit]:
    try:
        top = _top(connection, "kb_fts", expression, limit, department_id)
        if not top:
            return []
        rowids = [row for row, _id, _rank in top]
        marks = ", ".join("?" for _row in rowids)
        connection.execute(_SCRATCH_SCHEMA)
        connection.execute(f"DELETE FROM {_SCRATCH}")
        connection.execute(
            f"INSERT INTO {_SCRATCH} (rowid, title, tags, body) "
            f"SELECT rowid, title, tags, body FROM kb_fts WHERE rowid IN ({marks})", rowids)
        marked = {row: (title, snippet) for row, title, snippet in connection.execute(
            f"SELECT rowid, highlight(kb_hits, 0, ?, ?), "
            f"snippet(kb_hits, 2, ?, ?, '…', {_SNIPPET_WORDS}) "
            f"FROM {_SCRATCH} WHERE kb_hits MATCH ?",
            (MARK_START, MARK_END, MARK_START, MARK_END, expression))}
        connection.execute(f"DELETE FROM {_SCRATCH}")
    except sqlite3.OperationalError:
        # parse_query only builds quoted terms, so this is not expected; a search box
        # must still never crash, so an unforeseen expression finds nothing.
        return []
    return [
        SearchHit(article_id, marked[row][0], _tidy_snippet(marked[row][1]), rank, matched_all)
        for row, article_id, rank in top if row in marked
    ]


def _run_dutch(connection: sqlite3.Connection, query: ParsedQuery, expression: str,
               limit: int, department_id: str | None, *, matched_all: bool) -> list[SearchHit]:
    """As `_run`, on the Dutch index; titles and snippets marked from the article."""
    try:
        top = _top(connection, "kb_fts_nl", expression, limit, department_id)
    except sqlite3.OperationalError:
        return []  # as in _run: a search box never crashes
    if not top:
        return []
    marks = ", ".join("?" for _row in top)
    articles = {article_id: (title, body) for article_id, title, body in connection.execute(
        f"SELECT id, title, body FROM kb_article WHERE id IN ({marks})",
        [article_id for _row, article_id, _rank in top])}
    wanted = [stem for term in query.terms for stem in term.split()]
    return [
        SearchHit(article_id, _marked(articles[article_id][0], wanted),
                  _tidy_snippet(_passage(articles[article_id][1], wanted)), rank, matched_all)
        for _row, article_id, rank in top
    ]


def _matches(text: str, wanted: list[str]) -> list[tuple[int, int, bool]]:
    """Each word of `text` as (start, end, matched): matched when its stem starts with a
    wanted stem (the search's prefix matching)."""
    targets = tuple(wanted)
    return [(found.start(), found.end(), _is_match(found.group(), targets))
            for found in _WORD.finditer(text)]


@lru_cache(maxsize=stems.STEM_CACHE_WORDS)
def _is_match(word: str, wanted: tuple[str, ...]) -> bool:
    """Whether `word`'s Dutch stem starts with one of the `wanted` stems; remembered, as
    a search marks the same words in each of its hits."""
    stem = stems.stem(word)
    return any(stem.startswith(target) for target in wanted)


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
