"""The kudos form: your thanks to a colleague (or the team); for leads also a customer's
compliment they enter, or kudos as lead."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Input, Label, RadioButton, RadioSet, Select, TextArea

from deskterm.domain import Agent, Kudos
from deskterm.domain.enums import KudosSource
from deskterm.i18n import N_, _
from deskterm.services.wellbeing import add_kudos
from deskterm.ui.forms.common import DeskForm, active_agents, agent_options

#: The "about" choice that means nobody in particular.
WHOLE_TEAM = "-"


class KudosForm(DeskForm[Kudos]):
    """Share a compliment; it is about the selected ticket's owner unless told otherwise
    (never yourself: the service refuses it, and says so here)."""

    TITLE = N_("Add kudos")
    SUBMIT_LABEL = N_("Share")
    LOADS = True
    CHANGES = ("kudos",)

    def fields(self) -> ComposeResult:
        ticket = self.ticket
        if ticket:
            yield Label(Content(_("On {key} · {subject}").format(key=ticket.key,
                                                                 subject=ticket.subject)))
        yield Label(_("What was said"))
        yield TextArea(id="kudos-message")
        yield Label(_("About"))
        yield Select[str]([(_("the whole team"), WHOLE_TEAM)], allow_blank=False,
                          id="kudos-about")
        if not self.ctx.actor.is_lead:
            # An agent only ever sends in their own name (the service refuses the rest):
            # no choice to offer, so no radio group of one.
            yield Label(Content(_("From: you ({name})").format(name=self.ctx.actor.name)),
                        id="kudos-from-you")
            return
        yield Label(_("From"))
        with RadioSet(id="kudos-source"):
            yield RadioButton(_("me"), value=True, id="kudos-from-me")
            yield RadioButton(_("the customer (you enter it)"), id="kudos-from-customer")
            yield RadioButton(_("me, as lead"), id="kudos-from-lead")
        yield Label(_("Customer's name"))
        yield Input(ticket.customer if ticket else "", id="kudos-from-name",
                    placeholder=_("who said it"), disabled=True)

    def load(self) -> list[Agent]:
        return active_agents(self.session)

    def loaded(self, data: list[Agent]) -> None:
        about = self.query_one("#kudos-about", Select)
        about.set_options([(_("the whole team"), WHOLE_TEAM), *agent_options(data)])
        handles = {agent.handle for agent in data}
        if self.ticket and self.ticket.owner in handles \
                and self.ticket.owner != self.ctx.actor.handle:  # nobody thanks themselves
            about.value = self.ticket.owner

    @on(RadioSet.Changed, "#kudos-source")
    def _source_changed(self, event: RadioSet.Changed) -> None:
        self.query_one("#kudos-from-name", Input).disabled = \
            self._source != KudosSource.CUSTOMER

    @property
    def _source(self) -> KudosSource:
        for source, button in ((KudosSource.LEAD, "#kudos-from-lead"),
                               (KudosSource.CUSTOMER, "#kudos-from-customer")):
            found = self.query(button)
            if found and found.first(RadioButton).value:
                return source
        return KudosSource.PEER

    def submit(self) -> Callable[[], Kudos]:
        message = self.query_one("#kudos-message", TextArea).text
        about = str(self.query_one("#kudos-about", Select).value)
        source = self._source
        names = self.query("#kudos-from-name")
        from_name = names.first(Input).value if names else None
        ticket = self.ticket.id if self.ticket else None
        return lambda: add_kudos(
            self.ctx, message=message, source=source,
            about=None if about == WHOLE_TEAM else about,
            from_name=from_name if source == KudosSource.CUSTOMER else None, ticket=ticket)

    def success_message(self, result: Kudos) -> str:
        return _("Kudos shared, from {name}").format(name=result.from_name)
