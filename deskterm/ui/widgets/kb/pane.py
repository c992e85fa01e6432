"""The knowledge-base pane: search as you type, suggestions, the article, linking.

The search box drives everything: typed text is searched (debounced, in an exclusive
worker) and the results listed with highlighted matches; an empty box lists articles
suggested for the ticket the queue has selected. Enter opens the highlighted article as
Markdown; escape goes back to the results. `l` links the open (or highlighted) article to
the selected ticket, `n` writes a new article, `e` edits the open (or highlighted) one.

Every read runs in a thread worker and answers with a message that carries a generation
number, so an answer that arrives after a newer request was made is dropped.
"""

from __future__ import annotations

import time
from math import inf
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static

from deskterm.domain.errors import Conflict, NotFound
from deskterm.i18n import N_, _
from deskterm.store.queries import TicketRow
from deskterm.store.search import StaleSearch
from deskterm.ui import stack
from deskterm.ui.messages import DataChanged
from deskterm.ui.typed import desk_app
from deskterm.ui.widgets.kb.article import ArticleView, LoadedArticle
from deskterm.ui.widgets.kb.results import ResultList, Results, SearchBox
from deskterm.ui.widgets.pane import Pane, focus_now

if TYPE_CHECKING:
    from deskterm.domain import KbArticle
    from deskterm.services.kb_origin import ArticleOrigin
    from deskterm.ui.session import DeskSession

#: A key this soon after the last search waits this long for the next one (0: search on
#: every keystroke). Typing searches on each key, so results show one search after the
#: last key; a burst (a paste, a held key) searches once more when it stops. A search
#: still running when the next key comes is stopped (store.search.StaleSearch).
SEARCH_DEBOUNCE = 0.02
#: How many articles a search lists.
SEARCH_LIMIT = 30
#: The search box's hint.
SEARCH_PLACEHOLDER = N_("search the knowledge base")
#: The pane's keys as the command palette may list them: (binding id, title, help).
KB_ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("kb.search", N_("Search the knowledge base"), N_("articles as you type, best first")),
    ("kb.link", N_("Link article to ticket"),
     N_("the open or highlighted article, to the ticket selected in the queue")),
    ("kb.new", N_("New article"), N_("write a knowledge-base article for the first line")),
    ("kb.edit", N_("Edit article"), N_("the open or highlighted article; saves a new version")),
)


class KbPane(Pane):
    """Pane 3: the knowledge base."""

    PANE_TITLE = N_("Knowledge base")
    PANE_KEY = "3"

    # Widgets have no CSS_PATH (only apps and screens do): the pane's stylesheet sits
    # beside it as kb.tcss and is read in as its default CSS.
    DEFAULT_CSS = (Path(__file__).parent / "kb.tcss").read_text(encoding="utf-8")

    BINDINGS = [
        Binding("slash", "search", N_("Search"), id="kb.search", priority=True),
        Binding("l", "link", N_("Link to ticket"), id="kb.link"),
        Binding("n", "new_article", N_("New article"), id="kb.new"),
        Binding("e", "edit_article", N_("Edit article"), id="kb.edit"),
        Binding("escape", "back", N_("Back"), show=False, id="kb.back"),
    ]

    class Found(Message):
        def __init__(self, results: Results) -> None:
            super().__init__()
            self.results = results

    class Loaded(Message):
        def __init__(self, generation: int, loaded: LoadedArticle | None, *, reload: bool,
                     then_edit: bool) -> None:
            super().__init__()
            self.generation = generation
            self.loaded = loaded  # None: the article is gone (deleted meanwhile)
            self.reload = reload
            self.then_edit = then_edit

    class Linked(Message):
        def __init__(self, message: str, *, done: bool) -> None:
            super().__init__()
            self.message = message
            self.done = done

    def __init__(self, session: DeskSession, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.ticket: TicketRow | None = None
        self._departments = dict(session.departments)
        self._handles: dict[str, str] = {}
        self._search_timer: Timer | None = None
        self._search_generation = 0  # the newest search asked for
        self._searched_at = -inf  # when it was asked for (time.monotonic)
        self._shown_generation = 0  # the search whose results are listed
        self._shown_for: tuple[str, str | None] | None = None  # its (query, ticket key)
        self._article_generation = 0
        self._open_when_found = False

    def compose(self) -> ComposeResult:
        yield SearchBox(placeholder=_(SEARCH_PLACEHOLDER), id="kb-search")
        yield Static(id="kb-status")
        yield ResultList(id="kb-results")
        yield ArticleView(id="kb-article")

    def first_load(self) -> None:
        """The first list of articles: the workspace asks once its first frame is painted."""
        self._run_search()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.results.set_class(self.box.has_focus, "-driven")

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self.results.set_class(self.box.has_focus, "-driven")

    # -- parts ---------------------------------------------------------------------------

    @property
    def box(self) -> SearchBox:
        return self.query_one(SearchBox)

    @property
    def results(self) -> ResultList:
        return self.query_one(ResultList)

    @property
    def article_view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def reading(self) -> bool:
        """True while an article is open (the results are hidden behind it)."""
        return self.has_class("-reading")

    @property
    def open_article(self) -> KbArticle | None:
        return self.article_view.article if self.reading else None

    @property
    def primary(self) -> Widget:
        """The article, or the results: never the box, which only `/` enters."""
        return self.article_view if self.reading else self.results

    @property
    def search_box(self) -> SearchBox:
        return self.box

    @property
    def shown_query(self) -> str | None:
        """The text whose results are listed, once they answer the newest search asked
        for (None while that one is still running)."""
        if self._shown_for is None or self._shown_generation != self._search_generation:
            return None
        return self._shown_for[0]

    # -- the workspace's calls -----------------------------------------------------------

    def show_ticket(self, ticket: TicketRow | None) -> None:
        """The queue's selection changed: an empty box follows it with suggestions."""
        changed = (ticket.id if ticket else None) != (self.ticket.id if self.ticket else None)
        self.ticket = ticket
        if not self.is_mounted:
            return
        self._show_subtitle()
        if changed and not self.box.value.strip():
            self._run_search()

    def language_changed(self) -> None:
        self.box.placeholder = _(SEARCH_PLACEHOLDER)
        self._show_subtitle()
        self.data_changed(DataChanged())  # the results' heading, the article's header

    def data_changed(self, change: DataChanged) -> None:
        """Articles changed: re-run the search; reload the open article."""
        if not self.is_mounted:
            return
        if change.touches("kb_article"):
            self._run_search()
        elif change.touches("ticket") and not self.box.value.strip():
            self._run_search()  # the selected ticket's subject may have changed
        # Its editors (kb_edit) and tickets (ticket_article) show in the article's header.
        if change.touches("kb_article", "kb_edit", "ticket_article") and self.reading \
                and self.article_view.article is not None:
            self._load_article(self.article_view.article.id, reload=True)

    # -- searching -----------------------------------------------------------------------

    @on(SearchBox.Changed, "#kb-search")
    def _typed(self, event: SearchBox.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        if time.monotonic() - self._searched_at >= SEARCH_DEBOUNCE:
            self._run_search()  # typing, not a burst: no wait
        else:
            self._search_timer = self.set_timer(SEARCH_DEBOUNCE, self._run_search)

    def _run_search(self) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        self._search_generation += 1
        self._searched_at = time.monotonic()
        ticket = self.ticket
        self._search(self._search_generation, self.box.value,
                     (ticket.id, ticket.key) if ticket else None)

    @work(thread=True, exclusive=True, group="kb-search", exit_on_error=False)
    def _search(self, generation: int, text: str, ticket: tuple[str, str] | None) -> None:
        stack.load()  # may run before the first frame is up (ui.stack)
        from deskterm.services import kb

        store = self.session.store
        if text.strip():
            try:
                hits = kb.search_articles(store, text, limit=SEARCH_LIMIT,
                                          stale=lambda: generation != self._search_generation)
            except StaleSearch:
                return  # typed on: the newer search answers
            results = Results(generation, text, hits)
        elif ticket is None:
            results = Results(generation, text)
        else:
            ticket_id, key = ticket
            try:
                hits = kb.suggest_for_ticket(store, ticket_id)
            except NotFound:  # deleted (or merged away) since it was selected
                hits = []
            results = Results(generation, text, hits, ticket_key=key)
        self.post_message(self.Found(results))

    @on(Found)
    def _found(self, event: Found) -> None:
        results = event.results
        if results.generation != self._search_generation:
            return
        self._shown_generation = results.generation
        same = (results.query, results.ticket_key) == self._shown_for
        self._shown_for = (results.query, results.ticket_key)
        self.results.show(results.hits, keep_highlight=same)
        self.query_one("#kb-status", Static).update(Content(results.heading))  # quotes the query
        if self._open_when_found:
            self._open_when_found = False
            self._open_highlighted()

    @on(SearchBox.Move, "#kb-search")
    def _move(self, event: SearchBox.Move) -> None:
        self.results.move(event.delta)

    @on(SearchBox.Leave, "#kb-search")
    def _leave_box(self, event: SearchBox.Leave) -> None:
        focus_now(self.results)

    @on(SearchBox.Submitted, "#kb-search")
    def _submitted(self, event: SearchBox.Submitted) -> None:
        if self._search_timer is not None or self._shown_generation < self._search_generation:
            # Enter came before the results for what was typed: open when they arrive.
            self._open_when_found = True
            if self._search_timer is not None:
                self._run_search()
            return
        self._open_highlighted()

    @on(ResultList.OptionSelected, "#kb-results")
    def _chosen(self, event: ResultList.OptionSelected) -> None:
        if event.option_id:
            self._load_article(event.option_id)

    def _open_highlighted(self) -> None:
        article_id = self.results.highlighted_id
        if article_id:
            self._load_article(article_id)

    # -- the article ---------------------------------------------------------------------

    def _load_article(self, article_id: str, *, reload: bool = False,
                      then_edit: bool = False) -> None:
        self._article_generation += 1
        self._read_article(self._article_generation, article_id, reload, then_edit)

    @work(thread=True, exclusive=True, group="kb-article", exit_on_error=False)
    def _read_article(self, generation: int, article_id: str, reload: bool,
                      then_edit: bool) -> None:
        from deskterm.services import kb, kb_origin
        from deskterm.services.org import list_agents
        from deskterm.ui.widgets import markdown  # noqa: F401 - imported here, not in `show`

        store = self.session.store
        try:
            article = kb.get_article(store, article_id)
            origin = kb_origin.article_origin(store, article_id)
        except NotFound:
            self.post_message(self.Loaded(generation, None, reload=reload, then_edit=False))
            return
        handles = self._handles
        if article.author_id and article.author_id not in handles:
            handles = {agent.id: agent.handle for agent, _team in list_agents(store)}
        loaded = LoadedArticle(article, handles.get(article.author_id or ""),
                               self._departments.get(article.department_id or ""),
                               origin, saved_by=_saver(article.version, origin))
        self._handles = handles
        self.post_message(self.Loaded(generation, loaded, reload=reload, then_edit=then_edit))

    @on(Loaded)
    async def _loaded(self, event: Loaded) -> None:
        if event.generation != self._article_generation:
            return
        if event.loaded is None:
            self.notify(_("That article was deleted."), severity="warning")
            if self.reading:
                self.action_back()
            return
        if event.reload and not self.reading:
            return  # the agent went back to the results while it was reading
        view = self.article_view
        await view.ready()  # the first article mounts the body's widget
        if event.generation != self._article_generation:
            return  # the agent moved on while it mounted
        view.show(event.loaded, keep_scroll=event.reload)
        self.results.highlight_article(event.loaded.article.id)
        if not self.reading:
            self.add_class("-reading")
            view.focus()
        self._show_subtitle()
        if event.then_edit:
            self._edit(event.loaded.article)

    # -- actions -------------------------------------------------------------------------

    def action_search(self) -> None:
        """`/`: back to the results, into the search box."""
        self._leave_article()
        focus_now(self.box)

    def action_back(self) -> None:
        """Escape: from the article to the results; from the box to the results."""
        if self.reading:
            self._leave_article()
            focus_now(self.results)
        elif self.box.has_focus:
            focus_now(self.results)

    def _leave_article(self) -> None:
        if not self.reading:
            return
        self._article_generation += 1  # an article still loading is not wanted any more
        self.remove_class("-reading")
        self.article_view.clear()
        self._show_subtitle()

    def _show_subtitle(self) -> None:
        """The open article's version, and the ticket `l` links to."""
        parts = []
        article = self.open_article
        if article is not None:
            parts.append(f"v{article.version}")
        if self.ticket is not None:
            parts.append(_("for {key}").format(key=self.ticket.key))
        self.set_subtitle(" · ".join(parts))

    def _target(self) -> tuple[str, str] | None:
        """(id, title) of the open article, else of the highlighted result."""
        article = self.open_article
        if article is not None:
            return article.id, article.title
        hit = self.results.highlighted_hit
        return (hit.article_id, hit.plain_title) if hit else None

    def action_link(self) -> None:
        target = self._target()
        if target is None:
            self.notify(_("Open or highlight an article to link it."), severity="warning")
            return
        if self.ticket is None:
            self.notify(_("Select a ticket in the queue to link the article to."),
                        severity="warning")
            return
        article_id, title = target
        self._link(self.ticket.id, self.ticket.key, article_id, title)

    @work(thread=True, exclusive=True, group="kb-link", exit_on_error=False)
    def _link(self, ticket_id: str, ticket_key: str, article_id: str, title: str) -> None:
        from deskterm.services import kb

        try:
            kb.link_article(self.session.ctx, ticket_id, article_id)
        except Conflict as refusal:
            self.post_message(self.Linked(refusal.message, done=False))
            return
        self.post_message(self.Linked(_("Linked “{title}” to {key}").format(
            title=title, key=ticket_key), done=True))

    @on(Linked)
    def _linked(self, event: Linked) -> None:
        if event.done:
            self.notify(event.message)
            desk_app(self).changed("ticket_article", "ticket_event")
        else:
            self.notify(event.message, severity="warning")

    def action_new_article(self) -> None:
        from deskterm.ui.forms.article import ArticleForm

        self.app.push_screen(ArticleForm(self.session), self._saved)

    def action_edit_article(self) -> None:
        article = self.open_article
        if article is not None:
            self._edit(article)
            return
        hit = self.results.highlighted_hit
        if hit is None:
            self.notify(_("Open or highlight an article to edit it."), severity="warning")
            return
        self._load_article(hit.article_id, then_edit=True)

    def _edit(self, article: KbArticle) -> None:
        from deskterm.ui.forms.article import ArticleForm

        self.app.push_screen(ArticleForm(self.session, article), self._saved)

    def _saved(self, article: KbArticle | None) -> None:
        """A form saved an article: show it (an edited one is reloaded by data_changed)."""
        if article is not None and (self.open_article is None
                                    or self.open_article.id != article.id):
            self._load_article(article.id)


def _saver(version: int, origin: ArticleOrigin) -> str | None:
    """The handle of whoever saved `version` (kb_origin reads it from the synced kb_edit
    rows, so every replica knows it); None when this replica does not."""
    return next((v.editor for v in origin.versions if v.version == version), None)
