"""Erasing the customer on the card (AVG/GDPR, leads): what will be scrubbed, and why.

The dialog reads what an erasure would scrub before the lead confirms (their card's
fields and how many tickets, contacts, ... hold text about them), and asks for the
reason the erasure log keeps. The erasure itself is services.customers.erase_customer.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Input, Label, Static

from deskterm.domain import CustomerErasure
from deskterm.domain.errors import InvalidInput
from deskterm.i18n import N_, _
from deskterm.services.customers import ErasurePreview, erase_customer, erasure_preview
from deskterm.services.lookup import short_id
from deskterm.ui.forms.common import DeskForm
from deskterm.ui.session import DeskSession

#: Everything an erasure may change: the panes showing any of it reload.
CHANGED = ("customer", "customer_erasure", "contact", "ticket", "ticket_event", "kudos",
           "feedback", "goodwill_entry", "promise_event")


class EraseCustomerForm(DeskForm[CustomerErasure]):
    """Confirm the erasure of one customer's personal data, giving the reason."""

    TITLE = N_("Erase this customer's personal data")
    SUBMIT_LABEL = N_("Erase")
    CHANGES = CHANGED
    LOADS = True

    DEFAULT_CSS = """
    EraseCustomerForm #erase-who { text-style: bold; }
    EraseCustomerForm #erase-what { padding-top: 1; }
    EraseCustomerForm .form-note { color: $text-muted; padding-top: 1; }
    """

    def __init__(self, session: DeskSession, customer_id: str, name: str) -> None:
        super().__init__(session)
        self.customer_id = customer_id
        self.customer_name = name

    def fields(self) -> ComposeResult:
        yield Static(Content(f"{self.customer_name} [{short_id(self.customer_id)}]"),
                     id="erase-who")
        yield Static(Content.styled(_("reading what would be scrubbed…"), "$text-muted"),
                     id="erase-what")
        yield Static(_("Tickets, contacts, counts and figures stay, as an erased customer's. "
                       "This cannot be undone: the server and every store scrub it when they "
                       "sync."), classes="form-note")
        yield Label(_("Reason, for the erasure log (not their name, email or phone)"))
        yield Input(id="erase-reason", placeholder=_("e.g. the customer's written request"))

    def load(self) -> ErasurePreview:
        return erasure_preview(self.session.store, self.customer_id)

    def loaded(self, data: ErasurePreview) -> None:
        self.query_one("#erase-what", Static).update(
            Content.assemble((_("Scrubbed: "), "bold"), data.described()))
        self.query_one("#erase-reason", Input).focus()

    def submit(self) -> Callable[[], CustomerErasure]:
        box = self.query_one("#erase-reason", Input)
        reason = box.value.strip()
        if not reason:
            box.focus()
            raise InvalidInput(_("say why, for the erasure log: a request, a retention "
                                 "period…"))
        ctx, customer_id = self.ctx, self.customer_id
        return lambda: erase_customer(ctx, customer_id, reason=reason)

    def success_message(self, result: CustomerErasure) -> str:
        return _("Erased the personal data of customer {id}").format(
            id=short_id(result.customer_id))
