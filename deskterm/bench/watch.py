"""What the benchmark reads of the workspace's state, all in one place.

The UI offers no "the queue has settled" signal yet, so this polls the queue table:
its spec (set by the read worker), its rows (a private dict), its workers. Should the
table grow a public `settled` property or a message, only this module changes.
"""

from __future__ import annotations

from textual.app import App
from textual.widgets import Input

from deskterm.store.queue import QueueSpec
from deskterm.ui.widgets.queue.table import ANCHORS_GROUP, QueueTable

WORKSPACE = "WorkspaceScreen"


def queue_table(app: App[object]) -> QueueTable | None:
    """The workspace's queue table, once the workspace is the screen shown."""
    screen = app.screen
    if type(screen).__name__ != WORKSPACE:
        return None
    found = screen.query(QueueTable)
    return found.first() if found else None


def table_of(app: App[object]) -> QueueTable:
    table = queue_table(app)
    if table is None:
        raise LookupError("the workspace's queue is not shown")
    return table


def filter_box(app: App[object]) -> Input:
    return app.screen.query_one("#queue-filter", Input)


def first_rows_shown(app: App[object]) -> bool:
    """The workspace is up and the queue holds the row under its cursor (and those around)."""
    table = queue_table(app)
    return table is not None and table.total > 0 and table.current is not None


def rows_on_screen(table: QueueTable) -> bool:
    """Every line the table shows has its row (none is drawn as a placeholder)."""
    top = int(table.scroll_offset.y)
    bottom = min(table.total, top + table.size.height)
    rows = table._rows  # no public view of the loaded rows yet
    return all(index in rows for index in range(top, bottom))


def top_row(table: QueueTable) -> object | None:
    """The row drawn on the table's first line, if it has arrived."""
    return table._rows.get(int(table.scroll_offset.y))


def queue_busy(table: QueueTable) -> bool:
    """A read of the queue (rows or count) is pending or running. Sampling a long list's
    anchors (in the background, after its rows and count show) is no read of the screen."""
    return any(worker.node is table and not worker.is_finished
               and worker.group != ANCHORS_GROUP for worker in table.app.workers)


def shows(table: QueueTable, spec: QueueSpec) -> bool:
    """The table shows `spec`, all its lines are drawn and no read is outstanding."""
    return table.spec == spec and not queue_busy(table) and rows_on_screen(table)
