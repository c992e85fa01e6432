"""Money as integer minor units plus an ISO 4217 currency code; never a float."""

from __future__ import annotations

import re
from dataclasses import dataclass

from deskterm.domain.errors import InvalidInput
from deskterm.i18n import _, formats
from deskterm.i18n.formats import Convention, convention

#: The currency a desk keeps its budgets in unless its configuration names another.
DEFAULT_CURRENCY = "EUR"
#: An ISO 4217 code as stored: three capital letters.
CURRENCY = r"^[A-Z]{3}$"


def parse_currency(text: str) -> str:
    """A currency code as people write it (`eur`, ` EUR`) in its stored form, `EUR`;
    InvalidInput when it is not three letters (what a ledger entry's currency may be)."""
    code = text.strip().upper()
    if not re.match(CURRENCY, code):
        raise InvalidInput(_("'{text}' is not a currency code: three letters, like "
                             "{example}").format(text=text, example=DEFAULT_CURRENCY))
    return code
#: Currency signs a person may type before or after an amount, and the currency each means.
_SIGNS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "₣": "CHF"}
#: The largest amount an entry may hold, in whole units (nine digits, as ever).
_MAX_UNITS = 999_999_999
_BODY = re.compile(r"^\d[\d.,]*$")


def parse_cents(text: str, currency: str = DEFAULT_CURRENCY, language: str | None = None) -> int:
    """An amount as a person types it, in minor units of `currency`: in either language's
    convention (`12,50`, `1.234,50`, `12.50`, `1,234.50`), with or without the currency's
    sign or code, with a sign in front. InvalidInput, saying how to write it, for what is
    not an amount or could mean two (`1.234` in English, `1,234` in Dutch, `$5` when the
    budget is in euros)."""
    written = convention(language)
    cleaned, sign = _without_currency(text, text.strip(), currency), 1
    if cleaned[:1] in ("-", "+"):
        sign, cleaned = (-1 if cleaned[0] == "-" else 1), cleaned[1:].strip()
    cleaned = _without_currency(text, cleaned, currency)  # `-€12.50`
    if not _BODY.match(cleaned):
        raise InvalidInput(_("'{text}' is not an amount; write it like {example}").format(
            text=text.strip(), example=_example(1250, written)))
    units, cents = _read_number(text.strip(), cleaned, written)
    if units > _MAX_UNITS:
        raise InvalidInput(_("'{text}' is too large an amount").format(text=text.strip()))
    return sign * (units * 100 + cents)


def _without_currency(text: str, cleaned: str, currency: str) -> str:
    """`cleaned` without the currency's sign or code at either end; InvalidInput when it
    names another currency."""
    for sign, code in _SIGNS.items():
        if sign in cleaned and code != currency.upper():
            raise _other_currency(text, currency)
    match = re.fullmatch(r"(?P<before>[A-Za-z€$£¥₣]*)\s*(?P<rest>.*?)\s*(?P<after>[A-Za-z€$£¥₣]*)",
                         cleaned)
    if match is None:  # pragma: no cover - the pattern matches any text
        return cleaned
    for written in (match["before"], match["after"]):
        if written and written.upper() not in (currency.upper(), _sign_of(currency)):
            if re.fullmatch(r"[A-Z]{3}", written):
                raise _other_currency(text, currency)
            return cleaned  # not a currency: the body check refuses it
    return match["rest"]


def _sign_of(currency: str) -> str | None:
    return next((sign for sign, code in _SIGNS.items() if code == currency.upper()), None)


def _other_currency(text: str, currency: str) -> InvalidInput:
    return InvalidInput(_("'{text}' is not in {currency}: write the amount alone, like "
                          "{example}").format(text=text.strip(), currency=currency.upper(),
                                              example=_example(500, convention())))


def _read_number(text: str, body: str, written: Convention) -> tuple[int, int]:
    """Whole units and cents of digits with `.` and `,` in them, as `written` reads them
    where the text alone cannot tell a decimal mark from a thousands separator."""
    marks = [c for c in body if c in ".,"]
    if not marks:
        return int(body), 0
    last = marks[-1]
    head, _mark, tail = body.rpartition(last)
    if len(set(marks)) == 2 or (marks.count(last) == 1 and len(tail) in (1, 2)):
        # The last mark is the decimal one: any other groups thousands.
        if marks.count(last) > 1 or not tail or len(tail) > 2:
            raise _not_amount(text, written)
        return _grouped(text, head, written), int(tail.ljust(2, "0"))
    if marks.count(last) == 1 and len(tail) == 3 and len(head) <= 3:
        if last != written.group:
            raise InvalidInput(_("'{text}' could be read two ways: write {whole} for a whole "
                                 "amount, or at most two decimals, like {example}").format(
                text=text, whole=_example(int(head + tail) * 100, written, grouped=False),
                example=_example(int(head) * 100 + int(tail[:2]), written, grouped=False)))
        return int(head + tail), 0
    return _grouped(text, body, written), 0


def _grouped(text: str, digits: str, written: Convention) -> int:
    """Whole units written with thousands separators (one kind, groups of three)."""
    marks = {c for c in digits if c in ".,"}
    if not marks:
        return int(digits)
    (mark,) = marks if len(marks) == 1 else (None,)
    if mark is None or not re.fullmatch(rf"\d{{1,3}}(?:{re.escape(mark)}\d{{3}})+", digits):
        raise _not_amount(text, written)
    return int(digits.replace(mark, ""))


def _not_amount(text: str, written: Convention) -> InvalidInput:
    return InvalidInput(_("'{text}' is not an amount; write it like {example}").format(
        text=text, example=_example(123450, written)))


def _example(cents: int, written: Convention, *, grouped: bool = True) -> str:
    """An amount written plainly in `written`'s convention: `1,234.50`, `1.234,50`."""
    units, rest = divmod(cents, 100)
    whole = f"{units:,}".replace(",", written.group if grouped else "")
    return f"{whole}{written.decimal}{rest:02d}"

@dataclass(frozen=True, order=True)
class Money:
    """An amount in cents of one currency. Arithmetic refuses to mix currencies."""

    cents: int
    currency: str = DEFAULT_CURRENCY

    @classmethod
    def parse(cls, text: str, currency: str = DEFAULT_CURRENCY,
              language: str | None = None) -> Money:
        """Read an amount as a person types it, in either language's convention
        (`parse_cents`); `language` decides what only a convention can (else the current).

        Raises InvalidInput with a message naming what was wrong and how to write it.
        """
        return cls(parse_cents(text, currency, language), currency.upper())

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.cents + other.cents, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.cents - other.cents, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.cents, self.currency)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise InvalidInput(_("cannot combine {one} with {other}").format(
                one=self.currency, other=other.currency))

    @property
    def plain(self) -> str:
        """`12.50` style, with a minus sign when negative; what the CLI and JSON show."""
        sign = "-" if self.cents < 0 else ""
        units, cents = divmod(abs(self.cents), 100)
        return f"{sign}{units}.{cents:02d}"

    def __str__(self) -> str:
        """How a person reads it in the current language, wherever it is shown:
        `€1,234.50`, `-€12.50` in English; `€ 1.234,50`, `€ -12,50` in Dutch."""
        return formats.money(self.cents, self.currency)
