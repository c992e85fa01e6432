"""Background sync: rounds with the server on one thread, the poke stream on another.

A round (`SyncClient.sync`: push the outbox, pull the log) runs at start, every
ROUND_SECONDS, at once when the server pokes with news, and right after a local write.

When the server cannot be reached, the app must catch up within a few seconds of it
answering again, without 200 agents' apps arriving in the same instant. So while it is
away the rounds thread probes `/healthz` (cheap: no token, no push, no pull) every
PROBE_FIRST … PROBE_CEILING seconds, jittered a quarter either way; once it answers,
the round follows after a random 0 … CATCH_UP_SPREAD seconds, and the stream thread is
told to reconnect at once. A desk that lost its server together thus comes back spread
over some three seconds, each app within about four. A server that answers but refuses
(a 5xx, or a probe that passed and a round that still found it away) is backed off
longer (1, 2, 4 … 60 s), so an overloaded server is given room. "sync now" cuts any
wait short; a local write only updates the pending count.

A refused token (401: revoked or unknown) is final: the state turns "signed_out",
saying how to sign in again, and both threads end; nothing more is sent.

The loop knows nothing of who shows it: it runs `run_rounds` and `run_stream` on
threads its owner provides (the workspace: Textual workers) and tells a `SyncListener`
what happened, from those threads. The threads share the store with the rest of the
app; SQLite's WAL and busy timeout keep readers and the one writer out of each other's
way.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol

from deskterm.i18n import _

if TYPE_CHECKING:
    from deskterm.store import Store
    from deskterm.sync.client import SyncClient, SyncReport
    from deskterm.sync.stream import InterruptibleTransport

#: Seconds between rounds when nothing else asks for one.
ROUND_SECONDS = 5.0
#: While the server is away: the first and the longest wait between `/healthz` probes.
PROBE_FIRST = 0.5
PROBE_CEILING = 2.0
#: Once a probe is answered, the round waits a random moment up to this long, so a desk
#: of apps that lost the server together does not catch up in one burst.
CATCH_UP_SPREAD = 1.0
#: The longest the stream thread waits between reconnections on its own; a round that
#: reaches the server wakes it at once.
STREAM_CEILING = 30.0
#: How long `stop()` waits for the threads to end.
STOP_SECONDS = 2.0

#: What may wake the rounds thread. "poke", "manual" and "start" try the server even
#: while backing off; "local", "stream" (the stream dropped) and "timer" respect it.
_URGENT = frozenset({"poke", "manual", "start"})

#: local: no server configured; starting: before the first round answered;
#: synced / pending: the last round reached the server; offline: it could not;
#: error: the server refused (an incompatible server, a failure of its own);
#: signed_out: the server refused the token (401): sync has stopped for good.
SyncKind = Literal["local", "starting", "synced", "pending", "offline", "error",
                   "signed_out"]


@dataclass(frozen=True)
class SyncState:
    """One snapshot of what the background sync is doing, told whenever it changes."""

    kind: SyncKind
    #: Local changes not yet answered by the server.
    pending: int = 0
    #: When a round last reached the server (UTC).
    last_synced: datetime | None = None
    #: `time.monotonic()` at which the next attempt is due, while offline or failing.
    retry_at: float | None = None
    #: Why sync is offline or failing, in words.
    message: str = ""
    #: How far the store has pulled, as this loop's last round left it.
    cursor: int = 0


@dataclass(frozen=True)
class Rejection:
    """A local change the server refused in a round: what it was and why."""

    entity: str
    fields: dict[str, Any]
    reason: str


class SyncListener(Protocol):
    """What the loop tells its owner. Called from the loop's threads: a listener that
    draws must hand each call to its own thread without waiting for it."""

    def state_changed(self, state: SyncState) -> None:
        """The sync state changed."""

    def data_changed(self, entities: set[str]) -> None:
        """Rows of these entities changed in the store (empty: everything was pulled)."""

    def rejected(self, rejection: Rejection) -> None:
        """The server refused a local change."""

    def trouble(self, message: str) -> None:
        """Sync fails for a new reason (told once per distinct reason)."""


class Backoff:
    """Exponential waits between failed attempts: 1, 2, 4 … `ceiling` seconds, jittered.

    The jitter (up to a quarter either way) keeps a desk full of clients that lost the
    server together from coming back at the same instant.
    """

    def __init__(self, first: float = 1.0, ceiling: float = 60.0,
                 rng: random.Random | None = None) -> None:
        self.first = first
        self.ceiling = ceiling
        self.failures = 0
        self._rng = rng or random.Random()

    def next(self) -> float:
        """The wait before the next attempt, counting one more failure."""
        base = min(self.ceiling, self.first * 2 ** self.failures)
        self.failures += 1
        return float(base * self._rng.uniform(0.75, 1.25))

    def reset(self) -> None:
        self.failures = 0


class SyncLoop:
    """Keeps a store in sync with the server until `stop()`.

    `store` is called on the rounds and stream threads (opening the store may be slow).
    """

    def __init__(self, store: Callable[[], Store], server: str, token: str,
                 listener: SyncListener) -> None:
        self._store = store
        self.server = server
        self.token = token
        self.listener = listener
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._reasons: set[str] = {"start"}
        self._stopping = threading.Event()
        #: Set when the stream thread should reconnect now (the server answered a round)
        #: or stop; it waits on this between attempts.
        self._stream_wake = threading.Event()
        self._rng = random.Random()
        self._running: dict[str, threading.Event] = {}
        self._transports: list[InterruptibleTransport] = []
        # Thread-side state: only the rounds thread writes these.
        self._current = SyncState("starting")
        self._last_error = ""
        # The newest log sequence number a round has caught up with; a poke at or
        # below it is our own push echoing back and needs no round.
        self._known_head = 0
        self._stream_live = False

    # -- from any thread -----------------------------------------------------------------

    def sync_now(self) -> None:
        """A round at once, even while backing off."""
        self._wake_for("manual")

    def local_change(self) -> None:
        """Something was written locally: push it soon."""
        self._wake_for("local")

    def stop(self, timeout: float = STOP_SECONDS) -> bool:
        """Stop both threads; True when they ended within `timeout` seconds.

        The stream's socket is cut, so a thread blocked reading it returns at once;
        each thread closes its own HTTP client on the way out.
        """
        waiting = self._halt()
        deadline = time.monotonic() + timeout
        return all(done.wait(max(0.0, deadline - time.monotonic())) for done in waiting)

    def _halt(self) -> list[threading.Event]:
        """Tell both threads to end and cut open responses; the threads' done events."""
        with self._lock:
            self._stopping.set()
            self._wake.set()
            self._stream_wake.set()
            waiting = list(self._running.values())
            transports = list(self._transports)
        for transport in transports:
            transport.interrupt()
        return waiting

    @property
    def running(self) -> bool:
        """Whether either thread is still running."""
        with self._lock:
            return any(not done.is_set() for done in self._running.values())

    def _wake_for(self, reason: str) -> None:
        with self._lock:
            self._reasons.add(reason)
            self._wake.set()

    def _take_reasons(self) -> set[str]:
        with self._lock:
            self._wake.clear()
            reasons, self._reasons = self._reasons, set()
        return reasons or {"timer"}

    def _enter(self, name: str) -> threading.Event | None:
        """Register a starting thread; None when already stopping (it must not run)."""
        with self._lock:
            if self._stopping.is_set():
                return None
            done = self._running[name] = threading.Event()
            return done

    def _client(self, store: Store) -> SyncClient | None:
        """An HTTP client whose responses `stop()` can cut; None when already stopping."""
        from deskterm.sync.client import SyncClient
        from deskterm.sync.stream import InterruptibleTransport

        transport = InterruptibleTransport()
        with self._lock:
            if self._stopping.is_set():
                transport.close()
                return None
            self._transports.append(transport)
        return SyncClient(store, self.server, self.token, transport=transport)

    # -- the rounds thread ---------------------------------------------------------------

    def run_rounds(self) -> None:
        """Sync rounds until `stop()`: run it on a thread of its own."""
        done = self._enter("rounds")
        if done is None:
            return
        try:
            store = self._store()
            client = self._client(store)
            if client is not None:
                with client:
                    self._rounds(client, store)
        finally:
            done.set()

    def _rounds(self, client: SyncClient, store: Store) -> None:
        from deskterm.sync.client import AuthFailed, Offline, SyncFailed

        backoff = Backoff()  # the server answers but fails or refuses
        probing = Backoff(PROBE_FIRST, PROBE_CEILING)  # the server is away
        retry_at: float | None = None
        away = False  # the last round could not reach the server: probe before a round
        while not self._stopping.is_set():
            reasons = self._take_reasons()
            if self._stopping.is_set():
                return
            now = time.monotonic()
            if retry_at is not None and now < retry_at and not reasons & _URGENT:
                if "local" in reasons:  # still waiting; only the count has changed
                    self._publish(replace(self._current, pending=self._pending(store)))
                self._wake.wait(retry_at - now)
                continue
            if away and "manual" not in reasons:
                if not client.healthy():
                    retry_at = time.monotonic() + probing.next()
                    self._publish(replace(self._current, retry_at=retry_at))
                    self._wake.wait(max(0.0, retry_at - time.monotonic()))
                    continue
                # It answers: catch up after a moment of our own, not with the whole desk.
                if self._stopping.wait(self._rng.uniform(0.0, CATCH_UP_SPREAD)):
                    return
            try:
                self._round(client, store)
            except AuthFailed as error:
                if error.status == 401:  # revoked or unknown: retrying cannot help
                    self._sign_out(error, store)
                    return
                retry_at = time.monotonic() + backoff.next()
                self._failed("error", error.message, retry_at, store)
            except Offline as error:
                # Away: probe soon. Reached by a probe and still away: give it room.
                retry_at = time.monotonic() + (backoff.next() if away else probing.next())
                away = True
                self._failed("offline", error.message, retry_at, store)
            except SyncFailed as error:  # a server that says no
                retry_at = time.monotonic() + backoff.next()
                away = False
                self._failed("error", error.message, retry_at, store)
            except Exception as error:  # the store busy or broken: say so, keep trying
                retry_at = time.monotonic() + backoff.next()
                self._failed("error", f"{type(error).__name__}: {error}", retry_at, store)
            else:
                backoff.reset()
                probing.reset()
                retry_at = None
                away = False
                if not self._stream_live:  # the server is back: so is its stream, now
                    self._stream_wake.set()
            wait = ROUND_SECONDS if retry_at is None else retry_at - time.monotonic()
            self._wake.wait(max(0.0, wait))

    def _sign_out(self, error: Exception, store: Store) -> None:
        """The server refused the token: say so, how to sign in again, and stop."""
        detail = getattr(error, "detail", "") or _("revoked or unknown")
        message = _("signed out: the server no longer accepts this store's token ({detail}). "
                    "Sync has stopped; your work stays here. Sign in again with: deskterm "
                    "--db {path} login --server {server}").format(
                        detail=detail, path=store.path, server=self.server)
        self._publish(replace(self._current, kind="signed_out", message=message,
                              retry_at=None, pending=self._pending(store)))
        self.listener.trouble(message)
        self._halt()

    def _round(self, client: SyncClient, store: Store) -> None:
        from deskterm.domain.clock import utcnow
        from deskterm.sync import replica

        started = utcnow().isoformat()
        first_pending = replica.first_pending_seq(store)
        before = replica.status(store)
        if before.pending and self._current.kind in ("synced", "pending", "starting"):
            self._publish(replace(self._current, kind="pending", pending=before.pending))
        report = client.sync()
        after = replica.status(store)
        self._known_head = max(self._known_head, report.head, after.cursor)
        self._last_error = ""
        self._publish(SyncState("synced" if not after.pending else "pending",
                                pending=after.pending, last_synced=_parse(after.last_sync_at),
                                cursor=after.cursor))
        self._tell_rejections(store, report)
        entities = set(report.entities) if report.changed_rows else set()
        if report.pushed:  # marks of pending changes go, rejected rows went, numbers came
            entities |= replica.answered_entities(store, started, first_pending or 0)
        if report.reset:
            self.listener.data_changed(set())  # everything was pulled again
        elif entities:
            self.listener.data_changed(entities)

    def _tell_rejections(self, store: Store, report: SyncReport) -> None:
        if not report.rejected:
            return
        from deskterm.sync import replica

        found = {r.mutation_id: r for r in replica.rejected_by_mutation(
            store, [result.mutation_id for result in report.rejected])}
        for result in report.rejected:
            change = found.get(result.mutation_id)
            self.listener.rejected(Rejection(
                change.entity if change else "", change.fields if change else {},
                result.reason or (change.reason if change else "")))

    def _failed(self, kind: SyncKind, message: str, retry_at: float, store: Store) -> None:
        self._publish(replace(self._current, kind=kind, message=message, retry_at=retry_at,
                              pending=self._pending(store)))
        if kind == "error" and message != self._last_error:
            # Once per distinct trouble: the state keeps saying it meanwhile.
            self.listener.trouble(message)
        self._last_error = message if kind == "error" else ""

    def _pending(self, store: Store) -> int:
        from deskterm.sync import replica

        try:
            return replica.status(store).pending
        except Exception:  # the store is busy: keep the count we showed
            return self._current.pending

    def _publish(self, state: SyncState) -> None:
        self._current = state
        self.listener.state_changed(state)

    # -- the stream thread ---------------------------------------------------------------

    def run_stream(self) -> None:
        """Follow the server's poke stream until `stop()`: run it on a thread of its own."""
        done = self._enter("stream")
        if done is None:
            return
        try:
            client = self._client(self._store())
            if client is not None:
                with client:
                    self._listen(client)
        finally:
            done.set()

    def _listen(self, client: SyncClient) -> None:
        """Follow the poke stream; reconnect when it drops: after a backoff, or at once
        when a round reaches the server again. A refused token ends it."""
        from deskterm.sync.client import AuthFailed

        backoff = Backoff(ceiling=STREAM_CEILING)
        while not self._stopping.is_set():
            self._stream_live = False
            try:
                client.listen(self._poked, self._stopping.is_set)
            except AuthFailed as error:
                if error.status == 401:  # the rounds thread finds out too, and says so
                    self._wake_for("stream")
                    return
            except Exception:  # offline: the rounds thread finds out too, and says so
                pass
            if self._stream_live:  # it worked until now: start the backoff over,
                backoff.reset()
                self._wake_for("stream")  # and let a round find out (and show) what broke
            self._stream_live = False
            self._stream_wake.wait(backoff.next())
            self._stream_wake.clear()

    def _poked(self, seq: int) -> None:
        self._stream_live = True
        if seq > self._known_head:
            self._wake_for("poke")


def _parse(moment: str | None) -> datetime | None:
    return datetime.fromisoformat(moment) if moment else None
