"""The reply editor: answer a ticket's customer by mail, with the KB's canned answers.

It opens with the customer's address, a subject carrying the ticket's key, and the last
mail from the customer quoted under an empty first line. Choosing a canned answer (a KB
article tagged `reply-template`) puts its text at the top. Sending queues the reply as an
outbound email contact; the server mails it after the next push. The private
self-rating is asked as the contact form asks it.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Input, Label, Select, Static, TextArea

from deskterm.domain import Contact
from deskterm.domain.errors import InvalidInput
from deskterm.i18n import N_, _
from deskterm.services.replies import CannedAnswer, ReplyDraft, canned_answers, reply, reply_draft
from deskterm.store.queries import TicketRow
from deskterm.ui.forms.common import DeskForm
from deskterm.ui.forms.contact import RATINGS
from deskterm.ui.session import DeskSession


class ReplyForm(DeskForm[Contact]):
    """Write and send a mail to the customer of `ticket`."""

    TITLE = N_("Reply by mail")
    SUBMIT_LABEL = N_("Send")
    CHANGES = ("contact", "ticket")
    LOADS = True

    DEFAULT_CSS = """
    ReplyForm > #form { width: 100; }
    ReplyForm #form-fields { max-height: 40; }
    ReplyForm #reply-about { color: $text-muted; }
    ReplyForm #reply-to.-missing { color: $error; }
    ReplyForm #reply-body { height: 14; }
    """

    def __init__(self, session: DeskSession, ticket: TicketRow) -> None:
        super().__init__(session, ticket)
        self.ticket: TicketRow = ticket
        self.draft: ReplyDraft | None = None
        self.answers: dict[str, CannedAnswer] = {}

    def fields(self) -> ComposeResult:
        yield Static(_("to the customer of {key} · {customer}").format(
            key=self.ticket.key, customer=self.ticket.customer), id="reply-about", markup=False)
        yield Label(_("To"))
        yield Static("…", id="reply-to", markup=False)
        yield Label(_("Subject"))
        yield Input(id="reply-subject")
        yield Label(_("Canned answer (put at the top)"))
        yield Select([], prompt=_("none: choose one to insert it"), id="reply-canned")
        yield Label(_("Your reply"))
        yield TextArea(id="reply-body", soft_wrap=True)
        yield Label(_("How did it go? (private: only you see your rating)"))
        yield Select([(_(label), score) for label, score in RATINGS], prompt=_("no rating"),
                     id="reply-rating")

    def load(self) -> tuple[ReplyDraft, list[CannedAnswer]]:
        return reply_draft(self.session.store, self.ticket.id), \
            canned_answers(self.session.store)

    def loaded(self, data: tuple[ReplyDraft, list[CannedAnswer]]) -> None:
        draft, answers = data
        self.draft = draft
        self.answers = {answer.id: answer for answer in answers}
        to = self.query_one("#reply-to", Static)
        if draft.address:
            to.update(Content(f"{draft.customer} <{draft.address}>"))
        else:
            to.update(Content(_("{customer} has no email address: add one to the customer "
                                "before replying by mail").format(customer=draft.customer)))
            to.add_class("-missing")
        self.query_one("#reply-subject", Input).value = draft.subject
        canned = self.query_one("#reply-canned", Select)
        canned.set_options([(answer.title, answer.id) for answer in answers])
        canned.disabled = not answers
        body = self.query_one("#reply-body", TextArea)
        body.text = f"\n\n{draft.quoted}" if draft.quoted else ""
        body.move_cursor((0, 0))
        self.set_focus(body)

    @on(Select.Changed, "#reply-canned")
    def _canned(self, event: Select.Changed) -> None:
        """A canned answer chosen: its text goes in at the top, above what is there."""
        answer = self.answers.get(str(event.value)) if event.value != Select.BLANK else None
        if answer is None:
            return
        body = self.query_one("#reply-body", TextArea)
        rest = body.text.lstrip("\n")
        body.text = f"{answer.text}\n\n{rest}" if rest else f"{answer.text}\n"
        body.move_cursor((0, 0))
        body.focus()

    def submit(self) -> Callable[[], Contact]:
        body_box = self.query_one("#reply-body", TextArea)
        text = body_box.text
        quoted = self.draft.quoted if self.draft else ""
        if not text.strip() or (quoted and text.strip() == quoted.strip()):
            body_box.focus()
            raise InvalidInput(_("write your reply above the quoted mail"))
        subject = self.query_one("#reply-subject", Input).value
        rating = self.query_one("#reply-rating", Select).value
        self_rating = rating if isinstance(rating, int) else None
        ctx, ticket_id = self.ctx, self.ticket.id
        return lambda: reply(ctx, ticket_id, text, subject=subject, self_rating=self_rating)

    def success_message(self, result: Contact) -> str:
        # TRANSLATORS: after sending a reply from the ticket: the address and the ticket's key.
        return _("Reply to {address} on {key} queued: the server sends it after the next "
                 "sync").format(address=result.address, key=self.ticket.key)
