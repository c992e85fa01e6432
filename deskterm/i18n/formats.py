"""Local formats: money, numbers, dates and times as a reader of the current language
writes them (`€ 1.234,50`, `vr 5 dec 14:05` in Dutch; `€1,234.50`, `Fri 5 Dec 14:05` in
English), from CLDR's data through Babel, imported on first use.

Times given here are shown as they are: callers pass local times (data rule 6: stored in
UTC, shown in the local time zone; `local` converts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING

from deskterm.i18n import language

if TYPE_CHECKING:
    from babel import Locale

#: The CLDR locale whose formats each language follows: the Netherlands' Dutch, and the
#: English of a euro country (day before month, a 24-hour clock, `€1,234.50`).
_LOCALES = {"en": "en_IE", "nl": "nl_NL"}


@dataclass(frozen=True)
class Convention:
    """How a language writes numbers, and the CSV its spreadsheets read and write."""

    decimal: str
    group: str
    csv_delimiter: str


CONVENTIONS = {"en": Convention(decimal=".", group=",", csv_delimiter=","),
               "nl": Convention(decimal=",", group=".", csv_delimiter=";")}


def convention(of: str | None = None) -> Convention:
    """The number and CSV convention of `of`, else of the current language."""
    return CONVENTIONS[of or language()]


@cache
def babel_locale(of: str | None = None) -> Locale:
    """The Babel locale whose formats `of` (else the current language) follows."""
    from babel import Locale

    return Locale.parse(_LOCALES[of or language()])


def number(value: int | float | Decimal, places: int | None = None) -> str:
    """A number with the language's grouping and decimal mark: `1.234.567`, `12,5` in Dutch;
    `1,234,567`, `12.5` in English. `places` fixes the decimals shown."""
    if type(value) is int and not places:
        # A count (the first frame's: pending changes, tickets) is grouped by hand: both
        # languages' CLDR pattern is `#,##0`, and Babel's locale data is not loaded for it.
        return f"{value:,}".replace(",", convention().group)
    from babel.numbers import format_decimal

    pattern = None if places is None else "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(value, format=pattern, locale=babel_locale(language()))


def percent(fraction: float, places: int = 0) -> str:
    """A fraction as a percentage: `12%`, `12,5%` in Dutch with places=1."""
    from babel.numbers import format_percent

    pattern = "#,##0" + ("." + "0" * places if places else "") + "%"
    return format_percent(fraction, format=pattern, locale=babel_locale(language()))


def money(cents: int, currency: str) -> str:
    """An amount of `currency` in minor units as a reader of the language writes it:
    `€ 1.234,50`, `€ -12,50` in Dutch; `€1,234.50`, `-€12.50` in English."""
    from babel.numbers import format_currency

    shown = format_currency(Decimal(cents).scaleb(-2), currency,
                            locale=babel_locale(language()))
    # A code rather than a sign is kept apart from the digits: `CHF 2,500.00`.
    return re.sub(r"^(-?)([A-Z]{3})(?=[-\d])", "\\1\\2\xa0", shown)


def weekday(moment: date) -> str:
    """The day's short name: `vr`, `Fri`."""
    return _format_date(moment, "EEE")


def day_month(moment: date, *, year: bool = False, weekday: bool = True) -> str:
    """`vr 5 dec` / `Fri 5 Dec` (and the year, with year=True: `vr 5 dec 2026`)."""
    pattern = ("EEE " if weekday else "") + "d MMM" + (" y" if year else "")
    return _format_date(moment, pattern)


def time(moment: datetime) -> str:
    """`14:05` (a 24-hour clock in both languages)."""
    return moment.strftime("%H:%M")


def date_time(moment: datetime, *, year: bool = False, weekday: bool = True) -> str:
    """`vr 5 dec 14:05` / `Fri 5 Dec 14:05` (the year too, with year=True)."""
    return f"{day_month(moment, year=year, weekday=weekday)} {time(moment)}"


def _format_date(moment: date, pattern: str) -> str:
    from babel.dates import format_date

    # CLDR abbreviates some Dutch months with a full stop (`sep.`); a desk writes `sep`.
    return format_date(moment, pattern, locale=babel_locale(language())).replace(".", "")


def local(moment: datetime) -> datetime:
    """A stored UTC time in the local time zone."""
    return moment.astimezone()
