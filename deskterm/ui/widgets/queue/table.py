"""The virtual ticket table: renders only the lines on screen, from rows read in workers.

It is a ScrollView with `render_line`, the way Toolong shows multi-gigabyte logs: the
scrollbar is sized from a count, and a line is drawn from a small dict of rows that
workers fill from `QueueSource` (a keyset-paginated, block-cached reader). Lines whose
rows have not arrived yet draw as a dim placeholder for the few milliseconds it takes.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from rich.segment import Segment
from rich.style import Style
from textual import events, work
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import Worker, WorkerState

from deskterm.domain.enums import TicketStatus
from deskterm.domain.types import utcnow
from deskterm.present import age
from deskterm.store.queries import TicketRow
from deskterm.store.queue import QueueSort, QueueSource, QueueSpec

#: How many rows beyond the screen are read ahead, in each direction.
READ_AHEAD = 64


@dataclass(frozen=True)
class Column:
    label: str
    sort: QueueSort
    width: int  # 0: takes the rest


COLUMNS = (
    Column("Key", QueueSort.KEY, 10),
    Column("P", QueueSort.PRIORITY, 2),
    Column("Status", QueueSort.STATUS, 11),
    Column("Subject", QueueSort.SUBJECT, 0),
    Column("Customer", QueueSort.CUSTOMER, 18),
    Column("Owner", QueueSort.OWNER, 8),
    Column("Age", QueueSort.AGE, 4),
    Column("Contact", QueueSort.LAST_CONTACT, 7),
)


def layout(width: int) -> list[int]:
    """Column widths for a table `width` cells wide (one space between columns)."""
    fixed = sum(c.width for c in COLUMNS) + len(COLUMNS) - 1
    flexible = max(12, width - fixed)
    return [c.width or flexible for c in COLUMNS]


def status_label(row: TicketRow) -> str:
    if row.status == TicketStatus.ESCALATED and row.resolver_tier:
        return f"esc→T{row.resolver_tier}"
    return row.status.value


def cells(row: TicketRow, now: datetime) -> list[str]:
    return [row.key, str(row.priority), status_label(row), row.subject, row.customer,
            row.owner or "—", age(row.created_at, now), age(row.last_contact_at, now)]


def fit(text: str, width: int) -> str:
    if len(text) > width:
        return text[: max(0, width - 1)] + "…"
    return text.ljust(width)


class QueueTable(ScrollView, can_focus=True):
    """Every ticket of the current queue spec, one line each, with a cursor."""

    COMPONENT_CLASSES = {
        "queue--cursor",
        "queue--p1",
        "queue--p2",
        "queue--escalated",
        "queue--waiting",
        "queue--placeholder",
        "queue--dim",
    }

    DEFAULT_CSS = """
    QueueTable { height: 1fr; scrollbar-size-vertical: 1; overflow-x: hidden; }
    QueueTable > .queue--cursor { background: $block-cursor-blurred-background; }
    QueueTable:focus > .queue--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
        text-style: bold;
    }
    QueueTable > .queue--p1 { color: $error; text-style: bold; }
    QueueTable > .queue--p2 { color: $warning; }
    QueueTable > .queue--escalated { color: $accent; }
    QueueTable > .queue--waiting { color: $text-muted; }
    QueueTable > .queue--placeholder { color: $text-disabled; }
    QueueTable > .queue--dim { color: $text-muted; }
    """

    BINDINGS = [
        Binding("up,k", "cursor_up", "Up", show=False, id="queue.up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="queue.down"),
        Binding("pageup", "page_up", "Page up", show=False, id="queue.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="queue.page_down"),
        Binding("home,g", "first", "First", show=False, id="queue.first"),
        Binding("end,G", "last", "Last", show=False, id="queue.last"),
        Binding("enter", "open", "Open", id="queue.open"),
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

    class Counted(Message):
        def __init__(self, table: QueueTable, total: int) -> None:
            super().__init__()
            self.table = table
            self.total = total

        @property
        def control(self) -> QueueTable:
            return self.table

    def __init__(self, store_path: str, spec: QueueSpec, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._source = QueueSource(store_path, spec)
        self._rows: dict[int, TicketRow] = {}
        self._total = 0
        self._generation = 0
        self._pending: tuple[int, int] | None = None
        self._announced: str | None = None
        self._now = utcnow()

    # -- what to show --------------------------------------------------------------------

    @property
    def spec(self) -> QueueSpec:
        return self._source.spec

    @property
    def total(self) -> int:
        return self._total

    @property
    def current(self) -> TicketRow | None:
        return self._rows.get(self.cursor)

    def show(self, spec: QueueSpec, *, keep_cursor: bool = False) -> None:
        """Show another spec (view, sort, filter); reads happen in a worker."""
        self._generation += 1
        self._source.interrupt()
        self._reload(spec, keep_cursor=keep_cursor)

    def refresh_data(self) -> None:
        """The store changed: re-read what is on screen, keeping the cursor."""
        self._generation += 1
        self._source.interrupt()
        self._reload(None, keep_cursor=True)

    def on_unmount(self) -> None:
        self._source.interrupt()
        self._source.close()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.app.report(event.worker.error)  # type: ignore[attr-defined]

    # -- reading, in workers -------------------------------------------------------------

    def _reload(self, spec: QueueSpec | None, *, keep_cursor: bool) -> None:
        generation = self._generation
        if not keep_cursor:
            self.cursor = 0
            self.scroll_to(y=0, animate=False, immediate=True)
        start = max(0, int(self.scroll_offset.y) - READ_AHEAD)
        stop = int(self.scroll_offset.y) + self.size.height + READ_AHEAD
        self._read(generation, spec, start, max(stop, self.cursor + READ_AHEAD))

    @work(thread=True, exclusive=True, group="queue-read", exit_on_error=False)
    def _read(self, generation: int, spec: QueueSpec | None, start: int, stop: int) -> None:
        source = self._source
        try:
            if spec is not None:
                source.set_spec(spec)
            else:
                source.invalidate()
            rows = source.rows(start, stop)
            self.app.call_from_thread(self._arrived, generation, start, rows, True,
                                      source.known_count)
            total = source.count()
            self.app.call_from_thread(self._counted, generation, total)
        except sqlite3.OperationalError as error:
            if "interrupted" not in str(error):
                raise

    @work(thread=True, exclusive=True, group="queue-window", exit_on_error=False)
    def _read_window(self, generation: int, start: int, stop: int) -> None:
        try:
            rows = self._source.rows(start, stop)
        except sqlite3.OperationalError as error:
            if "interrupted" not in str(error):
                raise
            return
        self.app.call_from_thread(self._arrived, generation, start, rows, False, None)

    def _arrived(self, generation: int, start: int, rows: list[TicketRow], replace: bool,
                 known_total: int | None) -> None:
        if generation != self._generation:
            return
        if replace:
            self._rows.clear()
            if known_total is not None:
                self._set_total(known_total)
            elif start + len(rows) > self._total:
                self._set_total(start + len(rows))
        for index, row in enumerate(rows, start):
            self._rows[index] = row
        self._now = utcnow()
        self._pending = None
        self.cursor = min(self.cursor, max(0, self._total - 1))
        self.refresh()

    def _counted(self, generation: int, total: int) -> None:
        if generation != self._generation:
            return
        self._set_total(total)
        self.cursor = min(self.cursor, max(0, total - 1))
        self.post_message(self.Counted(self, total))
        self.refresh()

    def _set_total(self, total: int) -> None:
        self._total = total
        self.virtual_size = Size(self.size.width, total)

    def _need(self, index: int) -> None:
        """A line on screen has no row yet: read the window around it."""
        if self._pending and self._pending[0] <= index < self._pending[1]:
            return
        top = int(self.scroll_offset.y)
        start = max(0, min(index, top) - READ_AHEAD)
        stop = max(index, top + self.size.height) + READ_AHEAD
        self._pending = (start, stop)
        self._read_window(self._generation, start, stop)

    # -- drawing -------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_offset.y) + y
        width = self.size.width
        if index >= self._total:
            return Strip.blank(width)
        row = self._rows.get(index)
        if row is None:
            self.call_after_refresh(self._need, index)
            style = self.get_component_rich_style("queue--placeholder")
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
        self._follow(new)
        row = self._rows.get(new)
        announced = row.id if row else None
        if announced != self._announced:
            self._announced = announced
            self.post_message(self.Moved(self, row))

    def _follow(self, index: int) -> None:
        top = int(self.scroll_offset.y)
        height = max(1, self.size.height)
        if index < top:
            self.scroll_to(y=index, animate=False, immediate=True)
        elif index >= top + height:
            self.scroll_to(y=index - height + 1, animate=False, immediate=True)

    def _move(self, delta: int) -> None:
        if self._total:
            self.cursor = max(0, min(self._total - 1, self.cursor + delta))

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_page_up(self) -> None:
        self._move(-max(1, self.size.height - 1))

    def action_page_down(self) -> None:
        self._move(max(1, self.size.height - 1))

    def action_first(self) -> None:
        self._move(-self._total)

    def action_last(self) -> None:
        self._move(self._total)

    def action_open(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Opened(self, row))

    def on_click(self, event: events.Click) -> None:
        index = int(self.scroll_offset.y) + event.y
        if 0 <= index < self._total:
            if index == self.cursor and event.chain >= 2:
                self.action_open()
            self.cursor = index

    def announce_again(self) -> None:
        """Post Moved for the current row even if it did not change (after a reload)."""
        self._announced = None
        self.watch_cursor(self.cursor, self.cursor)
