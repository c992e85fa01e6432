"""The HTTP side of sync: push the outbox, pull the log, listen for pokes.

`SyncClient.sync()` is one round: push everything pending (in batches, in order), then
pull until caught up. Network trouble raises `Offline` (retry later, nothing is lost:
the outbox and the cursor only move when an answer has been recorded); a refused token
raises `AuthFailed`; anything else the server says no to raises `SyncFailed` with its
message.

Every request says the language current when it is sent (`Accept-Language`), so the
server's refusals, a rejected change's reason included, come back in the words its agent
reads; a rejection's reason is kept as it came (`sync.replica.answers`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import ValidationError

from deskterm.domain.errors import DeskError
from deskterm.i18n import _, language, ngettext
from deskterm.i18n.formats import number
from deskterm.store import Store
from deskterm.store.login import Login, is_demo, read_login
from deskterm.sync import replica
from deskterm.sync.wire import (
    MAX_PUSH_CHANGES,
    Me,
    PullResponse,
    PushRequest,
    PushResponse,
    PushResult,
)

API = "/api/v1"
TIMEOUT = httpx.Timeout(10.0, connect=3.0)
PULL_PAGE = 5000
#: A `/healthz` probe is given this long: a server that cannot answer it soon is away.
PROBE_TIMEOUT = httpx.Timeout(2.0, connect=1.0)
#: An idle connection is dropped after 2 s: servers (uvicorn's default) close theirs after
#: 5 s, and a request sent on one the server is closing that moment fails as "connection
#: reset" (seen under load). Reconnecting on loopback or a LAN costs a millisecond.
LIMITS = httpx.Limits(keepalive_expiry=2.0)


#: How many rounds a change the server fails on (a 5xx) is sent again before it is
#: rejected, its content kept, so that it no longer holds anything up.
MAX_ATTEMPTS = 3


def _refusal_code(status: int) -> str:
    if status == 413:
        return "too_large"
    return "server_failed" if status >= 500 else "invalid"


class SyncFailed(DeskError):
    """The server refused or answered something we cannot use."""

    code = "sync_failed"
    #: The HTTP status of the server's refusal; None when it never answered.
    status: int | None = None
    detail: str = ""


class Offline(SyncFailed):
    """The server cannot be reached (network down, server stopped, 503): try again later."""

    code = "offline"


class AuthFailed(SyncFailed):
    """The token is missing, unknown or revoked."""

    code = "auth"


@dataclass
class SyncReport:
    """What one round moved."""

    pushed: int = 0
    applied: int = 0
    rejected: list[replica.RejectedChange | Any] = field(default_factory=list)
    pulled: int = 0
    changed_rows: int = 0
    entities: set[str] = field(default_factory=set)
    head: int = 0
    reset: bool = False
    #: Changes the server failed on, held back until a later round (see MAX_ATTEMPTS).
    held_back: int = 0

    def summary(self) -> str:
        """`pushed 3, 1 rejected, pulled 12`: a list of counts, each whole in itself."""
        # TRANSLATORS: one item of a sync round's summary: how many changes were sent.
        parts = [_("pushed {count}").format(count=number(self.pushed))]
        if self.rejected:
            # TRANSLATORS: one item of a sync round's summary: changes the server refused.
            parts.append(_("{count} rejected").format(count=number(len(self.rejected))))
        if self.held_back:
            parts.append(_("{count} held back (the server failed on them)").format(
                count=number(self.held_back)))
        # TRANSLATORS: one item of a sync round's summary: how many changes were fetched.
        parts.append(_("pulled {count}").format(count=number(self.pulled)))
        return ", ".join(parts)


class SyncClient:
    """Sync one local store with one server, as the account the token belongs to."""

    def __init__(self, store: Store, server: str, token: str,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.store = store
        self.server = server.rstrip("/")
        self._http = httpx.Client(base_url=self.server, timeout=TIMEOUT, transport=transport,
                                  limits=LIMITS, headers={"Authorization": f"Bearer {token}"},
                                  event_hooks={"request": [_say_language]})
        self._client_id: str | None = None
        self._account: Me | None = None

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def client_id(self) -> str:
        if self._client_id is None:
            self._client_id = replica.client_id(self.store)
        return self._client_id

    def healthy(self) -> bool:
        """Whether the server answers `/healthz` now: a cheap probe (no push, no pull) for
        a client waiting for its server to come back. Never raises."""
        try:
            response = self._http.get("/healthz", timeout=PROBE_TIMEOUT)
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    def me(self) -> Me:
        return Me.model_validate(self._call("GET", f"{API}/me"))

    def check_account(self) -> Me:
        """Make sure this token may sync this store, before anything is sent (once).

        A demo store never syncs. A store logged in as one account never syncs with
        another's token, and work written by someone else is never pushed with this
        token: the server would refuse it as not in its owner's name, and it would be lost.
        """
        if self._account is not None:
            return self._account
        path = self.store.path
        if is_demo(path):
            raise SyncFailed(_("this is a demo store: it never syncs with a server; log in "
                               "with a store of your own (deskterm --db NEW.db login)"))
        me = self.me()
        login = read_login(path)
        if login is not None and login.agent_id != me.agent_id:
            raise AuthFailed(_("this store is logged in as {handle}, not {token_handle}, whose "
                               "token this is; nothing was sent").format(
                                   handle=login.handle, token_handle=me.handle))
        count, author = replica.pending_by_others(self.store, me.agent_id)
        if count:
            if author:
                message = ngettext(
                    "this store holds {count} unsynced change by {author}, which "
                    "{handle}'s token cannot send; nothing was sent. Sync it with their own "
                    "login, or use a new store (deskterm --db NEW.db login)",
                    "this store holds {count} unsynced changes by {author}, which "
                    "{handle}'s token cannot send; nothing was sent. Sync them with their own "
                    "login, or use a new store (deskterm --db NEW.db login)", count)
            else:
                message = ngettext(
                    "this store holds {count} unsynced change by another agent, which "
                    "{handle}'s token cannot send; nothing was sent. Sync it with their own "
                    "login, or use a new store (deskterm --db NEW.db login)",
                    "this store holds {count} unsynced changes by another agent, which "
                    "{handle}'s token cannot send; nothing was sent. Sync them with their own "
                    "login, or use a new store (deskterm --db NEW.db login)", count)
            raise SyncFailed(message.format(count=number(count), author=author,
                                            handle=me.handle))
        self._account = me
        return me

    def team_self_rating(self, weeks: int, team: str | None = None) -> dict[str, Any]:
        """The team's weekly self-rating, computed by the server (it alone has the ratings)."""
        params: dict[str, Any] = {"weeks": weeks, **({"team": team} if team else {})}
        return dict(self._call("GET", f"{API}/team/self-rating", params=params))

    def team_mood(self, today: str, team: str | None = None) -> dict[str, Any]:
        """The lead's team mood aggregates, computed by the server (it alone has the entries)."""
        params = {"today": today, **({"team": team} if team else {})}
        return dict(self._call("GET", f"{API}/team/mood", params=params))

    def attachment(self, attachment_id: str) -> bytes:
        """A mail attachment's bytes (the server keeps them; replicas list them)."""
        try:
            response = self._http.get(f"{API}/attachments/{quote(attachment_id, safe='')}")
        except httpx.TransportError as error:
            raise Offline(_("cannot reach {server}: {error}").format(
                server=self.server, error=_why(error))) from None
        self._check(response)
        return response.content

    def sync(self) -> SyncReport:
        """Push everything pending, then pull until caught up."""
        report = SyncReport()
        self.check_account()
        self.push(report)
        self.pull(report)
        replica.mark_synced(self.store)
        return report

    def push(self, report: SyncReport | None = None) -> SyncReport:
        report = report or SyncReport()
        held_back: set[str] = set()
        while True:
            batch = replica.pending_changes(self.store, MAX_PUSH_CHANGES, skip=held_back)
            if not batch:
                return report
            self._push_batch(batch, report, held_back)

    def _push_batch(self, batch: list[replica.Pending], report: SyncReport,
                    held_back: set[str]) -> None:
        """Push one batch and record the answers. Whatever the server answers, the outbox
        never wedges behind one change.

        A batch the server will not take at all (any refusal but a bad token or a server
        that is away: a change it cannot read, a batch too big, a failure of its own) is
        split in halves until the one change it cannot take stands alone. That change is
        then rejected with the server's reason, its content kept for the agent to see and
        use again; when the server failed on it (a 5xx), it is held back for this round
        and rejected only after failing MAX_ATTEMPTS rounds, so a passing fault of the
        server costs nothing. The changes behind it go up either way.
        """
        request = PushRequest.model_construct(
            client_id=self.client_id, changes=[p.change for p in batch])
        try:
            payload = self._call("POST", f"{API}/sync/push",
                                 json=request.model_dump(mode="json"))
        except SyncFailed as error:
            if isinstance(error, Offline | AuthFailed) or error.status is None:
                raise
            if len(batch) > 1:
                half = len(batch) // 2
                self._push_batch(batch[:half], report, held_back)
                self._push_batch(batch[half:], report, held_back)
                return
            change = batch[0].change
            if error.status >= 500 and \
                    replica.count_failure(self.store, change.mutation_id) < MAX_ATTEMPTS:
                held_back.add(change.mutation_id)
                report.held_back += 1
                return
            answer = PushResponse(head=0, results=[PushResult(
                mutation_id=change.mutation_id, status="rejected", outcome="rejected",
                code=_refusal_code(error.status),
                reason=_("the server cannot accept this change: {detail}").format(
                    detail=error.detail))])
        else:
            answer = self._parse(PushResponse, payload)
        rejected = replica.record_answers(self.store, batch, answer.results)
        report.pushed += len(batch)
        report.rejected.extend(rejected)
        report.applied += sum(1 for r in answer.results
                              if (r.outcome if r.status == "duplicate" else r.status)
                              == "applied")
        report.head = max(report.head, answer.head)

    def pull(self, report: SyncReport | None = None, page: int = PULL_PAGE) -> SyncReport:
        """Pull until caught up. The next page is fetched while this one is applied."""
        report = report or SyncReport()
        if replica.is_new(self.store):
            before = (report.pulled, report.changed_rows, set(report.entities), report.head)
            try:
                return self._first_pull(report, page)
            except replica.UNAPPLIABLE:
                # The bulk load was rolled back whole: a change in the log cannot be
                # applied here. Pull page by page instead, setting such changes aside.
                report.pulled, report.changed_rows, report.entities, report.head = before
        cursor = replica.read_cursor(self.store)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="deskterm-pull") as ahead:
            upcoming = ahead.submit(self._pull_page, cursor, page)
            while True:
                answer = upcoming.result()
                if answer.reset:
                    replica.reset_for_new_history(self.store)
                    report.reset = True
                    self.push(report)
                    upcoming = ahead.submit(self._pull_page, 0, page)
                    continue
                if answer.more:
                    upcoming = ahead.submit(self._pull_page, answer.cursor, page)
                report.changed_rows += replica.apply_pulled(self.store, answer.changes,
                                                            answer.cursor, answer.server_id)
                report.pulled += len(answer.changes)
                report.entities.update(c.entity for c in answer.changes)
                report.head = max(report.head, answer.head)
                if not answer.more:
                    return report

    def _first_pull(self, report: SyncReport, page: int) -> SyncReport:
        """Everything there is, into a new replica, as one bulk load (replica.first_pull).

        The thread that fetches the next page decodes it too: the writing thread spends
        much of its time inside SQLite, which lets go of the GIL meanwhile.
        """
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="deskterm-pull") as ahead, \
                replica.first_pull(self.store) as apply_page:
            upcoming = ahead.submit(self._pull_decoded, 0, page)
            while True:
                answer, decoded = upcoming.result()
                if answer.more:
                    upcoming = ahead.submit(self._pull_decoded, answer.cursor, page)
                report.changed_rows += apply_page(answer.changes, decoded, answer.cursor,
                                                  answer.server_id)
                report.pulled += len(answer.changes)
                report.entities.update(c.entity for c in answer.changes)
                report.head = max(report.head, answer.head)
                if not answer.more:
                    return report

    def _pull_decoded(self, cursor: int, page: int) -> tuple[PullResponse, list[Any]]:
        answer = self._pull_page(cursor, page)
        return answer, replica.decode_for_first_pull(answer.changes)

    def _pull_page(self, cursor: int, page: int) -> PullResponse:
        payload = self._call("GET", f"{API}/sync/pull", params={"cursor": cursor, "limit": page})
        return _pull_response(payload)

    def listen(self, on_poke: Callable[[int], None], should_stop: Callable[[], bool],
               read_timeout: float = 60.0) -> None:
        """Follow the server's poke stream until `should_stop()` or the stream ends.

        Raises Offline when the connection fails or drops, so the caller can back off.
        """
        timeout = httpx.Timeout(read_timeout, connect=3.0)
        try:
            with self._http.stream("GET", f"{API}/sync/stream", timeout=timeout) as response:
                self._check(response)
                for seq in _pokes(response.iter_lines()):
                    if should_stop():
                        return
                    if seq is not None:
                        on_poke(seq)
        except httpx.TransportError as error:
            raise Offline(_("lost the live stream from {server}: {error}").format(
                server=self.server, error=_why(error))) from None

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TransportError as error:
            raise Offline(_("cannot reach {server}: {error}").format(
                server=self.server, error=_why(error))) from None
        self._check(response)
        try:
            return response.json()
        except json.JSONDecodeError:
            raise SyncFailed(_("{server} answered something that is not JSON").format(
                server=self.server)) from None

    def _check(self, response: httpx.Response) -> None:
        if response.status_code < 400:
            return
        if response.is_stream_consumed is False:
            response.read()
        detail = _detail(response)
        if response.status_code == 401:
            error: SyncFailed = AuthFailed(
                _("the server refused the token: {detail}").format(detail=detail))
        elif response.status_code in (502, 503, 504):
            error = Offline(_("the server is unavailable ({status}): {detail}").format(
                status=response.status_code, detail=detail))
        else:
            error = SyncFailed(_("the server refused ({status}): {detail}").format(
                status=response.status_code, detail=detail))
        error.status, error.detail = response.status_code, detail
        raise error

    @staticmethod
    def _parse(model: Any, payload: Any) -> Any:
        try:
            return model.model_validate(payload)
        except ValidationError:
            raise SyncFailed(_("the server's answer does not match this deskterm's "
                               "protocol; are both the same version?")) from None


@dataclass(frozen=True, slots=True)
class PulledChange:
    """A change as a pull page carries it: plain attributes, read once by apply_pulled."""

    seq: int
    mutation_id: str
    entity: str
    row_id: str
    op: str
    fields: dict[str, Any]
    hlc: str
    author_id: str | None


_CHANGE_KEYS = frozenset(("seq", "mutation_id", "entity", "row_id", "op", "fields", "hlc",
                          "author_id"))


def _pull_response(payload: Any) -> PullResponse:
    """A pull page, checked for shape only: every change's fields are checked field by field
    when they are applied (codec.decode_fields), so validating them here too would only
    pay twice for the biggest part of a first pull."""
    try:
        changes = payload["changes"]
        built = []
        for change in changes:
            if not isinstance(change, dict) or not change.keys() >= _CHANGE_KEYS \
                    or not isinstance(change["fields"], dict) \
                    or change["op"] not in ("insert", "update", "delete"):
                raise TypeError
            built.append(PulledChange(change["seq"], change["mutation_id"], change["entity"],
                                      change["row_id"], change["op"], change["fields"],
                                      change["hlc"], change["author_id"]))
        # PulledChange stands in for LoggedChange here: the same attributes, unvalidated.
        return PullResponse.model_construct(
            changes=built,  # type: ignore[arg-type]
            cursor=int(payload["cursor"]), head=int(payload["head"]),
            more=bool(payload["more"]), server_id=str(payload.get("server_id", "")),
            reset=bool(payload.get("reset", False)))
    except (KeyError, TypeError, ValueError):
        raise SyncFailed(_("the server's answer does not match this deskterm's protocol; "
                           "are both the same version?")) from None


def _pokes(lines: Iterator[str]) -> Iterator[int | None]:
    """Sequence numbers from an SSE stream; None for heartbeats (so callers can stop)."""
    event = None
    for line in lines:
        if line.startswith(":"):
            yield None
        elif line.startswith("event:"):
            event = line.removeprefix("event:").strip()
        elif line.startswith("data:") and event == "poke":
            try:
                yield int(json.loads(line.removeprefix("data:"))["seq"])
            except (ValueError, KeyError, TypeError):
                yield None
        elif not line:
            event = None


def _say_language(request: httpx.Request) -> None:
    """Ask for the server's answer in the language current as the request is sent (the
    app may have switched since the client was made)."""
    request.headers["Accept-Language"] = language()


def _detail(response: httpx.Response) -> str:
    try:
        return str(response.json().get("detail", response.text))
    except (json.JSONDecodeError, AttributeError):
        return response.text[:200] or response.reason_phrase


def _why(error: Exception) -> str:
    return str(error) or type(error).__name__


@contextmanager
def open_client(store: Store, login: Login | None) -> Iterator[SyncClient]:
    """A client for the server `store` is logged in to, as its account."""
    if login is None:
        raise SyncFailed(_("{path} is not logged in to a server: run deskterm --db {path} "
                           "login --server URL").format(path=store.path))
    client = SyncClient(store, login.server, login.token)
    try:
        yield client
    finally:
        client.close()
