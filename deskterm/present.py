"""How things read to a person, shared by the CLI and the UI: local times, ages, ordinals,
counts of things (`plural`), and search matches as highlighted text.

Times are stored in UTC and shown in the local time zone (data rule 6).
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from deskterm.domain.clock import utcnow
from deskterm.domain.promises import Promise, PromiseStatus
from deskterm.store.search import MARK_END, MARK_START

#: How matched words in KB titles and snippets look in a terminal.
HIGHLIGHT_STYLE = "bold reverse"


def local_time(moment: datetime | None) -> str:
    """A stored UTC time in the local time zone, to the minute."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else ""


def promise_time(moment: datetime, now: datetime) -> str:
    """When a promise is due, as a person says it, in local time: `today 16:00`, `Thu 12:00`
    within a week either way, else `Thu 03 Dec 12:00` (and the year, in another year)."""
    local, today = moment.astimezone(), now.astimezone()
    if local.date() == today.date():
        return local.strftime("today %H:%M")
    if abs((local.date() - today.date()).days) < 7:
        return local.strftime("%a %H:%M")
    if local.year == today.year:
        return local.strftime("%a %d %b %H:%M")
    return local.strftime("%a %d %b %Y %H:%M")


def promised(promise: Promise, now: datetime) -> str:
    """`promised: call back by Thu 12:00`, and ` · broken` or ` · due soon` after it."""
    text = f"promised: {promise.what} by {promise_time(promise.due_at, now)}"
    status = promise.status_at(now)
    if status in (PromiseStatus.BROKEN, PromiseStatus.DUE_SOON):
        text += f" · {status.value}"
    elif status is PromiseStatus.KEPT:
        text += " · kept"
    return text


def age(moment: datetime | None, now: datetime | None = None) -> str:
    """How long ago, compactly: `now`, `12m`, `5h`, `3d`, `7w`, `2y`."""
    if moment is None:
        return ""
    seconds = max(0, int(((now or utcnow()) - moment).total_seconds()))
    for unit, size in (("y", 365 * 86400), ("w", 7 * 86400), ("d", 86400), ("h", 3600),
                       ("m", 60)):
        if seconds >= size * (2 if unit in "yw" else 1):
            return f"{seconds // size}{unit}"
    return "now"


def ago(moment: datetime, now: datetime | None = None) -> str:
    """How long ago, in words: `just now`, `5 minutes ago`, `2 days ago`."""
    compact = age(moment, now)
    if compact == "now":
        return "just now"
    count, unit = int(compact[:-1]), compact[-1]
    word = {"m": "minute", "h": "hour", "d": "day", "w": "week", "y": "year"}[unit]
    return f"{count} {word}{'' if count == 1 else 's'} ago"


def plural(count: int, noun: str, plural_noun: str | None = None) -> str:
    """A count and its noun, agreeing: `1 contact`, `2 contacts`, `0 contacts`,
    `1 day logged` (the noun is the first word: `plural(n, "day logged")`).

    English adds `s` to the first word; pass `plural_noun` where it does not
    (`plural(n, "reply", "replies")`)."""
    if count == 1:
        return f"{count:,} {noun}"
    if plural_noun is None:
        first, _, rest = noun.partition(" ")
        plural_noun = f"{first}s {rest}" if rest else f"{first}s"
    return f"{count:,} {plural_noun}"


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st, ..."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def highlighted(marked: str, style: str = HIGHLIGHT_STYLE) -> Text:
    """Search output with its match markers turned into highlighted rich text."""
    text = Text()
    rest = marked
    while MARK_START in rest:
        before, _, after = rest.partition(MARK_START)
        match, _, rest = after.partition(MARK_END)
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
