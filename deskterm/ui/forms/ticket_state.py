"""Ticket forms that move it through its life: escalate (the owner stays), resolve, reopen."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Label, RadioButton, RadioSet, Static, TextArea

from deskterm.domain import Ticket
from deskterm.services.tickets import escalate_ticket, reopen_ticket, resolve_ticket
from deskterm.ui.forms.article_offer import ArticleOffer
from deskterm.ui.forms.common import DeskForm


class EscalateForm(DeskForm[Ticket]):
    """Hand the work to 2nd or 3rd line; the desk keeps the ticket and the customer."""

    TITLE = "Escalate ticket"
    SUBMIT_LABEL = "Escalate"
    CHANGES = ("ticket",)

    DEFAULT_CSS = "EscalateForm #escalate-owner { color: $accent; margin-top: 1; }"

    def fields(self) -> ComposeResult:
        ticket = self.ticket
        assert ticket is not None
        yield Label(f"{ticket.key} · {ticket.subject}")
        yield Label("Tier")
        with RadioSet(id="escalate-tier"):
            yield RadioButton("tier 2, second line", value=True, id="escalate-tier-2")
            yield RadioButton("tier 3, third line", id="escalate-tier-3")
        yield Label("Resolver group")
        yield Input(ticket.resolver_group or "", id="escalate-group",
                    placeholder="e.g. Second Line Apps")
        yield Label("Reason")
        yield Input(id="escalate-reason", placeholder="why the desk cannot solve it")
        owner = f"@{ticket.owner}" if ticket.owner else "you (it has no owner yet)"
        yield Static(f"{owner} stays the customer's contact: the ticket is escalated, "
                     "not handed over.", id="escalate-owner")

    def on_mount(self) -> None:
        if self.ticket and self.ticket.resolver_tier == 3:
            self.query_one("#escalate-tier-3", RadioButton).value = True
        self.query_one("#escalate-group", Input).focus()

    def submit(self) -> Callable[[], Ticket]:
        tier = 3 if self.query_one("#escalate-tier-3", RadioButton).value else 2
        group = self.query_one("#escalate-group", Input).value
        reason = self.query_one("#escalate-reason", Input).value
        return lambda: escalate_ticket(self.ctx, self.ticket_ref, tier=tier, group=group,
                                       reason=reason)

    def success_message(self, result: Ticket) -> str:
        return (f"Escalated {result.key} to {result.resolver_group} "
                f"(tier {result.resolver_tier}); you stay the customer's contact")


class ResolveForm(DeskForm[Ticket]):
    """Close the work with what solved it, and whether it was solved in the first contact."""

    TITLE = "Resolve ticket"
    SUBMIT_LABEL = "Resolve"
    CHANGES = ("ticket",)

    def fields(self) -> ComposeResult:
        ticket = self.ticket
        assert ticket is not None
        yield Label(f"{ticket.key} · {ticket.subject}")
        yield Label("Resolution")
        yield TextArea(id="resolve-resolution")
        escalated = ticket.resolver_tier is not None
        label = "Resolved at first contact" + (" (not possible: it was escalated)"
                                               if escalated else "")
        yield Checkbox(label, disabled=escalated, id="resolve-first-contact")
        yield ArticleOffer(self.session, ticket)

    def submit(self) -> Callable[[], Ticket]:
        resolution = self.query_one("#resolve-resolution", TextArea).text
        first_contact = self.query_one("#resolve-first-contact", Checkbox).value
        return lambda: resolve_ticket(self.ctx, self.ticket_ref, resolution=resolution,
                                      first_contact=first_contact)

    def success_message(self, result: Ticket) -> str:
        return f"Resolved {result.key}" + (" at first contact"
                                           if result.first_contact_resolution else "")

    def succeeded(self, result: Ticket) -> None:
        self.query_one(ArticleOffer).open_after(self.app)


class ReopenForm(DeskForm[Ticket]):
    """Reopen a resolved or closed ticket, saying why."""

    TITLE = "Reopen ticket"
    SUBMIT_LABEL = "Reopen"
    CHANGES = ("ticket",)

    def fields(self) -> ComposeResult:
        ticket = self.ticket
        assert ticket is not None
        yield Label(f"{ticket.key} · {ticket.subject}")
        yield Label("Reason")
        yield Input(id="reopen-reason", placeholder="what came back")

    def submit(self) -> Callable[[], Ticket]:
        reason = self.query_one("#reopen-reason", Input).value
        return lambda: reopen_ticket(self.ctx, self.ticket_ref, reason=reason)

    def success_message(self, result: Ticket) -> str:
        return f"Reopened {result.key}"

