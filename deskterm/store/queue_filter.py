"""The queue's filter text: what it matches, as SQL row tests and as a trigram index query.

A ticket matches a filter when every word of it occurs in the ticket's subject, its
customer's sort key (the name, lower case) or its owner's handle, or when the whole text
is the ticket's key (`SD-42`, `sd-042`, `42`). Words compare as SQLite's LIKE compares:
ASCII letters without regard to case, every other character exactly ("Ü" finds "Über",
"ü" does not). That is the one definition; the ways of finding matches below (a LIKE
test per row, the `ticket_text` trigram index of schema 5) must agree with it exactly,
and the tests hold them to a plain Python reference.

The trigram index folds case by Unicode, which is broader than LIKE, and cannot look up
a word shorter than three characters. So an index match is exact only for a word of
three or more ASCII characters (the schema indexes the only two characters the tokenizer
folds into ASCII, U+017F and U+212A, as U+FFFD); any other word is a "checked" word:
the index (when some word can use it) narrows the candidates, a LIKE test decides.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from enum import StrEnum

from deskterm.domain.keys import key_number

#: The trigram tokenizer needs this many characters to look a word up.
INDEXED_LENGTH = 3
#: Characters the trigram tokenizer folds into ASCII letters; the index holds U+FFFD.
_FOLDS_TO_ASCII = {"\u017f": "\ufffd", "\u212a": "\ufffd"}
#: A LIKE test per word takes three parameters; far below SQLite's limit of 32766.
MAX_WORDS = 256
OPEN_TEST = "t.status IN ('new', 'open', 'waiting', 'escalated')"
#: The temp table a filter's matches (or candidates) are kept in, by ticket rowid.
MATCH_TABLE = "temp.queue_match"


@dataclass(frozen=True)
class FilterText:
    """A filter, parsed: the distinct words that must all occur, and the key it may be."""

    text: str  # the words joined by single spaces
    words: tuple[str, ...]
    number: int | None  # the ticket number when the text is a ticket key

    @classmethod
    def parse(cls, text: str) -> FilterText | None:
        """The filter `text` means; None when it holds no words (no filter at all).

        NUL characters are dropped: SQLite's LIKE would stop reading a pattern at one.
        Words are kept as typed (LIKE ignores ASCII case itself). A word found inside
        another word (ignoring ASCII case) adds nothing and is left out.
        """
        words = text.replace("\x00", "").split()[:MAX_WORDS]
        if not words:
            return None
        folded = [_ascii_lower(word) for word in words]
        kept: list[str] = []
        seen: set[str] = set()
        for word, key in zip(words, folded, strict=True):
            if key in seen or any(key != other and key in other for other in folded):
                continue
            seen.add(key)
            kept.append(word)
        joined = " ".join(words)
        return cls(joined, tuple(kept), key_number(joined))

    @property
    def indexed_words(self) -> tuple[str, ...]:
        """The words the trigram index can look up (narrowing the candidates)."""
        return tuple(word for word in self.words if len(word) >= INDEXED_LENGTH)

    @property
    def checked_words(self) -> tuple[str, ...]:
        """The words an index match does not decide: short ones and non-ASCII ones."""
        return tuple(word for word in self.words
                     if len(word) < INDEXED_LENGTH or not word.isascii())

    def index_query(self) -> str | None:
        """An FTS5 MATCH expression: each indexed word as a quoted phrase, all required.

        Inside double quotes FTS5 reads everything literally but a double quote (written
        twice), so no filter text is ever read as query syntax (AND, *, -, parentheses).
        """
        words = self.indexed_words
        if not words:
            return None
        phrases = []
        for word in words:
            for char, indexed in _FOLDS_TO_ASCII.items():
                word = word.replace(char, indexed)
            phrases.append('"' + word.replace('"', '""') + '"')
        return " ".join(phrases)


def word_terms(words: tuple[str, ...]) -> tuple[str, list[object]]:
    """A row test on ticket `t`: every word occurs in the subject, customer or owner."""
    terms: list[str] = []
    params: list[object] = []
    for word in words:
        terms.append("(t.subject LIKE ? ESCAPE '\\' OR t.customer_sort LIKE ? ESCAPE '\\' "
                     "OR t.owner_sort LIKE ? ESCAPE '\\')")
        pattern = like_pattern(word)
        params += [pattern, pattern, pattern]
    return "(" + " AND ".join(terms or ["1"]) + ")", params


def text_terms(text: FilterText) -> tuple[str, list[object]]:
    """The whole filter as a row test: every word matches, or the text is the ticket's key."""
    terms, params = word_terms(text.words)
    if text.number is None:
        return terms, params
    return f"({terms} OR t.number = ?)", [*params, text.number]


def like_pattern(word: str) -> str:
    """`%word%` for LIKE ... ESCAPE '\\', the word's own % and _ taken literally."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _ascii_lower(word: str) -> str:
    return "".join(char.lower() if char.isascii() else char for char in word)


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
        found = _by_scan(connection, text, scope_open, limit)
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
    if not checked or not size:
        return Matches(MatchMode.SET, size)
    terms, params = word_terms(checked)
    if size <= limit:
        connection.execute(
            f"DELETE FROM {MATCH_TABLE} WHERE NOT EXISTS (SELECT 1 FROM ticket AS t "
            f"WHERE t.rowid = {MATCH_TABLE}.rid AND {terms})", params)
        return Matches(MatchMode.SET, _size(connection))
    if text.number is not None:  # the key matches whatever the words say
        terms, params = f"({terms} OR t.number = ?)", [*params, text.number]
    return Matches(MatchMode.CANDIDATES, size, terms, tuple(params))


def _by_scan(connection: sqlite3.Connection, text: FilterText, scope_open: bool,
             limit: int) -> Matches:
    """Match by LIKE, through indexes that hold the matched columns; TEST past `limit`.

    Open tickets are few: one pass over their subject index (which holds the customer
    and owner too) tests every word. Over all tickets the first word is looked up three
    narrow ways (the subject index, customers by name, agents by handle) rather than one
    wide test per ticket, and further words narrow that set.
    """
    where = scope_test(scope_open)
    if scope_open:
        terms, params = word_terms(text.words)
        lookups = [(f"FROM ticket AS t INDEXED BY ix_open_subject WHERE {where} AND {terms}",
                    params)]
        rest: tuple[str, ...] = ()
    else:
        first = like_pattern(text.words[0])
        lookups = [
            (f"FROM ticket AS t INDEXED BY ix_queue_subject WHERE {where} "
             "AND t.subject LIKE ? ESCAPE '\\'", [first]),
            ("FROM customer AS c CROSS JOIN ticket AS t ON t.customer_id = c.id "
             f"WHERE c.name LIKE ? ESCAPE '\\' AND {where}", [first]),
            ("FROM agent AS a CROSS JOIN ticket AS t ON t.owner_id = a.id "
             f"WHERE a.handle LIKE ? ESCAPE '\\' AND {where}", [first]),
        ]
        rest = text.words[1:]
    found = 0
    for source, params in lookups:
        # Stop one past the limit: beyond it only the set's size matters.
        connection.execute(
            f"INSERT OR IGNORE INTO {MATCH_TABLE} SELECT t.rowid {source} LIMIT ?",
            [*params, limit + 1 - found])
        found = _size(connection)
        if found > limit:
            terms, params = text_terms(text)
            return Matches(MatchMode.TEST, 0, terms, tuple(params))
    if rest:
        terms, params = word_terms(rest)
        connection.execute(
            f"DELETE FROM {MATCH_TABLE} WHERE NOT EXISTS (SELECT 1 FROM ticket AS t "
            f"WHERE t.rowid = {MATCH_TABLE}.rid AND {terms})", params)
        found = _size(connection)
    return Matches(MatchMode.SET, found)


def _size(connection: sqlite3.Connection) -> int:
    return int(connection.execute(f"SELECT count(*) FROM {MATCH_TABLE}").fetchone()[0])
