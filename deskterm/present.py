"""How things read to a person, shared by the CLI and the UI: local times, ages, ordinals,
and search matches as highlighted text, in the current
language (`deskterm.i18n`): `5 minutes ago` / `5 minuten geleden`, `Thu 12:00` / `do 12:00`.

Times are stored in UTC and shown in the local time zone (data rule 6).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text

from deskterm.domain.clock import utcnow
from deskterm.domain.promise_state import PromiseStatus
from deskterm.i18n import _, language, ngettext, pgettext
from deskterm.i18n.formats import date_time, number, time, weekday
from deskterm.store.search import MARK_END, MARK_START

if TYPE_CHECKING:
    from deskterm.domain.promises import Promise

#: How matched words in KB titles and snippets look in a terminal.
HIGHLIGHT_STYLE = "bold reverse"


def local_time(moment: datetime | None, now: datetime | None = None) -> str:
    """A stored UTC time in the local time zone, to the minute, as the language writes it:
    `Fri 5 Dec 14:05` / `vr 5 dec 14:05`, with the year when it is not this year's."""
    if moment is None:
        return ""
    local = moment.astimezone()
    this_year = (now or utcnow()).astimezone().year
    return date_time(local, year=local.year != this_year)


def promise_time(moment: datetime, now: datetime) -> str:
    """When a promise is due, as a person says it, in local time: `today 16:00` /
    `vandaag 16:00`, `Thu 12:00` / `do 12:00` within a week either way, else
    `Thu 3 Dec 12:00` / `do 3 dec 12:00` (and the year, in another year)."""
    local, today = moment.astimezone(), now.astimezone()
    if local.date() == today.date():
        return _("today {time}").format(time=time(local))
    if abs((local.date() - today.date()).days) < 7:
        return f"{weekday(local)} {time(local)}"
    return date_time(local, year=local.year != today.year)


def promised(promise: Promise, now: datetime) -> str:
    """`promised: call back by Thu 12:00`, and ` · broken` or ` · due soon` after it."""
    # TRANSLATORS: {what} is what the agent promised, as typed ("call back"); {when} is
    # a time: "today 16:00", "Thu 12:00".
    text = _("promised: {what} by {when}").format(
        what=promise.what, when=promise_time(promise.due_at, now))
    status = promise.status_at(now)
    if status in (PromiseStatus.BROKEN, PromiseStatus.DUE_SOON, PromiseStatus.KEPT):
        text += f" · {status.label}"
    return text


#: The units of an age, largest first: (seconds in one, the least count shown in it).
_UNITS = (("y", 365 * 86400, 2), ("w", 7 * 86400, 2), ("d", 86400, 1), ("h", 3600, 1),
          ("m", 60, 1))


def _largest_unit(moment: datetime, now: datetime | None) -> tuple[str, int] | None:
    """The largest unit of `_UNITS` the time since `moment` fills, and how many of it;
    None under a minute."""
    seconds = max(0, int(((now or utcnow()) - moment).total_seconds()))
    for unit, size, least in _UNITS:
        if seconds >= size * least:
            return unit, seconds // size
    return None


def age(moment: datetime | None, now: datetime | None = None) -> str:
    """How long ago, compactly: `now`, `12m`, `5h`, `3d`, `7w`, `2y`; in Dutch `nu`, `12m`,
    `5u`, `3d`, `7w`, `2j` (the letters a Dutch desk reads: minuten, uren, dagen...)."""
    if moment is None:
        return ""
    found = _largest_unit(moment, now)
    if found is None:
        return pgettext("age", "now")
    unit, count = found
    # TRANSLATORS: a compact age in a narrow column: a count and one letter for the unit.
    forms = {"y": pgettext("age in years", "{count}y"),
             "w": pgettext("age in weeks", "{count}w"),
             "d": pgettext("age in days", "{count}d"),
             "h": pgettext("age in hours", "{count}h"),
             "m": pgettext("age in minutes", "{count}m")}
    return forms[unit].format(count=count)


def ago(moment: datetime, now: datetime | None = None) -> str:
    """How long ago, in words: `just now`, `5 minutes ago`, `2 days ago`; in Dutch
    `zojuist`, `5 minuten geleden`, `2 dagen geleden`."""
    found = _largest_unit(moment, now)
    if found is None:
        return _("just now")
    unit, count = found
    if unit == "y":
        text = ngettext("{count} year ago", "{count} years ago", count)
    elif unit == "w":
        text = ngettext("{count} week ago", "{count} weeks ago", count)
    elif unit == "d":
        text = ngettext("{count} day ago", "{count} days ago", count)
    elif unit == "h":
        text = ngettext("{count} hour ago", "{count} hours ago", count)
    else:
        text = ngettext("{count} minute ago", "{count} minutes ago", count)
    return text.format(count=number(count))


def ordinal(value: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st, ... in English; 1e, 2e, 3e in Dutch."""
    if language() == "nl":
        return f"{value}e"
    if 10 <= value % 100 <= 20:
        return f"{value}th"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
    return f"{value}{suffix}"


def highlighted(marked: str, style: str = HIGHLIGHT_STYLE) -> Text:
    """Search output with its match markers turned into highlighted rich text."""
    text = Text()
    rest = marked
    while MARK_START in rest:
        before, _start, after = rest.partition(MARK_START)
        match, _end, rest = after.partition(MARK_END)
        text.append(before)
        text.append(match, style=style)
    text.append(rest)
    return text


def marked_words(*marked: str) -> list[str]:
    """The distinct highlighted words of marked texts, in order of appearance."""
    words: list[str] = []
    for value in marked:
        for piece in value.split(MARK_START)[1:]:
            word = piece.partition(MARK_END)[0]
            if word and word not in words:
                words.append(word)
    return words
