"""The hand-back on screen: a returned ticket is announced to its owner, a chase to the
members of the ticket's resolver group, on any screen (ui.announcer runs it).

Like nudges, the marks live in memory from the moment the app opened, and items are
remembered by id, so a return pulled late from a machine whose clock lags is still
announced once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from deskterm.i18n import _, ngettext
from deskterm.i18n.formats import number

if TYPE_CHECKING:
    from deskterm.services.handback import TicketNotice
    from deskterm.ui.app import DesktermApp
    from deskterm.ui.session import DeskSession

#: Returns to the owner, chases to the group's members.
HandbackFound = tuple[list["TicketNotice"], list["TicketNotice"]]
CLOCK_SLACK = timedelta(minutes=10)
ANNOUNCE_EACH = 3
MESSAGE_LENGTH = 140


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MESSAGE_LENGTH else text[:MESSAGE_LENGTH - 1] + "…"


class HandbackNotices:
    """Reads (in a worker thread) and announces (on the UI thread) returns and chases."""

    def __init__(self, app: DesktermApp, session: DeskSession, started: datetime) -> None:
        self.app = app
        self.session = session
        self.since = {"returned": started, "chase": started}
        self.seen: set[str] = set()

    def read(self) -> HandbackFound:
        """In a worker: what arrived since the marks (then `announce` it on the UI thread)."""
        from deskterm.services.handback import chases_for, returns_for

        store, me = self.session.store, self.session.actor.id
        return (returns_for(store, me, since=self.since["returned"]),
                chases_for(store, me, since=self.since["chase"]))

    def announce(self, returns: list[TicketNotice], chases: list[TicketNotice]) -> None:
        me = self.session.actor.handle
        for kind, found, title in (("returned", returns, _("Returned to you")),
                                   ("chase", chases, _("Chased"))):
            fresh = [n for n in found if n.event_id not in self.seen]
            self.seen.update(n.event_id for n in fresh)
            if fresh:
                self.since[kind] = max(self.since[kind],
                                       max(n.at for n in fresh) - CLOCK_SLACK)
            shown = [n for n in fresh if n.from_handle != me]
            for notice in shown[:ANNOUNCE_EACH]:
                if kind == "returned":
                    # TRANSLATORS: a ticket 2nd line handed back: key, subject, their note.
                    text = _("{key} ({subject}): {note} — tell the customer, then resolve it")
                else:
                    # TRANSLATORS: an escalation's owner chases 2nd line: key, subject,
                    # their note, who chased.
                    text = _("{key} ({subject}): {note} — from {agent}")
                self.app.notify(text.format(key=notice.key, subject=_short(notice.subject),
                                            note=_short(notice.detail),
                                            agent=notice.from_handle), title=title,
                                severity="warning", markup=False, timeout=20)
            if len(shown) > ANNOUNCE_EACH:
                more = len(shown) - ANNOUNCE_EACH
                self.app.notify(ngettext("and {count} more", "and {count} more", more).format(
                    count=number(more)), title=title, severity="warning")
