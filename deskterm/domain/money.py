"""Money as integer minor units plus an ISO 4217 currency code; never a float."""

from __future__ import annotations

import re
from dataclasses import dataclass

from deskterm.domain.errors import InvalidInput

#: The currency a desk keeps its budgets in unless its configuration names another.
DEFAULT_CURRENCY = "EUR"
#: An ISO 4217 code as stored: three capital letters.
CURRENCY = r"^[A-Z]{3}$"
_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


def parse_currency(text: str) -> str:
    """A currency code as people write it (`eur`, ` EUR`) in its stored form, `EUR`;
    InvalidInput when it is not three letters (what a ledger entry's currency may be)."""
    code = text.strip().upper()
    if not re.match(CURRENCY, code):
        raise InvalidInput(f"'{text}' is not a currency code: three letters, like "
                           f"{DEFAULT_CURRENCY}")
    return code
_AMOUNT = re.compile(r"^\s*(?P<sign>[-+])?\s*(?P<units>\d{1,9})(?:[.,](?P<cents>\d{1,2}))?\s*$")


@dataclass(frozen=True, order=True)
class Money:
    """An amount in cents of one currency. Arithmetic refuses to mix currencies."""

    cents: int
    currency: str = DEFAULT_CURRENCY

    @classmethod
    def parse(cls, text: str, currency: str = DEFAULT_CURRENCY) -> Money:
        """Read an amount as a person types it: `12.50`, `12,5`, `12`, `€ 12.50`.

        Raises InvalidInput with a message naming what was wrong.
        """
        cleaned = text.strip()
        for symbol in _SYMBOLS.values():
            cleaned = cleaned.replace(symbol, "")
        cleaned = re.sub(re.escape(currency), "", cleaned, flags=re.IGNORECASE)
        match = _AMOUNT.match(cleaned)
        if not match:
            raise InvalidInput(f"'{text}' is not an amount; write it like 12.50")
        cents_text = (match["cents"] or "0").ljust(2, "0")
        cents = int(match["units"]) * 100 + int(cents_text)
        if match["sign"] == "-":
            cents = -cents
        return cls(cents, currency.upper())

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
            raise InvalidInput(f"cannot combine {self.currency} with {other.currency}")

    @property
    def plain(self) -> str:
        """`12.50` style, with a minus sign when negative; what the CLI and JSON show."""
        sign = "-" if self.cents < 0 else ""
        units, cents = divmod(abs(self.cents), 100)
        return f"{sign}{units}.{cents:02d}"

    def __str__(self) -> str:
        """How a person reads it, wherever it is shown: `€2,600.00`, `-€12.50`,
        `2,500.00 CHF` (English grouping; the one money formatter)."""
        sign = "-" if self.cents < 0 else ""
        units, cents = divmod(abs(self.cents), 100)
        symbol = _SYMBOLS.get(self.currency)
        grouped = f"{units:,}"  # English grouping: €2,600.00
        if symbol:
            return f"{sign}{symbol}{grouped}.{cents:02d}"
        return f"{sign}{grouped}.{cents:02d} {self.currency}"
