"""Another window on the same store: its writes reach this one's panes (`store.watch`).

A thread of its own polls the store's `data_version` every WATCH_SECONDS. When
another connection committed, it reads where the store stands and tells the panes what
to re-read, on the app's `data_changed` signal (as a sync pull does):

- new local changes in the outbox (this window's or another's): their entities;
- the pull cursor moved, or answers to a push came, and this app's own sync loop did not
  say so (another window pulled or pushed): everything.

This window's own writes are seen too, and re-read once more: cheap, and never wrong.
What this app's sync loop did it reports (`note`), so its pulls are not re-read twice.
"""

from __future__ import annotations

import sqlite3
import threading
from functools import partial
from typing import TYPE_CHECKING

from textual import events

from deskterm.store.watch import StoreMark, StoreWatch
from deskterm.sync.loop import SyncState

if TYPE_CHECKING:
    from deskterm.ui.app import DesktermApp
    from deskterm.ui.session import DeskSession

#: How often the store's data_version is asked (a pragma: microseconds).
WATCH_SECONDS = 0.5


class StoreWatcher:
    """Re-reads the panes when another process writes to the session's store; `stop()`."""

    def __init__(self, app: DesktermApp, session: DeskSession) -> None:
        self.app = app
        self.path = session.path
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        #: The cursor and pending count this app's own sync loop last reported.
        self._own: tuple[int, int] | None = None
        self._thread = threading.Thread(target=self._run, name="deskterm-store-watch",
                                        daemon=True)

    def start(self) -> None:
        # A plain thread, not a Textual worker: it lives as long as the app, and waiting
        # for the app's workers to finish (as tests do) must not wait for it.
        self._thread.start()

    def stop(self, timeout: float = 1.0) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def note(self, state: SyncState) -> None:
        """This app's sync loop reports where it left the store (from its thread)."""
        with self._lock:
            self._own = (state.cursor, state.pending)

    def _run(self) -> None:
        try:
            watch = StoreWatch(self.path)
        except Exception:  # the store could not be opened again: the app says so elsewhere
            return
        try:
            known = watch.mark()
            while not self._stopping.wait(WATCH_SECONDS):
                try:
                    if not watch.written():
                        continue
                    mark = watch.mark()
                    entities = self._what_changed(watch, known, mark)
                except sqlite3.Error:  # busy a moment too long: the next poll sees it
                    continue
                known = mark
                if entities is not None:
                    self.app.post_message(events.Callback(callback=partial(
                        self.app.changed, *sorted(entities), pulled=True)))
        finally:
            watch.close()

    def _what_changed(self, watch: StoreWatch, known: StoreMark, mark: StoreMark
                      ) -> set[str] | None:
        """The entities to re-read (empty: everything); None: nothing to re-read."""
        with self._lock:
            own = self._own
        entities: set[str] = set()
        if mark.outbox_seq > known.outbox_seq:
            entities = watch.entities_since(known.outbox_seq)
        pulled = mark.cursor != known.cursor and (own is None or mark.cursor != own[0])
        answered = (mark.outbox_seq == known.outbox_seq and mark.pending != known.pending
                    and (own is None or mark.pending != own[1]))
        if pulled or answered:
            return set()
        return entities or None
