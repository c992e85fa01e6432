"""The desk's two languages, English and Dutch: translated words and local formats.

Every user-facing string goes through this module's gettext functions, and every money
amount, number, date and relative time through `deskterm.i18n.formats`:

- `_("Save")` translates now, in the current language;
- `ngettext("{count} contact", "{count} contacts", n).format(count=number(n))` agrees with a
  count (Dutch and English both have one plural form);
- `pgettext("ticket state", "open")` tells two meanings of one English word apart;
- `N_("Queue")` only marks a string for extraction where it must be written before any
  language is known (a module-level constant, a binding's description): whoever shows it
  calls `_()` on it then.

The catalogs are `locale/<lang>/LC_MESSAGES/deskterm.po`, extracted by Babel from the
source (`babel.cfg`, the keywords above) and compiled to `.mo`, which is what is read here,
with the standard library's gettext: nothing heavier is imported for a translation.

The current language is the process's (`set_language`, chosen at start: `--lang`, else
DESKTERM_LANG, else the config's `language`, else the system locale, else English), and
may be overridden for one context with `using` (the server answers each request in the
language its client asked for).
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

#: The languages deskterm speaks, in the order a language switch offers them.
LANGUAGES = ("en", "nl")
#: The language when nothing chooses one.
DEFAULT_LANGUAGE = "en"
#: Each language's own name, as its speakers write it (a language switch shows these).
LANGUAGE_NAMES = {"en": "English", "nl": "Nederlands"}
#: The gettext domain, and where its catalogs live.
DOMAIN = "deskterm"
LOCALE_DIR = Path(__file__).with_name("locale")

_process_language = DEFAULT_LANGUAGE
_context_language: ContextVar[str | None] = ContextVar("deskterm_language", default=None)


def parse_language(text: str | None) -> str | None:
    """The deskterm language a locale or language tag names, or None when it names none
    we speak: `nl`, `nl_NL.UTF-8`, `nl-BE`, `NL` → `nl`; `en_GB` → `en`; `C`, `de` → None."""
    if not text:
        return None
    code = text.strip().replace("-", "_").split(".")[0].split("@")[0].split("_")[0].lower()
    return code if code in LANGUAGES else None


def system_language() -> str | None:
    """The language the system locale asks for (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, as
    gettext reads them), or None when it asks for none we speak."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            # LANGUAGE is a priority list (nl:en); the others name one locale.
            for part in value.split(":"):
                if (language := parse_language(part)) is not None:
                    return language
            if variable != "LANGUAGE":
                return None  # the first set locale variable decides, as for gettext
    return None


def choose_language(*choices: str | None) -> str:
    """The first of `choices` that names a language we speak (most decisive first: the
    command line, the environment, the config file), else the system locale's, else
    English. A choice that names no language we speak is passed over."""
    for choice in choices:
        if (language := parse_language(choice)) is not None:
            return language
    return system_language() or DEFAULT_LANGUAGE


def set_language(language: str) -> None:
    """Make `language` (one of LANGUAGES) the process's current language."""
    global _process_language
    _process_language = _known(language)


def language() -> str:
    """The current language: this context's, else the process's."""
    return _context_language.get() or _process_language


@contextmanager
def using(language: str) -> Iterator[None]:
    """Speak `language` in this context only (a server request, a test), then as before."""
    token = _context_language.set(_known(language))
    try:
        yield
    finally:
        _context_language.reset(token)


def _known(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"deskterm speaks {', '.join(LANGUAGES)}, not {language!r}")
    return language


@cache
def translations(language: str) -> _gettext.NullTranslations:
    """The compiled catalog of `language` (English is the source: an empty catalog still
    chooses the right plural)."""
    try:
        return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[language])
    except FileNotFoundError:
        return _gettext.NullTranslations()


def _(message: str) -> str:
    """`message` in the current language."""
    return translations(language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a message that agrees with `count`, in the current language."""
    return translations(language()).ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """`message` in the current language, in the sense `context` names."""
    return translations(language()).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, count: int) -> str:
    """ngettext, in the sense `context` names."""
    return translations(language()).npgettext(context, singular, plural, count)


def N_(message: str) -> str:
    """Mark `message` for the catalog without translating it now: the code that shows it
    translates it with `_()`."""
    return message
