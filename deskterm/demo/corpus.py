"""Word lists the demo data is made of: names, organisations, products, places, things.

The words are text in content/words.toml and content/nl/words.toml (everything there is
fictional); this module names them for the code and fills a ticket subject's {slots}
from the words of the desk's language.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from deskterm.demo.content import frozen, read_content


@dataclass(frozen=True)
class Words:
    """The word lists of one language's content/words.toml."""

    language: str
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    #: Organisations the desk serves: (name, email domain, phone country code).
    organisations: tuple[tuple[str, str, str], ...]
    #: Services and products a customer uses (the `products` list on a customer).
    products: tuple[str, ...]
    customer_notes: tuple[str, ...]
    sites: tuple[str, ...]
    floors: tuple[str, ...]
    when: tuple[str, ...]
    teams_served: tuple[str, ...]
    months: tuple[str, ...]
    weekdays: tuple[str, ...]
    rooms: tuple[str, ...]
    suppliers: tuple[str, ...]
    devices: tuple[str, ...]
    apps: tuple[str, ...]
    tools: tuple[str, ...]
    items: tuple[str, ...]
    subject_topics: tuple[str, ...]
    countries: tuple[str, ...]
    mailboxes: tuple[str, ...]
    courses: tuple[str, ...]
    #: How a subject writes an amount of euros: "€{euros}.{cents}".
    amount: str


@cache
def words(language: str) -> Words:
    """The word lists of `language` (`en`, `nl`)."""
    return Words(language=language, **frozen(read_content("words", language)))


#: The English word lists, for the benchmarks that make up data of their own.
_ENGLISH = words("en")
FIRST_NAMES = _ENGLISH.first_names
LAST_NAMES = _ENGLISH.last_names
DEVICES = _ENGLISH.devices
APPS = _ENGLISH.apps
TOOLS = _ENGLISH.tools
SUBJECT_TOPICS = _ENGLISH.subject_topics


#: Letters with no ASCII letter inside them (NFKD leaves them whole), transliterated
#: rather than dropped: `Yılmaz` -> `yilmaz`, not `ylmaz`.
_TRANSLITERATE = str.maketrans({"ı": "i", "ß": "ss", "ø": "o", "Ø": "O", "æ": "ae",
                                "Æ": "AE", "œ": "oe", "Œ": "OE", "ł": "l", "Ł": "L",
                                "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th",
                                "Þ": "Th", "ħ": "h", "Ħ": "H"})


def ascii_fold(text: str) -> str:
    """Lowercase ASCII for email addresses and handles: `Sébastien` -> `sebastien`,
    `Yılmaz` -> `yilmaz` (every letter kept)."""
    folded = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE))
    folded = folded.encode("ascii", "ignore").decode("ascii")
    return "".join(c for c in folded.lower() if c.isalnum() or c in ".-")


def person_name(rng: random.Random, words: Words) -> str:
    return f"{rng.choice(words.first_names)} {rng.choice(words.last_names)}"


def _amount(rng: random.Random, words: Words) -> str:
    euros = rng.randint(12, 900)
    return words.amount.format(euros=euros, cents=rng.choice(("00", "50", "95", "20")))


Slot = Callable[[random.Random, Words], str]
#: How to make a value for each {slot} a subject template may hold.
SLOT_VALUES: dict[str, Slot] = {
    "person": person_name,
    "when": lambda rng, w: rng.choice(w.when),
    "site": lambda rng, w: rng.choice(w.sites),
    "floor": lambda rng, w: rng.choice(w.floors),
    "team": lambda rng, w: rng.choice(w.teams_served),
    "month": lambda rng, w: rng.choice(w.months),
    "room": lambda rng, w: f"{rng.choice(w.rooms)} {rng.randint(1, 6)}.{rng.randint(1, 24):02d}",
    "weekday": lambda rng, w: rng.choice(w.weekdays),
    "supplier": lambda rng, w: rng.choice(w.suppliers),
    "device": lambda rng, w: rng.choice(w.devices),
    "org": lambda rng, w: rng.choice(w.organisations)[0],
    "n": lambda rng, w: str(rng.choice((2, 3, 4, 5, 6, 8, 10, 12))),
    "app": lambda rng, w: rng.choice(w.apps),
    "amount": _amount,
    "printer": lambda rng, w: (f"PRN-{rng.randint(0, 6)}{rng.choice('ABCD')}"
                               f"-{rng.randint(1, 4):02d}"),
    "tool": lambda rng, w: rng.choice(w.tools),
    "invoice": lambda rng, w: f"INV-{rng.randint(2024, 2026)}-{rng.randint(10000, 99999)}",
    "item": lambda rng, w: rng.choice(w.items),
    "topic": lambda rng, w: rng.choice(w.subject_topics),
    "country": lambda rng, w: rng.choice(w.countries),
    "desk": lambda rng, w: f"{rng.randint(1, 6)}.{rng.choice('ABCDE')}{rng.randint(1, 30):02d}",
    "po": lambda rng, w: f"PO-{rng.randint(45000000, 45999999)}",
    "mailbox": lambda rng, w: rng.choice(w.mailboxes),
    "course": lambda rng, w: rng.choice(w.courses),
}


class _Slots(dict[str, str]):
    """Makes a slot's value only when a template asks for it."""

    def __init__(self, rng: random.Random, words: Words) -> None:
        super().__init__()
        self.rng = rng
        self.words = words

    def __missing__(self, key: str) -> str:
        value = self[key] = SLOT_VALUES[key](self.rng, self.words)
        return value


def fill_slots(template: str, rng: random.Random, words: Words) -> str:
    """A ticket subject from its template, every {slot} filled with a plausible value from
    `words` (the desk's language's)."""
    if "{" not in template:
        return template
    return template.format_map(_Slots(rng, words))
