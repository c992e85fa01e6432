"""Goodwill oversight for leads: every team member's budget, one member's ledger, team spend.

Left, the team's balances for the period; the ledger of the member under the cursor
beside it (`R` reverses the highlighted entry, with a reason); below, the team's net
spend by reason and by month. `a` allocates, to the highlighted member or the whole
team; `[` and `]` step through the periods.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, DataTable, Footer, Static
from textual.worker import Worker, WorkerState

from deskterm.domain import Agent, GoodwillEntry
from deskterm.domain.clock import utcnow
from deskterm.domain.goodwill import period_of
from deskterm.domain.money import Money
from deskterm.i18n import N_, _, ngettext
from deskterm.i18n.formats import number
from deskterm.services import goodwill
from deskterm.services.contacts import names_for
from deskterm.services.goodwill import Budget
from deskterm.services.goodwill_team import SpendSummary, spend_summary, team_budgets
from deskterm.ui.commands import ActionEntry
from deskterm.ui.forms.allocate_team import AllocateForm
from deskterm.ui.forms.goodwill import ReverseForm
from deskterm.ui.language import relabel_columns, split_at
from deskterm.ui.messages import DataChanged, LanguageChanged
from deskterm.ui.screens.people_screen import PeopleScreen
from deskterm.ui.session import DeskSession
from deskterm.ui.typed import worker_result
from deskterm.ui.widgets.goodwill.lines import COLUMNS, ledger_row
from deskterm.ui.widgets.goodwill.loader import LEDGER_LIMIT, LoadedLedger
from deskterm.ui.widgets.title_bar import TitleBar

SUMMARY_MONTHS = 6
#: The team table's columns, as (label marked `N_()`, key).
BUDGET_COLUMNS = ((N_("Agent"), "agent"), (N_("Allocated"), "allocated"),
                  (N_("Spent"), "spent"), (N_("Balance"), "balance"))
#: The period buttons' words (the bindings' descriptions too).
PREVIOUS_PERIOD = N_("Prev period")
NEXT_PERIOD = N_("Next period")


@dataclass(frozen=True)
class TeamView:
    period: str
    budgets: list[Budget]
    summary: SpendSummary


def shift_period(period: str, months: int) -> str:
    """`2026-11` moved by `months` (negative: back)."""
    year, month = (int(part) for part in period.split("-"))
    index = year * 12 + month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


class GoodwillOversightScreen(PeopleScreen):
    """The team's goodwill: balances, a member's ledger, spend by reason and month."""

    CSS_PATH = "goodwill_team.tcss"

    BINDINGS = [
        Binding("a", "allocate", N_("Allocate"), id="oversight.allocate"),
        Binding("R", "reverse", N_("Reverse entry"), id="oversight.reverse"),
        Binding("left_square_bracket", "period(-1)", PREVIOUS_PERIOD, key_display="[",
                id="oversight.previous_period"),
        Binding("right_square_bracket", "period(1)", NEXT_PERIOD, key_display="]",
                id="oversight.next_period"),
        Binding("tab", "switch_table", N_("Budgets/ledger"), show=False,
                id="oversight.switch"),
    ]
    ACTIONS: tuple[ActionEntry, ...] = (
        ("oversight.allocate", N_("Allocate goodwill"),
         N_("to the highlighted agent or the whole team")),
        ("oversight.reverse", N_("Reverse ledger entry"),
         N_("the highlighted entry, with a reason")),
        ("oversight.previous_period", N_("Previous goodwill period"), N_("the month before")),
        ("oversight.next_period", N_("Next goodwill period"), N_("the month after")),
    )

    def __init__(self, session: DeskSession) -> None:
        super().__init__(session)
        self.period = period_of(utcnow())
        self.team: TeamView | None = None
        self.ledger: LoadedLedger | None = None

    def compose(self) -> ComposeResult:
        # The period steps with `[` and `]`; the buttons say so, for a mouse (and an eye).
        previous = Button(f"‹ [ {_(PREVIOUS_PERIOD)}", id="oversight-previous", compact=True,
                          tooltip=_("the month before ([)"))
        following = Button(f"{_(NEXT_PERIOD)} ] ›", id="oversight-next", compact=True,
                           tooltip=_("the month after (])"))
        for button in (previous, following):
            button.can_focus = False  # the keys stay the tables'
        yield TitleBar(Horizontal(Static(_("Goodwill oversight"), id="oversight-title"),
                                  previous, following, id="oversight-heading"))
        with Horizontal(id="oversight-top"):
            with Vertical(id="oversight-left"):
                yield DataTable(id="oversight-budgets", cursor_type="row", zebra_stripes=True)
            yield Static("", id="oversight-by-reason", classes="oversight-spend")
            yield Static("", id="oversight-by-month", classes="oversight-spend")
        with Vertical(id="oversight-right"):
            yield Static("", id="oversight-ledger-head")
            yield DataTable(id="oversight-ledger", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        budgets = self.budgets_table
        for label, key in BUDGET_COLUMNS:
            budgets.add_column(_(label), key=key)
        for label, key in COLUMNS:
            self.ledger_table.add_column(_(label), key=key)
        self._box_titles()
        budgets.focus()
        self._load_team(self.period)

    def _box_titles(self) -> None:
        self.query_one("#oversight-left").border_title = _("Team budgets")
        self.query_one("#oversight-right").border_title = _("Ledger")
        self.query_one("#oversight-by-reason").border_title = _("Spend by reason")
        self.query_one("#oversight-by-month").border_title = ngettext(
            "Spend by month (last {count})", "Spend by month (last {count})",
            SUMMARY_MONTHS).format(count=number(SUMMARY_MONTHS))

    def on_language_changed(self, event: LanguageChanged) -> None:
        """Titles, column heads and buttons in the new language (PeopleScreen's handler
        reads the team and the ledger again, which redraws the rest)."""
        self._box_titles()
        relabel_columns(self.budgets_table, {key: label for label, key in BUDGET_COLUMNS})
        relabel_columns(self.ledger_table, {key: label for label, key in COLUMNS})
        self.query_one("#oversight-previous", Button).label = f"‹ [ {_(PREVIOUS_PERIOD)}"
        self.query_one("#oversight-next", Button).label = f"{_(NEXT_PERIOD)} ] ›"
        self.query_one("#oversight-previous", Button).tooltip = _("the month before ([)")
        self.query_one("#oversight-next", Button).tooltip = _("the month after (])")

    @property
    def budgets_table(self) -> DataTable[Text]:
        return self.query_one("#oversight-budgets", DataTable)

    @property
    def ledger_table(self) -> DataTable[Text]:
        return self.query_one("#oversight-ledger", DataTable)

    @property
    def member(self) -> Budget | None:
        """The budget under the cursor of the team table."""
        table = self.budgets_table
        if self.team is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((b for b in self.team.budgets if b.agent.handle == key), None)

    @property
    def entry(self) -> GoodwillEntry | None:
        """The ledger entry under the cursor of the ledger table."""
        table = self.ledger_table
        if self.ledger is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.ledger.entry(key or "")

    # -- reading -------------------------------------------------------------------------

    def data_changed(self, change: DataChanged) -> None:
        if change.touches("goodwill_entry", "agent"):
            self._load_team(self.period)

    @work(thread=True, exclusive=True, group="oversight-team", exit_on_error=False)
    def _load_team(self, period: str) -> TeamView:
        ctx = self.session.ctx
        return TeamView(period, team_budgets(ctx, period=period),
                        spend_summary(ctx, months=SUMMARY_MONTHS))

    @work(thread=True, exclusive=True, group="oversight-ledger", exit_on_error=False)
    def _load_ledger(self, budget: Budget) -> LoadedLedger:
        store = self.session.store
        entries = goodwill.ledger(store, budget.agent.handle, period=budget.period,
                                  limit=LEDGER_LIMIT)
        names = names_for(store, agents=[e.author_id for e in entries],
                          tickets=[e.ticket_id for e in entries],
                          customers=[e.customer_id for e in entries])
        return LoadedLedger(budget, entries, names, utcnow())

    @on(Worker.StateChanged)
    def _loaded(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.SUCCESS:
            return
        if event.worker.group == "oversight-team":
            self._show_team(worker_result(event.worker, TeamView))
        elif event.worker.group == "oversight-ledger":
            self._show_ledger(worker_result(event.worker, LoadedLedger))

    # -- drawing -------------------------------------------------------------------------

    def _show_team(self, team: TeamView) -> None:
        kept = self.member.agent.handle if self.member else None
        self.team = team
        table = self.budgets_table
        table.clear()
        for budget in team.budgets:
            balance_style = "bold" if budget.balance.cents > 0 else "bold red"
            table.add_row(
                Text(f"@{budget.agent.handle}"),
                Text(str(budget.allocated), justify="right"),
                Text(str(budget.spent), justify="right"),
                Text(str(budget.balance), style=balance_style, justify="right"),
                key=budget.agent.handle)
        if kept is not None and kept in table.rows:
            table.move_cursor(row=table.get_row_index(kept), animate=False)
        allocated = sum(b.allocated.cents for b in team.budgets)
        spent = sum(b.spent.cents for b in team.budgets)
        currency = self.session.ctx.currency
        # TRANSLATORS: the goodwill oversight's title, after "Goodwill oversight · ":
        # the period (2026-11), how many budgets, the team's allocation and spend.
        totals = ngettext("{period} · {count} budget · {allocated} allocated · {spent} spent",
                          "{period} · {count} budgets · {allocated} allocated · {spent} spent",
                          len(team.budgets)).format(
            period=team.period, count=number(len(team.budgets)),
            allocated=Money(allocated, currency), spent=Money(spent, currency))
        self.query_one("#oversight-title", Static).update(Content.assemble(
            (_("Goodwill oversight"), "bold"), f" · {totals}"))
        self.query_one("#oversight-by-reason", Static).update(spend_lines(
            team.summary.by_reason, _("No spend yet.")))
        self.query_one("#oversight-by-month", Static).update(spend_lines(
            team.summary.by_month, _("No spend yet.")))
        self._follow_member()

    def _follow_member(self) -> None:
        member = self.member
        if member is None:
            self.ledger = None
            self.ledger_table.clear()
            self.query_one("#oversight-ledger-head", Static).update(_("No team members."))
        else:
            self._load_ledger(member)
        self.refresh_bindings()

    def _show_ledger(self, view: LoadedLedger) -> None:
        member = self.member
        if member is None or member.agent.id != view.budget.agent.id:
            return  # the cursor moved on while it was read
        kept = self.entry.id if self.entry else None
        self.ledger = view
        budget = view.budget
        # TRANSLATORS: above a member's ledger: "balance €12.50 of €50.00 allocated".
        before, after = split_at(_("balance {balance} of {allocated} allocated"), "balance",
                                 allocated=budget.allocated)
        self.query_one("#oversight-ledger-head", Static).update(Content.assemble(
            (f"@{budget.agent.handle}", "bold"), f" · {budget.agent.name} · {budget.period} · ",
            (before, "$text-muted"), (str(budget.balance), "bold"),
            (after, "$text-muted")))
        self.query_one("#oversight-right").border_title = _("Ledger of @{handle}").format(
            handle=budget.agent.handle)
        table = self.ledger_table
        table.clear()
        for entry in view.entries:
            table.add_row(*ledger_row(view, entry), key=entry.id)
        if kept is not None and kept in table.rows:
            table.move_cursor(row=table.get_row_index(kept), animate=False)
        self.refresh_bindings()

    @on(Button.Pressed, "#oversight-previous, #oversight-next")
    def _period_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_period(-1 if event.button.id == "oversight-previous" else 1)

    @on(DataTable.RowHighlighted, "#oversight-budgets")
    def _member_moved(self, event: DataTable.RowHighlighted) -> None:
        if self.ledger is None or self.member is None \
                or self.ledger.budget.agent.id != self.member.agent.id:
            self._follow_member()

    @on(DataTable.RowHighlighted, "#oversight-ledger")
    def _entry_moved(self) -> None:
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#oversight-budgets")
    def _member_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.ledger_table.focus()

    # -- keys ----------------------------------------------------------------------------

    def action_switch_table(self) -> None:
        if self.budgets_table.has_focus:
            self.ledger_table.focus()
        else:
            self.budgets_table.focus()

    def action_period(self, months: int) -> None:
        self.period = shift_period(self.period, months)
        self.ledger = None
        self._load_team(self.period)

    def action_allocate(self) -> None:
        members: list[Agent] = [b.agent for b in self.team.budgets] if self.team else []
        chosen = self.member.agent.handle if self.member else None
        self.app.push_screen(AllocateForm(self.session, members, chosen=chosen,
                                          period=self.period))

    def action_reverse(self) -> None:
        entry, view = self.entry, self.ledger
        if entry is None or view is None:
            self.notify(_("Highlight a ledger entry to reverse (tab moves to the ledger)"),
                        severity="warning")
            return
        if entry.reverses_id or entry.id in view.reversed_ids:
            self.notify(_("That entry is a reversal or already reversed"), severity="warning")
            return
        self.app.push_screen(ReverseForm(self.session, entry, about=view.describe(entry)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reverse":
            return self.entry is not None
        return True


def spend_lines(rows: Sequence[tuple[str, object, int]], empty: str) -> Content:
    """`Flowers after the outage   €120.00   4×`, one line per reason or month."""
    if not rows:
        return Content.styled(empty, "$text-muted")
    width = min(max(len(row[0]) for row in rows), 22)
    lines = []
    for name, amount, count in rows:
        label = name if len(name) <= width else name[:width - 1] + "…"
        lines.append(Content.assemble(f"{label:<{width}} ", (f"{amount!s:>10}", "bold"),
                                      (f" {number(count):>3}×", "$text-muted")))
    return Content("\n").join(lines)
