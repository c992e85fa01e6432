"""Rejected changes: what the server refused, shown in full, until the agent decides.

Sync never drops a refused change (sync.rejected): each stays here with the server's
reason and everything it held, as the agent typed it. `c` copies one into a new change
(when what made the server refuse has passed: a top-up, a ticket back), `d` discards
one after asking. The same list is `deskterm rejected list` on the command line.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from deskterm.i18n import N_, _
from deskterm.i18n.formats import number
from deskterm.present import local_time
from deskterm.sync.replica import RejectedChange
from deskterm.ui.commands import ActionEntry
from deskterm.ui.language import TranslatedBindings
from deskterm.ui.messages import DataChanged
from deskterm.ui.screens.people_screen import PeopleScreen
from deskterm.ui.session import DeskSession
from deskterm.ui.typed import desk_app, worker_result
from deskterm.ui.widgets.title_bar import TitleBar

LIMIT = 200


def card(change: RejectedChange) -> Content:
    """What it was, why it was refused, and every field it held, as typed."""
    from deskterm.sync.rejected import short_id

    lines = [
        Content.assemble(("✗ ", "$text-error"), (change.entity.replace("_", " "), "bold"),
                         (f"  {short_id(change)}", "$text-muted"),
                         (f"  · {local_time(change.answered_at)}", "$text-muted")),
        Content.assemble((_("refused:") + " ", "$text-muted"), (change.reason, "$text-error"),
                         (f" ({change.code})", "$text-muted")),
    ]
    for name, value in change.fields.items():
        if value in (None, "", []) or name == "id":
            continue
        lines.append(Content.assemble((f"  {name.replace('_', ' ')}: ", "$text-muted"),
                                      str(value)))
    return Content("\n").join(lines)


class DiscardQuestion(TranslatedBindings, ModalScreen[bool]):
    """Asks before a rejected change is let go: the only way its content leaves."""

    DEFAULT_CSS = """
    DiscardQuestion { align: center middle; }
    DiscardQuestion > Vertical { width: 60; height: auto; border: thick $error;
                                 background: $surface; padding: 1 2; }
    DiscardQuestion Horizontal { height: auto; margin-top: 1; }
    DiscardQuestion Button { margin-right: 2; }
    """
    BINDINGS = [Binding("escape", "keep", N_("Keep it"), id="rejected.keep")]

    def __init__(self, what: Content) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content.assemble((_("Discard this rejected change?") + "\n", "bold"),
                                          self.what))
            with Horizontal():
                yield Button(_("Keep it"), id="keep", variant="primary")
                yield Button(_("Discard"), id="discard", variant="error")
        yield Footer()  # the question's own keys, not the list's below it

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    @on(Button.Pressed)
    def _answer(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "discard")

    def action_keep(self) -> None:
        self.dismiss(False)


class RejectedScreen(PeopleScreen):
    """The list; `c` copies the highlighted change into a new one, `d` discards it."""

    DEFAULT_CSS = """
    RejectedScreen #rejected-title { padding: 0 1; background: $panel; }
    RejectedScreen #rejected-list { height: 1fr; }
    RejectedScreen #rejected-empty { padding: 1 2; color: $text-muted; }
    """
    BINDINGS = [
        Binding("c", "copy", N_("Copy into a new change"), id="rejected.copy"),
        Binding("d", "discard", N_("Discard"), id="rejected.discard"),
    ]
    ACTIONS: tuple[ActionEntry, ...] = (
        ("rejected.copy", N_("Copy the rejected change"),
         N_("write it again, now, as a new change")),
        ("rejected.discard", N_("Discard the rejected change"), N_("let it go (asks first)")),
    )

    def __init__(self, session: DeskSession) -> None:
        super().__init__(session)
        self.changes: list[RejectedChange] = []

    def compose(self) -> ComposeResult:
        yield TitleBar(Static(_("Rejected changes"), id="rejected-title"))
        yield OptionList(id="rejected-list")
        yield Static(_("Nothing was rejected: every change you made reached the server."),
                     id="rejected-empty")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#rejected-empty").display = False
        self.listing.focus()
        self._load()

    @property
    def listing(self) -> OptionList:
        return self.query_one("#rejected-list", OptionList)

    @property
    def current(self) -> RejectedChange | None:
        index = self.listing.highlighted
        return self.changes[index] if index is not None and index < len(self.changes) else None

    def data_changed(self, change: DataChanged) -> None:
        self._load()  # any sync round may have rejected something

    @work(thread=True, exclusive=True, group="rejected-list", exit_on_error=False)
    def _load(self) -> list[RejectedChange]:
        from deskterm.sync.replica import rejected_changes

        return rejected_changes(self.session.store, limit=LIMIT)

    @on(Worker.StateChanged)
    def _loaded(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "rejected-list" and event.state == WorkerState.SUCCESS:
            self._show(worker_result(event.worker, list))

    def _show(self, changes: list[RejectedChange]) -> None:
        kept = self.current.mutation_id if self.current else None
        self.changes = changes
        listing = self.listing
        listing.clear_options()
        listing.add_options([Option(card(c), id=c.mutation_id) for c in changes])
        ids = [c.mutation_id for c in changes]
        if ids:
            listing.highlighted = ids.index(kept) if kept in ids else 0
        self.query_one("#rejected-empty").display = not ids
        listing.display = bool(ids)  # the empty list would push the message off the screen
        self.query_one("#rejected-title", Static).update(Content.assemble(
            (_("Rejected changes"), "bold"), f" · {number(len(ids))} · ",
            # TRANSLATORS: c and d are the keys; they stay as they are.
            _("c copy into a new change · d discard")))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("copy", "discard"):
            return self.current is not None
        return True

    def action_copy(self) -> None:
        if self.current is not None:
            self._copy(self.current.mutation_id)

    @work(thread=True, exclusive=True, group="rejected-act", exit_on_error=False)
    def _copy(self, mutation_id: str) -> str:
        from deskterm.sync.rejected import copy

        copy(self.session.ctx, mutation_id)
        return _("Copied into a new change: it goes up with the next sync")

    def action_discard(self) -> None:
        change = self.current
        if change is None:
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self._discard(change.mutation_id)

        self.app.push_screen(DiscardQuestion(card(change)), answered)

    @work(thread=True, exclusive=True, group="rejected-act", exit_on_error=False)
    def _discard(self, mutation_id: str) -> str:
        from deskterm.sync.rejected import discard

        discard(self.session.store, mutation_id)
        return _("Discarded")

    @on(Worker.StateChanged)
    def _acted(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "rejected-act":
            return
        if event.state == WorkerState.SUCCESS:
            self.notify(str(event.worker.result), title=_("Rejected changes"))
            desk_app(self).changed("outbox", "goodwill_entry", "ticket", "contact",
                             "customer", "kb_article", "mood_entry", "kudos")
