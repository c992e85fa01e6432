"""Log a contact: channel, direction, summary and an optional private self-rating."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Select, Static, TextArea

from deskterm.domain import Contact
from deskterm.domain.enums import Channel, Direction
from deskterm.domain.errors import InvalidInput
from deskterm.i18n import N_, _
from deskterm.services.contacts import log_contact
from deskterm.store.queries import TicketRow
from deskterm.ui.forms.common import DeskForm
from deskterm.ui.forms.labels import channel_options
from deskterm.ui.session import DeskSession

#: How the agent rates their own handling of the contact (private quality data).
RATINGS = [(N_("1 · went badly"), 1), (N_("2 · poor"), 2), (N_("3 · fine"), 3),
           (N_("4 · good"), 4), (N_("5 · went great"), 5)]


class LogContactForm(DeskForm[Contact]):
    """Record one interaction with the customer of `ticket`, tied to that ticket."""

    TITLE = N_("Log contact")
    SUBMIT_LABEL = N_("Log")
    CHANGES = ("contact", "ticket")

    DEFAULT_CSS = """
    LogContactForm #contact-about { color: $text-muted; }
    LogContactForm #contact-choices { height: auto; }
    LogContactForm #contact-choices > Vertical { height: auto; width: 1fr; }
    LogContactForm #contact-choices Label { color: $text-muted; margin-top: 1; }
    LogContactForm #contact-summary { height: 6; }
    """

    def __init__(self, session: DeskSession, ticket: TicketRow) -> None:
        super().__init__(session, ticket)
        self.ticket: TicketRow = ticket

    def fields(self) -> ComposeResult:
        yield Static(_("about {key} · {customer}").format(key=self.ticket.key,
                                                          customer=self.ticket.customer),
                     id="contact-about", markup=False)
        with Horizontal(id="contact-choices"):
            with Vertical():
                yield Label(_("Channel"))
                yield Select(channel_options(), value=Channel.PHONE.value,
                             allow_blank=False, id="contact-channel")
            with Vertical():
                yield Label(_("Direction"))
                yield Select([(_("inbound: they reached us"), Direction.INBOUND.value),
                              (_("outbound: we reached them"), Direction.OUTBOUND.value)],
                             value=Direction.INBOUND.value, allow_blank=False,
                             id="contact-direction")
        yield Label(_("Summary"))
        yield TextArea(id="contact-summary", placeholder=_("what was asked, said or done"))
        yield Label(_("How did it go? (private: only you see your rating)"))
        yield Select([(_(label), score) for label, score in RATINGS], prompt=_("no rating"),
                     id="contact-rating")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#contact-summary", TextArea))

    def submit(self) -> Callable[[], Contact]:
        channel = str(self.query_one("#contact-channel", Select).value)
        direction = str(self.query_one("#contact-direction", Select).value)
        rating = self.query_one("#contact-rating", Select).value
        summary_box = self.query_one("#contact-summary", TextArea)
        summary = summary_box.text.strip()
        if not summary:
            summary_box.focus()
            raise InvalidInput(_("write a short summary of what was said or done"))
        ctx, ticket = self.ctx, self.ticket
        self_rating = rating if isinstance(rating, int) else None
        return lambda: log_contact(ctx, channel=channel, direction=direction,
                                   summary=summary, ticket=ticket.id,
                                   customer=ticket.customer_id, self_rating=self_rating)

    def success_message(self, result: Contact) -> str:
        # TRANSLATORS: e.g. "Logged inbound phone contact on SD-1042".
        return _("Logged {direction} {channel} contact on {key}").format(
            direction=result.direction.label, channel=result.channel.label,
            key=self.ticket.key)
