"""The workspace: four panes that work as one, and the keys that drive them."""

from __future__ import annotations

import gc
from functools import partial
from typing import Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from deskterm.i18n import N_, _
from deskterm.store.queries import TicketRow
from deskterm.ui import stack
from deskterm.ui.commands import ActionEntry, PaletteCommand, binding_commands, bound_key
from deskterm.ui.letting_go import forget_closed_watchers
from deskterm.ui.messages import DataChanged, LanguageChanged, TicketOpened, TicketSelected
from deskterm.ui.screens.narrow import fit_to, show_aside
from deskterm.ui.screens.ticket_actions import TICKET_ACTIONS, TicketActionScreen, translated
from deskterm.ui.typed import desk_app
from deskterm.ui.widgets.goodwill import GoodwillPane
from deskterm.ui.widgets.history import HistoryPane
from deskterm.ui.widgets.kb import KbPane
from deskterm.ui.widgets.kb.pane import KB_ACTIONS
from deskterm.ui.widgets.mood_trend import MoodTrend
from deskterm.ui.widgets.pane import Pane
from deskterm.ui.widgets.queue import QueuePane
from deskterm.ui.widgets.queue.columns import COLUMNS
from deskterm.ui.widgets.queue.pane import view_choices
from deskterm.ui.widgets.queue.table import Showing
from deskterm.ui.widgets.sync_status import SyncStatus

#: The workspace's own keys, as the palette lists them (marked; `translated` shows them).
WORKSPACE_ACTIONS: tuple[ActionEntry, ...] = (
    ("workspace.pane_1", N_("Go to the queue"), N_("pane 1")),
    ("workspace.pane_2", N_("Go to the customer"), N_("pane 2: contact history")),
    ("workspace.pane_3", N_("Go to the knowledge base"), N_("pane 3")),
    ("workspace.pane_4", N_("Go to goodwill"), N_("pane 4: your budget and ledger")),
    ("workspace.next_pane", N_("Next pane"), N_("move focus to the next pane")),
    ("workspace.previous_pane", N_("Previous pane"), N_("move focus to the previous pane")),
    ("workspace.maximize", N_("Maximize pane"),
     N_("the focused pane fills the screen, or back")),
    ("workspace.search", N_("Search in pane"), N_("the focused pane's search or filter box")),
)
#: The queue pane's keys, as the palette lists them.
QUEUE_ACTIONS: tuple[ActionEntry, ...] = (
    ("queue.filter", N_("Filter the queue"),
     N_("subject, customer, owner or key, as you type")),
    ("queue.clear_filter", N_("Clear the queue filter"), N_("show the whole view again")),
    ("queue.next_view", N_("Next queue view"), N_("My open, Unassigned, Escalated, …")),
    ("queue.previous_view", N_("Previous queue view"), N_("back through the views")),
    ("queue.next_sort", N_("Next sort column"), N_("sort the queue by the next column")),
    ("queue.reverse_sort", N_("Reverse the sort"), N_("ascending or descending")),
)
TABLE_ACTIONS: tuple[ActionEntry, ...] = (
    ("queue.open", N_("Open ticket"),
     N_("the selected ticket in full: trail, articles, contacts")),
    ("queue.first", N_("First ticket"), N_("jump to the top of the queue")),
    ("queue.last", N_("Last ticket"), N_("jump to the bottom of the queue")),
)


#: Whether the objects made at start were frozen (once per process; see _started).
_frozen = False
#: The footer's keys follow a burst of binding changes once it has been quiet this long.
FOOTER_SETTLE = 0.05


def settle_collector() -> None:
    """The workspace is up: what it made to get here is kept out of the collector's way,
    and the collector (off since the launch, `cli.launch`) runs again.

    A full garbage collection walks every object the app holds, some 140,000 once a
    session has run a while (Textual keeps seven small caches per rendered line), and
    took 100-130 ms, landing on whichever key was pressed then. Frozen, the objects made
    at start are never walked again; what the agent's keys make still is.
    """
    global _frozen
    if not _frozen:
        _frozen = True  # (gc.get_freeze_count() walks the frozen objects: 12 ms)
        gc.freeze()
    gc.enable()


class WorkspaceFooter(Footer):
    """Textual's footer, rebuilt once after a burst of binding changes, not per change.

    Each focus change, and each pane that turns a key on or off, tells the footer, and
    Textual's footer rebuilds every key for each (some 15 ms apiece, and a layout pass):
    opening the workspace sent five in a row, all run before its first frame could
    paint, and a key that moves focus (Escape from the filter) painted its own change
    and then waited for the footer's rebuild. Now the keys follow a moment later.
    """

    _settling: Timer | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if self._settling is not None:
            self._settling.stop()
        self._settling = self.set_timer(FOOTER_SETTLE, lambda: self._rebuild(screen))

    def _rebuild(self, screen: Screen[Any]) -> None:
        self._settling = None
        super().bindings_changed(screen)  # Textual's: reads the bindings as they are now

    async def recompose(self) -> None:
        await super().recompose()
        forget_closed_watchers(self)  # the keys just replaced (ui/letting_go.py)


class WorkspaceScreen(TicketActionScreen):
    CSS_PATH = "workspace.tcss"
    #: Whether the queue has shown its first rows (see `_started`).
    _shown_once = False
    #: The queue's table takes focus first (not the first focusable widget, the filter
    #: box, which is hidden): one focus change, one set of footer keys, at start.
    AUTO_FOCUS = "#queue-table"

    BINDINGS = [
        Binding("tab", "next_pane", N_("Next pane"), show=False, id="workspace.next_pane"),
        Binding("shift+tab", "previous_pane", N_("Previous pane"), show=False,
                id="workspace.previous_pane"),
        Binding("1", "jump(0)", N_("Queue"), show=False, tooltip=N_("jump to pane"),
                id="workspace.pane_1"),
        Binding("2", "jump(1)", N_("Customer"), show=False, tooltip=N_("jump to pane"),
                id="workspace.pane_2"),
        Binding("3", "jump(2)", N_("KB"), show=False, tooltip=N_("jump to pane"),
                id="workspace.pane_3"),
        Binding("4", "jump(3)", N_("Goodwill"), show=False, tooltip=N_("jump to pane"),
                id="workspace.pane_4"),
        Binding("z", "toggle_maximize", N_("Maximize"), tooltip=N_("the focused pane, or back"),
                id="workspace.maximize"),
        # Panes bind / themselves; this one reaches the focused pane from the palette.
        Binding("slash", "search", N_("Search"), show=False, tooltip=N_("in the focused pane"),
                id="workspace.search"),
    ]

    def compose(self) -> ComposeResult:
        actor = self.session.actor
        with Horizontal(id="topbar"):
            yield Static(self._title(), id="topbar-title")
            yield MoodTrend(self.session, id="mood-trend")
            yield SyncStatus(id="sync-status")
        yield QueuePane(self.session.store_path, actor.id, self.session.departments,
                        source=self.session.take_opening_queue(), id="queue")
        yield HistoryPane(self.session, id="history")
        yield KbPane(self.session, id="kb")
        yield GoodwillPane(self.session, id="goodwill")
        yield WorkspaceFooter()

    def _title(self) -> Content:
        actor = self.session.actor
        return Content.assemble(("deskterm", "bold"), f"  {actor.name} ",
                                (f"@{actor.handle} · {actor.role.label}", "dim"))

    def on_language_changed(self, event: LanguageChanged) -> None:
        self.query_one("#topbar-title", Static).update(self._title())

    def on_mount(self) -> None:
        desk_app(self).data_changed.subscribe(self, self._data_changed)
        self.panes[0].activate()
        show_aside(self.panes[1:], self.panes[1])
        self.watch(self.queue.table, "showing", self._started)

    def on_resize(self, event: events.Resize) -> None:
        fit_to(self, event.size)  # narrow and short terminals: see screens/narrow.py

    def _started(self, showing: Showing | None) -> None:
        """The queue's first rows are in: once they are painted, `_after_first_frame`.

        Queued behind the paint and then behind whatever else waited for that paint
        (`call_later`): the work it begins is not part of the first frame.
        """
        if showing is not None and not self._shown_once:
            self._shown_once = True
            self.call_after_refresh(self.call_later, self._after_first_frame)

    def _after_first_frame(self) -> None:
        """What the first frame does without, begun once it has painted the queue's rows:
        the database stack, loaded by one worker (ui.stack), then the collector, the mood
        trend's read, the announcer, the watch on the store and sync. Each works in a
        worker, which would otherwise compete with the first frame for the interpreter."""
        stack.arm()
        if stack.loaded():
            self._beside_the_queue()
        else:
            self._load_stack()

    @work(thread=True, exclusive=True, group="stack", exit_on_error=False)
    def _load_stack(self) -> None:
        stack.load()

    @on(Worker.StateChanged)
    def _stack_loaded(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "stack" and event.state in (WorkerState.SUCCESS,
                                                             WorkerState.ERROR):
            event.stop()
            self._beside_the_queue()  # failed, each part says so in its own words

    def _beside_the_queue(self) -> None:
        settle_collector()
        self.query_one(MoodTrend).reload()
        self.query_one(KbPane).first_load()
        self.query_one(GoodwillPane).first_load()
        desk_app(self).workspace_shown(self.session)

    @property
    def panes(self) -> list[Pane]:
        return list(self.query(Pane))

    @property
    def queue(self) -> QueuePane:
        return self.query_one(QueuePane)

    def current_ticket(self) -> TicketRow | None:
        """The ticket under the queue's cursor (the other panes follow it a moment later)."""
        return self.queue.table.current or self.queue.selected

    # -- panes follow the queue ----------------------------------------------------------

    @on(TicketSelected)
    def _selected(self, event: TicketSelected) -> None:
        for pane in (self.query_one(HistoryPane), self.query_one(KbPane),
                     self.query_one(GoodwillPane)):
            pane.show_ticket(event.ticket)

    @on(TicketOpened)
    def _opened(self, event: TicketOpened) -> None:
        desk_app(self).open_ticket(event.ticket_id)

    def _data_changed(self, change: DataChanged) -> None:
        if change.touches("ticket", "customer", "contact", "promise_event"):
            self.queue.table.refresh_data()
        if change.touches("department"):  # one may arrive by sync: its view follows
            self.queue.reload_departments()
        for pane in (self.query_one(HistoryPane), self.query_one(KbPane),
                     self.query_one(GoodwillPane)):
            pane.data_changed(change)
        if change.touches("mood_entry"):
            self.query_one(MoodTrend).reload()

    # -- moving between panes ------------------------------------------------------------

    def _focused_pane(self) -> int:
        focused = self.focused
        for index, pane in enumerate(self.panes):
            if focused is not None and (focused is pane or pane in focused.ancestors):
                return index
        return 0

    def action_jump(self, index: int) -> None:
        if self.maximized is not None:
            self.minimize()
        if index:  # narrow, the side pane gone to is the one shown
            show_aside(self.panes[1:], self.panes[index])
        self.panes[index].activate()

    def action_next_pane(self) -> None:
        self.action_jump((self._focused_pane() + 1) % len(self.panes))

    def action_previous_pane(self) -> None:
        self.action_jump((self._focused_pane() - 1) % len(self.panes))

    def action_toggle_maximize(self) -> None:
        if self.maximized is not None:
            self.minimize()
            return
        pane = self.panes[self._focused_pane()]
        self.maximize(pane, container=False)

    def action_search(self) -> None:
        self.panes[self._focused_pane()].action_search()

    # -- the command palette -------------------------------------------------------------

    def palette_commands(self) -> list[PaletteCommand]:
        queue = self.queue

        def key(binding_id: str) -> str:
            found = bound_key(queue, binding_id)
            return found[0] if found else "—"

        # TRANSLATORS: {next} and {previous} are keys, e.g. "] · next view, [ · previous".
        views = _("{next} · next view, {previous} · previous").format(
            next=key("queue.next_view"), previous=key("queue.previous_view"))
        sorts = _("{next} · next sort, {reverse} · reverse").format(
            next=key("queue.next_sort"), reverse=key("queue.reverse_sort"))
        return [
            *binding_commands(self, translated(TICKET_ACTIONS)),
            *binding_commands(queue.table, translated(TABLE_ACTIONS)),
            *binding_commands(queue, translated(QUEUE_ACTIONS)),
            *(PaletteCommand(_("Queue view: {view}").format(view=choice.label), views,
                             partial(queue.show_view, choice.view, choice.department_id))
              for choice in view_choices(self.session.departments)),
            *(PaletteCommand(_("Sort queue by {column}").format(column=_(column.label)), sorts,
                             partial(queue.sort_by, column.sort)) for column in COLUMNS),
            *binding_commands(self.query_one(KbPane), translated(KB_ACTIONS)),
            *binding_commands(self, translated(WORKSPACE_ACTIONS)),
            self._mood_trend_command(),
        ]

    def _mood_trend_command(self) -> PaletteCommand:
        """The agent's own mood trend in the top bar: off unless they turn it on."""
        trend = self.query_one(MoodTrend)
        if trend.shown:
            return PaletteCommand(_("Hide my mood from the header"),
                                  _("the mood view (m) still shows your trend"),
                                  partial(trend.show, False))
        return PaletteCommand(_("Show my mood in the header"),
                              _("your own 30-day trend in the top bar, where whoever sees "
                                "your screen sees it too; remembered"),
                              partial(trend.show, True))
