"""The announcer: new kudos and nudges on one's own tickets become notifications, on any screen.

Returned tickets (to their owner) and chases (to the resolver group) are announced the
same way, by ui.announce_handback.

It listens to the app's `data_changed` signal (local writes and sync pulls alike) and, in
a worker, reads what arrived since it last looked. It keeps its marks in memory only,
starting from the moment the app opened, so yesterday's kudos do not flood a new
session. Items are remembered by id as well as by time: a kudos written on a machine
whose clock runs a little behind, and pulled later, is still announced once.

Kudos the acting agent wrote themselves are not announced to them (the form already
said "Kudos shared").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from textual.worker import Worker

from deskterm.i18n import _, ngettext
from deskterm.i18n.formats import number

if TYPE_CHECKING:
    from deskterm.domain import Kudos
    from deskterm.services.board import Nudge
    from deskterm.ui.announce_handback import HandbackFound
    from deskterm.ui.app import DesktermApp
    from deskterm.ui.messages import DataChanged
    from deskterm.ui.session import DeskSession

#: How far back the marks reach before the newest item seen (other machines' clocks).
CLOCK_SLACK = timedelta(minutes=10)
#: At most this many items are announced one by one per check; more are summed up.
ANNOUNCE_EACH = 3
#: How many of the newest kudos each check reads.
KUDOS_WINDOW = 50
MESSAGE_LENGTH = 140


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MESSAGE_LENGTH else text[:MESSAGE_LENGTH - 1] + "…"


class Announcer:
    """Started by the app once the session is open; lives as long as the app."""

    def __init__(self, app: DesktermApp, session: DeskSession) -> None:
        from deskterm.domain.clock import utcnow

        self.app = app
        self.session = session
        started = utcnow()
        self.kudos_since: datetime = started
        self.nudges_since: datetime = started
        self.kudos_seen: set[str] = set()
        self.nudges_seen: set[tuple[str, datetime, str]] = set()
        from deskterm.ui.announce_handback import HandbackNotices

        self.handback = HandbackNotices(app, session, started)
        from deskterm.ui.announce_mail import FailedMailNotices

        self.failed_mail = FailedMailNotices(app, session, started)

    def start(self) -> None:
        # The app itself is not attached to its own DOM, and a signal drops subscribers
        # that are not; the base screen is, for as long as the app runs.
        base = self.app.screen_stack[0]
        self.app.data_changed.subscribe(base, self.changed, immediate=True)
        from deskterm.ui.promise_watch import PromiseWatch

        PromiseWatch(self.app, self.session).start()  # promises falling due (its own timer)

    def changed(self, change: DataChanged) -> None:
        if change.touches("kudos"):
            self._run(self._read_kudos, "announce-kudos")
        if change.touches("ticket_event", "ticket"):
            self._run(self._read_ticket_notices, "announce-nudges")
        if change.touches("mail_delivery"):
            self._run(self._read_failed_mail, "announce-mail")

    def _run(self, read: Callable[[], None], group: str) -> Worker[None]:
        return self.app.run_worker(read, thread=True, group=group,
                                   exclusive=True, exit_on_error=False)

    # -- kudos ---------------------------------------------------------------------------

    def _read_kudos(self) -> None:
        from deskterm.services.contacts import names_for
        from deskterm.services.wellbeing import list_kudos

        store = self.session.store
        found = [k for k in list_kudos(store, limit=KUDOS_WINDOW)
                 if k.created_at >= self.kudos_since]
        names = names_for(store, agents=[k.about_agent_id for k in found]).agents
        self.app.call_from_thread(self._announce_kudos, found, names)

    def _announce_kudos(self, found: list[Kudos], handles: dict[str, str]) -> None:
        fresh = [k for k in reversed(found) if k.id not in self.kudos_seen]  # oldest first
        self.kudos_seen.update(k.id for k in fresh)
        if fresh:
            newest = max(k.created_at for k in fresh)
            self.kudos_since = max(self.kudos_since, newest - CLOCK_SLACK)
        shown = [k for k in fresh if k.author_id != self.session.actor.id]
        for kudos in shown[:ANNOUNCE_EACH]:
            whom = handles.get(kudos.about_agent_id or "") if kudos.about_agent_id else None
            if whom:
                text = _("Kudos for {agent} from {sender}: {message}").format(
                    agent=whom, sender=kudos.from_name, message=_short(kudos.message))
            else:
                text = _("Kudos for the team from {sender}: {message}").format(
                    sender=kudos.from_name, message=_short(kudos.message))
            self.app.notify(text, title=_("Kudos"), markup=False, timeout=10)
        if len(shown) > ANNOUNCE_EACH:
            more = len(shown) - ANNOUNCE_EACH
            self.app.notify(ngettext("and {count} more kudos: see the feed",
                                     "and {count} more kudos: see the feed", more).format(
                                         count=number(more)), title=_("Kudos"))

    def _read_failed_mail(self) -> None:
        found = self.failed_mail.read()
        self.app.call_from_thread(self.failed_mail.announce, found)

    # -- nudges, returns and chases ------------------------------------------------------

    def _read_ticket_notices(self) -> None:
        from deskterm.services.board import nudges_for

        # One read for nudges and the hand-back's notices, announced in one go.
        handback = self.handback.read()
        found = nudges_for(self.session.store, self.session.actor.id, since=self.nudges_since)
        self.app.call_from_thread(self._announce_ticket_notices, found, handback)

    def _announce_ticket_notices(self, found: list[Nudge], handback: HandbackFound) -> None:
        self.handback.announce(*handback)
        self._announce_nudges(found)

    def _announce_nudges(self, found: list[Nudge]) -> None:
        fresh = [n for n in found if (n.ticket_id, n.at, n.message) not in self.nudges_seen]
        self.nudges_seen.update((n.ticket_id, n.at, n.message) for n in fresh)
        if fresh:
            self.nudges_since = max(self.nudges_since,
                                    max(n.at for n in fresh) - CLOCK_SLACK)
        for nudge in fresh[:ANNOUNCE_EACH]:
            # TRANSLATORS: a lead's nudge on one of your tickets: who, the ticket's key,
            # its subject, then the nudge's own words.
            self.app.notify(_("{lead} on {key} ({subject}): {message}").format(
                lead=nudge.from_name, key=nudge.key, subject=_short(nudge.subject),
                message=_short(nudge.message)), title=_("Nudge"), severity="warning",
                markup=False, timeout=15)
        if len(fresh) > ANNOUNCE_EACH:
            more = len(fresh) - ANNOUNCE_EACH
            self.app.notify(ngettext("and {count} more nudge on your tickets",
                                     "and {count} more nudges on your tickets", more).format(
                                         count=number(more)),
                            title=_("Nudge"), severity="warning")
