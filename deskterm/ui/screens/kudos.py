"""The kudos feed, for the whole desk: compliments from customers and leads, newest first.

Each one says whom it is about (an agent, or the team), who said it, what was said, and
the ticket and customer it came with. Enter opens the linked ticket; `a` shares a new
one with the kudos form. New kudos from others also announce themselves on every
screen (ui/announcer.py); this feed just re-reads when kudos change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from deskterm.domain import Kudos
from deskterm.domain.clock import utcnow
from deskterm.domain.enums import KudosSource
from deskterm.i18n import N_, _, ngettext, pgettext
from deskterm.i18n.formats import number
from deskterm.present import ago
from deskterm.services.contacts import Names, names_for
from deskterm.services.org import list_agents
from deskterm.services.wellbeing import list_kudos
from deskterm.ui.commands import ActionEntry
from deskterm.ui.forms.kudos import KudosForm
from deskterm.ui.messages import DataChanged
from deskterm.ui.screens.people_screen import PeopleScreen
from deskterm.ui.session import DeskSession
from deskterm.ui.typed import desk_app, worker_result
from deskterm.ui.widgets.title_bar import TitleBar

FEED_LIMIT = 200


@dataclass(frozen=True)
class KudosFeed:
    kudos: list[Kudos]
    names: Names
    teams: dict[str, str]  # team id -> name
    now: datetime


def load_feed(session: DeskSession, limit: int = FEED_LIMIT) -> KudosFeed:
    """The newest kudos and the names they refer to. Reads the store: call in a worker."""
    store = session.store
    kudos = list_kudos(store, limit=limit)
    names = names_for(store, agents=[k.about_agent_id for k in kudos],
                      tickets=[k.ticket_id for k in kudos],
                      customers=[k.customer_id for k in kudos])
    teams = {agent.team_id: team for agent, team in list_agents(store)
             if agent.team_id and team}
    return KudosFeed(kudos, names, teams, utcnow())


def about(kudos: Kudos, feed: KudosFeed) -> str:
    """`@alex`, or `the team` (with its name when known)."""
    if kudos.about_agent_id:
        return "@" + feed.names.agents.get(kudos.about_agent_id, _("someone"))
    team = feed.teams.get(kudos.team_id or "")
    return _("the team ({team})").format(team=team) if team else _("the team")


def card(kudos: Kudos, feed: KudosFeed) -> Content:
    """Three lines: for whom and from whom; what was said; where it came from."""
    source = {KudosSource.CUSTOMER: pgettext("kudos from", "customer"),
              KudosSource.PEER: pgettext("kudos from", "colleague")}.get(
        kudos.source, pgettext("kudos from", "lead"))
    where = [p for p in (feed.names.tickets.get(kudos.ticket_id or ""),
                         feed.names.customers.get(kudos.customer_id or "")) if p]
    lines = [
        Content.assemble(
            ("★ ", "$text-warning"), (pgettext("kudos", "for") + " ", "$text-muted"),
            (about(kudos, feed), "bold"),
            ("  " + pgettext("kudos", "from") + " ", "$text-muted"), (kudos.from_name, "bold"),
            (f" ({source})  · {ago(kudos.created_at, feed.now)}", "$text-muted")),
        Content.styled(f"“{kudos.message}”", "italic"),
    ]
    if where:
        lines.append(Content.styled(" · ".join(where), "$text-muted"))
    return Content("\n").join(lines)


class KudosScreen(PeopleScreen):
    """The feed; Enter opens the linked ticket, `a` adds kudos."""

    CSS_PATH = "kudos.tcss"

    BINDINGS = [
        Binding("a", "add", N_("Add kudos"), id="kudos.add"),
        Binding("enter", "open", N_("Open ticket"), id="kudos.open"),
    ]
    ACTIONS: tuple[ActionEntry, ...] = (
        ("kudos.add", N_("Add kudos"),
         N_("a customer's or your compliment, for an agent or the team")),
        ("kudos.open", N_("Open the kudos' ticket"), N_("the ticket the compliment came with")),
    )

    def __init__(self, session: DeskSession) -> None:
        super().__init__(session)
        self.feed: KudosFeed | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar(Static(_("Kudos · compliments for the desk, newest first"),
                              id="kudos-title"))
        yield OptionList(id="kudos-feed")
        # TRANSLATORS: a is the key that adds kudos; it stays as it is.
        yield Static(_("No kudos yet. Press a to share the first."), id="kudos-empty")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#kudos-empty").display = False
        self.feed_list.focus()
        self._load()

    @property
    def feed_list(self) -> OptionList:
        return self.query_one("#kudos-feed", OptionList)

    @property
    def current(self) -> Kudos | None:
        listing = self.feed_list
        index = listing.highlighted
        if self.feed is None or index is None:
            return None
        option_id = listing.get_option_at_index(index).id
        return next((k for k in self.feed.kudos if k.id == option_id), None)

    def data_changed(self, change: DataChanged) -> None:
        if change.touches("kudos", "agent", "customer"):
            self._load()

    @work(thread=True, exclusive=True, group="kudos-feed", exit_on_error=False)
    def _load(self) -> KudosFeed:
        return load_feed(self.session)

    @on(Worker.StateChanged)
    def _loaded(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "kudos-feed" and event.state == WorkerState.SUCCESS:
            self._show(worker_result(event.worker, KudosFeed))

    def _show(self, feed: KudosFeed) -> None:
        kept = self.current.id if self.current else None
        self.feed = feed
        listing = self.feed_list
        listing.clear_options()
        options: list[Option | None] = []
        for kudos in feed.kudos:
            options += [Option(card(kudos, feed), id=kudos.id), None]  # None: a separator
        listing.add_options(options[:-1])
        ids = [k.id for k in feed.kudos]
        if ids:
            listing.highlighted = listing.get_option_index(kept) if kept in ids else 0
        self.query_one("#kudos-empty").display = not ids
        self.query_one("#kudos-title", Static).update(Content.assemble(
            (_("Kudos"), "bold"), " · ", _("compliments for the desk, newest first"), " · ",
            ngettext("{count} shown", "{count} shown", len(ids)).format(count=number(len(ids)))))
        self.refresh_bindings()

    @on(OptionList.OptionHighlighted, "#kudos-feed")
    def _moved(self) -> None:
        self.refresh_bindings()  # Enter turns on or off with the highlighted kudos' ticket

    @on(OptionList.OptionSelected, "#kudos-feed")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        kudos = self.current
        if kudos is None or not kudos.ticket_id:
            self.notify(_("These kudos came without a ticket"), severity="information")
            return
        desk_app(self).open_ticket(kudos.ticket_id)

    def action_add(self) -> None:
        self.app.push_screen(KudosForm(self.session))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":
            return self.current is not None and bool(self.current.ticket_id)
        return True
