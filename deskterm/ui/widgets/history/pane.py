"""The customer pane: card, repeat-contact banner, promises not kept yet, goodwill given,
open tickets, contacts.

It follows the queue's selection. Reads run in an exclusive thread worker, so a cursor
racing down the queue cancels the reads it overtakes instead of piling them up; while a
new customer loads, only their name and a dim "loading…" show, never the last customer's
history under the new name.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from deskterm.domain.clock import utcnow
from deskterm.domain.errors import DeskError
from deskterm.i18n import N_, _, ngettext
from deskterm.i18n.formats import number
from deskterm.store.queries import TicketRow
from deskterm.ui import stack
from deskterm.ui.messages import DataChanged
from deskterm.ui.ticking import follow_clock
from deskterm.ui.typed import worker_result
from deskterm.ui.widgets.pane import Pane

if TYPE_CHECKING:
    from deskterm.ui.session import DeskSession
    from deskterm.ui.widgets.history.loader import LoadedHistory

#: The sections below the card, in the order they show; hidden while nothing is loaded.
SECTIONS = ("#history-banner", "#history-promises", "#history-goodwill", "#history-tickets",
            "#history-contacts")
#: What an entity change must name for this pane to re-read.
WATCHED = ("contact", "ticket", "customer", "goodwill_entry", "promise_event", "mail_delivery",
           "mail_attachment")


def plain(content: str | Content) -> Content:
    """Text as it is: customers' notes and reasons may hold `[`, which is not markup here."""
    return Content(content) if isinstance(content, str) else content


class HistoryPane(Pane):
    """Pane 2: the selected ticket's customer and their whole contact history."""

    PANE_TITLE = N_("Customer")
    PANE_KEY = "2"
    # Textual reads CSS_PATH only on apps and screens; a widget's file becomes its default CSS.
    DEFAULT_CSS = Path(__file__).with_name("pane.tcss").read_text(encoding="utf-8")

    BINDINGS = [
        Binding("c", "log_contact", N_("Log contact"), id="history.log_contact"),
        Binding("E", "erase_customer", N_("Erase customer"), id="history.erase_customer",
                tooltip=N_("leads: erase this customer's personal data (AVG/GDPR)")),
    ]

    def __init__(self, session: DeskSession, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session
        self.ticket: TicketRow | None = None
        self.view: LoadedHistory | None = None
        self._generation = 0

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="history-scroll"):
            yield Static(_("Select a ticket to see its customer."), id="history-card")
            yield Static(id="history-banner")
            yield Static(id="history-promises")
            yield Static(id="history-goodwill")
            yield Static(id="history-tickets")
            yield Static(id="history-contacts")

    def on_mount(self) -> None:
        # Pane.on_mount runs too: Textual calls the handler of every class in the MRO.
        self._hide_sections()
        follow_clock(self, self._tick)

    def _tick(self) -> None:
        """What is shown, drawn against the clock again from the history held (it is not
        read again for that): "… ago" and ages grow, a promise due soon becomes broken."""
        if self.view is not None:
            self.view = replace(self.view, now=utcnow())
            self._draw(self.view)

    @property
    def primary(self) -> Widget:
        return self.query_one("#history-scroll")

    # -- following the queue -------------------------------------------------------------

    def show_ticket(self, ticket: TicketRow | None) -> None:
        """The queue's selection changed: show that ticket's customer."""
        had_ticket = self.ticket is not None
        self.ticket = ticket
        if had_ticket != (ticket is not None):
            # Only when `c` turns on or off: rebuilding the footer on every cursor stop
            # costs time and, through Textual's footer bindings, memory.
            self.refresh_bindings()
        if ticket is None:
            self._generation += 1
            self.view = None
            self._card(_("Select a ticket to see its customer."))
            self._hide_sections()
            self.set_subtitle("")
            return
        if self.view is not None and self.view.customer.id == ticket.customer_id:
            self._draw(self.view)  # the same customer: only "other open tickets" moves
            return
        self.view = None
        self._card(Content.assemble((ticket.customer, "bold"), "\n",
                                    (_("loading…"), "$text-muted")))
        self._hide_sections()
        self._reload()

    def language_changed(self) -> None:
        if self.ticket is None:
            self._card(_("Select a ticket to see its customer."))
        self.data_changed(DataChanged())

    def data_changed(self, change: DataChanged) -> None:
        """Re-read after a write that may change what shows (no "loading…" flash)."""
        if self.ticket is not None and change.touches(*WATCHED):
            self._reload()

    def _reload(self) -> None:
        if self.ticket is not None:
            self._generation += 1
            self._load(self._generation, self.ticket.customer_id)

    @work(thread=True, exclusive=True, group="history-load", exit_on_error=False)
    def _load(self, generation: int, customer_id: str) -> tuple[int, LoadedHistory]:
        stack.load()  # may run before the first frame is up (ui.stack)
        from deskterm.ui.widgets.history.loader import load_history

        return generation, load_history(self.session, customer_id)

    @on(Worker.StateChanged)
    def _loaded(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "history-load":
            return
        if event.state == WorkerState.SUCCESS:
            generation, view = worker_result(worker, tuple)
            if generation == self._generation:
                self.view = view
                self._draw(view)
        elif event.state == WorkerState.ERROR:
            error = worker.error
            if isinstance(error, DeskError):
                event.stop()  # e.g. the customer was deleted meanwhile: say so here
                self._card(Content.styled(error.message, "$error"))
            else:
                self._card(Content.styled(_("Could not read this customer's history."),
                                          "$error"))  # the app notifies the details
            self._hide_sections()

    # -- drawing -------------------------------------------------------------------------

    def _draw(self, view: LoadedHistory) -> None:
        from deskterm.services.contacts import REPEAT_WINDOW
        from deskterm.ui.widgets.history import lines

        selected = self.ticket.id if self.ticket else None
        self._card(lines.card(view.customer))
        self._section("#history-banner", lines.repeat_banner(view))
        self._section("#history-promises", lines.promise_lines(view))
        self._section("#history-goodwill", lines.goodwill_given(view))
        self._section("#history-tickets", lines.other_open_tickets(view, selected))
        self._section("#history-contacts", lines.contact_lines(
            view, me=self.session.actor.id, selected_id=selected))
        found = view.history
        # TRANSLATORS: the customer pane's subtitle: "12 contacts · 3 in 7d" (days).
        self.set_subtitle(ngettext("{count} contact · {recent} in {days}d",
                                   "{count} contacts · {recent} in {days}d",
                                   found.total_contacts).format(
            count=number(found.total_contacts), recent=number(found.contacts_last_7_days),
            days=REPEAT_WINDOW.days))

    def _card(self, content: str | Content) -> None:
        self.query_one("#history-card", Static).update(plain(content))

    def _section(self, selector: str, content: str | Content | None) -> None:
        widget = self.query_one(selector, Static)
        widget.display = content is not None
        if content is not None:
            widget.update(plain(content))

    def _hide_sections(self) -> None:
        for selector in SECTIONS:
            self.query_one(selector, Static).display = False

    # -- keys ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "log_contact":
            return True if self.ticket is not None else None
        if action == "erase_customer":
            return True if self.view is not None else None
        return True

    def action_log_contact(self) -> None:
        """`c`: log a contact about the selected ticket."""
        from deskterm.ui.forms.contact import LogContactForm

        if self.ticket is not None:
            self.app.push_screen(LogContactForm(self.session, self.ticket))

    def action_erase_customer(self) -> None:
        """`E`: erase the shown customer's personal data (leads and admins), after a
        dialog that shows what goes and asks why."""
        from deskterm.ui.widgets.history.erase import EraseCustomerForm

        if self.view is None:
            return
        customer = self.view.customer
        if not self.session.actor.is_lead:
            self.notify(_("Only a team lead or admin may erase a customer's personal data."),
                        severity="error")
        elif customer.erased_at is not None:
            self.notify(_("This customer's personal data is already erased."))
        else:
            self.app.push_screen(EraseCustomerForm(self.session, customer.id, customer.name))
