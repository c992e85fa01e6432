"""The lead's escalation board: every open escalation of the team, live, with its desk owner.

It re-reads (in a worker) whenever tickets, contacts or customers change, locally or by
a sync pull, so an escalation made on any agent's machine shows up without a key press.
Rows that were not there before are highlighted for a few seconds and announced. Stale
rows (no customer contact for the configured hours) stand out in the warning colour.

Above the table, the team's mood early warning when it is raised; below it, the tickets
2nd line handed back whose customer has not been told yet, with how long they have
waited (services.handback); below that, the weekly highlight: the best-rated
interactions and the quality drivers that improved.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import DataTable, Footer, Static
from textual.worker import Worker, WorkerState

from deskterm.domain.clock import utcnow
from deskterm.domain.enums import Tier
from deskterm.domain.feedback import driver_label
from deskterm.i18n import N_, _, ngettext, pgettext
from deskterm.i18n.formats import number
from deskterm.present import age
from deskterm.services.board import DEFAULT_STALE_HOURS, BoardRow, BoardSort, escalation_board
from deskterm.services.handback import ReturnedRow, returned_untold
from deskterm.services.highlights import WeeklyHighlights, weekly_highlights
from deskterm.services.org import list_agents
from deskterm.services.team_mood import MoodWarning
from deskterm.ui.commands import ActionEntry, PaletteCommand
from deskterm.ui.forms.nudge import NudgeForm
from deskterm.ui.language import split_at
from deskterm.ui.messages import DataChanged, LanguageChanged
from deskterm.ui.screens.mood_view import read_team_mood
from deskterm.ui.screens.narrow import NARROW_WIDTH
from deskterm.ui.screens.people_screen import PeopleScreen
from deskterm.ui.session import DeskSession
from deskterm.ui.typed import desk_app, worker_result
from deskterm.ui.widgets.title_bar import TitleBar

#: How long a newly arrived escalation stays highlighted.
HIGHLIGHT_SECONDS = 6.0
#: The board re-reads this often when nothing changed as well: its ages ("Esc.",
#: "Contact") keep counting and a row that turns stale says so, offline too.
REFRESH_SECONDS = 30.0
#: At most this many arrivals are announced one by one; more are summed up.
ANNOUNCE_EACH = 3
#: Entities whose change may add, change or remove a row.
ROWS_FROM = ("ticket", "contact", "customer", "agent")
#: Entities behind the banner and the highlight panel.
EXTRAS_FROM = ("mood_entry", "contact", "feedback")
SORTS = tuple(BoardSort)
SORT_WORDS = {BoardSort.AGE: N_("longest escalated first"), BoardSort.PRIORITY: N_("priority"),
              BoardSort.TIER: N_("3rd line first")}
#: (column key, label, fixed width; 0: shares what is left)
COLUMNS = (("key", N_("Key"), 10), ("subject", N_("Subject"), 0),
           ("customer", N_("Customer"), 0),
           # TRANSLATORS: the escalation board's priority column, 3 cells wide.
           ("pri", N_("Pri"), 3), ("line", N_("Tier·group"), 0), ("owner", N_("Owner"), 7),
           # TRANSLATORS: the board's columns: how long ago escalated (4 cells), the last
           # customer contact (7), contacts in the last 7 days (2).
           ("reason", N_("Reason"), 0), ("escalated", N_("Esc."), 4),
           ("contact", N_("Contact"), 7), ("repeats", N_("7d"), 2), ("tag", "", 5))
#: How the columns of width 0 share the width left over.
SHARES = {"subject": 36, "customer": 17, "line": 19, "reason": 28}
#: Narrow (screens/narrow.py), these columns step aside so that Subject and Reason stay
#: readable; the ticket (Enter) shows them.
NARROW_HIDES = frozenset({"customer", "line", "repeats"})


@dataclass(frozen=True)
class BoardView:
    rows: list[BoardRow]
    now: datetime
    team: str
    returned: tuple[ReturnedRow, ...] = ()


@dataclass(frozen=True)
class BoardExtras:
    warning: MoodWarning | None
    highlights: WeeklyHighlights


class EscalationBoardScreen(PeopleScreen):
    """The team's open escalations; Enter opens one, n nudges its owner."""

    CSS_PATH = "board.tcss"

    BINDINGS = [
        Binding("enter", "open", N_("Open ticket"), id="board.open"),
        Binding("n", "nudge", N_("Nudge owner"), id="board.nudge"),
        Binding("s", "next_sort", N_("Sort"), id="board.sort"),
        Binding("d", "next_department", N_("Department"), id="board.department"),
    ]

    ACTIONS: tuple[ActionEntry, ...] = (
        ("board.open", N_("Open the escalated ticket"), N_("in full: trail, contacts, articles")),
        ("board.nudge", N_("Nudge the owner"),
         N_("a note on the ticket and on the owner's screen")),
        ("board.sort", N_("Next board sort"), N_("age, priority, tier")),
        ("board.department", N_("Next department filter"), N_("all, then each department")),
    )

    def __init__(self, session: DeskSession) -> None:
        super().__init__(session)
        self.sort = BoardSort.AGE
        self.department: str | None = None  # a department code; None: all
        self.stale_hours = float(session.config.stale_hours or DEFAULT_STALE_HOURS)
        self.view: BoardView | None = None
        #: Ticket ids on the board at the last read; None until the first one (nothing is
        #: "new" on the first read, nor after the lead changed the filter).
        self._known: set[str] | None = None
        #: Ticket id -> when its highlight ends (time.monotonic()).
        self.fresh: dict[str, float] = {}
        self._widths: tuple[int, ...] = ()

    def compose(self) -> ComposeResult:
        yield TitleBar(Static(_("Escalation board"), id="board-title"))
        yield Static("", id="board-warning")
        yield DataTable(id="board-table", cursor_type="row", zebra_stripes=True)
        yield Static(_("No open escalations."), id="board-empty")
        yield Static("", id="board-returned")
        with Horizontal(id="board-highlights"):
            yield Static("", id="board-best")
            yield Static("", id="board-drivers")
        yield Footer()

    def on_unmount(self) -> None:
        # Else the signal keeps the board, and all on it (ui/letting_go.py).
        self.app.theme_changed_signal.unsubscribe(self)

    def on_mount(self) -> None:
        self._box_titles()
        self.query_one("#board-warning").display = False
        self.query_one("#board-empty").display = False
        self.query_one("#board-returned").display = False
        self.table.focus()
        # The stale and new rows are drawn in the theme's colours: redraw when it changes.
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._redraw())
        self.reload()
        self._load_extras()
        self.set_interval(REFRESH_SECONDS, self.reload)

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#board-table", DataTable)

    @property
    def current(self) -> BoardRow | None:
        """The board row under the cursor."""
        table = self.table
        if self.view is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((row for row in self.view.rows if row.ticket_id == key), None)

    # -- reading -------------------------------------------------------------------------

    def data_changed(self, change: DataChanged) -> None:
        if change.touches(*ROWS_FROM):
            self.reload()
        if change.touches(*EXTRAS_FROM):
            self._load_extras()

    def reload(self) -> None:
        self._load(self.sort, self.department)

    @work(thread=True, exclusive=True, group="board-rows", exit_on_error=False)
    def _load(self, sort: BoardSort, department: str | None) -> BoardView:
        store, actor = self.session.store, self.session.actor
        now = utcnow()
        rows = escalation_board(store, team_id=actor.team_id, department=department, sort=sort,
                                stale_hours=self.stale_hours, now=now)
        team = next((name for agent, name in list_agents(store) if agent.id == actor.id), None)
        returned = tuple(returned_untold(store, team_id=actor.team_id, now=now))
        return BoardView(rows, now, team or _("all teams"), returned)

    @work(thread=True, exclusive=True, group="board-extras", exit_on_error=False)
    def _load_extras(self) -> BoardExtras:
        session = self.session
        mood = read_team_mood(session)
        return BoardExtras(mood.warning, weekly_highlights(session.store,
                                                           team_id=session.actor.team_id))

    @on(Worker.StateChanged)
    def _loaded(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.SUCCESS:
            return
        if event.worker.group == "board-rows":
            self._show(worker_result(event.worker, BoardView))
        elif event.worker.group == "board-extras":
            self._show_extras(worker_result(event.worker, BoardExtras))

    # -- the table -----------------------------------------------------------------------

    def _show(self, view: BoardView) -> None:
        ids = {row.ticket_id for row in view.rows}
        arrived = [] if self._known is None else [
            row for row in view.rows if row.ticket_id not in self._known]
        self._known = ids
        self.view = view
        until = time.monotonic() + HIGHLIGHT_SECONDS
        for row in arrived:
            self.fresh[row.ticket_id] = until
        if arrived:
            self.set_timer(HIGHLIGHT_SECONDS + 0.1, self._redraw)
            self._announce(arrived)
        self._redraw()

    def _announce(self, arrived: list[BoardRow]) -> None:
        for row in arrived[:ANNOUNCE_EACH]:
            if row.owner_handle:
                text = _("New escalation {key}: {subject} (owner {owner})").format(
                    key=row.key, subject=row.subject, owner=row.owner_handle)
            else:
                text = _("New escalation {key}: {subject} (no owner)").format(
                    key=row.key, subject=row.subject)
            self.notify(text, title=_("Escalation board"), markup=False)
        if len(arrived) > ANNOUNCE_EACH:
            more = len(arrived) - ANNOUNCE_EACH
            # TRANSLATORS: after three "New escalation ..." notices, the rest counted.
            self.notify(ngettext("and {count} more new escalation",
                                 "and {count} more new escalations", more).format(
                count=number(more)), title=_("Escalation board"))

    def _redraw(self) -> None:
        view = self.view
        if view is None or not self.is_attached:
            return
        now = time.monotonic()
        self.fresh = {key: end for key, end in self.fresh.items() if end > now}
        table = self.table
        self._ensure_columns()
        kept = self.current.ticket_id if self.current else None
        colours = self.app.get_css_variables()  # the theme's, read once per drawing
        table.clear()
        for row in view.rows:
            table.add_row(*self._cells(row, view.now, colours), key=row.ticket_id)
        if kept is not None and kept in table.rows:
            table.move_cursor(row=table.get_row_index(kept), animate=False)
        self.query_one("#board-empty").display = not view.rows
        returned = self.query_one("#board-returned", Static)
        returned.display = bool(view.returned)
        returned.update(returned_lines(view.returned, view.now))
        self._title(view)
        self.refresh_bindings()

    def _box_titles(self) -> None:
        self.query_one("#board-best", Static).border_title = _("Best-rated this week")
        self.query_one("#board-drivers", Static).border_title = _("Drivers that improved")
        self.query_one("#board-empty", Static).update(_("No open escalations."))

    def on_language_changed(self, event: LanguageChanged) -> None:
        self._box_titles()
        self._widths = ()  # the columns are made again, with their labels in the language

    def _title(self, view: BoardView) -> None:
        stale = sum(row.stale for row in view.rows)
        where = (_("department {code}").format(code=self.department) if self.department
                 else _("all departments"))
        hours = number(self.stale_hours)
        self.query_one("#board-title", Static).update(Content.assemble(
            (_("Escalation board"), "bold"), f" · {view.team} · ",
            (_("{count} open").format(count=number(len(view.rows))), "bold"), " · ",
            (_("{count} stale").format(count=number(stale)),
             "$text-warning bold" if stale else ""), " ",
            # TRANSLATORS: the board's title line, after "3 stale": what stale means, the
            # order of the rows and which department they are of.
            _("(no contact for {hours}h) · sorted by {sort} · {where}").format(
                hours=hours, sort=_(SORT_WORDS[self.sort]), where=where)))

    def _cells(self, row: BoardRow, now: datetime, colours: dict[str, str]) -> list[Text]:
        style = Style()
        tag = Text("")
        if row.ticket_id in self.fresh:
            style = Style(bold=True, bgcolor=colours.get("success-muted"))
            # TRANSLATORS: the board's tag of a newly arrived row: 5 cells at most.
            tag = Text(pgettext("board tag", "new"),
                       style=Style(bold=True, color=colours.get("text-success")))
        elif row.stale:
            style = Style(color=colours.get("text-warning"))
            # TRANSLATORS: the board's tag of a stale row (no customer contact for a
            # while): 5 cells at most.
            tag = Text(pgettext("board tag", "stale"),
                       style=Style(bold=True, color=colours.get("text-warning")))
        widths = dict(zip((c[0] for c in COLUMNS), self._widths, strict=True))

        def cell(text: str, key: str, *, right: bool = False) -> Text:
            return Text(_fit(text, widths[key]), style=style,
                        justify="right" if right else "left")

        line = f"{row.tier or '?'}·{row.resolver_group or '—'}"
        contact = age(row.last_contact_at, now) if row.last_contact_at else _("never")
        cells = [
            cell(row.key, "key"), cell(row.subject, "subject"), cell(row.customer, "customer"),
            cell(f"P{int(row.priority)}", "pri"), cell(line, "line"),
            cell(row.owner_handle or "—", "owner"), cell(row.reason or "", "reason"),
            cell(age(row.escalated_at, now), "escalated", right=True),
            cell(contact, "contact", right=True),
            cell(number(row.repeat_contacts), "repeats", right=True), tag,
        ]
        return [text for text, width in zip(cells, self._widths, strict=True) if width]

    def _ensure_columns(self) -> None:
        """Columns sized to the screen: the text columns share what the fixed ones leave."""
        widths = column_widths(self.table.size.width or self.size.width)
        if widths == self._widths:
            return
        self._widths = widths
        table = self.table
        table.clear(columns=True)
        for (key, label, __), width in zip(COLUMNS, widths, strict=True):
            if width:  # 0: the column steps aside at this width
                table.add_column(_(label) if label else "", width=width, key=key)

    def on_resize(self) -> None:
        if self.view is not None and column_widths(self.table.size.width) != self._widths:
            self._redraw()

    # -- the banner and the weekly highlight ----------------------------------------------

    def _show_extras(self, extras: BoardExtras) -> None:
        banner = self.query_one("#board-warning", Static)
        banner.display = extras.warning is not None
        if extras.warning is not None:
            before, after = split_at(_("⚠ Mood early warning: {message}"), "message")
            banner.update(Content.assemble((before, "bold"), extras.warning.message, after))
        self.query_one("#board-best", Static).update(best_lines(extras.highlights))
        self.query_one("#board-drivers", Static).update(driver_lines(extras.highlights))

    # -- keys ----------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#board-table")
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        row = self.current
        if row is not None:
            desk_app(self).open_ticket(row.ticket_id)

    def action_nudge(self) -> None:
        row = self.current
        if row is None:
            self.notify(_("No escalation selected to nudge about"), severity="warning")
            return
        self.app.push_screen(NudgeForm(self.session, row))

    def action_next_sort(self) -> None:
        self.sort_by(SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)])

    def sort_by(self, sort: BoardSort) -> None:
        self.sort = sort
        self.reload()

    def action_next_department(self) -> None:
        codes: list[str | None] = [None, *(code for _id, code in self.session.departments)]
        index = codes.index(self.department) if self.department in codes else 0
        self.filter_department(codes[(index + 1) % len(codes)])

    def filter_department(self, code: str | None) -> None:
        self.department = code
        self._known = None  # rows the filter lets in are not new escalations
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open", "nudge"):
            return self.current is not None
        return True

    def palette_commands(self) -> list[PaletteCommand]:
        from functools import partial

        sorts = [PaletteCommand(_("Sort the board: {sort}").format(sort=_(SORT_WORDS[sort])),
                                _("escalation board"), partial(self.sort_by, sort))
                 for sort in SORTS]
        departments = [PaletteCommand(_("Board department: {code}").format(code=code),
                                      _("only this department"),
                                      partial(self.filter_department, code))
                       for _id, code in self.session.departments]
        return [*super().palette_commands(), *sorts,
                PaletteCommand(_("Board department: all"), _("every department"),
                               partial(self.filter_department, None)), *departments]


def column_widths(width: int) -> tuple[int, ...]:
    """Each column's width for a table `width` cells wide (cell padding and scrollbar off);
    0 for a column that steps aside at this width (NARROW_HIDES)."""
    shown = [column for column in COLUMNS
             if width >= NARROW_WIDTH or column[0] not in NARROW_HIDES]
    fixed = sum(w for _, _, w in shown)
    shares = {key: SHARES[key] for key, _, w in shown if not w}
    left = max(width - 2 * len(shown) - 2 - fixed, 4 * len(shares))
    total = sum(shares.values())
    return tuple(0 if (key, label, w) not in shown else w or max(4, left * shares[key] // total)
                 for key, label, w in COLUMNS)


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[:max(1, width - 1)] + "…"


def best_lines(highlights: WeeklyHighlights) -> Content:
    if not highlights.best:
        return Content.styled(_("No customer rated an interaction 5 in the last 7 days yet."),
                              "$text-muted")
    lines = []
    for item in highlights.best:
        lines.append(Content.assemble(("★5 CSAT  ", "$text-success"),
                                      (item.ticket_key or "—", "bold"),
                                      f" {item.customer}: ", item.what))
    return Content("\n").join(lines)


def driver_lines(highlights: WeeklyHighlights) -> Content:
    if not highlights.improved:
        return Content.styled(_("No driver clearly up on the week before."), "$text-muted")
    return Content("\n").join(Content.assemble(
        (f"{driver_label(change.driver):<18}", "bold"),
        f" {number(change.before, 1)}→{number(change.after, 1)} ",
        (f"+{number(change.gain, 1)}", "$text-success"),
        (f" n={number(change.responses)}", "$text-muted")) for change in highlights.improved)


def returned_lines(rows: tuple[ReturnedRow, ...], now: datetime | None = None,
                   shown: int = 5) -> Content:
    """Returned tickets whose customer waits to hear, longest waiting first; how long
    each has waited at `now` (None: the clock's)."""
    if not rows:
        return Content("")
    at = now or utcnow()
    lines = [Content.styled(_("↩ Back from 2nd line, customer not told yet: {count}").format(
        count=number(len(rows))), "bold $text-warning")]
    # TRANSLATORS: a returned ticket on the board, after its key: its subject, customer,
    # owner (@alex), the resolver group it came back from, and how long it has waited
    # ("5h"), shown in bold.
    line = _("{subject} · {customer} · {owner} · from {group} · waiting {waited}")
    for row in rows[:shown]:
        before, after = split_at(
            line, "waited", subject=row.subject, customer=row.customer,
            owner=f"@{row.owner_handle}" if row.owner_handle else _("no owner"),
            group=row.resolver_group or Tier.SECOND.label)
        lines.append(Content.assemble("  ", (row.key, "bold"), " ", before,
                                      (age(at - row.waited, at), "bold"), after))
    if len(rows) > shown:
        more = len(rows) - shown
        lines.append(Content("  " + ngettext("and {count} more", "and {count} more",
                                             more).format(count=number(more))))
    return Content("\n").join(lines)
