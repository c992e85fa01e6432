"""The goodwill rules the services, the server and the UI forms share (domain.goodwill)."""

from __future__ import annotations

import pytest

from deskterm.domain.enums import LedgerKind
from deskterm.domain.errors import InsufficientBudget, InvalidInput
from deskterm.domain.goodwill import (
    MIN_REASON,
    amount_refusal,
    overdrawn,
    parse_period,
    refuse_overspend,
    short_reason,
)
from deskterm.domain.money import Money


def eur(cents: int) -> Money:
    return Money(cents, "EUR")


def test_a_spend_may_take_the_budget_to_zero_not_below() -> None:
    assert overdrawn(eur(5000), eur(-5000)) is None
    assert overdrawn(eur(5000), eur(-5001)) == eur(-1)
    refuse_overspend(eur(5000), eur(-5000), "2026-11")
    with pytest.raises(InsufficientBudget) as refused:
        refuse_overspend(eur(3750), eur(-4000), "2026-11")
    assert refused.value.message == \
        "not enough goodwill budget for 2026-11: €40.00 asked, €37.50 left"


def test_an_entry_that_adds_is_never_an_overspend() -> None:
    assert overdrawn(eur(-100), eur(50)) is None  # even on a budget already below zero
    refuse_overspend(eur(-100), eur(50), "2026-11")


def test_budgets_of_another_currency_are_not_mixed() -> None:
    with pytest.raises(InvalidInput, match="cannot combine"):
        overdrawn(eur(100), Money(-50, "USD"))


@pytest.mark.parametrize(("typed", "period"), [
    ("2026-11", "2026-11"), (" 2026-1 ", "2026-01"), ("2026-012", "2026-12")])
def test_a_period_is_stored_as_yyyy_mm(typed: str, period: str) -> None:
    assert parse_period(typed) == period


@pytest.mark.parametrize("typed", [
    "2026-13", "2026-00", "26-11", "november", "2026/11", "2026-11-01", "-", "",
    "２０２６-11", "2026-²",  # digits only ASCII ones: int() would refuse '²' with a crash
])
def test_anything_else_is_not_a_period(typed: str) -> None:
    with pytest.raises(InvalidInput, match="YYYY-MM"):
        parse_period(typed)


@pytest.mark.parametrize("kind", list(LedgerKind))
def test_every_kind_of_entry_needs_a_reason_of_a_few_words(kind: LedgerKind) -> None:
    shortest = "x" * MIN_REASON[kind]
    assert short_reason(kind, shortest) is None
    assert short_reason(kind, f"  {shortest[1:]}  ") is not None  # blanks do not count


@pytest.mark.parametrize(("amount", "words"), [
    (eur(0), "more than zero"), (eur(-1), "more than zero"),
    (Money(100, "USD"), "kept in EUR, not USD"),
    (eur(1_000_001), "€10,000.01 is more than one entry may move (€10,000.00)"),
])
def test_an_entry_moves_a_sane_amount_of_the_budgets_currency(amount: Money,
                                                              words: str) -> None:
    refusal = amount_refusal(amount, "EUR")
    assert refusal is not None and words in refusal
    assert amount_refusal(eur(1_000_000), "EUR") is None
