"""Knowledge back to 1st line in the workspace: `w` on the ticket screen drafts an article
from the ticket, and 2nd line is offered the same draft when it resolves an escalation."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Checkbox, Input, Select, Static, TextArea

from deskterm.services import kb
from deskterm.services.context import context_for
from deskterm.services.tickets import create_ticket, escalate_ticket, resolve_ticket
from deskterm.store import open_store
from deskterm.ui.forms.article import ArticleFromTicketForm
from deskterm.ui.forms.ticket_state import ResolveForm
from deskterm.ui.screens.ticket import TicketScreen
from tests.ui.helpers import make_app, open_form, query, save, settle, text_of, until, wait_ready


def second_line(db: Path) -> str:
    return str(query(db, "SELECT handle FROM agent WHERE tier = 2 AND active AND role = 'agent' "
                         "ORDER BY handle LIMIT 1")[0][0])


def escalated_ticket(db: Path, *, resolved_by: str | None = None,
                     with_article: bool = False) -> str:
    """A ticket alex escalated to 2nd line (and `resolved_by` resolved)."""
    store = open_store(db)
    try:
        alex = context_for(store, "alex")
        customer = query(db, "SELECT id FROM customer WHERE NOT deleted LIMIT 1")[0][0]
        made = create_ticket(alex, customer=customer, subject="Outlook search finds nothing",
                             description="Search returns no mail since the update.",
                             department="IT")
        escalate_ticket(alex, made.id, tier=2, group="Apps 2nd line", reason="index")
        if resolved_by:
            resolve_ticket(context_for(store, resolved_by), made.id,
                           resolution="Rebuilt the search index.")
        if with_article:
            article = kb.create_article(alex, title="Outlook search", body="Rebuild the index.")
            kb.link_article(alex, made.id, article.id)
        return made.id
    finally:
        store.close()


async def open_ticket(pilot, ticket_id: str) -> TicketScreen:  # type: ignore[no-untyped-def]
    app = pilot.app
    await wait_ready(pilot)
    screen = TicketScreen(app.session, ticket_id)
    await app.push_screen(screen)
    await until(pilot, lambda: screen.detail is not None, "the ticket read")
    return screen


def links(db: Path, ticket_id: str) -> list[tuple[str, str]]:
    return query(db, "SELECT k.title, a.handle FROM ticket_article l "
                     "JOIN kb_article k ON k.id = l.article_id JOIN agent a ON a.id = k.author_id "
                     "WHERE l.ticket_id = ?", ticket_id)


async def test_w_on_the_ticket_screen_writes_an_article_linked_to_it(demo_db: Path) -> None:
    ticket_id = escalated_ticket(demo_db, resolved_by=second_line(demo_db))
    app = make_app(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_ticket(pilot, ticket_id)
        form = await open_form(pilot, "w", ArticleFromTicketForm)
        title = form.query_one("#article-title", Input)
        await until(pilot, lambda: title.value != "", "the draft read")
        assert title.value == "Outlook search finds nothing"
        assert form.query_one("#article-body", TextArea).text == (
            "## Problem\n\nSearch returns no mail since the update.\n\n"
            "## Solution\n\nRebuilt the search index.\n")
        assert form.query_one("#article-department", Select).value == "IT"
        form.query_one("#article-tags", Input).value = "outlook, search"
        await save(pilot)
        assert app.screen is screen
        await until(pilot, lambda: "Outlook search finds nothing"
                    in text_of(screen.query_one("#ticket-articles", Static)),
                    "the ticket screen lists the article")
    assert links(demo_db, ticket_id) == [("Outlook search finds nothing", "alex")]
    assert query(demo_db, "SELECT tags FROM kb_article WHERE title = ?",
                 "Outlook search finds nothing") == [('["outlook", "search"]',)]


async def test_second_line_resolving_an_escalation_is_offered_the_article(demo_db: Path
                                                                         ) -> None:
    resolver = second_line(demo_db)
    ticket_id = escalated_ticket(demo_db)
    app = make_app(demo_db, handle=resolver)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_ticket(pilot, ticket_id)
        form = await open_form(pilot, "r", ResolveForm)
        offer = form.query_one("#resolve-write-article", Checkbox)
        assert offer.display and offer.value  # on by default for 2nd line
        form.query_one("#resolve-resolution", TextArea).text = "Rebuilt the search index."
        await save(pilot)
        article_form = app.screen
        assert isinstance(article_form, ArticleFromTicketForm)
        body = article_form.query_one("#article-body", TextArea)
        await until(pilot, lambda: "Rebuilt the search index." in body.text, "the draft read")
        await save(pilot)
        assert app.screen is screen
    # 2nd line's resolve hands the ticket back to its owner (services.handback).
    assert query(demo_db, "SELECT status, returned_at IS NOT NULL FROM ticket WHERE id = ?",
                 ticket_id) == [("open", 1)]
    assert links(demo_db, ticket_id) == [("Outlook search finds nothing", resolver)]


async def test_the_offer_is_not_made_to_first_line_or_with_an_article_linked(demo_db: Path
                                                                            ) -> None:
    resolver = second_line(demo_db)
    for handle, with_article in (("alex", False), (resolver, True)):
        ticket_id = escalated_ticket(demo_db, with_article=with_article)
        app = make_app(demo_db, handle=handle)
        async with app.run_test(size=(120, 40)) as pilot:
            await open_ticket(pilot, ticket_id)
            form = await open_form(pilot, "r", ResolveForm)
            await settle(pilot)
            assert not form.query_one("#resolve-write-article", Checkbox).display, handle
            form.query_one("#resolve-resolution", TextArea).text = "Fixed."
            await save(pilot)
            assert isinstance(app.screen, TicketScreen)  # no article form follows
