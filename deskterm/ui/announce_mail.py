"""A mail of the agent's that could not be delivered is announced to them, on any screen.

The server writes a `failed` MailDelivery when it gives up on a reply; it reaches the
agent's replica on a pull, and ui.announcer runs this on that change. As with the other
notices, the marks live in memory from the moment the app opened, and deliveries are
remembered by id, so each failure is announced once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from deskterm.i18n import _, ngettext
from deskterm.i18n.formats import number

if TYPE_CHECKING:
    from deskterm.services.replies import FailedDelivery
    from deskterm.ui.app import DesktermApp
    from deskterm.ui.session import DeskSession

CLOCK_SLACK = timedelta(minutes=10)
ANNOUNCE_EACH = 3
MESSAGE_LENGTH = 140


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MESSAGE_LENGTH else text[:MESSAGE_LENGTH - 1] + "…"


class FailedMailNotices:
    """Reads (in a worker thread) and announces (on the UI thread) failed deliveries."""

    def __init__(self, app: DesktermApp, session: DeskSession, started: datetime) -> None:
        self.app = app
        self.session = session
        self.since = started
        self.seen: set[str] = set()

    def read(self) -> list[FailedDelivery]:
        from deskterm.services.replies import failed_deliveries_for

        return failed_deliveries_for(self.session.store, self.session.actor.id,
                                     since=self.since)

    def announce(self, found: list[FailedDelivery]) -> None:
        fresh = [f for f in found if f.delivery_id not in self.seen]
        self.seen.update(f.delivery_id for f in fresh)
        if fresh:
            self.since = max(self.since, max(f.at for f in fresh) - CLOCK_SLACK)
        title = _("Mail not delivered")
        for failed in fresh[:ANNOUNCE_EACH]:
            # TRANSLATORS: a reply the server could not deliver: the ticket's key, the
            # address, the mail's subject, then what the mail server said.
            self.app.notify(_("{key}: your mail to {address} ({subject}) failed: {detail}")
                            .format(key=failed.ticket_key or "—", address=failed.address,
                                    subject=_short(failed.subject),
                                    detail=_short(failed.detail)),
                            title=title, severity="error", markup=False, timeout=30)
        if len(fresh) > ANNOUNCE_EACH:
            more = len(fresh) - ANNOUNCE_EACH
            self.app.notify(ngettext("and {count} more mail not delivered",
                                     "and {count} more mails not delivered", more).format(
                                         count=number(more)), title=title, severity="error")
