"""The KB pane's article view: a title and meta header over the body rendered as Markdown.

The body's Markdown widget is made with the first article shown, not with the pane:
Textual's Markdown, markdown-it and Pygments take some 100 ms to import, which the
workspace's first frame (where the pane lists suggestions) does not wait for. The pane's
article reader imports them in its worker, so showing the first article does not wait for
them either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from deskterm.i18n import _
from deskterm.present import local_time

if TYPE_CHECKING:
    from textual.widgets import Markdown

    from deskterm.domain import KbArticle
    from deskterm.services.kb_origin import ArticleOrigin
    from deskterm.ui.widgets.markdown import DeskMarkdown

#: At most this many ticket keys on the header's tickets line.
HEADER_TICKETS = 6


@dataclass(frozen=True)
class LoadedArticle:
    """An article as read in a worker, with the names its meta line shows."""

    article: KbArticle
    author: str | None  # the author's handle
    department: str | None  # the department's code; None: for every department
    #: The tickets it is linked to and who saved each version (None: not read).
    origin: ArticleOrigin | None = None
    #: Who saved the shown version (its kb_edit); None: not known on this replica.
    saved_by: str | None = None


def article_header(loaded: LoadedArticle) -> Text:
    """The title in bold, then version, when and by whom it was saved, its author when
    someone else, department and tags: `v4 · saved 2026-11-23 14:30 by @alex · written
    by @claire`. An unknown saver is left out, never guessed (the author did not save v4)."""
    article = loaded.article
    header = Text(article.title, style="bold")
    when = local_time(article.updated_at)
    meta = [f"v{article.version}",
            _("saved {time} by @{agent}").format(time=when, agent=loaded.saved_by)
            if loaded.saved_by else _("saved {time}").format(time=when)]
    if loaded.author and loaded.author != loaded.saved_by:
        meta.append(_("written by @{agent}").format(agent=loaded.author))
    if loaded.department:  # none: the article serves every department
        meta.append(loaded.department)
    header.append("\n" + " · ".join(meta), style="dim")
    if article.tags:
        header.append("\n" + " ".join(f"#{tag}" for tag in article.tags), style="italic dim")
    origin = loaded.origin
    if origin is not None and len(origin.versions) > 1:
        header.append("\n" + _("edited by {versions}").format(versions=" · ".join(
            f"v{v.version} @{v.editor or '?'}" for v in origin.versions[1:])), style="dim")
    if origin is not None and origin.tickets:
        keys = [t.key for t in origin.tickets[:HEADER_TICKETS]]
        more = len(origin.tickets) - len(keys)
        header.append("\n" + _("from tickets {keys}").format(
            keys=", ".join(keys) + (f" +{more}" if more > 0 else "")), style="dim")
    return header


def body_without_title(article: KbArticle) -> str:
    """The body minus a leading `# Title` that repeats the header above it."""
    lines = article.body.lstrip("\n").splitlines()
    if lines and lines[0].strip().lstrip("#").strip().casefold() == article.title.casefold() \
            and lines[0].lstrip().startswith("# "):
        return "\n".join(lines[1:]).lstrip("\n")
    return article.body


class ArticleView(VerticalScroll):
    """The open article; scrolls with the arrow keys, page keys, home and end."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.loaded: LoadedArticle | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="kb-article-head")  # the body's Markdown follows it in `show`

    @property
    def article(self) -> KbArticle | None:
        return self.loaded.article if self.loaded else None

    @property
    def markdown(self) -> DeskMarkdown:
        """The body (there once an article has been shown)."""
        from deskterm.ui.widgets.markdown import DeskMarkdown

        return self.query_one("#kb-markdown", DeskMarkdown)

    async def ready(self) -> None:
        """Mount the body's widget, once: before `show`.

        Awaited whole: an update sent before its mount had finished would be overwritten
        by the empty document it mounts with."""
        if not self.query("#kb-markdown"):
            from deskterm.ui.widgets.markdown import DeskMarkdown

            await self.mount(DeskMarkdown(id="kb-markdown", open_links=False))

    def show(self, loaded: LoadedArticle, *, keep_scroll: bool = False) -> None:
        """Show `loaded` (after `ready`)."""
        self.loaded = loaded
        self.query_one("#kb-article-head", Static).update(article_header(loaded))
        self.markdown.update(body_without_title(loaded.article))
        if not keep_scroll:
            self.scroll_home(animate=False, immediate=True)

    def clear(self) -> None:
        self.loaded = None

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        """Web links open in the browser; anything else (relative paths) means nothing here."""
        event.stop()
        if event.href.startswith(("http://", "https://", "mailto:")):
            self.app.open_url(event.href)
