"""Follow up a customer's feedback: log the contact with them and mark the response done."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.widgets import Label, Select, Static, TextArea

from deskterm.domain import FeedbackFollowUp
from deskterm.domain.enums import Channel
from deskterm.domain.errors import InvalidInput
from deskterm.i18n import N_, _
from deskterm.services.feedback_loop import Response, follow_up
from deskterm.ui.forms.common import DeskForm
from deskterm.ui.forms.labels import channel_options
from deskterm.ui.session import DeskSession


class FollowUpForm(DeskForm[FeedbackFollowUp]):
    """The follow-up of one response: how you reached the customer and what you said."""

    TITLE = N_("Follow up")
    SUBMIT_LABEL = N_("Log and mark followed up")
    CHANGES = ("contact", "ticket", "feedback_follow_up")

    DEFAULT_CSS = """
    FollowUpForm #follow-up-about { color: $text-muted; }
    FollowUpForm #follow-up-summary { height: 6; }
    """

    def __init__(self, session: DeskSession, response: Response) -> None:
        super().__init__(session)
        self.response = response

    def fields(self) -> ComposeResult:
        feedback = self.response.feedback
        if feedback.comment:
            about = _("{key} · {customer} gave CSAT {csat}/5: “{comment}”")
        else:
            about = _("{key} · {customer} gave CSAT {csat}/5")
        yield Static(about.format(key=self.response.ticket_key, customer=self.response.customer,
                                  csat=feedback.csat, comment=feedback.comment),
                     id="follow-up-about", markup=False)
        yield Label(_("Channel"))
        yield Select(channel_options(), value=Channel.PHONE.value,
                     allow_blank=False, id="follow-up-channel")
        yield Label(_("What you told them"))
        yield TextArea(id="follow-up-summary", placeholder=_("called back, apologised, …"))

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#follow-up-summary", TextArea))

    def submit(self) -> Callable[[], FeedbackFollowUp]:
        channel = str(self.query_one("#follow-up-channel", Select).value)
        box = self.query_one("#follow-up-summary", TextArea)
        summary = box.text.strip()
        if not summary:
            box.focus()
            raise InvalidInput(_("write what you told the customer"))
        ctx, feedback_id = self.ctx, self.response.feedback.id
        return lambda: follow_up(ctx, feedback_id, summary=summary, channel=channel)

    def success_message(self, result: FeedbackFollowUp) -> str:
        return _("Followed up {key}: contact logged, response marked").format(
            key=self.response.ticket_key)
