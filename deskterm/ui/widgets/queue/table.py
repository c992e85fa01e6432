"""The virtual ticket table: renders only the lines on screen, from rows read in workers.

It is a ScrollView with `render_line`, the way Toolong shows multi-gigabyte logs: the
scrollbar is sized from a count, and a line is drawn from a small dict of rows that
workers fill from a `QueueSource` (a keyset-paginated, block-cached reader), which the
pane opens in a worker and hands over (`attach`): nothing here touches the store on the
UI thread.

A change waits for its rows before it shows. A new spec (view, sort, filter) keeps the
old rows on screen until the new ones have arrived, then shows rows, count and cursor
at once; a cursor move into rows not read yet reads them first, and moves the moment
they arrive (or after MOVE_PATIENCE, over placeholder lines). Textual paints at most
one frame per 1/60 s, and a frame painted early for a half-done change puts off the one
that finishes it; so each change costs one frame, painted as soon as it is complete.

The cursor is on a ticket, not a line: across every reload it stays on the ticket it
was on, wherever the new rows put it (follow.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events, work
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollTo
from textual.strip import Strip
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from deskterm.domain.clock import utcnow
from deskterm.domain.enums import TicketStatus
from deskterm.domain.promise_state import PromiseStatus
from deskterm.i18n import N_
from deskterm.store.errors import unless_interrupted
from deskterm.store.queries import TicketRow
from deskterm.store.queue import QueueSort, QueueSource, QueueSpec, QueueView
from deskterm.store.queue.source import ANCHOR_MIN_ROWS
from deskterm.ui.ticking import follow_clock
from deskterm.ui.typed import desk_app
from deskterm.ui.widgets.queue.columns import (
    COLUMNS,
    Column,
    cells,
    fit,
    layout,
    promise_marker,
)
from deskterm.ui.widgets.queue.follow import SEARCHING, Placed, Selection, place

#: How many rows beyond the screen are read ahead, in each direction.
READ_AHEAD = 64
#: Rows further than this from the screen are let go (a long session reads many).
KEEP_AROUND = 4 * READ_AHEAD
#: How long a cursor move waits for its rows before it moves over placeholders.
MOVE_PATIENCE = 0.08
#: How long new rows wait for their count, to show with it in one frame.
COUNT_PATIENCE = 0.015
#: The worker group sampling a long list's anchors (not a read the screen waits for).
ANCHORS_GROUP = "queue-anchors"


@dataclass(frozen=True)
class Showing:
    """What a queue table has on screen: the spec of its rows, and their count once known."""

    spec: QueueSpec
    total: int | None


class QueueTable(ScrollView, can_focus=True):
    """Every ticket of the current queue spec, one line each, with a cursor."""

    COMPONENT_CLASSES = {
        "queue--cursor",
        "queue--p1",
        "queue--p2",
        "queue--escalated",
        "queue--returned",
        "queue--promise-due",
        "queue--promise-broken",
        "queue--waiting",
        "queue--placeholder",
        "queue--dim",
    }

    DEFAULT_CSS = """
    /* The scrollbar's column is kept when there is no scrollbar: the header's
       columns (laid out one cell narrower than the pane) stay over the rows'. */
    QueueTable { height: 1fr; scrollbar-size-vertical: 1; overflow-x: hidden;
                 scrollbar-gutter: stable; }
    QueueTable > .queue--cursor { background: $block-cursor-blurred-background; }
    QueueTable:focus > .queue--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
        text-style: bold;
    }
    QueueTable > .queue--p1 { color: $error; text-style: bold; }
    QueueTable > .queue--p2 { color: $warning; }
    QueueTable > .queue--escalated { color: $accent; }
    QueueTable > .queue--returned { color: $warning; text-style: bold; }
    QueueTable > .queue--promise-due { color: $warning; }
    QueueTable > .queue--promise-broken { color: $error; text-style: bold; }
    QueueTable > .queue--waiting { color: $text-muted; }
    QueueTable > .queue--placeholder { color: $text-disabled; }
    QueueTable > .queue--dim { color: $text-muted; }
    """

    BINDINGS = [
        Binding("up,k", "cursor_up", N_("Up"), show=False, id="queue.up"),
        Binding("down,j", "cursor_down", N_("Down"), show=False, id="queue.down"),
        Binding("pageup", "page_up", N_("Page up"), show=False, id="queue.page_up"),
        Binding("pagedown", "page_down", N_("Page down"), show=False, id="queue.page_down"),
        Binding("home,g", "first", N_("First"), show=False, id="queue.first"),
        Binding("end,G", "last", N_("Last"), show=False, id="queue.last"),
        Binding("enter", "open", N_("Open ticket"), id="queue.open"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True)

    class Moved(Message):
        """The cursor moved to another ticket (or the list changed under it)."""

        def __init__(self, table: QueueTable, row: TicketRow | None) -> None:
            super().__init__()
            self.table = table
            self.row = row

        @property
        def control(self) -> QueueTable:
            return self.table

    class Opened(Message):
        def __init__(self, table: QueueTable, row: TicketRow) -> None:
            super().__init__()
            self.table = table
            self.row = row

        @property
        def control(self) -> QueueTable:
            return self.table

    #: What is on screen: watch it (`self.watch(table, "showing", ...)`) to label the list.
    #: Watchers run as it is set, so what they draw comes in the same frame as the rows.
    showing: reactive[Showing | None] = reactive(None, repaint=False)

    def __init__(self, spec: QueueSpec, *, id: str | None = None) -> None:
        super().__init__(id=id)
        #: Opened off the UI thread and handed over (`attach`); until then nothing is read.
        self._source: QueueSource | None = None
        self._spec = spec  # the spec asked for; the source takes it in the read worker
        self._shown = spec  # the spec whose rows are on screen
        self._rows: dict[int, TicketRow] = {}
        self._total = 0
        self._generation = 0
        self._pending: tuple[int, int] | None = None
        self._target: int | None = None  # a cursor move waiting for its rows
        self._target_timer: Timer | None = None
        self._jump: int | None = None  # a scrollbar drag's top line, waiting for its rows
        self._jump_timer: Timer | None = None
        self._announced: str | None = None
        self._searching_for: str | None = None  # the ticket a SEARCHING cursor waits for
        self._now = utcnow()

    # -- what to show --------------------------------------------------------------------

    @property
    def spec(self) -> QueueSpec:
        """The spec last asked for (its rows may still be on the way)."""
        return self._spec

    @property
    def shown_spec(self) -> QueueSpec:
        """The spec whose rows are on screen."""
        return self._shown

    @property
    def total(self) -> int:
        return self._total

    @property
    def current(self) -> TicketRow | None:
        return self._rows.get(self.cursor)

    def show(self, spec: QueueSpec) -> None:
        """Show another spec (view, sort, filter), the cursor on the same ticket where
        the spec shows it (see follow.py); reads happen in a worker."""
        self._spec = spec
        self._reload(spec)

    def refresh_data(self) -> None:
        """The store changed: re-read what is on screen, the cursor on its ticket."""
        self._reload(None)

    def attach(self, source: QueueSource) -> None:
        """Read from `source` (opened in a worker) from now on, starting with the spec
        last asked for; the table closes it when it goes."""
        if not self.is_attached:
            source.close()
            return
        self._source = source
        self._reload(self._spec)

    def on_mount(self) -> None:
        follow_clock(self, self._tick)

    def _tick(self) -> None:
        """The rows on screen drawn against the clock again, from the rows held: ages grow,
        promises fall due (and the Promises due view, whose rows are those, is read again)."""
        if self._shown.view == QueueView.PROMISES_DUE:
            self.refresh_data()  # which tickets it lists changes with the time
        else:
            self._now = utcnow()
            self.refresh()

    def on_unmount(self) -> None:
        if self._source is not None:
            self._source.interrupt()
            self._source.close()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            desk_app(self).report(event.worker.error)

    # -- reading, in workers -------------------------------------------------------------

    def _reload(self, spec: QueueSpec | None) -> None:
        """Read `spec` (None: the spec shown, after the store changed) in a worker."""
        if self._source is None:
            return  # attach() reads the spec asked for by then
        self._generation += 1
        self._source.interrupt()  # whatever the last spec still reads is of no use now
        self._cancel_target()
        self._cancel_jump()
        row = self.current
        following = row.id if row else None
        if self.cursor == SEARCHING:  # still looking for it: keep looking, in the new rows
            following = self._searching_for
        selection = Selection(following, self.cursor, int(self.scroll_offset.y),
                              max(1, self.size.height))
        top = selection.top if spec is None else 0
        start = max(0, top - READ_AHEAD)
        stop = max(top + selection.height, self.cursor if spec is None else 0) + READ_AHEAD
        self._read(self._generation, spec, start, stop, selection)

    @work(thread=True, exclusive=True, group="queue-read", exit_on_error=False)
    def _read(self, generation: int, spec: QueueSpec | None, start: int, stop: int,
              selection: Selection) -> None:
        source = self._source
        assert source is not None  # reads start once the source is attached
        with unless_interrupted():
            if spec is not None:
                source.set_spec(spec)
            else:
                source.invalidate()
            shown = source.spec
            placed = place(source, selection, same_list=spec is None, start=start,
                           stop=stop, read_ahead=READ_AHEAD)
            # A quick count comes with the rows, in the same frame; a slow one after them.
            total = source.count_within(COUNT_PATIENCE)
            self.app.call_from_thread(self._replaced, generation, shown, placed, total,
                                      selection, spec is None)
            if placed.searching:
                assert selection.ticket_id is not None
                index = source.position_of(selection.ticket_id)
                self.app.call_from_thread(self._located, generation, index)
            if total is None:
                total = source.count()
                self.app.call_from_thread(self._counted, generation, total)

    @work(thread=True, group=ANCHORS_GROUP, exit_on_error=False)
    def _sample_anchors(self) -> None:
        """Anchors along a long list (QueueSource.sample_anchors), so that a jump far into
        it (the scrollbar dragged) reads a few thousand index entries, not half a million.
        Not exclusive: a sampler of an older spec stops by itself, and one asked for twice
        (rows, then their count) samples once (the source knows)."""
        source = self._source
        assert source is not None
        with unless_interrupted():
            source.sample_anchors()

    def _anchor_long_list(self, total: int | None) -> None:
        """Sample a long list's anchors, once the frame showing its rows is painted: the
        walk of its index would take a core from that frame."""
        if total is not None and total >= ANCHOR_MIN_ROWS:
            self.call_after_refresh(self._sample_anchors)

    @work(thread=True, exclusive=True, group="queue-window", exit_on_error=False)
    def _read_window(self, generation: int, start: int, stop: int) -> None:
        source = self._source
        assert source is not None
        with unless_interrupted():
            rows = source.rows(start, stop)
            self.app.call_from_thread(self._arrived, generation, start, rows)

    def _replaced(self, generation: int, spec: QueueSpec, placed: Placed, total: int | None,
                  selection: Selection, same_list: bool) -> None:
        """A spec's first rows (and its count, when known): all on screen in one frame."""
        if generation != self._generation:
            return
        seen = self.current  # what the cursor is on now, before its rows go
        self._rows.clear()
        self._set_total(total if total is not None else max(self._total if same_list else 0,
                                                            placed.start + len(placed.rows)))
        self.scroll_to(y=placed.top, animate=False, immediate=True)
        self._store_rows(placed.start, placed.rows)
        self._shown = spec
        cursor = placed.cursor
        if seen is not None and seen.id != selection.ticket_id:
            # The agent moved while the rows were read: keep to the ticket moved to.
            cursor = next((index for index, row in self._rows.items() if row.id == seen.id),
                          cursor)
        self._searching_for = selection.ticket_id if cursor == SEARCHING else None
        self.cursor = min(cursor, max(0, self._total - 1))
        self.showing = Showing(spec, total)
        self._anchor_long_list(total)

    def _located(self, generation: int, index: int | None) -> None:
        """The followed ticket's place, found after its list showed (see follow.py)."""
        if generation == self._generation and self.cursor == SEARCHING \
                and self._target is None:
            self._goto(0 if index is None else index)

    def _arrived(self, generation: int, start: int, rows: list[TicketRow]) -> None:
        """Rows for lines scrolled to, or for a cursor move waiting on them."""
        if generation != self._generation:
            return
        self._store_rows(start, rows)
        self._pending = None
        if self._jump is not None and self._lines_ready(self._jump):
            self._jump_now()
        elif self._target is not None and self._window_ready(self._target):
            self._move_now()
        else:
            self.refresh()

    def _store_rows(self, start: int, rows: list[TicketRow]) -> None:
        for index, row in enumerate(rows, start):
            self._rows[index] = row
        top = int(self.scroll_offset.y) if self._jump is None else self._jump
        if self._target is not None:
            top = min(top, self._target)
        low, high = top - KEEP_AROUND, top + self.size.height + KEEP_AROUND
        if len(self._rows) > 2 * (high - low):
            for index in [index for index in self._rows if not low <= index < high]:
                del self._rows[index]
        self._now = utcnow()

    def _counted(self, generation: int, total: int) -> None:
        if generation != self._generation:
            return
        self._set_total(total)
        self.cursor = min(self.cursor, max(0, total - 1))
        self.showing = Showing(self._shown, total)
        self.refresh()
        self._anchor_long_list(total)

    def _set_total(self, total: int) -> None:
        self._total = total
        size = Size(self.size.width, total)
        if size == self.virtual_size:
            return
        # The table's height is the pane's, whatever its row count: the new virtual size
        # needs no layout pass, only the scrollbar's update (what the layout pass would
        # do for a ScrollView), so it paints in the same frame as the rows.
        self.set_reactive(QueueTable.virtual_size, size)
        self._scroll_update(size)

    def _need(self, index: int) -> None:
        """A line on screen has no row yet: read the window around it."""
        if self._pending and self._pending[0] <= index < self._pending[1]:
            return
        top = int(self.scroll_offset.y)
        self._read_around(min(index, top), max(index, top + self.size.height))

    def _read_around(self, first: int, last: int) -> None:
        if self._source is None:
            return
        start, stop = max(0, first - READ_AHEAD), last + READ_AHEAD
        self._pending = (start, stop)
        self._read_window(self._generation, start, stop)

    def _on_scroll_to(self, message: ScrollTo) -> None:
        """The scrollbar dragged: jump there, in one frame once the rows are in.

        Textual animates the scroll over 0.1 s in a terminal without smooth scrolling,
        which here would read (and paint as placeholders) every window it passes on the
        way. A jump far from the rows held reads the screen's rows only, and scrolls when
        they arrive (or after MOVE_PATIENCE, over placeholders); the rows around follow.
        """
        message.prevent_default()
        message.stop()
        if message.y is None:
            return
        top = max(0, min(int(message.y), self.max_scroll_y))
        if self._lines_ready(top):
            self._cancel_jump()
            self.scroll_to(y=top, animate=False, immediate=True)
            return
        self._jump = top
        if self._source is not None:
            self._pending = (top, top + self.size.height)
            self._read_window(self._generation, top, top + self.size.height)
        if self._jump_timer is None:
            self._jump_timer = self.set_timer(MOVE_PATIENCE, self._jump_now)

    def _lines_ready(self, top: int) -> bool:
        """Every line the screen shows with `top` as its first line has its row."""
        bottom = min(self._total, top + max(1, self.size.height))
        return all(line in self._rows for line in range(top, bottom))

    def _jump_now(self) -> None:
        top = self._jump
        self._cancel_jump()
        if top is not None:
            self.scroll_to(y=top, animate=False, immediate=True)
            self.refresh()
            self._read_around(top, top + self.size.height)  # the rows around, to scroll on

    def _cancel_jump(self) -> None:
        self._jump = None
        if self._jump_timer is not None:
            self._jump_timer.stop()
            self._jump_timer = None

    # -- drawing -------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width  # without the scrollbar's column
        if index >= self._total:
            # In the widget's own colours: an unstyled blank line shows the terminal's
            # background, a dark block under a light theme.
            return Strip.blank(width, self.rich_style)
        row = self._rows.get(index)
        if row is None:
            self.call_after_refresh(self._need, index)
            style = self.rich_style + self.get_component_rich_style("queue--placeholder")
            return Strip([Segment(fit("  ·", width), style)], width)
        return self._line(row, index == self.cursor, width)

    def _line(self, row: TicketRow, selected: bool, width: int) -> Strip:
        line_style = self.rich_style
        if selected:
            line_style += self.get_component_rich_style("queue--cursor")
        segments = []
        for column, text, size in zip(COLUMNS, cells(row, self._now), layout(width),
                                      strict=True):
            style = line_style
            if not selected:
                style = style + self._cell_style(column, row)
            segments.append(Segment(fit(text, size), style))
            segments.append(Segment(" ", line_style))
        return Strip(segments[:-1]).crop(0, width).adjust_cell_length(width, line_style)

    def _cell_style(self, column: Column, row: TicketRow) -> Style:
        if column.sort == QueueSort.PRIORITY and row.priority <= 2:
            return self.get_component_rich_style(f"queue--p{int(row.priority)}")
        if column.sort == QueueSort.STATUS:
            promise = promise_marker(row, self._now)
            if promise is PromiseStatus.BROKEN:
                return self.get_component_rich_style("queue--promise-broken")
            if row.returned_at is not None:
                return self.get_component_rich_style("queue--returned")
            if promise is PromiseStatus.DUE_SOON:
                return self.get_component_rich_style("queue--promise-due")
            if row.status == TicketStatus.ESCALATED:
                return self.get_component_rich_style("queue--escalated")
            if row.status == TicketStatus.WAITING:
                return self.get_component_rich_style("queue--waiting")
        if column.sort in (QueueSort.AGE, QueueSort.LAST_CONTACT, QueueSort.KEY):
            return self.get_component_rich_style("queue--dim")
        return Style()

    # -- the cursor ----------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh()
        if new != SEARCHING:
            self._follow(new)
        row = self._rows.get(new)
        announced = row.id if row else None
        if announced != self._announced:
            self._announced = announced
            self.post_message(self.Moved(self, row))

    def _top_for(self, index: int) -> int:
        """Where the screen's first line must be for the cursor at `index` to show."""
        top = int(self.scroll_offset.y)
        height = max(1, self.size.height)
        if index < top:
            return index
        if index >= top + height:
            return index - height + 1
        return top

    def _follow(self, index: int) -> None:
        top = self._top_for(index)
        if top != int(self.scroll_offset.y):
            self.scroll_to(y=top, animate=False, immediate=True)

    def _window_ready(self, index: int) -> bool:
        """Every line the screen would show with the cursor at `index` has its row."""
        top = self._top_for(index)
        bottom = min(self._total, top + max(1, self.size.height))
        return all(line in self._rows for line in range(top, bottom))

    def _move(self, delta: int) -> None:
        """Move the cursor by `delta` rows (from where a pending move is going)."""
        self._goto((self._target if self._target is not None else self.cursor) + delta)

    def _goto(self, index: int) -> None:
        if not self._total:
            return
        target = max(0, min(self._total - 1, index))
        if self._window_ready(target):
            self._cancel_target()
            self.cursor = target
            return
        # Read first, move when the rows are in: one frame for the move, not two.
        self._target = target
        top = self._top_for(target)
        self._read_around(top, top + self.size.height)
        if self._target_timer is None:
            self._target_timer = self.set_timer(MOVE_PATIENCE, self._move_now)

    def _move_now(self) -> None:
        target = self._target
        self._cancel_target()
        if target is not None:
            self.cursor = max(0, min(self._total - 1, target))

    def _cancel_target(self) -> None:
        self._target = None
        if self._target_timer is not None:
            self._target_timer.stop()
            self._target_timer = None

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_page_up(self) -> None:
        self._move(-max(1, self.size.height - 1))

    def action_page_down(self) -> None:
        self._move(max(1, self.size.height - 1))

    def action_first(self) -> None:
        self._goto(0)

    def action_last(self) -> None:
        self._goto(self._total - 1)

    def action_open(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Opened(self, row))

    def on_click(self, event: events.Click) -> None:
        index = int(self.scroll_offset.y) + event.y
        if 0 <= index < self._total:
            if index == self.cursor and event.chain >= 2:
                self.action_open()
            self._cancel_target()
            self.cursor = index

    def announce_again(self) -> None:
        """Post Moved for the current row even if it did not change (after a reload)."""
        self._announced = None
        self.watch_cursor(self.cursor, self.cursor)
