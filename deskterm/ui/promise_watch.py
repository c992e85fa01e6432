"""The promise watch: a promise of one's own that falls due becomes a notification.

"One's own": the promises the acting agent answers for, as the ticket's owner or as the
promise's maker (services.promises.fallen_due). Everything is derived from synced rows
on a timer, so a promise made on another machine, or before a restart, is announced
when its time comes; each promise is announced once per app run (and again only if it
was moved and its new time comes too).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from deskterm.i18n import _, ngettext
from deskterm.i18n.formats import number

if TYPE_CHECKING:
    from deskterm.services.promises import PromiseLine
    from deskterm.ui.app import DesktermApp
    from deskterm.ui.messages import DataChanged
    from deskterm.ui.session import DeskSession

#: How often (seconds) the watch looks whether a promise's time has come.
CHECK_EVERY = 30.0
#: At most this many promises are announced one by one per check; more are summed up.
ANNOUNCE_EACH = 3


class PromiseWatch:
    """Started by the announcer with the session; lives as long as the app."""

    def __init__(self, app: DesktermApp, session: DeskSession) -> None:
        self.app = app
        self.session = session
        self.announced: set[tuple[str, datetime]] = set()

    def start(self) -> None:
        base = self.app.screen_stack[0]
        base.set_interval(CHECK_EVERY, self.check)
        self.app.data_changed.subscribe(base, self.changed, immediate=True)
        self.check()

    def changed(self, change: DataChanged) -> None:
        if change.touches("promise_event", "ticket"):
            self.check()

    def check(self) -> None:
        self.app.run_worker(self._read, thread=True, group="promise-watch", exclusive=True,
                            exit_on_error=False)

    def _read(self) -> None:
        from deskterm.domain.clock import utcnow
        from deskterm.services.promises import fallen_due

        found = fallen_due(self.session.store, self.session.actor.id, utcnow())
        self.app.call_from_thread(self._announce, found)

    def _announce(self, found: list[PromiseLine]) -> None:
        from deskterm.present import local_time

        fresh = [line for line in found
                 if (line.promise.id, line.promise.due_at) not in self.announced]
        self.announced.update((line.promise.id, line.promise.due_at) for line in fresh)
        for line in fresh[:ANNOUNCE_EACH]:
            self.app.notify(_("{key}: promised \"{what}\" by {due}; keep it (or move it with "
                              "a reason) on the ticket").format(
                                  key=line.ticket_key, what=line.promise.what,
                                  due=local_time(line.promise.due_at)),
                            title=_("Promise due"), severity="warning", markup=False,
                            timeout=20)
        if len(fresh) > ANNOUNCE_EACH:
            more = len(fresh) - ANNOUNCE_EACH
            self.app.notify(ngettext("and {count} more promise is due: see the queue's "
                                     "Promises due view",
                                     "and {count} more promises are due: see the queue's "
                                     "Promises due view", more).format(count=number(more)),
                            title=_("Promise due"), severity="warning")
