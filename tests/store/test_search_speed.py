"""The fast search path answers as the one before it did: same articles, same order, same
marks in titles and snippets, in English and in Dutch, with and without a department, on
a generated corpus (bench.corpus: the demo's words in both languages) with deleted
articles among them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from deskterm.bench import corpus
from deskterm.store import Store, open_store
from deskterm.store.search import SearchHit, StaleSearch, search
from tests.store import search_before

ARTICLES = 1500
QUERIES = [
    "vpn", "laptop", "password reset", "expense claim", "pass", "calend", '"shared mailbox"',
    '"sign in"', "printer -toner", "vpn printer payslip", "zzzz vpn", "mailbox*", "the",
    "wachtwoord", "wachtwoorden vergeten", "geen toegang printer", "wacht", "beeldsch",
    '"gedeelde mailbox"', '"het portaal"', "declaratie -verlof", "toegang tot de",
    "nothing-like-this", "",
]


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = open_store(tmp_path_factory.mktemp("kb") / "corpus.db")
    with store.raw() as connection:
        corpus.insert(connection, corpus.generate(ARTICLES, seed=3))
        connection.execute("INSERT INTO department (id, code, name) VALUES ('d1', 'IT', 'IT')")
        # Every seventh article belongs to IT, every fifth to no department at all
        connection.execute("UPDATE kb_article SET department_id = 'd1' WHERE rowid % 7 = 0")
        connection.execute("INSERT INTO department (id, code, name) VALUES ('d2', 'HR', 'HR')")
        connection.execute("UPDATE kb_article SET department_id = 'd2' "
                           "WHERE rowid % 7 != 0 AND rowid % 5 != 0")
        # ... and some are deleted.
        connection.execute("UPDATE kb_article SET deleted = 1 WHERE rowid % 11 = 0")
    yield store
    store.close()


def answers(hits: list[SearchHit] | list[search_before.SearchHit]) -> list[tuple[object, ...]]:
    return [(hit.article_id, hit.title, hit.snippet, round(hit.rank, 9), hit.matched_all)
            for hit in hits]


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("department", [None, "d1"])
@pytest.mark.parametrize("limit", [20, 5])
def test_fast_search_answers_as_before(corpus_store: Store, language: str,
                                       department: str | None, limit: int) -> None:
    found_any = 0
    with corpus_store.raw() as connection:
        for text in QUERIES:
            now = search(connection, text, limit=limit, department_id=department,
                         language=language)
            before = search_before.search(connection, text, limit=limit,
                                          department_id=department, language=language)
            assert answers(now) == answers(before), text
            found_any += bool(now)
    assert found_any >= len(QUERIES) // 2


def test_a_stale_search_stops_and_a_wanted_one_answers_in_full(corpus_store: Store) -> None:
    """Search as you type: once `stale` says so the search gives up (the pane drops it);
    while it does not, the answer is the whole answer."""
    with corpus_store.raw() as connection:
        for language in ("en", "nl"):
            with pytest.raises(StaleSearch):
                search(connection, "password reset", language=language, stale=lambda: True)
            wanted = search(connection, "password reset", language=language,
                            stale=lambda: False)
            assert wanted and answers(wanted) == answers(
                search(connection, "password reset", language=language))
        # The connection is left as it was: no handler stops a later search.
        assert search(connection, "vpn", language="en")


def test_a_deleted_article_left_in_the_index_is_still_not_found(corpus_store: Store) -> None:
    """Should the index hold a deleted article (the triggers take them out), the fast path
    still answers from the article table, as before. (The last test on the module's store: it keeps
    no update trigger afterwards.)"""
    with corpus_store.raw() as connection:
        first = search(connection, "vpn", limit=3, language="en")[0]
        connection.execute("DROP TRIGGER kb_article_au")
        try:
            connection.execute("UPDATE kb_article SET deleted = 1 WHERE id = ?",
                               (first.article_id,))
            now = search(connection, "vpn", limit=3, language="en")
            nl_now = search(connection, "vpn", limit=3, language="nl")
            assert first.article_id not in [hit.article_id for hit in now]
            assert answers(now) == answers(search_before.search(connection, "vpn", limit=3,
                                                                language="en"))
            assert answers(nl_now) == answers(search_before.search(connection, "vpn", limit=3,
                                                                   language="nl"))
        finally:
            connection.execute("UPDATE kb_article SET deleted = 0 WHERE id = ?",
                               (first.article_id,))


def test_a_single_letter_is_looked_for_as_itself_longer_words_as_prefixes(
        tmp_path: Path) -> None:
    """`r*` would expand over the whole index on every first key typed; a one-letter word
    finds that word only, while two letters on still find the words they start."""
    store = open_store(tmp_path / "letters.db")
    try:
        with store.raw() as connection:
            connection.execute(
                "INSERT INTO kb_article (id, title, body, created_at, updated_at) VALUES "
                "('a1', 'Reset a password', 'Use the portal.', '2026-01-01', '2026-01-01'),"
                "('a2', 'Drive R is full', 'Clean up drive r.', '2026-01-01', '2026-01-01')")
            for language in ("en", "nl"):
                assert {hit.article_id for hit in search(connection, "r", language=language)} \
                    == {"a2"}
                assert {hit.article_id for hit in search(connection, "re", language=language)} \
                    == {"a1"}
                assert [hit.article_id for hit in search(connection, "pa", language=language)] \
                    == ["a1"]
    finally:
        store.close()
