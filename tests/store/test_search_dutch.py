"""KB search in Dutch: Dutch word forms find each other, function words are passed over,
matches are marked in the article's own words, and nothing typed makes it fail."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from deskterm.domain import KbArticle
from deskterm.i18n import using
from deskterm.services import kb, org
from deskterm.services.context import ServiceContext, context_for
from deskterm.store import Store, open_store
from deskterm.store.search import MARK_END, MARK_START, SearchHit, strip_marks
from tests.conftest import Desk
from tests.store.test_search import NASTY_INPUTS, _short_id


def titles(hits: list[SearchHit]) -> list[str]:
    return [hit.plain_title for hit in hits]


def write_articles(ctx: ServiceContext) -> None:
    kb.create_article(ctx, title="Wachtwoord vergeten",
                      body="Stel je wachtwoord opnieuw in via het selfserviceportaal. "
                           "Daarna log je in met het nieuwe wachtwoord.",
                      tags=["wachtwoord", "account"], department="ICT")
    kb.create_article(ctx, title="Wachtwoorden van gedeelde mailboxen",
                      body="Gedeelde mailboxen hebben geen eigen wachtwoorden: je krijgt "
                           "toegang via je eigen account.", department="ICT")
    kb.create_article(ctx, title="Geen toegang tot de netwerkschijf",
                      body="Vraag de eigenaar van de map om je toegang te geven. "
                           "Rechten worden binnen een uur actief.", department="ICT")
    kb.create_article(ctx, title="Tweede beeldscherm wordt niet herkend",
                      body="Controleer de kabel van de beeldschermen en kies Windows-toets "
                           "+ P om het scherm uit te breiden.", department="ICT")
    kb.create_article(ctx, title="Declaraties indienen",
                      body="Dien je declaratie in binnen drie maanden, met de bon erbij. "
                           "Het geëxporteerde overzicht staat daarna in het portaal.",
                      tags=["declaratie"], department="FIN")


@pytest.fixture(scope="module")
def shelf(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = open_store(tmp_path_factory.mktemp("schap") / "store.db")
    org.add_agent(None, store, handle="root", name="Rosa Beheer")
    admin = context_for(store, "root")
    org.add_department(admin, code="ICT", name="ICT")
    org.add_department(admin, code="FIN", name="Financiën")
    write_articles(admin)
    yield store
    store.close()


def dutch(store: Store, text: str, **options: object) -> list[SearchHit]:
    with using("nl"):
        return kb.search_articles(store, text, **options)  # type: ignore[arg-type]


def test_singular_and_plural_find_each_other(shelf: Store) -> None:
    both = {"Wachtwoord vergeten", "Wachtwoorden van gedeelde mailboxen"}
    assert set(titles(dutch(shelf, "wachtwoord"))) == both
    assert set(titles(dutch(shelf, "wachtwoorden"))) == both
    assert titles(dutch(shelf, "beeldscherm")) == ["Tweede beeldscherm wordt niet herkend"]
    assert titles(dutch(shelf, "beeldschermen")) == ["Tweede beeldscherm wordt niet herkend"]
    assert titles(dutch(shelf, "declaraties")) == ["Declaraties indienen"]


def test_function_words_are_passed_over_when_there_are_others(shelf: Store) -> None:
    hits = dutch(shelf, "geen toegang")
    assert hits[0].plain_title == "Geen toegang tot de netwerkschijf"
    assert all(hit.matched_all for hit in hits)  # `geen` is not required
    assert "Wachtwoorden van gedeelde mailboxen" in titles(hits)  # toegang, in the body
    assert titles(dutch(shelf, "geen")) != []  # alone, it is searched for


def test_prefixes_and_diacritics_match(shelf: Store) -> None:
    assert "Wachtwoord vergeten" in titles(dutch(shelf, "wachtw"))
    assert titles(dutch(shelf, "geexporteerd")) == ["Declaraties indienen"]
    assert titles(dutch(shelf, "FINANCIËN declaratie")) == ["Declaraties indienen"]


def test_english_stemming_does_not_do_this(shelf: Store) -> None:
    # Porter stems English: `wachtwoorden` is not `wachtwoord` to it (which is why Dutch
    # has an index of its own).
    assert titles(kb.search_articles(shelf, "beeldschermen")) == [
        "Tweede beeldscherm wordt niet herkend"]  # a prefix of nothing else; body word
    with using("en"):
        hits = kb.search_articles(shelf, "wachtwoorden")
    assert "Wachtwoord vergeten" not in titles(hits)


def test_matches_are_marked_in_the_articles_own_words(shelf: Store) -> None:
    [hit] = dutch(shelf, "beeldschermen")
    assert f"{MARK_START}beeldscherm{MARK_END}" in hit.title
    assert f"{MARK_START}beeldschermen{MARK_END}" in hit.snippet
    assert strip_marks(hit.snippet) == ("Controleer de kabel van de beeldschermen en kies "
                                        "Windows-toets + P om het scherm uit te breiden.")


def test_a_long_body_gives_a_passage_around_the_matches(desk: Desk) -> None:
    filler = " ".join(["Lees eerst de instructies op het intranet."] * 10)
    kb.create_article(desk.lead, title="Printer",
                      body=f"{filler} De toner vervang je zo. {filler}")
    [hit] = dutch(desk.store, "toner")
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert f"{MARK_START}toner{MARK_END}" in hit.snippet
    assert len(strip_marks(hit.snippet).split()) <= 18


def test_phrases_and_exclusions(shelf: Store) -> None:
    assert titles(dutch(shelf, '"gedeelde mailboxen"')) == [
        "Wachtwoorden van gedeelde mailboxen"]
    assert titles(dutch(shelf, "wachtwoord -mailbox")) == ["Wachtwoord vergeten"]


def test_a_changed_or_deleted_article_leaves_the_dutch_index(desk: Desk) -> None:
    article = kb.create_article(desk.lead, title="Beeldscherm flikkert", body="Kabel los.")
    assert titles(dutch(desk.store, "beeldscherm")) == ["Beeldscherm flikkert"]
    kb.edit_article(desk.lead, article.id, title="Muis werkt niet", body="Batterij leeg.")
    assert dutch(desk.store, "beeldscherm") == []
    assert titles(dutch(desk.store, "batterij")) == ["Muis werkt niet"]
    with desk.store.transaction() as session:
        stored = session.get(KbArticle, article.id)
        assert stored is not None
        stored.deleted = True
        session.add(stored)
    assert dutch(desk.store, "batterij") == []
    with desk.store.raw() as connection:
        connection.execute("DELETE FROM kb_edit WHERE article_id = ?", (article.id,))
        connection.execute("DELETE FROM kb_article WHERE id = ?", (article.id,))
        assert connection.execute("SELECT count(*) FROM kb_fts_nl WHERE article_id = ?",
                                  (article.id,)).fetchone()[0] == 0


@pytest.mark.parametrize("typed", NASTY_INPUTS, ids=_short_id)
def test_any_typed_text_returns_a_list(shelf: Store, typed: str) -> None:
    assert isinstance(dutch(shelf, typed), list)
