"""The config file and its DESKTERM_* overrides: the currency goes by the ledger's rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from deskterm.config import load_config
from deskterm.domain.errors import InvalidInput
from deskterm.domain.money import DEFAULT_CURRENCY


def test_without_a_setting_budgets_are_in_the_default_currency(tmp_path: Path) -> None:
    assert load_config(tmp_path / "none.toml").currency == DEFAULT_CURRENCY


def test_a_currency_is_kept_as_the_ledger_stores_it(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """`eur` in the file once made every amount typed 'EUR' "not eur"; it reads as EUR."""
    path = tmp_path / "config.toml"
    path.write_text('currency = "eur"\n', encoding="utf-8")
    assert load_config(path).currency == "EUR"
    monkeypatch.setenv("DESKTERM_CURRENCY", " gbp")
    assert load_config(path).currency == "GBP"


@pytest.mark.parametrize("written", ["EURO", "€", "12"])
def test_a_currency_no_ledger_entry_could_carry_is_refused_naming_the_file(
        tmp_path: Path, written: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f'currency = "{written}"\n', encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"config\.toml: .* is not a currency code"):
        load_config(path)
