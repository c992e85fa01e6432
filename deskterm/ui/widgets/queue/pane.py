"""The ticket queue pane: views, sortable column header, filter-as-you-type, the table."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from deskterm.i18n import N_, _
from deskterm.i18n.formats import number
from deskterm.store.queries import TicketRow
from deskterm.store.queue import QueueSort, QueueSource, QueueSpec, QueueView
from deskterm.ui.messages import TicketOpened, TicketSelected
from deskterm.ui.typed import desk_app, worker_result
from deskterm.ui.widgets.pane import Pane, focus_now
from deskterm.ui.widgets.queue.columns import COLUMNS, layout
from deskterm.ui.widgets.queue.table import QueueTable, Showing

#: The filter box's hint.
FILTER_PLACEHOLDER = N_("/ filter: subject, customer, owner or key")
#: Filter typing settles this long before the queue is re-read.
FILTER_DEBOUNCE = 0.08
#: The cursor rests this long on a ticket before the other panes follow it.
SELECT_DEBOUNCE = 0.12
#: Sorts whose natural first direction is ascending (A-Z, P1 first).
ASCENDING_FIRST = {QueueSort.SUBJECT, QueueSort.CUSTOMER, QueueSort.OWNER, QueueSort.PRIORITY,
                   QueueSort.STATUS}


@dataclass(frozen=True)
class ViewChoice:
    label: str  # marked N_() (a department's code is shown as it is: `title`)
    view: QueueView
    department_id: str | None = None
    short: str = ""  # the label where the line is narrow (empty: the label)

    @property
    def title(self) -> str:
        """The label in the current language."""
        return self.label if self.view == QueueView.DEPARTMENT else _(self.label)

    @property
    def short_title(self) -> str:
        return _(self.short) if self.short else self.title


def view_choices(departments: list[tuple[str, str]]) -> list[ViewChoice]:
    """The queue's views: fixed ones, one per department (id, code), then All."""
    return [
        ViewChoice(N_("My open"), QueueView.MINE, short=N_("Mine")),
        ViewChoice(N_("Unassigned"), QueueView.UNASSIGNED),
        ViewChoice(N_("Escalated"), QueueView.ESCALATED),
        ViewChoice(N_("My groups"), QueueView.MY_GROUPS, short=N_("Groups")),
        ViewChoice(N_("Promises due"), QueueView.PROMISES_DUE, short=N_("Due")),
        ViewChoice(N_("Waiting"), QueueView.WAITING),
        ViewChoice(N_("Open"), QueueView.OPEN),
        *(ViewChoice(code, QueueView.DEPARTMENT, department_id)
          for department_id, code in departments),
        ViewChoice(N_("All"), QueueView.ALL),
    ]


class QueueHeader(Widget):
    """Column labels; the sorted one carries an arrow. Click a label to sort by it."""

    DEFAULT_CSS = """
    QueueHeader { height: 1; color: $text-muted; text-style: bold; }
    """

    class SortClicked(Message):
        def __init__(self, sort: QueueSort) -> None:
            super().__init__()
            self.sort = sort

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.sort = QueueSort.AGE
        self.descending = True

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        widths = layout(max(1, self.size.width - 1))
        for column, width in zip(COLUMNS, widths, strict=True):
            title = column.title
            if column.sort != self.sort:
                text.append(title[:width].ljust(width + 1))
                continue
            # The sorted column always shows its direction: beside its label where there
            # is room, in place of the label's last letter where there is not.
            arrow = "▼" if self.descending else "▲"
            label = next(label for label in (f"{title} {arrow}", f"{title}{arrow}",
                                             f"{title[:width - 1]}{arrow}")
                         if len(label) <= width)
            text.append(label, style="bold underline")
            text.append(" " * (width + 1 - len(label)))
        return text

    def on_click(self, event: events.Click) -> None:
        x = 0
        for column, width in zip(COLUMNS, layout(max(1, self.size.width - 1)), strict=True):
            if x <= event.x < x + width + 1:
                self.post_message(self.SortClicked(column.sort))
                return
            x += width + 1


class QueueViews(Widget):
    """The views, the current one marked; `v` and `V` step through them.

    Narrow, the fixed views, the current one and `All` always show; departments that do
    not fit fold into a `+N` (they are still one `v` away, and each shows when chosen).
    """

    DEFAULT_CSS = """
    QueueViews { height: 1; color: $text-muted; }
    """

    def __init__(self, choices: list[ViewChoice], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.choices = choices
        self.chosen = 0

    def render(self) -> Text:
        # A plain render, not a Static: marking another view repaints one line and
        # needs no layout pass.
        text = Text(no_wrap=True, overflow="ellipsis")
        labels, items = self.shown(self.size.width)
        for place, item in enumerate(items):
            if place:
                text.append(" · ", style="dim")
            if isinstance(item, int):
                text.append(labels[item], style="bold reverse" if item == self.chosen else "")
            else:
                text.append(item, style="dim")
        return text

    def shown(self, width: int) -> tuple[list[str], list[int | str]]:
        """The labels, and the views that fit in `width` cells by index, folded
        departments as `+N`: full labels if they fit, else short ones."""
        full = [choice.title for choice in self.choices]
        short = [choice.short_title for choice in self.choices]
        departments = [index for index, choice in enumerate(self.choices)
                       if choice.view == QueueView.DEPARTMENT and index != self.chosen]
        # Last resort: every other department in one `+N`, before the chosen one.
        one_fold: list[int | str] = [index for index in range(len(self.choices))
                                     if index not in departments]
        if departments:
            chosen = self.choices[self.chosen].view == QueueView.DEPARTMENT
            before = self.chosen if chosen else departments[-1] + 1
            one_fold.insert(one_fold.index(before), f"+{len(departments)}")
        for labels, items in ((full, self._fold(full, width)),
                              (short, self._fold(short, width)), (short, one_fold)):
            if self._measure(labels, items) <= width:
                break
        return labels, items

    def _fold(self, labels: list[str], width: int) -> list[int | str]:
        folded = {index for index, choice in enumerate(self.choices)
                  if choice.view == QueueView.DEPARTMENT and index != self.chosen}
        for index in sorted(folded):  # unfold departments in order while they fit
            if self._measure(labels, self._items(folded - {index})) > width:
                break
            folded.discard(index)
        return self._items(folded)

    @staticmethod
    def _measure(labels: list[str], items: list[int | str]) -> int:
        shown = [labels[item] if isinstance(item, int) else item for item in items]
        return sum(map(len, shown)) + 3 * (len(shown) - 1)

    def _items(self, folded: set[int]) -> list[int | str]:
        items: list[int | str] = []
        run = 0
        for index in range(len(self.choices)):
            if index in folded:
                run += 1
                continue
            if run:
                items.append(f"+{run}")
                run = 0
            items.append(index)
        return items


class FilterBox(Input):
    """The queue's filter box: Textual's Input, minus a layout pass per keystroke.

    Input keeps its text's width in `virtual_size`, a reactive that asks for a layout
    pass whenever it is set, which is on every change of the text. This box's size is
    fixed (one line, the pane's width), so a layout pass finds nothing to move, and it
    costs a frame, and after it Textual repaints every scroll view's scrollbar a frame
    later: typing, and Escape emptying the box, each cost the rows a frame or two.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    BINDINGS = [
        Binding("down", "to_tickets", N_("To the tickets"), show=False,
                id="queue.filter_down"),
    ]

    def action_to_tickets(self) -> None:
        """`↓`: leave the box into the tickets, the filter kept (the pane's key rule)."""
        self.query_ancestor(QueuePane).leave_filter()


class QueuePane(Pane):
    """Pane 1: the ticket queue."""

    PANE_TITLE = N_("Queue")
    PANE_KEY = "1"
    DESK_SEARCH = True  # `/` in a pane without a search of its own filters the queue

    # The filter box always has its line, rather than appearing on `/`: the table keeps
    # its size, so neither opening nor closing the box needs a layout pass (after one,
    # Textual repaints every scroll view's scrollbar a frame later, and a key waited
    # for that frame too).
    DEFAULT_CSS = """
    QueuePane #queue-filter { height: 1; width: 1fr; border: none; padding: 0 1;
                              color: $text-muted; background: $surface; }
    QueuePane #queue-filter:focus { color: $text; background: $boost; }
    """

    BINDINGS = [
        Binding("v", "next_view", N_("View"), id="queue.next_view"),
        Binding("V", "previous_view", N_("Prev view"), show=False, id="queue.previous_view"),
        Binding("s", "next_sort", N_("Sort"), id="queue.next_sort"),
        Binding("S", "reverse_sort", N_("Reverse"), show=False, id="queue.reverse_sort"),
        Binding("slash", "search", N_("Filter"), id="queue.filter", priority=True),
        Binding("escape", "clear_filter", N_("Clear filter"), show=False,
                id="queue.clear_filter"),
    ]

    def __init__(self, store_path: str, agent_id: str, departments: list[tuple[str, str]],
                 *, source: QueueSource | None = None, id: str | None = None) -> None:
        """`source`: a reader opened ahead (`ui.opening`), taken when it reads the spec
        the pane opens with; else the pane opens its own."""
        super().__init__(id=id)
        self._ahead = source
        self._choices = view_choices(departments)
        self._choice = 0
        self._agent_id = agent_id
        self._store_path = store_path
        self._filter_timer: Timer | None = None
        self._select_timer: Timer | None = None
        self._selected: TicketRow | None = None
        self._closing_filter = False  # Escape: close the box when the rows are in

    def compose(self) -> ComposeResult:
        yield QueueViews(self._choices, id="queue-views")
        yield FilterBox(placeholder=_(FILTER_PLACEHOLDER), id="queue-filter")
        yield QueueHeader(id="queue-header")
        yield QueueTable(self._spec(""), id="queue-table")

    def on_mount(self) -> None:
        self.watch(self.table, "showing", self._showing, init=False)
        source, self._ahead = self._ahead, None
        if source is not None and source.spec == self.table.spec:
            self.table.attach(source)  # its first rows are read: they show at once
            return
        if source is not None:
            source.close()
        self._open_source(self.table.spec)

    @work(thread=True, exclusive=True, group="queue-open", exit_on_error=False)
    def _open_source(self, spec: QueueSpec) -> QueueSource:
        """The queue's reader on the store: its connection is opened here, off the UI
        thread, and handed to the table, which reads the spec asked for by then."""
        return QueueSource(self._store_path, spec)

    @work(thread=True, exclusive=True, group="queue-departments", exit_on_error=False)
    def reload_departments(self) -> list[tuple[str, str]]:
        """Departments changed (one may have arrived by sync): re-read them for the views."""
        from deskterm.store.workspace import department_codes

        return department_codes(self._store_path)

    def set_departments(self, departments: list[tuple[str, str]]) -> None:
        """One view per department, as the store has them now; the chosen view stays
        chosen (when its department is gone, the first view is)."""
        chosen = self._choices[self._choice]
        self._choices = view_choices(departments)
        same = [index for index, choice in enumerate(self._choices)
                if (choice.view, choice.department_id) == (chosen.view, chosen.department_id)]
        self._choice = same[0] if same else 0
        views = self.query_one(QueueViews)
        views.choices, views.chosen = self._choices, self._choice
        views.refresh()
        if not same:
            choice = self._choices[0]
            self._apply(view=choice.view, department_id=choice.department_id)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group == "queue-departments" and event.state == WorkerState.SUCCESS:
            departments: list[tuple[str, str]] = worker.result or []
            session = desk_app(self).session
            if session is not None:  # the board and the palette read them there
                session.departments = departments
            self.set_departments(departments)
            return
        if worker.group == "queue-departments" and event.state == WorkerState.ERROR:
            desk_app(self).report(worker.error)
            return
        if worker.group != "queue-open":
            return
        if event.state == WorkerState.SUCCESS:
            self.table.attach(worker_result(worker, QueueSource))
        elif event.state == WorkerState.ERROR:
            desk_app(self).report(worker.error)

    @property
    def table(self) -> QueueTable:
        return self.query_one(QueueTable)

    @property
    def primary(self) -> Widget:
        return self.table

    @property
    def selected(self) -> TicketRow | None:
        return self._selected

    # -- the spec ------------------------------------------------------------------------

    def _spec(self, text: str, sort: QueueSort = QueueSort.AGE, descending: bool = True
              ) -> QueueSpec:
        choice = self._choices[self._choice]
        return QueueSpec(view=choice.view, sort=sort, descending=descending, text=text,
                         agent_id=self._agent_id, department_id=choice.department_id)

    def _apply(self, **changes: object) -> None:
        """Ask the table for another spec; the header follows when its rows show."""
        self.table.show(self.table.spec.with_(**changes))

    def _showing(self, showing: Showing | None) -> None:
        """The table shows other rows: mark their sort and view, and say how many.

        Marked as the rows arrive rather than at the key, so that one frame shows it all.
        """
        if showing is None:
            return
        spec = showing.spec
        if self._closing_filter and not spec.text.strip():
            self._close_filter()
        header = self.query_one(QueueHeader)
        if (header.sort, header.descending) != (spec.sort, spec.descending):
            header.sort, header.descending = spec.sort, spec.descending
            header.refresh()
        views = self.query_one(QueueViews)
        if views.chosen != self._choice:
            views.chosen = self._choice
            views.refresh()
        if showing.total is not None:
            view = self._choices[self._choice].title.lower()
            text = " ".join(spec.text.split())
            count = number(showing.total)
            # TRANSLATORS: the queue's subtitle: how many tickets, in which view
            # ("3,000 my open"), and with a filter, what it matches.
            self.set_subtitle(_("{count} {view} matching “{text}”").format(
                count=count, view=view, text=text) if text
                else _("{count} {view}").format(count=count, view=view))

    def language_changed(self) -> None:
        self.query_one("#queue-filter", Input).placeholder = _(FILTER_PLACEHOLDER)
        self._showing(self.table.showing)
        self.table.refresh()

    def show_view(self, view: QueueView, department_id: str | None = None) -> None:
        for index, choice in enumerate(self._choices):
            if choice.view == view and choice.department_id == department_id:
                self._choice = index
                self._apply(view=view, department_id=department_id)
                return

    # -- actions -------------------------------------------------------------------------

    def action_next_view(self) -> None:
        self._choice = (self._choice + 1) % len(self._choices)
        choice = self._choices[self._choice]
        self._apply(view=choice.view, department_id=choice.department_id)

    def action_previous_view(self) -> None:
        self._choice = (self._choice - 1) % len(self._choices)
        choice = self._choices[self._choice]
        self._apply(view=choice.view, department_id=choice.department_id)

    def action_next_sort(self) -> None:
        sorts = [column.sort for column in COLUMNS]
        following = sorts[(sorts.index(self.table.spec.sort) + 1) % len(sorts)]
        self._apply(sort=following, descending=following not in ASCENDING_FIRST)

    def action_reverse_sort(self) -> None:
        self._apply(descending=not self.table.spec.descending)

    def sort_by(self, sort: QueueSort) -> None:
        if sort == self.table.spec.sort:
            self.action_reverse_sort()
        else:
            self._apply(sort=sort, descending=sort not in ASCENDING_FIRST)

    @on(QueueHeader.SortClicked)
    def _sort_clicked(self, event: QueueHeader.SortClicked) -> None:
        self.sort_by(event.sort)

    @property
    def search_box(self) -> Input:
        return self.query_one("#queue-filter", Input)

    def action_search(self) -> None:
        focus_now(self.search_box)

    def leave_filter(self) -> None:
        """Into the tickets, with the filter as typed applied now."""
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._apply(text=self.search_box.value)
        focus_now(self.table)

    def action_clear_filter(self) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        if " ".join(self.table.spec.text.split()):
            # The box empties, and the table takes focus, with the unfiltered rows:
            # painted apart from them, either would have put them a frame later.
            self._closing_filter = True
            self._apply(text="")
        else:
            self._close_filter()

    def _close_filter(self) -> None:
        self._closing_filter = False
        self.query_one("#queue-filter", Input).value = ""
        self.table.focus()

    @on(Input.Changed, "#queue-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        text = event.value
        if text.strip() == self.table.spec.text.strip():
            return  # already shown (e.g. the box was cleared by escape)
        self._filter_timer = self.set_timer(FILTER_DEBOUNCE, lambda: self._apply(text=text))

    @on(Input.Submitted, "#queue-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._apply(text=event.value)
        self.table.focus()

    # -- following the cursor ------------------------------------------------------------

    @on(QueueTable.Moved)
    def _moved(self, event: QueueTable.Moved) -> None:
        if self._select_timer is not None:
            self._select_timer.stop()
        row = event.row
        self._select_timer = self.set_timer(SELECT_DEBOUNCE, lambda: self._select(row))

    def _select(self, row: TicketRow | None) -> None:
        self._selected = row
        self.post_message(TicketSelected(row))

    @on(QueueTable.Opened)
    def _opened(self, event: QueueTable.Opened) -> None:
        self.post_message(TicketOpened(event.row.id))
