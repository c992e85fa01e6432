"""Dutch word stems for the knowledge base's Dutch index.

SQLite's FTS5 stems English only (its `porter` tokenizer), and Python cannot give FTS5 a
tokenizer of its own. So the store keeps a second index, `kb_fts_nl` (schema 14), of each
article's words as Dutch stems, written by triggers through the SQL function
`deskterm_dutch_stems` (registered with the store's other functions, `store.fold`), and a
Dutch search stems the words typed the same way: `wachtwoorden` and `wachtwoord` are one
stem, as are `beeldschermen` and `beeldscherm`.

The stemmer is Snowball's classic Dutch algorithm (Kraaij and Pohlmann's, as Porter wrote
it for Snowball: `dutch_porter` in PyStemmer), in C; the newer `dutch` one strips a `ge-`
prefix that is part of many words (`gebruiker` became `bruiker`).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Protocol

from deskterm.store.fold import fold

STEMS_FUNCTION = "deskterm_dutch_stems"
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

#: Words a Dutch search passes over when it has others to look for ("geen toegang" looks
#: for toegang): the short function words that are in nearly every article.
STOPWORDS = frozenset([
    "aan", "al", "alle", "als", "bij", "dan", "dat", "de", "die", "dit", "doe", "doen", "door",
    "een", "en", "er", "geen", "had", "heb", "heeft", "hem", "het", "hier", "hij", "hoe", "ik",
    "in", "is", "je", "kan", "kun", "kunnen", "maar", "me", "met", "mijn", "na", "naar",
    "niet", "nog", "nu", "of", "om", "ons", "ook", "op", "over", "te", "tot", "u", "uw", "van",
    "voor", "was", "wat", "we", "wel", "wie", "wij", "zijn", "zo", "zou",
])


class _Stemmer(Protocol):
    def stemWords(self, words: list[str]) -> list[str]: ...  # PyStemmer's name


@cache
def _stemmer() -> _Stemmer:
    import Stemmer

    stemmer: _Stemmer = Stemmer.Stemmer("dutch_porter")
    return stemmer


def words(text: str) -> list[str]:
    """The words of `text`, folded (no case, no accents), in order."""
    return _WORD.findall(fold(text))


def stems(words_: list[str]) -> list[str]:
    """Each word's Dutch stem, in order."""
    return _stemmer().stemWords(words_) if words_ else []


#: Words whose stems `stem` remembers: a desk's vocabulary, a few MB at most.
STEM_CACHE_WORDS = 50_000


@lru_cache(maxsize=STEM_CACHE_WORDS)
def stem(word: str) -> str:
    """One word's Dutch stem, folded first (no case, no accents); remembered, as the same
    words come back in every snippet a search marks."""
    folded = fold(word)
    return _stemmer().stemWords([folded])[0] if folded else folded


def dutch_stems(text: str | None) -> str | None:
    """`text` as the Dutch index holds it: its words' stems, one space apart."""
    return None if text is None else " ".join(stems(words(text)))
