"""The handle rule the desk's accounts and the server's accounts both go by."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deskterm.domain.errors import InvalidInput
from deskterm.domain.people import HANDLE, parse_handle, plain_handle
from deskterm.sync.codec import decode_fields


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


@given(st.text(max_size=40) | st.from_regex(HANDLE, fullmatch=True))
def test_the_agents_field_takes_a_handle_exactly_when_parse_handle_gives_it(text: str) -> None:
    """One rule: what the server and every replica accept as `agent.handle` (the field's
    pattern, which sync.codec checks) is what the desk's accounts may be given."""
    try:
        decode_fields("agent", {"handle": text}, insert=False)
        field_takes = True
    except InvalidInput:
        field_takes = False
    try:
        given_handle = parse_handle(text) == text
    except InvalidInput:
        given_handle = False
    assert field_takes == given_handle, repr(text)
