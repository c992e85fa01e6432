"""The resolve form's offer to write an article for 1st line, and opening it after resolving.

A 2nd- or 3rd-line agent (agent tier 2/3) who resolves an escalated ticket is offered to
turn the solution into an article: a checkbox, on by default, shown only while the ticket
has no linked article. After a successful resolve, the article form opens prefilled from
the ticket (forms.article.ArticleFromTicketForm); saving it links the article.
"""

from __future__ import annotations

from textual import work
from textual.app import App
from textual.widgets import Checkbox

from deskterm.domain.actor import Actor
from deskterm.i18n import _
from deskterm.services import kb_origin
from deskterm.services.tickets import ESCALATION_TIERS
from deskterm.store.queries import TicketRow
from deskterm.ui.forms.article import ArticleFromTicketForm
from deskterm.ui.session import DeskSession


def offers_article(actor: Actor, ticket: TicketRow) -> bool:
    """Whether resolving `ticket` offers `actor` to write an article (before the link check)."""
    return actor.tier in ESCALATION_TIERS and ticket.resolver_tier is not None


class ArticleOffer(Checkbox):
    """"Write an article for 1st line after resolving", where it applies."""

    def __init__(self, session: DeskSession, ticket: TicketRow) -> None:
        super().__init__(_("Then write an article for 1st line from this ticket"), value=True,
                         id="resolve-write-article")
        self.session = session
        self.ticket = ticket
        self.display = offers_article(session.actor, ticket)

    def on_mount(self) -> None:
        if self.display:
            self._hide_when_linked()

    @work(thread=True, exclusive=True, group="article-offer", exit_on_error=False)
    def _hide_when_linked(self) -> None:
        if kb_origin.linked_articles(self.session.store, self.ticket.id):
            self.app.call_from_thread(setattr, self, "display", False)

    def open_after(self, app: App[object]) -> None:
        """After the resolve: the prefilled article form, when offered and still ticked."""
        if self.display and self.value:
            app.push_screen(ArticleFromTicketForm(self.session, self.ticket))
