"""UUIDv7 ids: RFC 9562 layout, time order, and deterministic ids for seeded demo data."""

from __future__ import annotations

import random
import re
import time
import uuid

from hypothesis import given
from hypothesis import strategies as st

from deskterm.domain.ids import uuid7, uuid7_ms

_FORM = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
milliseconds = st.integers(min_value=0, max_value=(1 << 48) - 1)


def test_the_text_form_is_a_lowercase_uuid() -> None:
    value = uuid7()
    assert _FORM.match(value)
    assert str(uuid.UUID(value)) == value


@given(milliseconds, st.integers(min_value=0))
def test_version_and_variant_bits(ms: int, seed: int) -> None:
    parsed = uuid.UUID(uuid7(ms, random.Random(seed)))
    assert parsed.version == 7
    assert parsed.variant == uuid.RFC_4122
    assert (parsed.int >> 76) & 0xF == 0x7
    assert (parsed.int >> 62) & 0b11 == 0b10


@given(milliseconds)
def test_the_time_is_the_first_48_bits(ms: int) -> None:
    assert uuid7_ms(uuid7(ms)) == ms


def test_the_time_defaults_to_now() -> None:
    before = time.time_ns() // 1_000_000
    value = uuid7()
    after = time.time_ns() // 1_000_000
    assert before <= uuid7_ms(value) <= after


@given(milliseconds, milliseconds)
def test_ids_sort_by_time(first: int, second: int) -> None:
    if first < second:
        assert uuid7(first) < uuid7(second)
    elif first > second:
        assert uuid7(first) > uuid7(second)


def test_later_ids_sort_after_earlier_ones() -> None:
    ids = [uuid7(ms) for ms in range(1_700_000_000_000, 1_700_000_000_200)]
    assert ids == sorted(ids)


def test_the_same_seed_makes_the_same_ids() -> None:
    first, second = random.Random(42), random.Random(42)
    made = [uuid7(1_700_000_000_000 + i, first) for i in range(50)]
    assert made == [uuid7(1_700_000_000_000 + i, second) for i in range(50)]
    other = random.Random(43)
    assert made != [uuid7(1_700_000_000_000 + i, other) for i in range(50)]


def test_ids_of_the_same_millisecond_differ() -> None:
    made = {uuid7(1_700_000_000_000) for _ in range(1000)}
    assert len(made) == 1000


@given(st.integers(min_value=0))
def test_all_74_random_bits_are_used(seed: int) -> None:
    rng = random.Random(seed)
    bits = random.Random(seed).getrandbits(74)
    parsed = uuid.UUID(uuid7(0, rng)).int
    rand_a = (parsed >> 64) & 0xFFF
    rand_b = parsed & ((1 << 62) - 1)
    assert (rand_a << 62) | rand_b == bits
