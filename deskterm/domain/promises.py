"""Promises to customers: their insert-only events, the one reading of a promise's state
from them, and the one parser of a time as a person says it ("tomorrow", "fri 12:00").

A promise is made, then perhaps moved (each time with a reason) and kept. It is never
stored as "broken": broken is derived, its time passed while it was not kept. Every
event is a row of `promise_event`; the `made` event's id is the promise's id.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from sqlmodel import Field, SQLModel

from deskterm.domain.clock import utcnow
from deskterm.domain.errors import Forbidden, InvalidInput
from deskterm.domain.promise_state import DUE_SOON as DUE_SOON
from deskterm.domain.promise_state import PromiseStatus as PromiseStatus
from deskterm.domain.promise_state import due_status as due_status
from deskterm.domain.types import ID_LENGTH, EnumText, UtcDateTime, identifier, reference
from deskterm.i18n import N_, _, formats, pgettext


class PromiseEventKind(StrEnum):
    MADE = "made"
    MOVED = "moved"
    KEPT = "kept"

    @property
    def label(self) -> str:
        """`moved` / `verzet`."""
        return {PromiseEventKind.MADE: pgettext("promise event", "made"),
                PromiseEventKind.MOVED: pgettext("promise event", "moved"),
                PromiseEventKind.KEPT: pgettext("promise event", "kept")}[self]


WHAT_LIMIT = 200
REASON_LIMIT = 500
#: The time of day a promise by a day without a time means: the end of a working day.
END_OF_DAY = time(17, 0)


class PromiseEvent(SQLModel, table=True):
    """One event of one promise: made (what, by when), moved (new time, reason), kept."""

    __tablename__ = "promise_event"

    id: str = identifier()
    #: The promise: the id of its `made` event (a `made` event names itself).
    promise_id: str = Field(max_length=ID_LENGTH, index=True)
    ticket_id: str = reference("ticket.id", index=True)
    kind: PromiseEventKind = Field(sa_type=EnumText(PromiseEventKind))
    #: Who made, moved or kept it.
    agent_id: str = reference("agent.id")
    what: str | None = Field(default=None, max_length=WHAT_LIMIT)
    due_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    reason: str | None = Field(default=None, max_length=REASON_LIMIT)
    #: The contact that kept it, when a logged contact did.
    contact_id: str | None = reference("contact.id", default=None)
    occurred_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


def event_refusal(kind: str, promise_id: str, row_id: str, what: str | None,
                  due_at: datetime | None, reason: str | None,
                  occurred_at: datetime | None) -> str | None:
    """Why an event's fields do not fit its kind (None: they do). Services and the
    server both ask, so no replica holds a move without a reason or a promise made for
    a time already past when it was made (judged by its own time: it may arrive late)."""
    if due_at is not None and occurred_at is not None and due_at <= occurred_at:
        return _("a promise is made (or moved) for a time still to come, not one already past")
    if kind == PromiseEventKind.MADE:
        if promise_id != row_id:
            return _("a promise's made event is the promise itself (promise_id is its id)")
        if not (what or "").strip() or due_at is None:
            return _("a promise says what is promised and by when")
    elif promise_id == row_id:
        return _("a kept or moved event names the promise it is about")
    if kind == PromiseEventKind.MOVED and (due_at is None or not (reason or "").strip()):
        return _("a promise is moved only to a new time, with a reason")
    if kind == PromiseEventKind.KEPT and (due_at is not None or reason or what):
        return _("keeping a promise carries no new time, reason or text")
    return None


def keep_refusal(actor_id: str, maker_id: str, owner_id: str | None) -> str | None:
    """Who may keep or move a promise: its maker or the ticket's owner (None: they may)."""
    if actor_id in (maker_id, owner_id):
        return None
    return _("only the ticket's owner or the promise's maker may keep or move this promise")


def refuse_keeper(actor_id: str, maker_id: str, owner_id: str | None) -> None:
    refused = keep_refusal(actor_id, maker_id, owner_id)
    if refused:
        raise Forbidden(refused)


@dataclass(frozen=True)
class Promise:
    """A promise as its events say it stands. `status_at` gives its state at a moment."""

    id: str
    ticket_id: str
    maker_id: str
    what: str
    made_at: datetime
    #: The time in force: the made time, or the latest move's.
    due_at: datetime
    first_due_at: datetime
    moves: tuple[PromiseEvent, ...] = field(default=())
    kept_at: datetime | None = None
    kept_by: str | None = None
    kept_contact_id: str | None = None
    #: The time in force when it was kept (on time: kept_at <= this).
    due_when_kept: datetime | None = None

    @property
    def kept(self) -> bool:
        return self.kept_at is not None

    @property
    def kept_on_time(self) -> bool:
        return self.kept_at is not None and self.due_when_kept is not None \
            and self.kept_at <= self.due_when_kept

    def status_at(self, now: datetime) -> PromiseStatus:
        if self.kept:
            return PromiseStatus.KEPT
        return due_status(self.due_at, now)


def promises_from(events: Iterable[PromiseEvent]) -> list[Promise]:
    """Every promise the events make, in the order they were made: the one derivation of
    a promise's state. Moves count in the order they happened; the first keep counts
    (two agents may keep it offline at once). Events of an unknown promise are left out."""
    ordered = sorted(events, key=lambda e: (e.occurred_at, e.id))
    made: dict[str, Promise] = {}
    for event in ordered:
        if event.kind == PromiseEventKind.MADE and event.due_at is not None:
            made[event.id] = Promise(
                event.id, event.ticket_id, event.agent_id, event.what or "",
                event.occurred_at, event.due_at, event.due_at)
            continue
        promise = made.get(event.promise_id)
        if promise is None or promise.kept:
            continue
        if event.kind == PromiseEventKind.MOVED and event.due_at is not None:
            made[promise.id] = _replace(promise, due_at=event.due_at,
                                        moves=(*promise.moves, event))
        elif event.kind == PromiseEventKind.KEPT:
            made[promise.id] = _replace(promise, kept_at=event.occurred_at,
                                        kept_by=event.agent_id,
                                        kept_contact_id=event.contact_id,
                                        due_when_kept=promise.due_at)
    return list(made.values())


def _replace(promise: Promise, **changes: object) -> Promise:
    from dataclasses import replace

    return replace(promise, **changes)  # type: ignore[arg-type]


# --- When: a time as a person types it --------------------------------------------------

WEEKDAYS = {name: number for number, names in enumerate((
    ("mon", "monday", "ma", "maandag"), ("tue", "tues", "tuesday", "di", "dinsdag"),
    ("wed", "wednesday", "wo", "woensdag"),
    ("thu", "thur", "thurs", "thursday", "do", "donderdag"), ("fri", "friday", "vr", "vrijdag"),
    ("sat", "saturday", "za", "zaterdag"), ("sun", "sunday", "zo", "zondag"))) for name in names}
#: The words for today and tomorrow, in both languages (a Dutch desk types `morgen 9:30`).
_TODAY = ("today", "vandaag")
_TOMORROW = ("tomorrow", "tmrw", "tmr", "morgen")

#: What `parse_when` understands, for help texts and error messages alike.
WHEN_HELP = N_("today 16:00, tomorrow (17:00), tomorrow 9:30, fri 12:00, 16:00, in 2 hours, "
               "2026-11-27, 2026-11-27 12:00")

_TIME = re.compile(r"^(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ampm>am|pm)?$")
_IN = re.compile(r"^(?:in|over)\s+(?P<n>\d{1,4})\s*(?P<unit>m|min|mins|minutes?|minuten|"
                 r"h|hrs?|hours?|u|uur|d|days?|dag|dagen)$")


def parse_when(text: str, now: datetime, zone: tzinfo | None = None) -> datetime:
    """The moment `text` names, in UTC, read in the local time zone `zone` (None: this
    machine's). Refuses what it cannot read and any moment not after `now`.

    - `today 16:00`, `tomorrow 9:30`, `16:00` (today), `4pm`, `noon`;
    - a day alone (`tomorrow`, `fri`, an ISO date) means END_OF_DAY (17:00) that day;
    - a weekday (`fri`, `friday 12:00`) is the next such day after today, never today
      (say `today` for today);
    - an ISO date or date-time (`2026-11-27`, `2026-11-27 12:00`, `2026-11-27T12:00Z`;
      with an offset it is read in that offset);
    - `in 2 hours`, `in 30 min`, `in 3 days`;
    - the same in Dutch: `vandaag 16:00`, `morgen om 9:30`, `vr 12:00`, `over 2 uur`.

    A local time that does not exist (the hour skipped when clocks go forward) is refused;
    one that happens twice (when clocks go back) is the first of the two.
    """
    words = " ".join(text.strip().lower().replace(" at ", " ").replace(" om ", " ").split())
    if not words:
        raise InvalidInput(_("say by when (for example {examples})").format(examples=_(WHEN_HELP)))
    today = now.astimezone(zone).date()
    moment = _relative(words, now) or _iso(words, zone) or _spoken(words, today, zone)
    if moment is None:
        raise InvalidInput(_("cannot read '{text}' as a time; try {examples}").format(
            text=text.strip(), examples=_(WHEN_HELP)))
    if moment <= now:
        shown = formats.date_time(moment.astimezone(zone), year=True)
        raise InvalidInput(_("'{text}' is {moment}, which has already passed; a promise is "
                             "made for a time still to come").format(text=text.strip(),
                                                                     moment=shown))
    return moment.astimezone(UTC)


def _relative(words: str, now: datetime) -> datetime | None:
    match = _IN.match(words)
    if match is None:
        return None
    amount, unit = int(match["n"]), match["unit"][0]
    step = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "u": timedelta(hours=1),
            "d": timedelta(days=1)}[unit]
    return now + amount * step


def _iso(words: str, zone: tzinfo | None) -> datetime | None:
    if not re.match(r"^\d{4}-\d{2}-\d{2}", words):
        return None
    try:
        if len(words) == 10:
            return _local(date.fromisoformat(words), END_OF_DAY, zone)
        parsed = datetime.fromisoformat(words.upper().replace(" ", "T", 1))
    except ValueError:
        raise InvalidInput(_("'{text}' is not a real date or time; write it as 2026-11-27 "
                             "or 2026-11-27 12:00").format(text=words)) from None
    if parsed.tzinfo is not None:
        return parsed
    return _local(parsed.date(), parsed.time(), zone)


def _spoken(words: str, today: date, zone: tzinfo | None) -> datetime | None:
    day_word, _space, rest = words.partition(" ")
    day = _day(day_word, today)
    if day is None:  # a time alone is today
        day, rest = today, words
    if not rest:
        return _local(day, END_OF_DAY, zone)
    at = _time_of_day(rest)
    return None if at is None else _local(day, at, zone)


def _day(word: str, today: date) -> date | None:
    if word in _TODAY:
        return today
    if word in _TOMORROW:
        return today + timedelta(days=1)
    weekday = WEEKDAYS.get(word)
    if weekday is None:
        return None
    ahead = (weekday - today.weekday()) % 7 or 7
    return today + timedelta(days=ahead)


def _time_of_day(words: str) -> time | None:
    if words in ("noon", "12 uur 's middags"):
        return time(12, 0)
    if words in ("eod", "end of day", "einde dag"):
        return END_OF_DAY
    match = _TIME.match(words)
    if match is None:
        return None
    hour, minute = int(match["h"]), int(match["m"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["ampm"] == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _local(day: date, at: time, zone: tzinfo | None) -> datetime:
    """`day` at `at` on the wall clock of `zone` (None: this machine's, with its own
    daylight-saving rules); refused when that wall time is skipped."""
    wall = datetime.combine(day, at.replace(tzinfo=None))
    moment = wall.replace(tzinfo=zone) if zone is not None else wall.astimezone()
    back = moment.astimezone(UTC).astimezone(zone)
    if back.replace(tzinfo=None) != wall:
        raise InvalidInput(_("{day} {time} does not exist on the local clock (the clocks go "
                             "forward then); pick another time").format(
            day=day.isoformat(), time=f"{at:%H:%M}"))
    return moment
