"""Word lists the demo data is made of: names, organisations, products, places, things.

The words are text in content/words.toml (everything there is fictional); this module
names them for the code and fills a ticket subject's {slots} from them.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable

from deskterm.demo.content import frozen, read_content

_WORDS = frozen(read_content("words"))

FIRST_NAMES: tuple[str, ...] = _WORDS["first_names"]
LAST_NAMES: tuple[str, ...] = _WORDS["last_names"]
#: Organisations the desk serves: (name, email domain, phone country code).
ORGANISATIONS: tuple[tuple[str, str, str], ...] = _WORDS["organisations"]
#: Services and products a customer uses (the `products` list on a customer).
PRODUCTS: tuple[str, ...] = _WORDS["products"]
CUSTOMER_NOTES: tuple[str, ...] = _WORDS["customer_notes"]
SITES: tuple[str, ...] = _WORDS["sites"]
FLOORS: tuple[str, ...] = _WORDS["floors"]
WHEN: tuple[str, ...] = _WORDS["when"]
TEAMS_SERVED: tuple[str, ...] = _WORDS["teams_served"]
MONTHS: tuple[str, ...] = _WORDS["months"]
WEEKDAYS: tuple[str, ...] = _WORDS["weekdays"]
ROOMS: tuple[str, ...] = _WORDS["rooms"]
SUPPLIERS: tuple[str, ...] = _WORDS["suppliers"]
DEVICES: tuple[str, ...] = _WORDS["devices"]
APPS: tuple[str, ...] = _WORDS["apps"]
TOOLS: tuple[str, ...] = _WORDS["tools"]
ITEMS: tuple[str, ...] = _WORDS["items"]
SUBJECT_TOPICS: tuple[str, ...] = _WORDS["subject_topics"]
COUNTRIES: tuple[str, ...] = _WORDS["countries"]
MAILBOXES: tuple[str, ...] = _WORDS["mailboxes"]
COURSES: tuple[str, ...] = _WORDS["courses"]


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


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


#: How to make a value for each {slot} a subject template may hold.
SLOT_VALUES: dict[str, Callable[[random.Random], str]] = {
    "person": person_name,
    "when": lambda rng: rng.choice(WHEN),
    "site": lambda rng: rng.choice(SITES),
    "floor": lambda rng: rng.choice(FLOORS),
    "team": lambda rng: rng.choice(TEAMS_SERVED),
    "month": lambda rng: rng.choice(MONTHS),
    "room": lambda rng: f"{rng.choice(ROOMS)} {rng.randint(1, 6)}.{rng.randint(1, 24):02d}",
    "weekday": lambda rng: rng.choice(WEEKDAYS),
    "supplier": lambda rng: rng.choice(SUPPLIERS),
    "device": lambda rng: rng.choice(DEVICES),
    "org": lambda rng: rng.choice(ORGANISATIONS)[0],
    "n": lambda rng: str(rng.choice((2, 3, 4, 5, 6, 8, 10, 12))),
    "app": lambda rng: rng.choice(APPS),
    "amount": lambda rng: f"€{rng.randint(12, 900)}.{rng.choice(('00', '50', '95', '20'))}",
    "printer": lambda rng: f"PRN-{rng.randint(0, 6)}{rng.choice('ABCD')}-{rng.randint(1, 4):02d}",
    "tool": lambda rng: rng.choice(TOOLS),
    "invoice": lambda rng: f"INV-{rng.randint(2024, 2026)}-{rng.randint(10000, 99999)}",
    "item": lambda rng: rng.choice(ITEMS),
    "topic": lambda rng: rng.choice(SUBJECT_TOPICS),
    "country": lambda rng: rng.choice(COUNTRIES),
    "desk": lambda rng: f"{rng.randint(1, 6)}.{rng.choice('ABCDE')}{rng.randint(1, 30):02d}",
    "po": lambda rng: f"PO-{rng.randint(45000000, 45999999)}",
    "mailbox": lambda rng: rng.choice(MAILBOXES),
    "course": lambda rng: rng.choice(COURSES),
}


class _Slots(dict[str, str]):
    """Makes a slot's value only when a template asks for it."""

    def __init__(self, rng: random.Random) -> None:
        super().__init__()
        self.rng = rng

    def __missing__(self, key: str) -> str:
        value = self[key] = SLOT_VALUES[key](self.rng)
        return value


def fill_slots(template: str, rng: random.Random) -> str:
    """A ticket subject from its template, every {slot} filled with a plausible value."""
    if "{" not in template:
        return template
    return template.format_map(_Slots(rng))
