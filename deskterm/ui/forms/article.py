"""The form that writes a new knowledge-base article or edits one (a new version).

An edit is saved against the version it was opened at (`base_version`): when someone
saved a newer version meanwhile, the service refuses and the form keeps the typed text,
with the refusal shown inline, so nobody's words are overwritten silently. Escape asks
before it throws typed text away, as every form does (forms/base.py).

`ArticleFromTicketForm` is the same form for a new article written from a ticket: it reads
the draft (services.kb_origin) in a worker, fills the fields with it, and saves the
article linked to the ticket.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.widgets import Input, Label, Select, TextArea

from deskterm.domain import KbArticle
from deskterm.domain.errors import InvalidInput
from deskterm.i18n import N_, _
from deskterm.services import kb, kb_origin
from deskterm.services.kb_origin import ArticleDraft
from deskterm.services.lookup import short_id
from deskterm.store.queries import TicketRow
from deskterm.ui.forms.common import DeskForm, field_row
from deskterm.ui.session import DeskSession

#: The department choice for an article every department may use.
ALL_DEPARTMENTS = ""


class ArticleForm(DeskForm[KbArticle]):
    """New article (no `article`) or edit of `article` as it was when the form opened."""

    TITLE = N_("New article")
    CHANGES: tuple[str, ...] = ("kb_article", "kb_edit")

    DEFAULT_CSS = """
    ArticleForm > #form { width: 100; }
    ArticleForm .field-row > Vertical { width: 2fr; }
    ArticleForm .field-row > Vertical:last-of-type { width: 1fr; margin-right: 0; }
    ArticleForm #article-body { height: 12; }
    """

    def __init__(self, session: DeskSession, article: KbArticle | None = None) -> None:
        super().__init__(session)
        self.article = article
        self._codes = dict(session.departments)  # department id -> code
        #: The article's department code as the form opened (None: all, or not known yet).
        self._opened_code = self._codes.get(article.department_id or "") if article else None

    def form_title(self) -> str:
        if self.article is not None:
            return _("Edit article {id} (version {version})").format(
                id=short_id(self.article.id), version=self.article.version)
        return super().form_title()

    def fields(self) -> ComposeResult:
        article = self.article
        yield Label(_("Title"))
        yield Input(article.title if article else "", id="article-title",
                    placeholder=_("what the agent is looking for, in their words"))
        choices = [(_("All departments"), ALL_DEPARTMENTS),
                   *((code, code) for code in sorted(self._codes.values()))]
        current = self._opened_code or ALL_DEPARTMENTS
        yield field_row(
            (_("Tags (comma or space separated)"),
             Input(", ".join(article.tags) if article else "", id="article-tags",
                   placeholder=_("vpn, remote-work"))),
            (_("Department"),
             Select(choices, allow_blank=False, value=current, id="article-department")),
        )
        yield Label(_("Text (Markdown)"))
        # Plain text: Markdown highlighting needs the tree-sitter extras, which deskterm
        # does not install.
        yield TextArea(article.body if article else "", id="article-body", soft_wrap=True,
                       tab_behavior="focus", show_line_numbers=False)

    def submit(self) -> Callable[[], KbArticle]:
        title = self.query_one("#article-title", Input).value
        tags = [self.query_one("#article-tags", Input).value]
        department = self.query_one("#article-department", Select).value
        code = department if isinstance(department, str) and department else None
        body = self.query_one("#article-body", TextArea).text
        ctx = self.session.ctx
        article = self.article
        if article is None:
            return lambda: kb.create_article(ctx, title=title, body=body, tags=tags,
                                             department=code)
        if code is None and self._opened_code is not None:
            raise InvalidInput(_("an article cannot be moved back to all departments yet; "
                                 "keep its department"))
        return lambda: kb.edit_article(ctx, article.id, title=title, body=body, tags=tags,
                                       department=code, base_version=article.version)

    def success_message(self, result: KbArticle) -> str:
        if self.article is None:
            return _("Wrote “{title}”").format(title=result.title)
        return _("Saved “{title}” as version {version}").format(title=result.title,
                                                                 version=result.version)


class ArticleFromTicketForm(ArticleForm):
    """A new article prefilled from `ticket` (subject, description, solution), saved linked
    to it."""

    LOADS = True
    CHANGES = ("kb_article", "ticket_article", "ticket_event")

    def __init__(self, session: DeskSession, ticket: TicketRow) -> None:
        super().__init__(session)
        self.ticket = ticket

    def form_title(self) -> str:
        assert self.ticket is not None
        return _("New article from {key}").format(key=self.ticket.key)

    def load(self) -> ArticleDraft:
        return kb_origin.article_draft(self.session.store, self.ticket_ref)

    def loaded(self, data: ArticleDraft) -> None:
        self.query_one("#article-title", Input).value = data.title
        self.query_one("#article-body", TextArea).text = data.body
        if data.department in self._codes.values():
            self.query_one("#article-department", Select).value = data.department

    def submit(self) -> Callable[[], KbArticle]:
        title = self.query_one("#article-title", Input).value
        tags = [self.query_one("#article-tags", Input).value]
        department = self.query_one("#article-department", Select).value
        code = department if isinstance(department, str) and department else None
        body = self.query_one("#article-body", TextArea).text
        ctx, ticket_id = self.session.ctx, self.ticket_ref
        return lambda: kb.create_article(ctx, title=title, body=body, tags=tags,
                                         department=code, from_ticket=ticket_id)

    def success_message(self, result: KbArticle) -> str:
        assert self.ticket is not None
        return _("Wrote “{title}”, linked to {key}").format(title=result.title,
                                                            key=self.ticket.key)
