"""Pane 3, the knowledge base: search as you type, suggestions, reading, linking, writing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static, TextArea

from deskterm.domain.enums import TicketEventKind
from deskterm.present import HIGHLIGHT_STYLE
from deskterm.services import kb
from deskterm.services.ticket_views import ticket_detail
from deskterm.store import Store
from deskterm.ui.app import DesktermApp
from deskterm.ui.forms.article import ArticleForm
from deskterm.ui.forms.discard import DiscardQuestion
from deskterm.ui.widgets.kb import KbPane
from deskterm.ui.widgets.kb import pane as kb_pane_module
from deskterm.ui.widgets.queue import pane as queue_pane_module
from tests.ui.helpers import make_app, settle, until, wait_ready


@pytest.fixture(autouse=True)
def no_debounce(monkeypatch: pytest.MonkeyPatch) -> None:
    """Search on every keystroke and let the queue announce its selection at once, so the
    tests wait for workers instead of for debounce clocks."""
    monkeypatch.setattr(kb_pane_module, "SEARCH_DEBOUNCE", 0)
    monkeypatch.setattr(queue_pane_module, "SELECT_DEBOUNCE", 0.001)


@dataclass
class Desk:
    app: DesktermApp
    pilot: Pilot[Any]
    pane: KbPane
    notes: list[tuple[str, str]]  # (severity, message) of every notification

    @property
    def store(self) -> Store:
        assert self.app.session is not None
        return self.app.session.store

    async def settle(self) -> None:
        await settle(self.pilot)

    async def search(self, text: str, *, typed: bool = False) -> None:
        """Focus the box (pane key 3, then /: only / enters it) and replace its text, key
        by key when `typed` (slow under Pilot), else at once (as a paste does)."""
        box = self.pane.box
        if not box.has_focus:
            await self.pilot.press("3", "slash")
            await self.settle()
        assert box.has_focus
        box.value = ""
        if typed:
            await self.pilot.press(*text)
        else:
            box.value = text
        await self.settle()

    def titles(self) -> list[str]:
        return [hit.plain_title for hit in self.pane.results.hits]

    def status(self) -> str:
        return str(self.pane.query_one("#kb-status", Static).render())

    async def open_first(self, text: str) -> str:
        """Search `text`, open the first result; returns its article id."""
        await self.search(text)
        assert self.pane.results.hits, f"no article for {text!r}"
        await self.pilot.press("enter")
        await self.settle()
        article = self.pane.open_article
        assert article is not None
        return article.id

    def severities(self, severity: str) -> list[str]:
        return [message for level, message in self.notes if level == severity]


@asynccontextmanager
async def kb_desk(db: Path) -> AsyncIterator[Desk]:
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        notes: list[tuple[str, str]] = []
        notify = app.notify

        def recording(message: str, **options: Any) -> None:
            notes.append((options.get("severity", "information"), str(message)))
            notify(message, **options)

        app.notify = recording  # type: ignore[method-assign]
        desk = Desk(app, pilot, app.screen.query_one(KbPane), notes)
        await until(pilot, lambda: desk.pane.ticket is not None,
                    "the queue's first selection reached the pane")
        await desk.settle()
        yield desk


async def test_typing_lists_what_the_search_service_finds(demo_db: Path) -> None:
    async with kb_desk(demo_db) as desk:
        await desk.search("vpn home", typed=True)
        expected = kb.search_articles(desk.store, "vpn home", limit=30)
        assert expected
        assert desk.titles() == [hit.plain_title for hit in expected]
        first = desk.pane.results.options[0].prompt
        assert first.plain.startswith(expected[0].plain_title)
        assert any(HIGHLIGHT_STYLE in str(span.style) for span in first.spans)
        assert desk.pane.results.highlighted == 0
        await desk.pilot.press("down")  # ↓ leaves the box into the results, at the top
        assert desk.pane.results.has_focus and desk.pane.results.highlighted == 0
        await desk.pilot.press("down", "down")
        assert desk.pane.results.highlighted == 2


async def test_a_burst_of_keys_ends_on_the_results_for_all_of_it(
        demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first key searches at once; keys that follow within the debounce (a paste, a
    held key) search once more when they stop, for everything typed."""
    monkeypatch.setattr(kb_pane_module, "SEARCH_DEBOUNCE", 0.2)
    async with kb_desk(demo_db) as desk:
        await desk.search("")
        driver = desk.app._driver
        assert driver is not None
        for key in "vpn home":
            event = events.Key("space" if key == " " else key, key)
            event.set_sender(desk.app)
            driver.send_message(event)
        await until(desk.pilot, lambda: desk.pane.shown_query == "vpn home",
                    "the results for the whole burst")
        await desk.settle()
        expected = kb.search_articles(desk.store, "vpn home", limit=30)
        assert desk.titles() == [hit.plain_title for hit in expected]
        assert desk.pane.box.value == "vpn home"


NASTY = ["unbalanced ( AND", "*", "-", '"', "NEAR(a b", "a" * 600, "vpn -", "ü🙂"]


async def test_nasty_input_finds_quietly(demo_db: Path) -> None:
    async with kb_desk(demo_db) as desk:
        for text in NASTY:
            await desk.search(text, typed=len(text) <= 3)
            expected = kb.search_articles(desk.store, text, limit=30)
            assert desk.titles() == [hit.plain_title for hit in expected], text
            await desk.pilot.press("enter", "escape")  # open nothing (or the best), back
            await desk.settle()
        assert desk.severities("error") == []


async def test_an_empty_box_suggests_articles_for_the_selected_ticket(demo_db: Path) -> None:
    async with kb_desk(demo_db) as desk:
        ticket = desk.pane.ticket
        assert ticket is not None
        suggested = kb.suggest_for_ticket(desk.store, ticket.id)
        assert suggested
        assert desk.titles() == [hit.plain_title for hit in suggested]
        assert desk.status() == f"Suggested for {ticket.key}"
        await desk.search("printer")
        assert desk.status() != f"Suggested for {ticket.key}"
        await desk.pilot.press("ctrl+u")  # clear the box: suggestions again
        await desk.settle()
        assert desk.titles() == [hit.plain_title for hit in suggested]


async def test_opening_an_article_renders_it_and_escape_goes_back(demo_db: Path) -> None:
    async with kb_desk(demo_db) as desk:
        article_id = await desk.open_first("vpn")
        article = kb.get_article(desk.store, article_id)
        view = desk.pane.article_view
        assert desk.pane.reading and view.has_focus
        source = view.markdown.source
        assert source.strip() and source.strip() in article.body
        assert view.markdown.query("MarkdownBlock")  # rendered, not shown as text
        header = str(view.query_one("#kb-article-head", Static).render())
        assert article.title in header and f"v{article.version}" in header
        await desk.pilot.press("escape")
        await desk.settle()
        assert not desk.pane.reading
        assert desk.pane.results.has_focus
        assert desk.pane.results.highlighted_id == article_id


async def test_l_links_the_open_article_to_the_selected_ticket_once(demo_db: Path) -> None:
    async with kb_desk(demo_db) as desk:
        ticket = desk.pane.ticket
        assert ticket is not None
        article_id = await desk.open_first("password reset")
        await desk.pilot.press("l")
        await desk.settle()
        detail = ticket_detail(desk.store, ticket.id)
        assert [a.id for a in detail.articles].count(article_id) == 1
        assert detail.events[-1].kind == TicketEventKind.ARTICLE_LINKED
        assert any(ticket.key in note for note in desk.severities("information"))

        await desk.pilot.press("l")
        await desk.settle()
        detail = ticket_detail(desk.store, ticket.id)
        assert [a.id for a in detail.articles].count(article_id) == 1
        assert any("already linked" in note for note in desk.severities("warning"))

        desk.pane.show_ticket(None)  # the queue has nothing selected (an empty view)
        await desk.pilot.press("l")
        await desk.settle()
        assert any("Select a ticket" in note for note in desk.severities("warning"))
        assert desk.severities("error") == []


async def test_a_new_article_from_the_form_is_stored_and_found(demo_db: Path) -> None:
    async with kb_desk(demo_db) as desk:
        await desk.search("vpn")
        await desk.pilot.press("escape", "n")  # out of the box to the list, then new
        await desk.settle()
        form = desk.app.screen
        assert isinstance(form, ArticleForm)
        assert form.query_one("#article-title", Input).has_focus
        form.query_one("#article-title", Input).value = "Zebra printer offline"
        form.query_one("#article-tags", Input).value = "zebra, labels"
        form.query_one("#article-department", Select).value = "IT"
        form.query_one("#article-body", TextArea).text = "# Steps\n\n1. Power-cycle the *zebra*."
        await desk.pilot.press("ctrl+o")
        await desk.settle()
        assert not isinstance(desk.app.screen, ArticleForm)
        [hit] = [h for h in kb.search_articles(desk.store, "zebra offline") if h.matched_all]
        made = kb.get_article(desk.store, hit.article_id)
        assert (made.title, made.tags, made.version) == ("Zebra printer offline",
                                                         ["zebra", "labels"], 1)
        assert desk.app.session is not None
        assert (made.department_id, "IT") in desk.app.session.departments
        opened = desk.pane.open_article
        assert opened is not None and opened.id == made.id
        await desk.search("zebra")
        assert "Zebra printer offline" in desk.titles()


async def test_editing_saves_a_new_version(demo_db: Path) -> None:
    async with kb_desk(demo_db) as desk:
        article_id = await desk.open_first("vpn")
        before = kb.get_article(desk.store, article_id)
        await desk.pilot.press("e")
        await desk.settle()
        form = desk.app.screen
        assert isinstance(form, ArticleForm)
        body = form.query_one("#article-body", TextArea)
        body.text = before.body + "\n\nAlso check the date and time on the laptop."
        await desk.pilot.press("ctrl+o")
        await desk.settle()
        after = kb.get_article(desk.store, article_id)
        assert after.version == before.version + 1
        assert after.body.endswith("date and time on the laptop.")
        shown = desk.pane.open_article
        assert shown is not None and shown.version == after.version  # reloaded
        assert desk.pane.article_view.markdown.source.endswith("date and time on the laptop.")
        # The header names the editor of the new version.
        head = str(desk.pane.query_one("#kb-article-head", Static).render())
        assert f"v{after.version} @alex" in head.split("edited by ")[1]


async def test_a_stale_edit_is_refused_inline_and_keeps_both_texts(demo_db: Path) -> None:
    async with kb_desk(demo_db) as desk:
        await desk.search("vpn")
        await desk.pilot.press("escape", "e")  # edit the highlighted result, unopened
        await desk.settle()
        form = desk.app.screen
        assert isinstance(form, ArticleForm) and form.article is not None
        article_id = form.article.id
        assert article_id == desk.pane.results.hits[0].article_id
        mine = "My rewrite of the article."
        form.query_one("#article-body", TextArea).text = mine
        assert desk.app.session is not None
        theirs = kb.edit_article(desk.app.session.ctx, article_id, body="Their rewrite.")
        await desk.pilot.press("ctrl+o")
        await desk.settle()
        assert desk.app.screen is form  # still open
        error = str(form.query_one("#form-error", Static).render())
        assert "changed since you opened it" in error
        assert form.query_one("#article-body", TextArea).text == mine
        stored = kb.get_article(desk.store, article_id)
        assert (stored.body, stored.version) == ("Their rewrite.", theirs.version)


async def test_escape_asks_before_throwing_away_typed_text(demo_db: Path) -> None:
    async with kb_desk(demo_db) as desk:
        await desk.search("vpn")
        await desk.pilot.press("escape", "n")
        await desk.settle()
        form = desk.app.screen
        assert isinstance(form, ArticleForm)
        await desk.pilot.press(*"Title", "escape")
        await desk.settle()
        assert isinstance(desk.app.screen, DiscardQuestion)  # the rule of every form
        await desk.pilot.press("escape")  # keeps editing
        await desk.settle()
        assert desk.app.screen is form
        await desk.pilot.press("escape", "d")
        await desk.settle()
        assert not isinstance(desk.app.screen, ArticleForm)
