"""Finding an erased customer in free text: their name, email and phone, and what replaces them.

An erasure redacts these wherever they appear in text about the customer (a ticket's
subject, an event's detail, ...), and a reason for an erasure may not hold them. The
terms are read from the customer's own row, so every copy of the desk that holds the
same row finds the same words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from deskterm.domain.customers import ERASED_NAME

#: What a redacted name, email or phone number reads as.
REDACTED = ERASED_NAME
#: A word of a name: letters, with inner apostrophes and hyphens (O'Brien, Anne-Marie).
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
#: Name words that on their own are ordinary words, not the person (van, de, la, ...).
_PARTICLES = frozenset({
    "van", "von", "der", "den", "des", "het", "ter", "ten", "del", "della", "los", "las",
    "dos", "das", "bin", "ibn", "mac", "san", "the", "and", "de", "da", "di", "du", "do",
    "la", "le", "el", "al", "of", "in", "op", "te", "st", "mr", "ms", "dr",
})
#: Characters people put between the digits of a phone number.
_SEPARATORS = r"[\s().\-/]*"
#: A phone number is found by its last digits, whatever the prefix (+31 6..., 06...).
_PHONE_DIGITS = 9


@dataclass(frozen=True)
class Terms:
    """What identifies one customer in text; empty when nothing does (already erased)."""

    pattern: re.Pattern[str] | None

    def __bool__(self) -> bool:
        return self.pattern is not None

    def mentions(self, text: str | None) -> bool:
        return bool(self.pattern and text and self.pattern.search(text))

    def redact(self, text: str) -> str:
        return self.pattern.sub(REDACTED, text) if self.pattern else text


def terms_of(name: str | None, email: str | None, phone: str | None) -> Terms:
    """The customer's full name and each word of it (not initials, nor particles such as
    "van"), their email address and their phone number (by its digits, however they are
    grouped), case ignored."""
    found: list[str] = []
    if email:
        found.append(_whole(re.escape(email.strip())))
    if phone:
        digits = re.sub(r"\D", "", phone)
        if len(digits) >= 6:
            core = _SEPARATORS.join(digits[-_PHONE_DIGITS:])
            found.append(rf"(?<!\d)(?:\+?\d{{1,4}}{_SEPARATORS})?{core}(?!\d)")
        found.append(_whole(re.escape(phone.strip())))
    if name and name.strip() and name != ERASED_NAME:
        found.append(_whole(re.escape(name.strip()).replace(r"\ ", r"\s+")))
        found.extend(_whole(re.escape(word)) for word in _WORD.findall(name)
                     if len(word) >= 2 and word.lower() not in _PARTICLES)
    if not found:
        return Terms(None)
    # Alternatives are tried in this order at each place: the email before the words of
    # the name it may contain, the full name before its parts.
    return Terms(re.compile("|".join(f"(?:{each})" for each in found), re.IGNORECASE))


def _whole(pattern: str) -> str:
    """`pattern` only where it stands on its own, not inside a longer word."""
    return rf"(?<!\w){pattern}(?!\w)"
