"""What the ticket and kudos forms share: their ticket, data read before the fields fill, Enter."""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from textual import on, work
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Input, Label
from textual.worker import Worker, WorkerState

from deskterm.domain import Agent
from deskterm.domain.errors import DeskError
from deskterm.i18n import _
from deskterm.services.context import ServiceContext
from deskterm.services.org import list_agents
from deskterm.store.queries import TicketRow
from deskterm.ui.forms.base import FormScreen
from deskterm.ui.session import DeskSession

ResultT = TypeVar("ResultT")


class DeskForm(FormScreen[ResultT]):
    """A form acting for the session's agent, on `ticket` (the one selected) when there is one.

    A form whose fields need data first sets `LOADS` and implements `load()` (run in a
    worker) and `loaded(data)` (fills the fields); Save stays disabled until then.
    Enter in a text box moves to the next field, and saves from the last one.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "next_field", show=False, priority=True, id="form.next_field"),
    ]
    LOADS: ClassVar[bool] = False
    #: The first field takes focus (not the scrolling box around the fields).
    AUTO_FOCUS = "#form-fields *"

    DEFAULT_CSS = """
    DeskForm .field-row { height: auto; margin-top: 1; }
    DeskForm .field-row > Vertical { width: 1fr; height: auto; margin-right: 1; }
    DeskForm .field-row Label { color: $text-muted; }
    DeskForm TextArea { height: 5; }
    DeskForm RadioSet { layout: horizontal; width: 100%; }
    DeskForm RadioSet > RadioButton { margin-right: 2; }
    """

    def __init__(self, session: DeskSession, ticket: TicketRow | None = None) -> None:
        super().__init__()
        self.session = session
        self.ticket = ticket

    @property
    def ctx(self) -> ServiceContext:
        return self.session.ctx

    @property
    def ticket_ref(self) -> str:
        """The ticket's id, for service calls (only on forms that require a ticket)."""
        assert self.ticket is not None
        return self.ticket.id

    def load(self) -> Any:
        return None

    def loaded(self, data: Any) -> None:
        """Fill the fields from what `load()` read."""

    def on_mount(self) -> None:
        # Tab goes from field to field; the box around them scrolls to the focused one.
        self.query_one("#form-fields").can_focus = False
        if self.LOADS:
            self.query_one("#form-submit", Button).disabled = True
            self._preload()

    @work(thread=True, exclusive=True, group="form-load", exit_on_error=False)
    def _preload(self) -> Any:
        return self.load()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "form-load":
            return
        event.stop()
        if event.state == WorkerState.SUCCESS:
            self.loaded(event.worker.result)
            self.remember_opening()  # what it read in is not the agent's typing
            self.query_one("#form-submit", Button).disabled = False
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            self.show_error(error.message if isinstance(error, DeskError)
                            else _("could not read what this form needs: {error}").format(
                                error=error))

    def action_submit(self) -> None:
        if not self.query_one("#form-submit", Button).disabled:  # loading, or saving
            super().action_submit()

    def action_next_field(self) -> None:
        """Enter in a text box: on to the next field, or save from the last one.

        A priority binding, so focus moves while the app handles the key: a key typed right
        after Enter lands in the next field, never in the one being left (an Input's own
        Submitted message would arrive after keys already on their way to it).
        """
        focused = self.focused
        if not isinstance(focused, Input):
            raise SkipAction()  # a button, a list, a text area: Enter is theirs
        self._on_from(focused)

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        """The same for a form that binds Enter itself (the mood's Enter saves)."""
        event.stop()
        self._on_from(event.input)

    def _on_from(self, field: Input) -> None:
        chain = self.focus_chain
        index = chain.index(field) if field in chain else -1
        following = chain[index + 1] if 0 <= index < len(chain) - 1 else None
        if following is None or isinstance(following, Button):  # the last field
            self.action_submit()
        else:
            self.set_focus(following)


def field_row(*fields: tuple[str, Widget]) -> Horizontal:
    """Short fields side by side, each under its label."""
    return Horizontal(*(Vertical(Label(label), widget) for label, widget in fields),
                      classes="field-row")


def active_agents(session: DeskSession) -> list[Agent]:
    """The agents who may own tickets or receive kudos, by handle. Reads: call in a worker."""
    return [agent for agent, _team in list_agents(session.store) if agent.active]


def agent_options(agents: list[Agent]) -> list[tuple[str, str]]:
    return [(f"{agent.handle} · {agent.name}", agent.handle) for agent in agents]
