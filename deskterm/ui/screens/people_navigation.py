"""How the people screens are reached: app-wide keys, the command palette, and who may open what.

The keys are app bindings (with ids, so a keymap can move them) chosen not to clash with
the workspace's: `k`, `g` and `G` move in the queue, so kudos is `f` (the feed), the
goodwill oversight `B` (budgets), the rejected changes `X` and your own
feedback `F`. People screens always
sit right on the workspace, so Escape leads back to it; opening one from another
replaces it.

This module is imported by the app before the first frame: it loads no screen (and no
service) until one is asked for.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from importlib import import_module
from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.screen import ModalScreen

from deskterm.i18n import N_, _
from deskterm.ui.commands import bound_key

if TYPE_CHECKING:
    from textual.app import App, SystemCommand


@dataclass(frozen=True)
class PeopleView:
    name: str
    key: str
    title: str
    help: str
    lead_only: bool
    #: "module:Class" of the screen, imported on first use.
    screen: str
    #: What an agent who is not a lead is told (lead-only screens).
    leads_only: str = ""

    @property
    def binding_id(self) -> str:
        return f"app.{self.name}"


VIEWS = (
    PeopleView("board", "b", N_("Escalation board"),
               N_("every open escalation of your team, live; nudge an owner"), True,
               "deskterm.ui.screens.lead.board:EscalationBoardScreen",
               N_("The escalation board is for team leads.")),
    PeopleView("quality", "u", N_("Quality"),
               N_("first-contact resolution, repeats, reopens, CSAT per week; what drives it"),
               True, "deskterm.ui.screens.lead.quality:QualityScreen",
               N_("The quality screen is for team leads.")),
    PeopleView("mood", "m", N_("Mood"),
               N_("your own 30-day trend; leads: the team's, aggregates of 3+ only"), False,
               "deskterm.ui.screens.mood_view:MoodViewScreen"),
    PeopleView("kudos", "f", N_("Kudos feed"), N_("compliments for the desk, newest first"),
               False, "deskterm.ui.screens.kudos:KudosScreen"),
    PeopleView("feedback", "F", N_("My feedback"),
               N_("your customers' responses, unhappy first, to follow up; your own trend"),
               False, "deskterm.ui.screens.feedback_view:FeedbackScreen"),
    PeopleView("rejected", "X", N_("Rejected changes"),
               N_("what the server refused, in full: copy it into a new change or discard it"),
               False, "deskterm.ui.screens.rejected:RejectedScreen"),
    PeopleView("team_goodwill", "B", N_("Goodwill oversight"),
               N_("the team's budgets and ledgers; allocate, reverse, spend by reason"), True,
               "deskterm.ui.screens.lead.goodwill_team:GoodwillOversightScreen",
               N_("The goodwill oversight is for team leads.")),
)
BY_NAME = {view.name: view for view in VIEWS}

#: The app's bindings for the people screens (hidden in the footer: `?` and the palette list them).
BINDINGS = [Binding(view.key, f"people('{view.name}')", view.title, show=False,
                    tooltip=view.help, id=view.binding_id) for view in VIEWS]


def open_people(app: App[Any], name: str) -> None:
    """Show the people screen `name`, or say politely why not."""
    view = BY_NAME[name]
    session = getattr(app, "session", None)
    if session is None or isinstance(app.screen, ModalScreen):
        return  # still opening, or a form or question is open: not now
    if view.lead_only and not session.actor.is_lead:
        app.notify(_(view.leads_only), title=_(view.title), severity="warning")
        return
    module, __, class_name = view.screen.partition(":")
    screen_class = getattr(import_module(module), class_name)
    if isinstance(app.screen, screen_class):
        return
    from deskterm.ui.screens.workspace import WorkspaceScreen

    while len(app.screen_stack) > 1 and not isinstance(app.screen, WorkspaceScreen):
        app.pop_screen()
    app.push_screen(screen_class(session))


def people_commands(app: App[Any]) -> Iterator[SystemCommand]:
    """The palette's entries for the people screens, with their keys as the keymap set them."""
    from textual.app import SystemCommand

    session = getattr(app, "session", None)
    if session is None:
        return
    for view in VIEWS:
        if view.lead_only and not session.actor.is_lead:
            continue
        found = bound_key(app, view.binding_id)
        key = f"{found[0]} · " if found else ""
        yield SystemCommand(_(view.title), key + _(view.help),
                            partial(open_people, app, view.name))
