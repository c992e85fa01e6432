"""The workspace: four panes that work as one, and the keys that drive them."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from deskterm.ui.messages import DataChanged, TicketOpened, TicketSelected
from deskterm.ui.session import DeskSession
from deskterm.ui.widgets.goodwill import GoodwillPane
from deskterm.ui.widgets.history import HistoryPane
from deskterm.ui.widgets.kb import KbPane
from deskterm.ui.widgets.pane import Pane
from deskterm.ui.widgets.queue import QueuePane


class WorkspaceScreen(Screen[None]):
    CSS_PATH = "workspace.tcss"

    BINDINGS = [
        Binding("tab", "next_pane", "Next pane", show=False, id="workspace.next_pane"),
        Binding("shift+tab", "previous_pane", "Previous pane", show=False,
                id="workspace.previous_pane"),
        Binding("1", "jump(0)", "Queue", show=False, id="workspace.pane_1"),
        Binding("2", "jump(1)", "Customer", show=False, id="workspace.pane_2"),
        Binding("3", "jump(2)", "KB", show=False, id="workspace.pane_3"),
        Binding("4", "jump(3)", "Goodwill", show=False, id="workspace.pane_4"),
        Binding("z", "toggle_maximize", "Maximize", id="workspace.maximize"),
    ]

    def __init__(self, session: DeskSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        actor = self.session.ctx.actor
        yield Static(f"[b]deskterm[/b]  {actor.name} [dim]@{actor.handle} · {actor.role.value}"
                     f"[/dim]", id="topbar", markup=True)
        yield QueuePane(self.session.store_path, actor.id, self.session.departments,
                        id="queue")
        yield HistoryPane(self.session, id="history")
        yield KbPane(self.session, id="kb")
        yield GoodwillPane(self.session, id="goodwill")
        yield Footer()

    def on_mount(self) -> None:
        self.app.data_changed.subscribe(self, self._data_changed)  # type: ignore[attr-defined]
        self.panes[0].activate()

    @property
    def panes(self) -> list[Pane]:
        return list(self.query(Pane))

    @property
    def queue(self) -> QueuePane:
        return self.query_one(QueuePane)

    # -- panes follow the queue ----------------------------------------------------------

    @on(TicketSelected)
    def _selected(self, event: TicketSelected) -> None:
        for pane in (self.query_one(HistoryPane), self.query_one(KbPane),
                     self.query_one(GoodwillPane)):
            pane.show_ticket(event.ticket)

    @on(TicketOpened)
    def _opened(self, event: TicketOpened) -> None:
        self.app.open_ticket(event.ticket_id)  # type: ignore[attr-defined]

    def _data_changed(self, change: DataChanged) -> None:
        if change.touches("ticket", "customer", "contact"):
            self.queue.table.refresh_data()
        for pane in (self.query_one(HistoryPane), self.query_one(KbPane),
                     self.query_one(GoodwillPane)):
            pane.data_changed(change)

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
