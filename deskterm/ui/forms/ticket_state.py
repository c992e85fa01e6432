"""Ticket forms that move it through its life: escalate to a group (the owner stays),
resolve (a resolver's resolve returns it), reopen."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from deskterm.domain import Ticket
from deskterm.domain.errors import InvalidInput
from deskterm.i18n import N_, _
from deskterm.services.groups import GroupView, list_groups
from deskterm.services.handback import is_returned
from deskterm.services.tickets import escalate_ticket, reopen_ticket, resolve_ticket
from deskterm.ui.forms.article_offer import ArticleOffer
from deskterm.ui.forms.common import DeskForm


class EscalateForm(DeskForm[Ticket]):
    """Hand the work to a resolver group; the desk keeps the ticket and the customer."""

    TITLE = N_("Escalate ticket")
    SUBMIT_LABEL = N_("Escalate")
    LOADS = True
    CHANGES = ("ticket",)

    DEFAULT_CSS = "EscalateForm #escalate-owner { color: $accent; margin-top: 1; }"

    def fields(self) -> ComposeResult:
        ticket = self.ticket
        assert ticket is not None
        yield Label(Content(f"{ticket.key} · {ticket.subject}"))
        yield Label(_("Resolver group"))
        # TRANSLATORS: `deskterm group add` is a command: it stays as it is.
        yield Select[str]([], prompt=_("pick a group (a lead adds them: deskterm group add)"),
                          id="escalate-group")
        yield Label(_("Reason"))
        yield Input(id="escalate-reason", placeholder=_("why the desk cannot solve it"))
        if ticket.owner:
            stays = _("@{owner} stays the customer's contact: the ticket is escalated, not "
                      "handed over. It comes back when the resolver resolves it.").format(
                owner=ticket.owner)
        else:
            stays = _("You stay the customer's contact (it has no owner yet): the ticket is "
                      "escalated, not handed over. It comes back when the resolver resolves "
                      "it.")
        yield Static(Content(stays), id="escalate-owner")

    def load(self) -> list[GroupView]:
        return list_groups(self.session.store)

    def loaded(self, data: list[GroupView]) -> None:
        choice = self.query_one("#escalate-group", Select)
        choice.set_options([(_("{group} (tier {tier})").format(group=g.name, tier=int(g.tier)),
                             g.id) for g in data])
        current = self.ticket.resolver_group if self.ticket else None
        chosen = next((g.id for g in data if g.name == current), None)
        if chosen is not None:
            choice.value = chosen
        self.set_focus(choice)

    def submit(self) -> Callable[[], Ticket]:
        value = self.query_one("#escalate-group", Select).value
        if not isinstance(value, str):
            raise InvalidInput(_("pick the resolver group to escalate to"))
        reason = self.query_one("#escalate-reason", Input).value
        return lambda: escalate_ticket(self.ctx, self.ticket_ref, group=value, reason=reason)

    def success_message(self, result: Ticket) -> str:
        return _("Escalated {key} to {group} (tier {tier}); you stay the customer's "
                 "contact").format(key=result.key, group=result.resolver_group,
                                   tier=result.resolver_tier)


class ResolveForm(DeskForm[Ticket]):
    """Close the work with what solved it, and whether it was solved in the first contact.

    On a returned ticket the resolver's solution stands unless changed, and the form
    asks how the customer was told when no contact was logged since the return. A
    resolver's resolve of an escalation returns it to its owner (services.handback).
    """

    TITLE = N_("Resolve ticket")
    SUBMIT_LABEL = N_("Resolve")
    CHANGES = ("ticket",)

    def fields(self) -> ComposeResult:
        ticket = self.ticket
        assert ticket is not None
        yield Label(Content(f"{ticket.key} · {ticket.subject}"))
        returned = ticket.returned_at is not None
        yield Label(_("Resolution (leave empty: the resolver's solution stands)")
                    if returned else _("Resolution"))
        yield TextArea(id="resolve-resolution")
        escalated = ticket.resolver_tier is not None
        label = (_("Resolved at first contact (not possible: it was escalated)") if escalated
                 else _("Resolved at first contact"))
        yield Checkbox(label, disabled=escalated, id="resolve-first-contact")
        if returned:
            yield Label(_("Customer told how? (needed when no contact was logged since it "
                          "came back)"))
            yield Input(id="resolve-informed",
                        placeholder=_("e.g. customer already informed by phone"))
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
            return _("{key} goes back to its owner, who tells the customer").format(
                key=result.key)
        if result.first_contact_resolution:
            return _("Resolved {key} at first contact").format(key=result.key)
        return _("Resolved {key}").format(key=result.key)

    def succeeded(self, result: Ticket) -> None:
        self.query_one(ArticleOffer).open_after(self.app)


class ReopenForm(DeskForm[Ticket]):
    """Reopen a resolved or closed ticket, saying why."""

    TITLE = N_("Reopen ticket")
    SUBMIT_LABEL = N_("Reopen")
    CHANGES = ("ticket",)

    def fields(self) -> ComposeResult:
        ticket = self.ticket
        assert ticket is not None
        yield Label(Content(f"{ticket.key} · {ticket.subject}"))
        yield Label(_("Reason"))
        yield Input(id="reopen-reason", placeholder=_("what came back"))

    def submit(self) -> Callable[[], Ticket]:
        reason = self.query_one("#reopen-reason", Input).value
        return lambda: reopen_ticket(self.ctx, self.ticket_ref, reason=reason)

    def success_message(self, result: Ticket) -> str:
        return _("Reopened {key}").format(key=result.key)

