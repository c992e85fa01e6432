"""The KB pane's search box and result list: highlighted titles and one-line snippets."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from deskterm.i18n import N_, _, ngettext
from deskterm.i18n.formats import number
from deskterm.present import highlighted
from deskterm.store.search import SearchHit


@dataclass(frozen=True)
class Results:
    """What the result list shows: search hits for `query`, or suggestions for a ticket."""

    generation: int
    query: str
    hits: list[SearchHit] = field(default_factory=list)
    ticket_key: str | None = None  # set for suggestions (empty query, a ticket selected)

    @property
    def heading(self) -> str:
        if self.query.strip():
            if not self.hits:
                return _("No articles match “{query}”").format(query=self.query.strip())
            exact = sum(hit.matched_all for hit in self.hits)
            if exact == len(self.hits):
                return ngettext("{count} article", "{count} articles", exact).format(
                    count=number(exact))
            # TRANSLATORS: KB search results: how many match every word searched for, and
            # how many only some (those are shown dim).
            return _("{exact} with every word, {partial} partial (dim)").format(
                exact=number(exact), partial=number(len(self.hits) - exact))
        if self.ticket_key is None:
            return _("Type to search · select a ticket for suggestions")
        if not self.hits:
            return _("No suggestions for {key} · type to search").format(key=self.ticket_key)
        return _("Suggested for {key}").format(key=self.ticket_key)


def hit_prompt(hit: SearchHit) -> Text:
    """Two lines: the title with matched words highlighted, then the snippet, dim."""
    prompt = highlighted(hit.title)
    prompt.stylize("bold")
    snippet = highlighted(hit.snippet) if hit.snippet else Text("")
    snippet.stylize("italic", 0, len(snippet))
    prompt.append("\n").append_text(snippet)
    if not hit.matched_all:
        prompt.stylize("dim")
    return prompt


class SearchBox(Input):
    """The search input: `↓` leaves it into the results (as Escape does); the page keys
    move in the results without leaving it; Enter opens the highlighted article."""

    BINDINGS = [
        Binding("down", "leave", N_("To the results"), show=False, id="kb.result_down"),
        Binding("pagedown", "move(10)", N_("Results page down"), show=False,
                id="kb.result_page_down"),
        Binding("pageup", "move(-10)", N_("Results page up"), show=False,
                id="kb.result_page_up"),
    ]

    class Move(Message):
        """Move the result highlight by `delta` (negative: up)."""

        def __init__(self, box: SearchBox, delta: int) -> None:
            super().__init__()
            self.box = box
            self.delta = delta

        @property
        def control(self) -> SearchBox:
            return self.box

    class Leave(Message):
        """Leave the box into the results."""

        def __init__(self, box: SearchBox) -> None:
            super().__init__()
            self.box = box

        @property
        def control(self) -> SearchBox:
            return self.box

    def action_move(self, delta: int) -> None:
        self.post_message(self.Move(self, delta))

    def action_leave(self) -> None:
        self.post_message(self.Leave(self))


class ResultList(OptionList):
    """Search hits, one two-line option each, identified by article id."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.hits: list[SearchHit] = []

    def show(self, hits: list[SearchHit], *, keep_highlight: bool = False) -> None:
        """Show `hits` with the best one highlighted; or, with `keep_highlight` (the same
        search again, after a change), the one that was, when it is still there."""
        current = self.highlighted_id if keep_highlight else None
        self.hits = list(hits)
        self.set_options(Option(hit_prompt(hit), id=hit.article_id) for hit in hits)
        if not hits:
            return
        ids = [hit.article_id for hit in hits]
        self.highlighted = ids.index(current) if current in ids else 0

    @property
    def highlighted_id(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None else None

    @property
    def highlighted_hit(self) -> SearchHit | None:
        index = self.highlighted
        return self.hits[index] if index is not None and index < len(self.hits) else None

    def highlight_article(self, article_id: str) -> None:
        for index, hit in enumerate(self.hits):
            if hit.article_id == article_id:
                self.highlighted = index
                return

    def move(self, delta: int) -> None:
        """Move the highlight, stopping at the ends (no wrapping from the search box)."""
        if not self.hits:
            return
        start = self.highlighted if self.highlighted is not None else -1
        self.highlighted = max(0, min(len(self.hits) - 1, start + delta))
