"""KB search: whatever a person types never fails, and the results read as they should."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import select

from deskterm.domain import KbArticle
from deskterm.domain.errors import NotFound
from deskterm.services import kb, org
from deskterm.services.context import ServiceContext, context_for
from deskterm.store import Store, open_store
from deskterm.store.search import MARK_END, MARK_START, SearchHit, parse_query, strip_marks
from tests.conftest import Desk

NASTY_INPUTS = [
    '"unbalanced ( AND',
    "*",
    "-",
    "AND",
    "OR NOT",
    '"',
    '""',
    "vpn*",
    "(vpn",
    "vpn)",
    "NEAR(a b)",
    "NEAR(vpn printer, 2)",
    "'; DROP TABLE kb_article; --",
    "ü",
    "😀",
    "vpn 😀 🖨️",
    "x" * 10_000,
    "vpn " * 2_500,
    "\x00",
    "vpn\x00printer",
    "col:value",
    "title:vpn",
    "^vpn",
    "{vpn}",
    "{title body}: vpn",
    "vpn + printer",
    "a AND OR NOT NEAR b",
    "--vpn",
    '-"vpn client"',
    '"vpn" "',
    "\\",
    "%_%",
    "   ",
    "",
    "\t\n",
    "١٢٣",
    "日本語のテキスト",
    "\u202evpn",
    "é\u0301",
]


def _short_id(value: str) -> str:
    return ascii(value)[:24]


def titles(hits: list[SearchHit]) -> list[str]:
    return [hit.plain_title for hit in hits]


def write_articles(ctx: ServiceContext) -> None:
    """A few articles written through the service, in IT, HR and no department."""
    kb.create_article(ctx, title="VPN keeps disconnecting",
                      body="Renew the certificate in the VPN client, then reconnect.",
                      tags=["vpn", "network"], department="IT")
    kb.create_article(ctx, title="Printer jams on floor 3",
                      body="Open tray 2 and remove the crumpled paper. Printers on floor 3 "
                           "are serviced on Fridays.", department="IT")
    kb.create_article(ctx, title="Reset a password",
                      body="Use the self-service portal to reset your password.")
    kb.create_article(ctx, title="Réseau indisponible",
                      body="Le réseau Wi-Fi du bâtiment B est en panne.")
    kb.create_article(ctx, title="Mail quota reached",
                      body="If the mailbox is full, archive old mail. A slow vpn makes mail "
                           "slow too.", tags=["mail"])
    kb.create_article(ctx, title="Holiday requests",
                      body="## Steps\n\n1. Open **MyHR**\n2. Choose `Leave`\n> Approval by "
                           "your manager | within a week",
                      tags=["leave"], department="HR")


@pytest.fixture(scope="module")
def shelf(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The articles in a store shared by the tests of this module that only read."""
    store = open_store(tmp_path_factory.mktemp("shelf") / "store.db")
    org.add_agent(None, store, handle="root", name="Rosa Admin")
    admin = context_for(store, "root")
    org.add_department(admin, code="IT", name="IT")
    org.add_department(admin, code="HR", name="Human Resources")
    write_articles(admin)
    yield store
    store.close()


@pytest.fixture
def library(desk: Desk) -> Desk:
    """The same articles on a desk of the test's own, for tests that change them."""
    write_articles(desk.lead)
    return desk


# --- nothing a person types makes search fail ---------------------------------------------


@pytest.mark.parametrize("typed", NASTY_INPUTS, ids=_short_id)
def test_any_typed_text_returns_a_list(shelf: Store, typed: str) -> None:
    hits = kb.search_articles(shelf, typed)
    assert isinstance(hits, list)
    assert all(isinstance(hit, SearchHit) for hit in hits)
    assert kb.search_articles(shelf, typed, department="IT") is not None


@pytest.mark.parametrize("typed", NASTY_INPUTS, ids=_short_id)
def test_built_expressions_are_valid_fts5(shelf: Store, typed: str) -> None:
    # search() turns an FTS5 error into "nothing found"; prove the expressions it builds
    # are valid, so that safety net is never what keeps a search box alive.
    query = parse_query(typed)
    if not query.terms:
        return
    with shelf.raw() as connection:
        for expression in (query.match_all(), query.match_any()):
            connection.execute("SELECT count(*) FROM kb_fts WHERE kb_fts MATCH ?",
                               (expression,)).fetchone()


@settings(max_examples=150, deadline=None)
@given(typed=st.text(max_size=120))
def test_arbitrary_text_builds_valid_fts5(shelf: Store, typed: str) -> None:
    query = parse_query(typed)
    with shelf.raw() as connection:
        for expression in (query.match_all(), query.match_any()) if query.terms else ():
            connection.execute("SELECT count(*) FROM kb_fts WHERE kb_fts MATCH ?",
                               (expression,)).fetchone()
    assert isinstance(kb.search_articles(shelf, typed), list)


def test_injection_text_changes_nothing(shelf: Store) -> None:
    kb.search_articles(shelf, "'; DROP TABLE kb_article; --")
    with shelf.reading() as session:
        assert len(session.exec(select(KbArticle)).all()) == 6


def test_operator_words_alone_find_nothing(shelf: Store) -> None:
    for typed in ("AND", "OR NOT", "NEAR", "*", "-", '""'):
        assert kb.search_articles(shelf, typed) == []


def test_a_very_long_query_still_searches_its_start(shelf: Store) -> None:
    assert titles(kb.search_articles(shelf, "vpn " * 2_500))[0] == \
        "VPN keeps disconnecting"


def test_syntax_characters_around_a_word_are_ignored(shelf: Store) -> None:
    for typed in ("vpn*", "(vpn", "vpn)", "^vpn", "{vpn}", "title:vpn", "VPN", "vpn!"):
        assert titles(kb.search_articles(shelf, typed))[0] == \
            "VPN keeps disconnecting", typed


# --- what results look like --------------------------------------------------------------


def test_title_hits_rank_above_body_hits(shelf: Store) -> None:
    hits = kb.search_articles(shelf, "vpn")
    assert titles(hits) == ["VPN keeps disconnecting", "Mail quota reached"]
    assert hits[0].rank < hits[1].rank  # bm25: lower is better


def test_tags_are_searched(shelf: Store) -> None:
    assert titles(kb.search_articles(shelf, "network")) == ["VPN keeps disconnecting"]


def test_words_match_as_prefixes(shelf: Store) -> None:
    assert titles(kb.search_articles(shelf, "pass")) == ["Reset a password"]
    assert titles(kb.search_articles(shelf, "certif")) == ["VPN keeps disconnecting"]


def test_word_forms_find_each_other(shelf: Store) -> None:
    # Porter stemming: "printing" and "printer" share the stem "print"; "jammed" finds "jams".
    assert "Printer jams on floor 3" in titles(kb.search_articles(shelf, "printing"))
    assert "Printer jams on floor 3" in titles(kb.search_articles(shelf, "printers"))
    assert titles(kb.search_articles(shelf, "jammed")) == ["Printer jams on floor 3"]
    assert titles(kb.search_articles(shelf, "disconnected")) == [
        "VPN keeps disconnecting"]


def test_search_is_blind_to_case_and_diacritics(shelf: Store) -> None:
    assert titles(kb.search_articles(shelf, "reseau")) == ["Réseau indisponible"]
    assert titles(kb.search_articles(shelf, "RÉSEAU")) == ["Réseau indisponible"]
    assert titles(kb.search_articles(shelf, "batiment")) == ["Réseau indisponible"]


def test_quoted_phrases_match_words_in_that_order(shelf: Store) -> None:
    assert titles(kb.search_articles(shelf, '"reset your password"')) == [
        "Reset a password"]
    assert kb.search_articles(shelf, '"password your reset"') == []


def test_a_minus_word_excludes_articles(shelf: Store) -> None:
    assert titles(kb.search_articles(shelf, "vpn -mail")) == ["VPN keeps disconnecting"]
    assert titles(kb.search_articles(shelf, 'vpn -"mail"')) == [
        "VPN keeps disconnecting"]
    assert titles(kb.search_articles(shelf, 'vpn -"slow vpn"')) == [
        "VPN keeps disconnecting"]
    assert kb.search_articles(shelf, "-vpn") == []


def test_articles_with_every_word_come_before_those_with_some(shelf: Store) -> None:
    hits = kb.search_articles(shelf, "vpn slow")
    assert hits[0].plain_title == "Mail quota reached"
    assert hits[0].matched_all is True
    assert [(h.plain_title, h.matched_all) for h in hits[1:]] == [
        ("VPN keeps disconnecting", False)]


def test_operator_words_between_words_are_not_required(shelf: Store) -> None:
    hits = kb.search_articles(shelf, "vpn OR printer")
    assert set(titles(hits)) == {"VPN keeps disconnecting", "Mail quota reached",
                                 "Printer jams on floor 3"}
    assert not any(hit.matched_all for hit in hits)


def test_no_relaxed_search_for_a_single_word(shelf: Store) -> None:
    assert all(hit.matched_all for hit in kb.search_articles(shelf, "mail"))


def test_matches_are_marked_in_title_and_snippet(shelf: Store) -> None:
    [hit] = kb.search_articles(shelf, "password")
    assert f"{MARK_START}password{MARK_END}" in hit.title
    assert f"{MARK_START}password{MARK_END}" in hit.snippet
    assert hit.plain_title == "Reset a password"
    assert strip_marks(hit.snippet) == "Use the self-service portal to reset your password."


def test_prefix_matches_mark_the_whole_word(shelf: Store) -> None:
    [hit] = kb.search_articles(shelf, "pass")
    assert f"{MARK_START}password{MARK_END}" in hit.snippet


def test_snippets_read_as_plain_text(shelf: Store) -> None:
    [hit] = kb.search_articles(shelf, "manager")
    text = strip_marks(hit.snippet)
    assert not set("#*`>|") & set(text)
    assert "Open MyHR" in text
    assert "\n" not in text


def test_limit_caps_the_number_of_hits(library: Desk) -> None:
    for number in range(5):
        kb.create_article(library.lead, title=f"Network tip {number}", body="More network.")
    assert len(kb.search_articles(library.store, "network", limit=3)) == 3
    assert len(kb.search_articles(library.store, "network", limit=0)) == 1


# --- the index follows every change --------------------------------------------------------


def test_deleted_articles_are_not_found(library: Desk) -> None:
    with library.store.transaction() as session:
        article = session.exec(select(KbArticle).where(KbArticle.title == "Reset a password")
                               ).one()
        article.deleted = True
        session.add(article)
    assert kb.search_articles(library.store, "password") == []
    assert kb.search_articles(library.store, "portal") == []


def test_a_removed_row_leaves_the_index(library: Desk) -> None:
    with library.store.raw() as connection:
        connection.execute("DELETE FROM kb_article WHERE title = 'Reset a password'")
        assert connection.execute("SELECT count(*) FROM kb_fts").fetchone()[0] == 5
    assert kb.search_articles(library.store, "password") == []


def test_an_edited_article_is_found_by_its_new_words_only(library: Desk) -> None:
    [hit] = kb.search_articles(library.store, "certificate")
    kb.edit_article(library.lead, hit.article_id, title="VPN drops after sleep",
                    body="Turn off power saving for the wireless adapter.", tags=["wifi"])
    assert kb.search_articles(library.store, "certificate") == []
    assert kb.search_articles(library.store, "disconnecting") == []
    assert kb.search_articles(library.store, "network") == []  # the old tag
    assert titles(kb.search_articles(library.store, "adapter")) == ["VPN drops after sleep"]
    assert titles(kb.search_articles(library.store, "wifi")) == ["VPN drops after sleep"]
    with library.store.raw() as connection:
        indexed = connection.execute("SELECT count(*) FROM kb_fts WHERE article_id = ?",
                                     (hit.article_id,)).fetchone()[0]
    assert indexed == 1


# --- departments ---------------------------------------------------------------------------


def test_department_filter_keeps_its_own_and_general_articles(shelf: Store) -> None:
    # "manager"/"your" appear in HR and general articles; "floor" only in IT.
    assert set(titles(kb.search_articles(shelf, "your", department="IT"))) == {
        "Reset a password"}
    assert set(titles(kb.search_articles(shelf, "your", department="HR"))) == {
        "Reset a password", "Holiday requests"}
    assert set(titles(kb.search_articles(shelf, "your"))) == {
        "Reset a password", "Holiday requests"}
    assert kb.search_articles(shelf, "floor", department="Human Resources") == []
    assert titles(kb.search_articles(shelf, "floor", department="it")) == [
        "Printer jams on floor 3"]


def test_an_unknown_department_is_named_in_the_refusal(shelf: Store) -> None:
    with pytest.raises(NotFound) as caught:
        kb.search_articles(shelf, "vpn", department="Finance")
    assert "no department 'Finance'" in str(caught.value)
    assert "known:" in str(caught.value)
    assert {"HR", "IT"} <= set(str(caught.value).split("known:")[1].replace(",", " ").split())


# --- parsing -------------------------------------------------------------------------------


def test_parse_query_reads_words_phrases_and_exclusions() -> None:
    query = parse_query('Reset "VPN  client" -Mail AND wi-fi reset')
    assert query.terms == ["vpn client", "reset", "wi", "fi"]
    assert query.excluded == ["mail"]
    assert query.match_all() == '("vpn client" AND "reset"* AND "wi"* AND "fi"*) NOT "mail"'


def test_a_minus_before_a_phrase_excludes_the_phrase() -> None:
    query = parse_query('printer -"vpn client" wi-"fi"')
    assert query.terms == ["fi", "printer", "wi"]
    assert query.excluded == ["vpn client"]
    assert query.match_all().endswith(' NOT "vpn client"')


def test_parse_query_caps_the_number_of_terms() -> None:
    query = parse_query(" ".join(f"word{i}" for i in range(40)))
    assert len(query.terms) == 16
