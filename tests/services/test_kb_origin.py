"""Articles from tickets: the prefilled draft, the link it saves, who saved each version."""

from __future__ import annotations

from datetime import timedelta

from deskterm.domain import KbArticle
from deskterm.domain.enums import TicketStatus
from deskterm.domain.errors import InvalidInput, NotFound
from deskterm.services import kb, kb_origin, tickets
from deskterm.services.kb_origin import ArticleVersion
from tests.conftest import FIXED_NOW, Desk
from tests.services.conftest import Outbox, Refuse, fixed, trail


def _escalated_and_resolved(desk: Desk) -> str:
    """A VPN ticket alex owns, escalated to sam (2nd line), who solved it: it came back to
    alex (the hand-back), who closed it, the customer told."""
    made = tickets.create_ticket(desk.alex, customer="jo@example.com",
                                 subject="VPN drops every hour", department="IT",
                                 description="Since Monday the VPN disconnects hourly.")
    tickets.escalate_ticket(desk.alex, made.id, tier=2, group="Network",
                            reason="certificate trouble")
    tickets.resolve_ticket(desk.as_("sam"), made.id,
                           resolution="Renewed the machine certificate; reconnect once.")
    tickets.resolve_ticket(desk.alex, made.id, resolution=None,
                           informed="customer already informed by phone")
    return made.id


def test_the_draft_is_prefilled_from_the_ticket(desk: Desk) -> None:
    ticket_id = _escalated_and_resolved(desk)
    draft = kb_origin.article_draft(desk.store, ticket_id)
    assert draft.ticket_id == ticket_id
    assert draft.title == "VPN drops every hour"
    assert draft.department == "IT"
    assert draft.linked_articles == 0
    assert draft.body == ("## Problem\n\nSince Monday the VPN disconnects hourly.\n\n"
                          "## Solution\n\nRenewed the machine certificate; reconnect once.\n")


def test_the_draft_keeps_the_resolvers_solution_from_the_trail(desk: Desk) -> None:
    """Reopened and resolved again by the owner: the resolver's words stay in the draft,
    beside the owner's resolution; the same text twice appears once."""
    ticket_id = _escalated_and_resolved(desk)
    tickets.reopen_ticket(desk.alex, ticket_id, reason="customer called back")
    tickets.resolve_ticket(desk.alex, ticket_id, resolution="Told Jo to reconnect once.")
    body = kb_origin.article_draft(desk.store, ticket_id).body
    assert body.endswith("## Solution\n\nRenewed the machine certificate; reconnect once.\n\n"
                         "Told Jo to reconnect once.\n")


def test_a_draft_of_an_open_ticket_without_description(desk: Desk) -> None:
    made = tickets.create_ticket(desk.alex, customer="jo@example.com", subject="Printer jams")
    draft = kb_origin.article_draft(desk.store, made.key)
    assert draft.body == "## Problem\n\nPrinter jams\n\n## Solution\n\n(what solved it)\n"
    assert draft.department is None


def test_writing_from_a_ticket_links_it_in_one_go(desk: Desk, outbox: Outbox) -> None:
    ticket_id = _escalated_and_resolved(desk)
    outbox.mark()
    sam = fixed(desk, "sam")
    draft = kb_origin.article_draft(desk.store, ticket_id)
    article = kb.create_article(sam, title=draft.title, body=draft.body, tags=["vpn"],
                                department=draft.department, from_ticket=ticket_id)
    assert outbox.summary() == [("kb_article", "insert"), ("ticket_article", "insert"),
                                ("ticket_event", "insert")]
    assert trail(desk.store, ticket_id)[-1] == ("article_linked", "VPN drops every hour", "sam")
    assert kb_origin.article_draft(desk.store, ticket_id).linked_articles == 1
    origin = kb_origin.article_origin(desk.store, article.id)
    assert [(t.id, t.status) for t in origin.tickets] == [(ticket_id, TicketStatus.RESOLVED)]
    assert origin.versions == [ArticleVersion(1, "sam", FIXED_NOW, ())]


def test_a_refused_article_from_a_ticket_writes_nothing(desk: Desk, outbox: Outbox,
                                                        refuse: Refuse) -> None:
    ticket_id = _escalated_and_resolved(desk)
    outbox.mark()
    refuse(NotFound, lambda: kb.create_article(desk.alex, title="T", body="B",
                                               from_ticket="SD-404"), "no ticket 'SD-404'")
    refuse(InvalidInput, lambda: kb.create_article(desk.alex, title=" ", body="B",
                                                   from_ticket=ticket_id), "title")
    assert outbox.new() == []
    refuse(NotFound, lambda: kb_origin.article_draft(desk.store, "SD-404"), "no ticket")


def test_every_version_shows_its_editor(desk: Desk) -> None:
    article: KbArticle = kb.create_article(fixed(desk, "sam"), title="VPN", body="Restart.")
    kb.edit_article(fixed(desk, "alex", 10), article.id, body="Restart the client.")
    kb.edit_article(fixed(desk, "blake", 20), article.id, title="VPN drops", tags=["vpn"])
    kb.edit_article(fixed(desk, "sam", 30), article.id, department="IT")
    origin = kb_origin.article_origin(desk.store, article.id)
    at = [FIXED_NOW + timedelta(minutes=m) for m in (0, 10, 20, 30)]
    assert origin.versions == [
        ArticleVersion(1, "sam", at[0], ()),
        ArticleVersion(2, "alex", at[1], ("body",)),
        ArticleVersion(3, "blake", at[2], ("title", "tags")),
        ArticleVersion(4, "sam", at[3], ("department",)),
    ]
    assert origin.editors == ["sam", "alex", "blake"]
    assert origin.tickets == []
