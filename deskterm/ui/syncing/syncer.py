"""The workspace's side of the background sync: `deskterm.sync.loop` on Textual workers.

The loop (rounds, backoff, the poke stream) lives in `deskterm.sync.loop`. This adapter
runs its two threads as the app's workers and turns what the loop tells it into what
the workspace shows: the `sync_state` signal, `data_changed` for the panes, and
notifications. The loop's threads hand each of these to the UI thread by posting a
callback (non-blocking, and dropped once the app is closing), so `stop()` may wait for
them from the UI thread without a deadlock.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import events

from deskterm.i18n import _
from deskterm.sync.loop import STOP_SECONDS, Rejection, SyncLoop, SyncState
from deskterm.ui.syncing.state import describe_rejection

if TYPE_CHECKING:

    from deskterm.ui.app import DesktermApp
    from deskterm.ui.session import DeskSession

#: How long a rejection stays on screen: it asks the agent to do something.
REJECTION_NOTICE_SECONDS = 20.0


class Syncer:
    """Keeps the session's store in sync with the server until `stop()`.

    `state` (read on the UI thread) is the latest published SyncState; every change is
    also published on `app.sync_state`.
    """

    def __init__(self, app: DesktermApp, session: DeskSession, server: str, token: str) -> None:
        self.app = app
        self.session = session
        self.state = SyncState("starting")
        self._loop = SyncLoop(lambda: session.store, server, token, self)

    def start(self) -> None:
        self.app.run_worker(self._loop.run_rounds, name="sync rounds", group="sync-rounds",
                            thread=True, exclusive=True, exit_on_error=False)
        self.app.run_worker(self._loop.run_stream, name="sync stream", group="sync-stream",
                            thread=True, exclusive=True, exit_on_error=False)

    def sync_now(self) -> None:
        """A round at once, even while backing off."""
        self._loop.sync_now()

    def local_change(self) -> None:
        """Something was written locally: push it soon."""
        self._loop.local_change()

    def stop(self, timeout: float = STOP_SECONDS) -> bool:
        """Stop both threads; True when they ended within `timeout` seconds."""
        return self._loop.stop(timeout)

    @property
    def running(self) -> bool:
        """Whether either thread is still running."""
        return self._loop.running

    # -- what the loop tells, from its threads (SyncListener) ----------------------------

    def state_changed(self, state: SyncState) -> None:
        watcher = getattr(self.app, "watcher", None)
        if watcher is not None:  # before the store watch sees this round's writes
            watcher.note(state)
        self._on_ui(self._apply, state)

    def data_changed(self, entities: set[str]) -> None:
        self._on_ui(self._refresh, entities)

    def rejected(self, rejection: Rejection) -> None:
        text = _("{rejection} · kept in full under Rejected changes (X)").format(
            rejection=describe_rejection(rejection))
        self._on_ui(partial(self.app.notify, text, title=_("Sync: rejected"),
                            severity="warning", timeout=REJECTION_NOTICE_SECONDS))

    def trouble(self, message: str) -> None:
        self._on_ui(partial(self.app.notify, _("Sync: {message}").format(message=message),
                            severity="error",
                            timeout=10))

    def _on_ui(self, callback: Callable[..., None], *args: Any) -> None:
        """Run `callback(*args)` on the UI thread, without waiting for it."""
        self.app.post_message(events.Callback(callback=partial(callback, *args)))

    # -- on the UI thread ----------------------------------------------------------------

    def _apply(self, state: SyncState) -> None:
        self.state = state
        signal = getattr(self.app, "sync_state", None)
        if signal is not None:
            signal.publish(state)

    def _refresh(self, entities: set[str]) -> None:
        """Pulled or answered changes: the panes re-read (empty: everything)."""
        if not self.app.screen.is_mounted:
            # The first round can beat the workspace to its on_mount, where it subscribes
            # to data_changed: a refresh published before that would be lost for good.
            self.app.set_timer(0.05, partial(self._refresh, entities))
            return
        self.app.changed(*sorted(entities), pulled=True)
