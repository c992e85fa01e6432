"""The yardsticks deskterm is measured against: a minimal Textual app and a stock DataTable.

Both import Textual only, so their child processes pay for nothing of deskterm's.
"""

from __future__ import annotations

import random
import time

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

COLUMN_LABELS = ("Key", "P", "Status", "Subject", "Customer", "Owner", "Age", "Contact")
_WORDS = ("printer", "laptop", "password", "reset", "VPN", "mail", "cannot", "login", "slow",
          "broken", "access", "request", "screen", "invoice", "payroll", "badge", "leave",
          "update", "error", "monitor", "phone", "license", "install", "network")
_NAMES = ("Jo Jansen", "Kim Klaassen", "Sam de Vries", "Ali Bakker", "Noor Visser",
          "Lotte Smit", "Daan Meijer", "Eva de Boer", "Finn Mulder", "Lisa de Groot")
_STATUSES = ("new", "open", "waiting", "escalated", "resolved", "closed")
_OWNERS = ("alex", "blake", "casey", "morgan", "sam", "—")


def ticket_cells(count: int, seed: int = 7) -> list[tuple[str, ...]]:
    """`count` rows of eight generated strings shaped like the queue's columns."""
    rng = random.Random(seed)
    return [
        (f"SD-{number:07d}", str(rng.randint(1, 4)), rng.choice(_STATUSES),
         " ".join(rng.choices(_WORDS, k=rng.randint(3, 7))), rng.choice(_NAMES),
         rng.choice(_OWNERS), f"{rng.randint(1, 900)}d", f"{rng.randint(0, 23)}h")
        for number in range(1, count + 1)
    ]


class Counter(Static, can_focus=True):
    """A focusable line whose `down` binding bumps a number and repaints."""

    BINDINGS = [Binding("down", "bump", "Bump")]

    def __init__(self) -> None:
        super().__init__("hello")
        self.presses = 0

    def action_bump(self) -> None:
        self.presses += 1
        self.update(f"hello {self.presses}")


class MinimalApp(App[None]):
    """About the least a Textual app can be: a line of text and a footer."""

    def compose(self) -> ComposeResult:
        yield Counter()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Counter).focus()

    def first_frame_ready(self) -> bool:
        return True

    def presses(self) -> int:
        return self.query_one(Counter).presses


class DataTableApp(App[None]):
    """A stock DataTable holding every row in memory; `s` sorts by the next column."""

    BINDINGS = [Binding("s", "sort_next", "Sort")]

    def __init__(self, rows: int) -> None:
        super().__init__()
        self.rows = rows
        self.sorts = 0
        #: time.monotonic() when add_rows began, and when it returned.
        self.mount_started = 0.0
        self.rows_added = 0.0

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row")
        yield Footer()

    @property
    def table(self) -> DataTable[str]:
        return self.query_one(DataTable)

    def on_mount(self) -> None:
        table = self.table
        table.add_columns(*COLUMN_LABELS)
        cells = ticket_cells(self.rows)
        self.mount_started = time.monotonic()
        table.add_rows(cells)
        self.rows_added = time.monotonic()
        table.focus()

    def first_frame_ready(self) -> bool:
        """Rows added and measured: the next refresh paints the filled table."""
        table = self.table
        return table.row_count == self.rows and table.virtual_size.height >= self.rows

    def action_sort_next(self) -> None:
        table = self.table
        keys = list(table.columns)
        table.sort(keys[self.sorts % len(keys)])
        self.sorts += 1
