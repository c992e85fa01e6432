"""Ticket forms for its content and its owner: new, edit, assign."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from deskterm.domain import Agent, Ticket
from deskterm.domain.enums import TicketStatus
from deskterm.domain.errors import InvalidInput
from deskterm.i18n import N_, _
from deskterm.services.customers import customer_for
from deskterm.services.lookup import short_id
from deskterm.services.ticket_views import ticket_detail
from deskterm.services.tickets import (
    PLAIN_STATUSES,
    assign_ticket,
    create_ticket,
    update_ticket,
)
from deskterm.store.queries import TicketRow
from deskterm.ui.forms.common import DeskForm, active_agents, agent_options, field_row
from deskterm.ui.forms.customer_pick import CustomerPick
from deskterm.ui.forms.labels import kind_options, priority_options
from deskterm.ui.session import DeskSession


def _chosen(select: Select[str] | Select[int]) -> str | int | None:
    return select.selection


def _picked(select: Select[int]) -> int:
    """The value of a Select that allows no blank."""
    value = select.selection
    assert value is not None  # allow_blank=False: never Select.NULL
    return int(value)


class NewTicketForm(DeskForm[Ticket]):
    """A new ticket, for the selected ticket's customer unless another is typed."""

    TITLE = N_("New ticket")
    SUBMIT_LABEL = N_("Create")
    CHANGES = ("ticket",)

    def fields(self) -> ComposeResult:
        ticket = self.ticket
        label = _("Customer: name, email, phone or id")
        yield Label(Content(label + (f" · {ticket.customer}" if ticket else "")))
        yield CustomerPick(self.session.store,
                           short_id(ticket.customer_id) if ticket else "",
                           input_id="new-customer",
                           placeholder=_("a name, or name@example.com"))
        yield Label(_("Subject"))
        yield Input(id="new-subject", placeholder=_("what is wrong, in a few words"))
        yield Label(_("Description"))
        yield TextArea(id="new-description")
        codes = [code for _id, code in self.session.departments]
        department = ticket.department if ticket and ticket.department in codes else Select.NULL
        yield field_row(
            (_("Kind"), Select(kind_options(), value="incident", allow_blank=False,
                               id="new-kind")),
            (_("Priority"), Select(priority_options(), value=3, allow_blank=False,
                                   id="new-priority")),
            (_("Department"), Select([(code, code) for code in codes], value=department,
                                     prompt=_("none"), id="new-department")),
        )
        yield Checkbox(_("Leave unassigned (otherwise you own it)"), id="new-unassigned")

    def on_mount(self) -> None:
        # The first field still to fill: the customer when no ticket lent one.
        customer = self.query_one("#new-customer", Input)
        self.set_focus(self.query_one("#new-subject", Input) if customer.value else customer)

    def submit(self) -> Callable[[], Ticket]:
        customer = self.query_one(CustomerPick).ref
        if not customer:
            raise InvalidInput(_("customer is required: a name, organisation, phone, email "
                                 "or id"))
        subject = self.query_one("#new-subject", Input).value
        description = self.query_one("#new-description", TextArea).text
        kind = str(self.query_one("#new-kind", Select).value)
        priority = _picked(self.query_one("#new-priority", Select))
        department = _chosen(self.query_one("#new-department", Select))
        unassigned = self.query_one("#new-unassigned", Checkbox).value
        return lambda: create_ticket(
            self.ctx, customer=customer_for(self.session.store, customer), subject=subject,
            description=description, kind=kind, priority=priority,
            department=str(department) if department else None, unassigned=unassigned)

    def success_message(self, result: Ticket) -> str:
        return _("Created {key}: {subject}").format(key=result.key, subject=result.subject)


class EditTicketForm(DeskForm[Ticket]):
    """The plain fields of a ticket; escalating, resolving and reopening have their own forms."""

    TITLE = N_("Edit ticket")
    LOADS = True
    CHANGES = ("ticket",)

    def __init__(self, session: DeskSession, ticket: TicketRow) -> None:
        super().__init__(session, ticket)
        self.current: Ticket | None = None

    def fields(self) -> ComposeResult:
        yield Label(_("Subject"))
        yield Input(id="edit-subject")
        yield Label(_("Description"))
        yield TextArea(id="edit-description")
        yield field_row(
            (_("Kind"), Select(kind_options(), allow_blank=False, id="edit-kind")),
            (_("Priority"), Select(priority_options(), allow_blank=False,
                                   id="edit-priority")),
            (_("Department"), Select([(code, code) for _id, code in self.session.departments],
                                     prompt=_("none"), id="edit-department")),
        )
        yield Label(_("Status"))
        yield Select([(status.label, status.value) for status in PLAIN_STATUSES],
                     id="edit-status")

    def load(self) -> Ticket:
        return ticket_detail(self.session.store, self.ticket_ref).ticket

    def loaded(self, data: Ticket) -> None:
        self.current = data
        self.query_one("#form-title", Static).update(_("Edit {key}").format(key=data.key))
        self.query_one("#edit-subject", Input).value = data.subject
        self.query_one("#edit-description", TextArea).text = data.description
        self.query_one("#edit-kind", Select).value = data.kind.value
        self.query_one("#edit-priority", Select).value = int(data.priority)
        known = {code for _id, code in self.session.departments}
        if self.ticket and self.ticket.department in known:
            self.query_one("#edit-department", Select).value = self.ticket.department
        status = self.query_one("#edit-status", Select)
        if data.status in PLAIN_STATUSES:
            status.value = data.status.value
        else:
            # Escalated, resolved and closed change through their own actions.
            # TRANSLATORS: x, r and o are the keys that do it; they stay as they are.
            status.prompt = _("{status} (x escalates, r resolves, o reopens)").format(
                status=data.status.label)
            status.disabled = True
        self.set_focus(self.query_one("#edit-subject", Input))

    def submit(self) -> Callable[[], Ticket]:
        current = self.current
        assert current is not None  # Save is enabled once loaded
        status = _chosen(self.query_one("#edit-status", Select))
        department = _chosen(self.query_one("#edit-department", Select))
        return partial(
            update_ticket, self.ctx, current.id,
            subject=self.query_one("#edit-subject", Input).value,
            description=self.query_one("#edit-description", TextArea).text,
            kind=str(self.query_one("#edit-kind", Select).value),
            priority=_picked(self.query_one("#edit-priority", Select)),
            department=str(department) if department else None,
            # Only a changed status is sent: the service refuses any status on a ticket
            # that is escalated or closed, even the one it already has.
            status=str(status) if status and status != current.status.value else None,
        )

    def success_message(self, result: Ticket) -> str:
        return _("Saved {key}").format(key=result.key)


class AssignForm(DeskForm[Ticket]):
    """Give the ticket to another desk agent (or back to nobody, while it is still new)."""

    TITLE = N_("Assign ticket")
    SUBMIT_LABEL = N_("Assign")
    LOADS = True
    CHANGES = ("ticket",)
    UNASSIGNED = "-"

    def fields(self) -> ComposeResult:
        ticket = self.ticket
        assert ticket is not None
        yield Label(Content(f"{ticket.key} · {ticket.subject}"))
        yield Label(_("Owner (stays the customer's contact, also while escalated)"))
        yield Select[str]([], prompt=_("loading agents…"), id="assign-owner")

    def load(self) -> list[Agent]:
        return active_agents(self.session)

    def loaded(self, data: list[Agent]) -> None:
        ticket = self.ticket
        assert ticket is not None
        options = agent_options(data)
        if ticket.status == TicketStatus.NEW:
            options.insert(0, (_("nobody (unassigned)"), self.UNASSIGNED))
        select = self.query_one("#assign-owner", Select)
        select.set_options(options)
        select.prompt = _("choose an agent")
        if ticket.owner in {agent.handle for agent in data}:
            select.value = ticket.owner
        self.set_focus(select)

    def submit(self) -> Callable[[], Ticket]:
        handle = _chosen(self.query_one("#assign-owner", Select))
        if handle is None:
            raise InvalidInput(_("choose the agent who will own the ticket"))
        owner = None if handle == self.UNASSIGNED else str(handle)
        return lambda: assign_ticket(self.ctx, self.ticket_ref, owner)

    def success_message(self, result: Ticket) -> str:
        return _("Assigned {key}").format(key=result.key)
