"""The handle rule the desk's accounts and the server's accounts both go by."""

from __future__ import annotations

import pytest

from deskterm.domain.errors import InvalidInput
from deskterm.domain.people import parse_handle, plain_handle


@pytest.mark.parametrize(("typed", "handle"), [
    ("alex", "alex"), ("@Alex", "alex"), ("  jo.de_vries-2 ", "jo.de_vries-2"),
    ("ab", "ab"), ("a" * 32, "a" * 32),
])
def test_a_handle_is_kept_in_its_plain_form(typed: str, handle: str) -> None:
    assert parse_handle(typed) == handle == plain_handle(typed)


@pytest.mark.parametrize("typed", [
    "a", "a" * 33, "2alex", "_alex", "al ex", "al@ex", "élan", "alex!", "", "@",
])
def test_anything_else_is_refused_saying_what_a_handle_is(typed: str) -> None:
    with pytest.raises(InvalidInput, match="2-32 lowercase letters"):
        parse_handle(typed)
