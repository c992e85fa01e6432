"""The queue's filter text: what it matches, as SQL row tests and as a trigram index query.

A filter is read the way a person means it (as the knowledge base's search reads it):

- words, each of which must occur in the ticket's subject, its customer's name or its
  owner's handle; `"paper jam"` is a phrase, which must occur as typed (its words in that
  order, one space apart); `-word` and `-"a phrase"` must not occur;
- case and accents do not count: both sides are folded by `deskterm.store.fold`
  ("celik" finds "Çelik", "STRASSE" finds "Straße");
- brackets, stray quotes and `*` are not text: they separate words (`*` would stand for
  "anything", and a word is found anywhere in the text anyway); every other character
  (`100%`, `the_file`, `o'brien`, a NUL) is text like any other;
- or the whole text is the ticket's key (`SD-42`, `sd-042`, `42`).

That is the one definition; the ways of finding matches below (a row test per ticket,
the `ticket_text` trigram index of the folded text, schema 14) must agree with it
exactly, and the tests hold them to a plain Python reference.

The trigram tokenizer folds case by Unicode once more, and cannot look up a term shorter
than three characters. Folded text holds no character the tokenizer folds into ASCII
(it folds only U+017F and U+212A that way, which fold to "s" and "k"), so an index match
is exact for a term of three or more ASCII characters; any other term, and every
excluded one, is "checked": the index (when some term can use it) narrows the
candidates, a row test decides.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from enum import StrEnum

from deskterm.domain.keys import key_number
from deskterm.store.fold import fold

#: The trigram tokenizer needs this many characters to look a term up.
INDEXED_LENGTH = 3
#: A term's row test takes one parameter; far below SQLite's limit of 32766.
MAX_WORDS = 256
OPEN_TEST = "t.status IN ('new', 'open', 'waiting', 'escalated')"
#: The temp table a filter's matches (or candidates) are kept in, by ticket rowid.
MATCH_TABLE = "temp.queue_match"
#: A ticket's folded match text (schema 14 keeps it; the text index holds the same).
MATCH_TEXT = "t.match_text"
#: A "quoted phrase", excluded with a minus before it (-"old printer").
_PHRASE = re.compile(r'(?P<minus>(?<!\S)-)?"(?P<text>[^"]*)"')
#: Not text: they only separate words.
_SEPARATORS = re.compile(r'[()\[\]{}<>*"]+')


@dataclass(frozen=True)
class FilterText:
    """A filter, parsed: folded terms that must occur, that must not, and the key it may be."""

    text: str  # the filter as parsed, one spelling per meaning (a cache key)
    words: tuple[str, ...]  # folded words and phrases, all of which must occur
    number: int | None  # the ticket number when the text is a ticket key
    excluded: tuple[str, ...] = ()  # folded words and phrases none of which may occur

    @classmethod
    def parse(cls, text: str) -> FilterText | None:
        """The filter `text` means; None when it holds no terms (no filter at all).

        A term found inside another wanted term adds nothing and is left out.
        """
        wanted: list[str] = []
        excluded: list[str] = []
        for match in _PHRASE.finditer(text):
            phrase = fold(_SEPARATORS.sub(" ", match["text"])).strip()
            if phrase:
                (excluded if match["minus"] else wanted).append(phrase)
        for token in _PHRASE.sub(" ", text).split():
            minus = token.startswith("-") and len(token) > 1
            for word in fold(_SEPARATORS.sub(" ", token[1:] if minus else token)).split():
                (excluded if minus else wanted).append(word)
        wanted, excluded = wanted[:MAX_WORDS], excluded[:MAX_WORDS]
        if not wanted and not excluded:
            return None
        kept = [term for index, term in enumerate(wanted)
                if term not in wanted[:index]
                and not any(term != other and term in other for other in wanted)]
        shunned = list(dict.fromkeys(excluded))
        spelled = " ".join([*(_spell(term) for term in kept),
                            *("-" + _spell(term) for term in shunned)])
        return cls(spelled, tuple(kept), key_number(" ".join(text.split())), tuple(shunned))

    @property
    def indexed_words(self) -> tuple[str, ...]:
        """The wanted terms the trigram index can look up (narrowing the candidates).

        Not one with a NUL: FTS5 reads a query only up to one.
        """
        return tuple(word for word in self.words
                     if len(word) >= INDEXED_LENGTH and "\x00" not in word)

    @property
    def checked_words(self) -> tuple[str, ...]:
        """The wanted terms an index match does not decide: short, non-ASCII, with a NUL."""
        return tuple(word for word in self.words
                     if len(word) < INDEXED_LENGTH or not word.isascii() or "\x00" in word)

    def index_query(self) -> str | None:
        """An FTS5 MATCH expression: each indexed term as a quoted phrase, all required.

        Inside double quotes FTS5 reads everything literally but a double quote (written
        twice), so no filter text is ever read as query syntax (AND, *, -, parentheses).
        """
        words = self.indexed_words
        if not words:
            return None
        return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def _spell(term: str) -> str:
    return f'"{term}"' if " " in term else term


def word_terms(words: tuple[str, ...], excluded: tuple[str, ...] = (), *,
               text: str = MATCH_TEXT) -> tuple[str, list[object]]:
    """A row test: every word occurs in the folded `text`, no excluded one does.

    `instr` compares exactly, character by character (a NUL included), on text both
    sides have folded; LIKE would stop reading its pattern at a NUL.
    """
    terms = [f"instr({text}, ?) > 0" for _ in words]
    terms += [f"instr({text}, ?) = 0" for _ in excluded]
    return "(" + " AND ".join(terms or ["1"]) + ")", [*words, *excluded]


def text_terms(text: FilterText) -> tuple[str, list[object]]:
    """The whole filter as a row test: every term matches, or the text is the ticket's key."""
    terms, params = word_terms(text.words, text.excluded)
    if text.number is None:
        return terms, params
    return f"({terms} OR t.number = ?)", [*params, text.number]


class MatchMode(StrEnum):
    """What the match table holds for a filter, and so what a row must pass to be shown."""

    SET = "set"  # exactly the matches in scope: membership is the whole test
    CANDIDATES = "candidates"  # a superset: members must also pass `Matches.terms`
    TEST = "test"  # nothing (too many matches to hold): rows must pass `Matches.terms`


@dataclass(frozen=True)
class Matches:
    """A filter's matches within a scope, as found by `find_matches`."""

    mode: MatchMode
    size: int = 0  # rows in the match table
    terms: str = ""  # the row test still due (CANDIDATES, TEST), on ticket `t`
    params: tuple[object, ...] = ()


def scope_test(scope_open: bool) -> str:
    return f"NOT t.deleted AND {OPEN_TEST}" if scope_open else "NOT t.deleted"


def find_matches(connection: sqlite3.Connection, text: FilterText, *, scope_open: bool,
                 text_index: bool, limit: int) -> Matches:
    """Put the filter's matches within the scope (open tickets, or all) in MATCH_TABLE.

    `text_index`: the store has the trigram index. `limit`: above this many matches a
    scan gives up holding them (TEST); an index lookup holds any number, being cheap.
    """
    connection.execute(f"DROP TABLE IF EXISTS {MATCH_TABLE}")
    connection.execute(f"CREATE TABLE {MATCH_TABLE} (rid INTEGER PRIMARY KEY)")
    if not scope_open and text_index and text.indexed_words:
        found = _by_index(connection, text, limit)
    else:
        found = _by_scan(connection, text, scope_open, text_index, limit)
    if found.mode != MatchMode.TEST and text.number is not None:
        connection.execute(
            f"INSERT OR IGNORE INTO {MATCH_TABLE} SELECT t.rowid FROM ticket AS t "
            f"WHERE t.number = ? AND {scope_test(scope_open)}", [text.number])
        found = Matches(found.mode, _size(connection), found.terms, found.params)
    return found


def _by_index(connection: sqlite3.Connection, text: FilterText, limit: int) -> Matches:
    """All live tickets: the index finds the candidates; checked words, if any, decide.

    With up to `limit` candidates the checked words are tested at once (a row read per
    candidate); beyond, they stay a row test for pages and the count, so that a common
    word followed by a short one still shows its first page in milliseconds.
    """
    connection.execute(
        f"INSERT INTO {MATCH_TABLE} SELECT rowid FROM ticket_text WHERE ticket_text MATCH ?",
        [text.index_query()])
    size = _size(connection)
    checked = text.checked_words
    if not (checked or text.excluded) or not size:
        return Matches(MatchMode.SET, size)
    terms, params = word_terms(checked, text.excluded)
    if size <= limit:
        connection.execute(
            f"DELETE FROM {MATCH_TABLE} WHERE NOT EXISTS (SELECT 1 FROM ticket AS t "
            f"WHERE t.rowid = {MATCH_TABLE}.rid AND {terms})", params)
        return Matches(MatchMode.SET, _size(connection))
    if text.number is not None:  # the key matches whatever the words say
        terms, params = f"({terms} OR t.number = ?)", [*params, text.number]
    return Matches(MatchMode.CANDIDATES, size, terms, tuple(params))


def _by_scan(connection: sqlite3.Connection, text: FilterText, scope_open: bool, text_index: bool,
             limit: int) -> Matches:
    """Match by testing every ticket in scope; TEST past `limit`.

    Open tickets are few: one pass over their match text index. Over all tickets, the
    text index's own copy of the match text is read (and without it, every ticket).
    """
    if scope_open:
        terms, params = word_terms(text.words, text.excluded)
        source = (f"SELECT t.rowid FROM ticket AS t INDEXED BY ix_open_match "
                  f"WHERE {scope_test(True)} AND {terms}")
    elif text_index:
        terms, params = word_terms(text.words, text.excluded, text="text")
        source = f"SELECT rowid FROM ticket_text WHERE {terms}"
    else:
        terms, params = word_terms(text.words, text.excluded)
        source = f"SELECT t.rowid FROM ticket AS t WHERE {scope_test(False)} AND {terms}"
    # Stop one past the limit: beyond it only the set's size matters.
    connection.execute(f"INSERT OR IGNORE INTO {MATCH_TABLE} {source} LIMIT ?",
                       [*params, limit + 1])
    found = _size(connection)
    if found > limit:
        terms, params = text_terms(text)
        return Matches(MatchMode.TEST, 0, terms, tuple(params))
    return Matches(MatchMode.SET, found)


def _size(connection: sqlite3.Connection) -> int:
    return int(connection.execute(f"SELECT count(*) FROM {MATCH_TABLE}").fetchone()[0])
