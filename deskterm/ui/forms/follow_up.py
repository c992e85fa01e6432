"""Follow up a customer's feedback: log the contact with them and mark the response done."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.widgets import Label, Select, Static, TextArea

from deskterm.domain import FeedbackFollowUp
from deskterm.domain.enums import Channel
from deskterm.domain.errors import InvalidInput
from deskterm.services.feedback_loop import Response, follow_up
from deskterm.ui.forms.common import DeskForm
from deskterm.ui.session import DeskSession


class FollowUpForm(DeskForm[FeedbackFollowUp]):
    """The follow-up of one response: how you reached the customer and what you said."""

    TITLE = "Follow up"
    SUBMIT_LABEL = "Log and mark followed up"
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
        said = f": “{feedback.comment}”" if feedback.comment else ""
        yield Static(f"{self.response.ticket_key} · {self.response.customer} gave "
                     f"CSAT {feedback.csat}/5{said}", id="follow-up-about", markup=False)
        yield Label("Channel")
        yield Select([(c.value, c.value) for c in Channel], value=Channel.PHONE.value,
                     allow_blank=False, id="follow-up-channel")
        yield Label("What you told them")
        yield TextArea(id="follow-up-summary", placeholder="called back, apologised, …")

    def on_mount(self) -> None:
        self.query_one("#follow-up-summary", TextArea).focus()

    def submit(self) -> Callable[[], FeedbackFollowUp]:
        channel = str(self.query_one("#follow-up-channel", Select).value)
        box = self.query_one("#follow-up-summary", TextArea)
        summary = box.text.strip()
        if not summary:
            box.focus()
            raise InvalidInput("write what you told the customer")
        ctx, feedback_id = self.ctx, self.response.feedback.id
        return lambda: follow_up(ctx, feedback_id, summary=summary, channel=channel)

    def success_message(self, result: FeedbackFollowUp) -> str:
        return f"Followed up {self.response.ticket_key}: contact logged, response marked"
