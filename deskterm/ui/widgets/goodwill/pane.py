"""The goodwill pane: this period's balance in large type, the ledger, spend and reverse.

It shows the acting agent's own budget (team budgets for leads come later). `$` spends
for the selected ticket's customer; `R` (leads only) reverses the highlighted entry.
When syncing, unanswered entries say "pending" and rejected spends stay in view, struck
through, with the server's reason (see loader.py and lines.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widget import Widget
from textual.widgets import DataTable, Digits, Static
from textual.worker import Worker, WorkerState

from deskterm.domain.enums import LedgerKind
from deskterm.i18n import N_, _
from deskterm.store.queries import TicketRow
from deskterm.ui.language import relabel_columns
from deskterm.ui.messages import DataChanged
from deskterm.ui.typed import worker_result
from deskterm.ui.widgets.goodwill.lines import COLUMNS, ledger_lines, summary
from deskterm.ui.widgets.pane import Pane

if TYPE_CHECKING:
    from deskterm.domain import GoodwillEntry
    from deskterm.ui.session import DeskSession
    from deskterm.ui.widgets.goodwill.loader import LoadedLedger

#: With less than 1/LOW_PART of the allocation left, the balance shows in warning colours.
LOW_PART = 5


class GoodwillPane(Pane):
    """Pane 4: the agent's goodwill budget for this period and its ledger."""

    PANE_TITLE = N_("Goodwill")
    PANE_KEY = "4"
    # Textual reads CSS_PATH only on apps and screens; a widget's file becomes its default CSS.
    DEFAULT_CSS = Path(__file__).with_name("pane.tcss").read_text(encoding="utf-8")

    BINDINGS = [
        Binding("dollar_sign", "spend", N_("Spend goodwill"), id="goodwill.spend"),
        Binding("R", "reverse", N_("Reverse entry"), id="goodwill.reverse"),
    ]

    def __init__(self, session: DeskSession, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.ticket: TicketRow | None = None
        self.view: LoadedLedger | None = None

    def compose(self) -> ComposeResult:
        yield Digits("", id="goodwill-balance")
        yield Static(_("loading…"), id="goodwill-summary")
        yield Static("", id="goodwill-empty")
        yield DataTable(id="goodwill-ledger", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        # Pane.on_mount runs too: Textual calls the handler of every class in the MRO.
        table = self.ledger_table
        for label, key in COLUMNS:
            table.add_column(_(label), key=key)

    def first_load(self) -> None:
        """Read the budget and ledger: the workspace asks once its first frame is painted."""
        self._load()

    def language_changed(self) -> None:
        relabel_columns(self.ledger_table, dict((key, label) for label, key in COLUMNS))
        self._load()

    @property
    def primary(self) -> Widget:
        return self.ledger_table

    @property
    def ledger_table(self) -> DataTable[object]:
        return self.query_one("#goodwill-ledger", DataTable)

    @property
    def highlighted(self) -> GoodwillEntry | None:
        """The ledger entry under the cursor, if any."""
        key = self._cursor_key()
        return self.view.entry(key) if self.view is not None and key else None

    def _cursor_key(self) -> str | None:
        table = self.ledger_table
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    # -- following the queue and the store -----------------------------------------------

    def show_ticket(self, ticket: TicketRow | None) -> None:
        """The selected ticket is what `$` spends for."""
        had_ticket = self.ticket is not None
        self.ticket = ticket
        if had_ticket != (ticket is not None):
            self.refresh_bindings()  # only when `$` turns on or off (see HistoryPane)

    def data_changed(self, change: DataChanged) -> None:
        """Ledger changed: re-read the balance and the entries."""
        if change.touches("goodwill_entry", "agent"):
            self._load()

    @work(thread=True, exclusive=True, group="goodwill-load", exit_on_error=False)
    def _load(self) -> LoadedLedger:
        from deskterm.ui.widgets.goodwill.loader import load_ledger

        return load_ledger(self.session)

    @on(Worker.StateChanged)
    def _loaded(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "goodwill-load" and event.state == WorkerState.SUCCESS:
            from deskterm.ui.widgets.goodwill.loader import LoadedLedger

            self.view = worker_result(event.worker, LoadedLedger)
            self._draw(self.view)
        elif event.worker.group == "goodwill-load" and event.state == WorkerState.ERROR:
            # The app notifies the details; here the pane just stops saying "loading…".
            self.query_one("#goodwill-summary", Static).update(_("Could not read the budget."))

    # -- drawing -------------------------------------------------------------------------

    def _draw(self, view: LoadedLedger) -> None:
        budget = view.budget
        balance = self.query_one("#goodwill-balance", Digits)
        balance.update(str(budget.balance))
        low = budget.balance.cents * LOW_PART < budget.allocated.cents  # cents: no floats
        balance.set_class(budget.balance.cents <= 0, "-empty")
        balance.set_class(low and budget.balance.cents > 0, "-low")
        self.query_one("#goodwill-summary", Static).update(
            Content(summary(budget, lead=self.session.actor.is_lead)))
        empty = self.query_one("#goodwill-empty", Static)
        empty.display = not view.entries and not view.rejected
        empty.update(_("No ledger entries for {period} yet.").format(period=budget.period))
        self.set_subtitle(f"@{budget.agent.handle} · {budget.period}")

        table = self.ledger_table
        kept = self._cursor_key()
        table.clear()
        for key, cells in ledger_lines(view):
            table.add_row(*cells, key=key)
        if kept is not None and kept in table.rows:
            table.move_cursor(row=table.get_row_index(kept))
        self.refresh_bindings()

    @on(DataTable.RowHighlighted, "#goodwill-ledger")
    def _highlighted(self) -> None:
        self.refresh_bindings()

    # -- keys ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "spend":
            return True if self.ticket is not None else None
        if action == "reverse":
            if not self.session.actor.is_lead:
                return False  # hidden: only leads reverse (and the service refuses others)
            return True if self.highlighted is not None else None
        return True

    def action_spend(self) -> None:
        """`$`: spend goodwill for the selected ticket's customer."""
        from deskterm.ui.forms.goodwill import SpendForm

        self.app.push_screen(SpendForm(self.session, self.ticket))

    def action_reverse(self) -> None:
        """`R` (leads): cancel the highlighted entry with a reversal that points at it."""
        entry, view = self.highlighted, self.view
        if entry is None or view is None:
            return
        if entry.kind == LedgerKind.REVERSAL:
            self.notify(_("A reversal cannot be reversed; book a new entry instead."),
                        severity="warning")
        elif entry.id in view.reversed_ids:
            self.notify(_("This entry was already reversed."), severity="warning")
        else:
            from deskterm.ui.forms.goodwill import ReverseForm

            self.app.push_screen(ReverseForm(self.session, entry, about=view.describe(entry)))
