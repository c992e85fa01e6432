"""The ticket in full: description, trail, linked articles, escalation with its owner."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.visual import VisualType
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from deskterm.domain.clock import utcnow
from deskterm.i18n import N_, _
from deskterm.services.feedback_loop import Response, ticket_responses
from deskterm.services.org import list_agents
from deskterm.services.replies import MailState, mail_states
from deskterm.services.ticket_views import TicketDetail, ticket_detail
from deskterm.store.queries import TicketRow
from deskterm.ui.commands import PaletteCommand, binding_commands
from deskterm.ui.forms.article import ArticleFromTicketForm
from deskterm.ui.forms.reply import ReplyForm
from deskterm.ui.messages import DataChanged
from deskterm.ui.screens import ticket_parts as parts
from deskterm.ui.screens.feedback_parts import ticket_section
from deskterm.ui.screens.ticket_actions import TICKET_ACTIONS, TicketActionScreen, translated
from deskterm.ui.session import DeskSession
from deskterm.ui.ticking import follow_clock
from deskterm.ui.typed import desk_app
from deskterm.ui.widgets.title_bar import TitleBar

#: Entities whose change may show on this screen.
SHOWN = ("ticket", "ticket_event", "ticket_article", "contact", "customer", "kb_article",
         "feedback", "feedback_follow_up", "mail_delivery", "mail_attachment")
#: Each section's heading (its border title), by the part of its id after `ticket-`.
SECTIONS = (("escalation", N_("Escalated")), ("description", N_("Description")),
            ("resolution", N_("Resolution")), ("trail", N_("Trail, newest first")),
            ("articles", N_("Linked articles")), ("contacts", N_("Contacts")),
            ("feedback", N_("Customer feedback")))
#: The screen's own keys, as the palette lists them: (binding id, title, help).
TICKET_SCREEN_ACTIONS = (
    ("ticket.back", N_("Back to the workspace"), N_("close the ticket")),
    ("ticket.write_article", N_("Write an article from this ticket"),
     N_("a KB draft from its subject, description and solution")),
    ("ticket.reply", N_("Reply by mail"),
     N_("answer the customer by mail, with a canned answer and their last mail quoted")),
)


class TicketScreen(TicketActionScreen):
    """One ticket, read in a worker and re-read whenever the store changes under it."""

    CSS_PATH = "ticket.tcss"

    BINDINGS = [
        Binding("escape", "back", N_("Back"), tooltip=N_("to the workspace"),
                id="ticket.back"),
        Binding("w", "write_article", N_("Write article"), id="ticket.write_article",
                tooltip=N_("a KB article drafted from this ticket, linked to it")),
        # `M`: one meaning per key (`m` is the mood view everywhere).
        Binding("M", "reply", N_("Reply by mail"), id="ticket.reply",
                tooltip=N_("answer the customer by mail, with a canned answer and their "
                           "last mail quoted")),
    ]

    def __init__(self, session: DeskSession, ticket_id: str) -> None:
        super().__init__(session)
        self.ticket_id = ticket_id
        self.detail: TicketDetail | None = None
        self._responses: list[Response] | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar(Static(_("Opening the ticket…"), id="ticket-title"))
        with VerticalScroll(id="ticket-body"):
            yield Static(id="ticket-facts")
            for name, heading in SECTIONS:
                section = Static(id=f"ticket-{name}", classes="section")
                section.border_title = _(heading)  # here: a recompose says it anew
                yield section
        yield Footer()

    def on_mount(self) -> None:
        desk_app(self).data_changed.subscribe(self, self._data_changed)
        self.query_one("#ticket-body").focus()
        self._load()
        follow_clock(self, self._tick)

    def on_unmount(self) -> None:
        desk_app(self).data_changed.unsubscribe(self)  # else the signal keeps it (letting_go.py)

    def current_ticket(self) -> TicketRow | None:
        return parts.row_of(self.detail) if self.detail else None

    def action_back(self) -> None:
        self.dismiss()

    def action_write_article(self) -> None:
        """The article form, prefilled from this ticket; saving links it to the ticket."""
        if ticket := self.current_ticket():
            self.app.push_screen(ArticleFromTicketForm(self.session, ticket))
        else:
            self.notify(_("The ticket is still being read"), severity="warning")

    def action_reply(self) -> None:
        """The reply editor: a mail to the customer, queued like any change."""
        if ticket := self.current_ticket():
            self.app.push_screen(ReplyForm(self.session, ticket))
        else:
            self.notify(_("The ticket is still being read"), severity="warning")

    # -- reading -------------------------------------------------------------------------

    def _data_changed(self, change: DataChanged) -> None:
        if change.touches(*SHOWN):
            self._load()

    @work(thread=True, exclusive=True, group="ticket-detail", exit_on_error=False)
    def _load(self) -> None:
        store = self.session.store
        detail = ticket_detail(store, self.ticket_id)
        handles = {agent.id: agent.handle for agent, _team in list_agents(store)}
        responses = ticket_responses(store, detail.ticket.id)
        mails = mail_states(store, detail.contacts)
        self.app.call_from_thread(self._show, detail, handles, mails)
        self.app.call_from_thread(self._show_feedback, responses)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Besides the notification (TicketActionScreen's handler), say so on the screen."""
        if event.worker.group == "ticket-detail" and event.state == WorkerState.ERROR \
                and self.detail is None:
            self.query_one("#ticket-title", Static).update(
                _("This ticket could not be opened. Press Escape to go back."))

    def _show(self, detail: TicketDetail, handles: dict[str, str],
              mails: dict[str, MailState]) -> None:
        if not self.is_attached:  # closed while it was read
            return
        self.detail = detail
        self.query_one("#ticket-title", Static).update(parts.title(detail))
        self._show_times(detail)
        self._section("description", parts.description(detail))
        self._section("resolution", parts.resolution(detail))
        self._section("trail", parts.trail(detail, handles))
        self._section("articles", parts.articles(detail))
        self._section("contacts", parts.contacts(detail, handles, mails))
        self.refresh_bindings()

    def _show_times(self, detail: TicketDetail) -> None:
        """The parts that say "… ago", against the clock as it reads now."""
        now = utcnow()
        self.query_one("#ticket-facts", Static).update(parts.facts(detail, now))
        self._section("escalation", parts.escalation(detail, now))

    def _show_feedback(self, responses: list[Response]) -> None:
        if self.is_attached:
            self._responses = responses
            self._section("feedback", ticket_section(responses, utcnow()))

    def _tick(self) -> None:
        """The "… ago" texts drawn again from what was read (nothing is read for that)."""
        if self.detail is not None:
            self._show_times(self.detail)
        if self._responses is not None:
            self._show_feedback(self._responses)

    def _section(self, name: str, content: VisualType | None) -> None:
        section = self.query_one(f"#ticket-{name}", Static)
        section.display = content is not None
        if content is not None:
            section.update(content)

    # -- the command palette -------------------------------------------------------------

    def palette_commands(self) -> list[PaletteCommand]:
        return [
            *binding_commands(self, translated(TICKET_ACTIONS)),
            *binding_commands(self, translated(TICKET_SCREEN_ACTIONS)),
        ]
