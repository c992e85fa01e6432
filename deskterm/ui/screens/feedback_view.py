"""Your feedback: what your customers said about the tickets you owned, only for you.

The unhappy responses (CSAT 1-2, or with a comment) not yet followed up come first.
Enter opens the ticket; `c` follows one up: it opens the ticket and the follow-up form,
which logs the contact with the customer and marks the response followed up. Beside the
list, your own 8-week trend: your self-ratings next to your customers' CSAT (your
self-ratings reach no one else; a week where you rated well above them stands out).
A lead's screens show only the team's count of responses still to follow up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from deskterm.domain.clock import utcnow
from deskterm.i18n import N_, _, ngettext
from deskterm.i18n.formats import number
from deskterm.services.feedback_loop import Response, TrendWeek, my_feedback, my_trend
from deskterm.ui.commands import ActionEntry
from deskterm.ui.messages import DataChanged
from deskterm.ui.screens.feedback_parts import response_card, trend_lines
from deskterm.ui.screens.people_screen import PeopleScreen
from deskterm.ui.session import DeskSession
from deskterm.ui.typed import desk_app, worker_result


@dataclass(frozen=True)
class OwnFeedback:
    responses: list[Response]
    trend: list[TrendWeek]
    now: datetime


class FeedbackScreen(PeopleScreen):
    """Your customers' responses, unhappy first, and your own trend beside them."""

    CSS_PATH = "feedback_view.tcss"

    BINDINGS = [
        Binding("c", "follow_up", N_("Follow up"), id="feedback.follow_up",
                tooltip=N_("open the ticket, log the contact, mark the response followed up")),
        Binding("enter", "open", N_("Open ticket"), id="feedback.open"),
    ]
    ACTIONS: tuple[ActionEntry, ...] = (
        ("feedback.follow_up", N_("Follow up the response"),
         N_("open the ticket, log the contact with the customer, mark it followed up")),
        ("feedback.open", N_("Open the response's ticket"),
         N_("the ticket the customer answered on")),
    )

    def __init__(self, session: DeskSession) -> None:
        super().__init__(session)
        self.own: OwnFeedback | None = None

    def compose(self) -> ComposeResult:
        yield Static(_("Your feedback · only you see this"), id="feedback-title")
        with Horizontal(id="feedback-columns"):
            yield OptionList(id="feedback-list")
            yield Static(_("No customer feedback on your tickets yet."), id="feedback-empty")
            trend = Static(_("reading…"), id="feedback-trend")
            trend.border_title = _("You beside your customers, {count} weeks").format(
                count=number(8))
            yield trend
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#feedback-empty").display = False
        self.listing.focus()
        self._load()

    def on_screen_resume(self) -> None:
        if self.own is not None:  # back from the ticket or the follow-up: read again
            self._load()

    @property
    def listing(self) -> OptionList:
        return self.query_one("#feedback-list", OptionList)

    @property
    def current(self) -> Response | None:
        index = self.listing.highlighted
        if self.own is None or index is None:
            return None
        option_id = self.listing.get_option_at_index(index).id
        return next((r for r in self.own.responses if r.feedback.id == option_id), None)

    def data_changed(self, change: DataChanged) -> None:
        if change.touches("feedback", "feedback_follow_up", "contact", "ticket"):
            self._load()

    @work(thread=True, exclusive=True, group="own-feedback", exit_on_error=False)
    def _load(self) -> OwnFeedback:
        ctx = self.session.ctx
        return OwnFeedback(my_feedback(ctx), my_trend(ctx), utcnow())

    @on(Worker.StateChanged)
    def _loaded(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "own-feedback" and event.state == WorkerState.SUCCESS:
            self._show(worker_result(event.worker, OwnFeedback))

    def _show(self, own: OwnFeedback) -> None:
        kept = self.current.feedback.id if self.current else None
        self.own = own
        listing = self.listing
        listing.clear_options()
        options: list[Option | None] = []
        for response in own.responses:
            options += [Option(response_card(response, own.now), id=response.feedback.id), None]
        listing.add_options(options[:-1])
        ids = [r.feedback.id for r in own.responses]
        if ids:
            listing.highlighted = listing.get_option_index(kept) if kept in ids else 0
        listing.display = bool(ids)
        self.query_one("#feedback-empty").display = not ids
        self.query_one("#feedback-trend", Static).update(trend_lines(own.trend))
        waiting = sum(1 for r in own.responses if r.unhappy and r.followed_up_at is None)
        self.query_one("#feedback-title", Static).update(Content.assemble(
            (_("Your feedback"), "bold"), " · ", _("only you see this"), " · ",
            (ngettext("{count} to follow up", "{count} to follow up", waiting).format(
                count=number(waiting)), "bold $text-warning") if waiting
            else (_("nothing to follow up"), "$text-success")))
        self.refresh_bindings()

    @on(OptionList.OptionSelected, "#feedback-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        if self.current is not None:
            desk_app(self).open_ticket(self.current.feedback.ticket_id)

    def action_follow_up(self) -> None:
        response = self.current
        if response is None:
            return
        if response.followed_up_at is not None:
            self.notify(_("{key} is already followed up").format(key=response.ticket_key),
                        severity="information")
            return
        from deskterm.ui.forms.follow_up import FollowUpForm

        desk_app(self).open_ticket(response.feedback.ticket_id)
        self.app.push_screen(FollowUpForm(self.session, response))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open", "follow_up"):
            return self.current is not None
        return True
