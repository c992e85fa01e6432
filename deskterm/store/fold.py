"""Text folded for matching as a person means it: no case, no accents, one space.

`fold("Çelik  ŞAHİN")` is `"celik sahin"`: every letter loses its accents (Unicode NFKD,
combining marks dropped), its case (Unicode casefold: `ß` is `ss`), and the letters
Unicode does not decompose but people read as plain ones (`ø`, `ł`, `đ`, `ı`, `æ`) are
spelled in ASCII. Runs of whitespace become one space. The knowledge base folds the same
way (its FTS5 tokenizer removes diacritics); the queue filter folds with this function.

SQLite cannot fold Unicode by itself, so the store's connections get it as the SQL
function `deskterm_fold` (and `deskterm_match_text`, the queue's text of a ticket; see
`deskterm.store.queue_filter`). Schema 14 keeps each ticket's match text in a column, set
by triggers that call it, so reading never folds; but every connection that writes
tickets, customers or agents needs the functions: `register_functions` is called by the
engine, by migrations and by the queue's reader; anything else opening a store file with
plain sqlite3 to write (a test, the sqlite3 shell) must call it too, or such a write fails
with "no such function: deskterm_match_text" (or, for a KB article, with
"deskterm_dutch_stems": the Dutch index's triggers call it; see store.stems).
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata

#: Letters without a Unicode decomposition that people read as plain letters.
_PLAIN = str.maketrans({
    "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d",
    "ı": "i", "ħ": "h", "Ħ": "h", "ŧ": "t", "Ŧ": "t", "æ": "ae", "Æ": "ae", "œ": "oe",
    "Œ": "oe", "þ": "th", "Þ": "th", "ŀ": "l", "Ŀ": "l",
})
_SPACES = re.compile(r"\s+")
FOLD_FUNCTION = "deskterm_fold"
MATCH_TEXT_FUNCTION = "deskterm_match_text"
#: Between the fields of a ticket's match text: no filter term holds one, so no match
#: spans two fields.
FIELD_SEPARATOR = "\n"


def fold(text: str) -> str:
    """`text` without case or accents, its whitespace runs made one space (not trimmed)."""
    if text.isascii():
        return _SPACES.sub(" ", text.lower())
    decomposed = unicodedata.normalize("NFKD", text.translate(_PLAIN))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    # casefold may itself produce characters with marks (İ → i̇): decompose once more.
    folded = unicodedata.normalize("NFKD", plain.casefold())
    return _SPACES.sub(" ", "".join(char for char in folded if not unicodedata.combining(char)))


def match_text(subject: str | None, customer: str | None, owner: str | None) -> str:
    """A ticket's text as the queue filter reads it: its three fields, folded, apart."""
    return FIELD_SEPARATOR.join(fold(field or "") for field in (subject, customer, owner))


def register_functions(connection: sqlite3.Connection) -> None:
    """Make `deskterm_fold(text)`, `deskterm_match_text(s, c, o)` and the knowledge base's
    `deskterm_dutch_stems(text)` (store.stems) known to SQL."""
    from deskterm.store import stems

    connection.create_function(FOLD_FUNCTION, 1, _sql_fold, deterministic=True)
    connection.create_function(MATCH_TEXT_FUNCTION, 3, match_text, deterministic=True)
    connection.create_function(stems.STEMS_FUNCTION, 1, stems.dutch_stems, deterministic=True)


def _sql_fold(text: str | None) -> str | None:
    return None if text is None else fold(text)
