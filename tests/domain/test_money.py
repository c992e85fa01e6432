"""Money: reading amounts as people type them, refusing the rest, and showing them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deskterm.domain.errors import InvalidInput
from deskterm.domain.money import Money, parse_currency
from deskterm.i18n import using

#: The largest amount Money.parse accepts: nine digits of units.
MAX_PARSEABLE_CENTS = 999_999_999_99


@pytest.mark.parametrize(
    ("typed", "cents"),
    [
        ("12.50", 1250),
        ("12,5", 1250),
        ("12,50", 1250),
        ("12", 1200),
        ("12.5", 1250),
        ("0.07", 7),
        ("€ 12.50", 1250),
        ("€12.50", 1250),
        ("12.50 €", 1250),
        ("12.50 EUR", 1250),
        ("  7  ", 700),
        ("+3", 300),
        ("-3", -300),
        ("- 3,25", -325),
        ("0", 0),
        ("007", 700),
        ("999999999.99", MAX_PARSEABLE_CENTS),
    ],
)
def test_parse_reads_what_people_type(typed: str, cents: int) -> None:
    assert Money.parse(typed) == Money(cents, "EUR")


@pytest.mark.parametrize(
    "typed",
    ["abc", "", "   ", "1e3", "12.", ".50", "1.2.3", "12 50", "--3", "12-", "€",
     "1234567890", "3 apples", "NaN", "inf", "0x10", "½", "1234.567", "12.345,678",
     "1,23,456", "1.234,5,6"],
)
@pytest.mark.parametrize("language", ["en", "nl"])
def test_parse_refuses_what_is_not_an_amount(typed: str, language: str) -> None:
    with using(language), pytest.raises(InvalidInput) as caught:
        Money.parse(typed)
    message = str(caught.value)
    if typed == "1234567890":
        assert message == f"'{typed}' is too large an amount" if language == "en" else \
            f"'{typed}' is een te groot bedrag"
        return
    if language == "en":
        assert f"'{typed.strip()}' is not an amount" in message
    else:
        assert f"'{typed.strip()}' is geen bedrag" in message
    # It shows how to write one, in the language's own convention.
    assert ("12.50" in message or "1,234.50" in message) if language == "en" else \
        ("12,50" in message or "1.234,50" in message)


@pytest.mark.parametrize(
    ("typed", "cents"),
    [("12,50", 1250), ("1.234,50", 123450), ("12.50", 1250), ("1,234.50", 123450),
     ("1.234.567", 123456700), ("1,234,567", 123456700), ("1,234,567.8", 123456780),
     ("€ 1.234,50", 123450), ("-€1,234.50", -123450), ("€ -12,50", -1250)],
)
@pytest.mark.parametrize("language", ["en", "nl"])
def test_either_convention_is_read_where_it_can_mean_only_one_amount(
        typed: str, cents: int, language: str) -> None:
    assert Money.parse(typed, language=language).cents == cents


@pytest.mark.parametrize(
    ("language", "typed", "whole", "cents"),
    [("en", "1.234", "1234.00", "1.23"), ("en", "12.345", "12345.00", "12.34"),
     ("nl", "1,234", "1234,00", "1,23"), ("nl", "999,999", "999999,00", "999,99")],
)
def test_a_thousands_separator_of_the_other_language_is_refused_as_ambiguous(
        language: str, typed: str, whole: str, cents: str) -> None:
    with using(language), pytest.raises(InvalidInput) as caught:
        Money.parse(typed)
    message = str(caught.value)
    assert f"'{typed}'" in message and whole in message and cents in message
    assert ("two ways" if language == "en" else "twee manieren") in message


@pytest.mark.parametrize(("language", "typed", "cents"),
                         [("en", "1,234", 123400), ("nl", "1.234", 123400)])
def test_the_languages_own_thousands_separator_is_read_as_one(
        language: str, typed: str, cents: int) -> None:
    assert Money.parse(typed, language=language).cents == cents


@pytest.mark.parametrize("typed", ["$5", "$ 5", "£3.20", "USD 5", "5 GBP"])
@pytest.mark.parametrize("language", ["en", "nl"])
def test_an_amount_in_another_currency_is_refused(typed: str, language: str) -> None:
    with using(language), pytest.raises(InvalidInput) as caught:
        Money.parse(typed, "EUR")
    assert f"'{typed}'" in str(caught.value) and "EUR" in str(caught.value)
    assert ("5.00" if language == "en" else "5,00") in str(caught.value)


def test_parse_takes_the_currency_it_is_given() -> None:
    assert Money.parse("$ 5", "usd") == Money(500, "USD")
    assert Money.parse("4.20 GBP", "GBP") == Money(420, "GBP")


@pytest.mark.parametrize(
    ("money", "plain", "english", "dutch"),
    [
        (Money(1250), "12.50", "€12.50", "€ 12,50"),
        (Money(5), "0.05", "€0.05", "€ 0,05"),
        (Money(0), "0.00", "€0.00", "€ 0,00"),
        (Money(-1250), "-12.50", "-€12.50", "€ -12,50"),
        (Money(-5), "-0.05", "-€0.05", "€ -0,05"),
        (Money(123_456_789), "1234567.89", "€1,234,567.89", "€ 1.234.567,89"),
        (Money(1999, "USD"), "19.99", "US$19.99", "US$ 19,99"),
        (Money(100, "GBP"), "1.00", "£1.00", "£ 1,00"),
        (Money(250_000, "CHF"), "2500.00", "CHF 2,500.00", "CHF 2.500,00"),
        (Money(-250, "CHF"), "-2.50", "-CHF 2.50", "CHF -2,50"),
    ],
)
def test_formatting(money: Money, plain: str, english: str, dutch: str) -> None:
    def spaced(text: str) -> str:
        return text.replace("\xa0", " ")

    assert money.plain == plain
    with using("en"):
        assert spaced(str(money)) == english
    with using("nl"):
        assert spaced(str(money)) == dutch


def test_arithmetic_keeps_the_currency_and_refuses_to_mix() -> None:
    assert Money(1000) + Money(250) == Money(1250)
    assert Money(1000) - Money(1250) == Money(-250)
    assert -Money(300) == Money(-300)
    with pytest.raises(InvalidInput, match="cannot combine EUR with USD"):
        Money(100) + Money(100, "USD")
    with pytest.raises(InvalidInput, match="cannot combine EUR with USD"):
        Money(100) - Money(100, "USD")


def test_amounts_compare_by_cents() -> None:
    assert Money(999) < Money(1000)
    assert max(Money(5), Money(-5), Money(0)) == Money(5)


cents_strategy = st.integers(min_value=-MAX_PARSEABLE_CENTS, max_value=MAX_PARSEABLE_CENTS)


@given(cents_strategy)
def test_plain_text_parses_back_to_the_same_amount(cents: int) -> None:
    money = Money(cents, "EUR")
    assert Money.parse(money.plain) == money


@given(cents_strategy, st.sampled_from(["en", "nl"]))
def test_shown_text_parses_back_in_its_language(cents: int, language: str) -> None:
    money = Money(cents, "EUR")
    with using(language):
        assert Money.parse(str(money)) == money


@given(cents_strategy, st.sampled_from([".", ","]))
def test_either_decimal_mark_gives_the_same_amount(cents: int, mark: str) -> None:
    typed = Money(cents).plain.replace(".", mark)
    assert Money.parse(typed).cents == cents


@pytest.mark.parametrize(("typed", "code"), [("EUR", "EUR"), (" usd ", "USD"), ("gbp", "GBP")])
def test_a_currency_code_is_kept_in_capitals(typed: str, code: str) -> None:
    assert parse_currency(typed) == code


@pytest.mark.parametrize("typed", ["EURO", "E", "", "€", "12E", "e u"])
def test_anything_but_three_letters_is_not_a_currency(typed: str) -> None:
    with pytest.raises(InvalidInput, match="not a currency code"):
        parse_currency(typed)
