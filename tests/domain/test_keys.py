"""What a typed ticket key means: one definition, ASCII digits only, odd cases pinned."""

from __future__ import annotations

import pytest

from deskterm.domain.keys import MAX_TICKET_NUMBER, key_number, provisional_key, ticket_key


@pytest.mark.parametrize(("typed", "number"), [
    ("SD-42", 42), ("sd-42", 42), ("Sd-042", 42), ("42", 42), ("  SD-7 ", 7),
    (f"SD-{MAX_TICKET_NUMBER}", MAX_TICKET_NUMBER),
])
def test_a_key_names_its_number(typed: str, number: int) -> None:
    assert key_number(typed) == number


@pytest.mark.parametrize("typed", [
    "SD-١٢", "١٢",  # Arabic-Indic digits: int() reads them, a key does not
    "SD-²", "²",  # a superscript: isdigit() says yes, int() refuses it
    "\uff14\uff12",  # full-width 42
    "SD-", "", "  ", "SD--4", "SD-+4", "-4", "4.0", "SD 42", "SD-4 2", "SD42", "new-3f9a2c",
    "SD-0", "0",  # no ticket is numbered 0
    f"SD-{MAX_TICKET_NUMBER + 1}", "9223372036854775808", "9" * 40,  # beyond any ticket
])
def test_anything_else_is_not_a_key(typed: str) -> None:
    assert key_number(typed) is None


def test_a_key_is_shown_as_it_is_parsed() -> None:
    assert key_number(ticket_key(1042, "x")) == 1042
    made = provisional_key("0192f0c1-6b7e-7cc0-8a1d-3f9a2c4b5d6e")
    assert made == "new-4b5d6e" and key_number(made) is None
