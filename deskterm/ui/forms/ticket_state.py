"""Ticket forms that move it through its life: escalate to a group (the owner stays),
resolve (a resolver's resolve returns it), reopen."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from deskterm.domain import Ticket
from deskterm.domain.errors import InvalidInput
from deskterm.services.groups import GroupView, list_groups
from deskterm.services.handback import is_returned
from deskterm.services.tickets import escalate_ticket, reopen_ticket, resolve_ticket
from deskterm.ui.forms.article_offer import ArticleOffer
from deskterm.ui.forms.common import DeskForm


class EscalateForm(DeskForm[Ticket]):
    """Hand the work to a resolver group; the desk keeps the ticket and the customer."""

    TITLE = "Escalate ticket"
    SUBMIT_LABEL = "Escalate"
    LOADS = True
    CHANGES = ("ticket",)

    DEFAULT_CSS = "EscalateForm #escalate-owner { color: $accent; margin-top: 1; }"

    def fields(self) -> ComposeResult:
        ticket = self.ticket
        assert ticket is not None
        yield Label(Content(f"{ticket.key} · {ticket.subject}"))
        yield Label("Resolver group")
        yield Select[str]([], prompt="pick a group (a lead adds them: deskterm group add)",
                          id="escalate-group")
        yield Label("Reason")
        yield Input(id="escalate-reason", placeholder="why the desk cannot solve it")
        owner = f"@{ticket.owner}" if ticket.owner else "you (it has no owner yet)"
        yield Static(Content(f"{owner} stays the customer's contact: the ticket is escalated, "
                             "not handed over. It comes back when the resolver resolves it."),
                     id="escalate-owner")

    def load(self) -> list[GroupView]:
        return list_groups(self.session.store)

    def loaded(self, data: list[GroupView]) -> None:
        choice = self.query_one("#escalate-group", Select)
        choice.set_options([(f"{g.name} (tier {int(g.tier)})", g.id) for g in data])
        current = self.ticket.resolver_group if self.ticket else None
        chosen = next((g.id for g in data if g.name == current), None)
        if chosen is not None:
            choice.value = chosen
        choice.focus()

    def submit(self) -> Callable[[], Ticket]:
        value = self.query_one("#escalate-group", Select).value
        if not isinstance(value, str):
            raise InvalidInput("pick the resolver group to escalate to")
        reason = self.query_one("#escalate-reason", Input).value
        return lambda: escalate_ticket(self.ctx, self.ticket_ref, group=value, reason=reason)

    def success_message(self, result: Ticket) -> str:
        return (f"Escalated {result.key} to {result.resolver_group} "
                f"(tier {result.resolver_tier}); you stay the customer's contact")


class ResolveForm(DeskForm[Ticket]):
    """Close the work with what solved it, and whether it was solved in the first contact.

    On a returned ticket the resolver's solution stands unless changed, and the form
    asks how the customer was told when no contact was logged since the return. A
    resolver's resolve of an escalation returns it to its owner (services.handback).
    """

    TITLE = "Resolve ticket"
    SUBMIT_LABEL = "Resolve"
    CHANGES = ("ticket",)

    def fields(self) -> ComposeResult:
        ticket = self.ticket
        assert ticket is not None
        yield Label(Content(f"{ticket.key} · {ticket.subject}"))
        returned = ticket.returned_at is not None
        yield Label("Resolution" + (" (leave empty: the resolver's solution stands)"
                                    if returned else ""))
        yield TextArea(id="resolve-resolution")
        escalated = ticket.resolver_tier is not None
        label = "Resolved at first contact" + (" (not possible: it was escalated)"
                                               if escalated else "")
        yield Checkbox(label, disabled=escalated, id="resolve-first-contact")
        if returned:
            yield Label("Customer told how? (needed when no contact was logged since it "
                        "came back)")
            yield Input(id="resolve-informed",
                        placeholder="e.g. customer already informed by phone")
        yield ArticleOffer(self.session, ticket)

    def submit(self) -> Callable[[], Ticket]:
        resolution = self.query_one("#resolve-resolution", TextArea).text
        first_contact = self.query_one("#resolve-first-contact", Checkbox).value
        informed_box = self.query("#resolve-informed")
        informed = informed_box.only_one(Input).value if informed_box else None
        return lambda: resolve_ticket(self.ctx, self.ticket_ref, resolution=resolution,
                                      first_contact=first_contact, informed=informed)

    def success_message(self, result: Ticket) -> str:
        if is_returned(result):
            return f"{result.key} goes back to its owner, who tells the customer"
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
        yield Label(Content(f"{ticket.key} · {ticket.subject}"))
        yield Label("Reason")
        yield Input(id="reopen-reason", placeholder="what came back")

    def submit(self) -> Callable[[], Ticket]:
        reason = self.query_one("#reopen-reason", Input).value
        return lambda: reopen_ticket(self.ctx, self.ticket_ref, reason=reason)

    def success_message(self, result: Ticket) -> str:
        return f"Reopened {result.key}"

