"""Hybrid logical clock: monotonic ticks, receive rules, drift refusal, text order."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deskterm.domain.errors import InvalidInput
from deskterm.domain.hlc import MAX_COUNTER, MAX_DRIFT_MS, Hlc

NOW = 1_795_000_000_000  # a Unix millisecond time in 2026

# The text form has fixed widths: 13 digits of milliseconds (until the year 2286) and
# 5 of counter.
walls = st.integers(min_value=0, max_value=9 * 10**12)
counters = st.integers(min_value=0, max_value=MAX_COUNTER)
nodes = st.text(alphabet="0123456789abcdef", min_size=1, max_size=12)
stamps = st.builds(Hlc, walls, counters, nodes)


def test_text_form_and_parse() -> None:
    stamp = Hlc(NOW, 7, "a1b2c3")
    assert str(stamp) == f"{NOW:013d}-00007-a1b2c3"
    assert Hlc.parse(str(stamp)) == stamp


def test_parse_keeps_dashes_in_the_node() -> None:
    assert Hlc.parse("0000000000001-00002-node-with-dash").node == "node-with-dash"


@pytest.mark.parametrize("text", ["", "garbage", "12-34", "x-1-node", "1-y-node", "1.5-2-n"])
def test_parse_refuses_what_is_not_a_stamp(text: str) -> None:
    with pytest.raises(InvalidInput, match="is not a clock stamp"):
        Hlc.parse(text)


def test_tick_follows_the_physical_clock() -> None:
    assert Hlc(NOW, 5, "n").tick(NOW + 10) == Hlc(NOW + 10, 0, "n")


def test_tick_counts_when_the_clock_stands_still_or_goes_back() -> None:
    start = Hlc(NOW, 5, "n")
    assert start.tick(NOW) == Hlc(NOW, 6, "n")
    assert start.tick(NOW - 60_000) == Hlc(NOW, 6, "n")


def test_a_full_counter_moves_on_to_the_next_millisecond() -> None:
    full = Hlc(NOW, MAX_COUNTER, "n")
    assert full.tick(NOW) == Hlc(NOW + 1, 0, "n")
    assert Hlc(NOW, 0, "n").receive(full, NOW) == Hlc(NOW + 1, 0, "n")
    assert str(full.tick(NOW)) > str(full)


def test_receive_takes_the_later_remote_time() -> None:
    local = Hlc(NOW - 100, 3, "local")
    assert local.receive(Hlc(NOW + 50, 9, "remote"), NOW) == Hlc(NOW + 50, 10, "local")


def test_receive_with_equal_times_counts_past_both() -> None:
    local = Hlc(NOW, 3, "local")
    assert local.receive(Hlc(NOW, 9, "remote"), NOW - 5) == Hlc(NOW, 10, "local")
    assert local.receive(Hlc(NOW, 1, "remote"), NOW - 5) == Hlc(NOW, 4, "local")


def test_receive_uses_the_physical_clock_when_it_is_ahead() -> None:
    local = Hlc(NOW - 100, 3, "local")
    assert local.receive(Hlc(NOW - 50, 9, "remote"), NOW) == Hlc(NOW, 0, "local")


def test_receive_accepts_a_stamp_exactly_at_the_drift_limit() -> None:
    remote = Hlc(NOW + MAX_DRIFT_MS, 0, "remote")
    assert Hlc(NOW, 0, "local").receive(remote, NOW).wall_ms == NOW + MAX_DRIFT_MS


def test_receive_refuses_a_stamp_too_far_in_the_future() -> None:
    remote = Hlc(NOW + MAX_DRIFT_MS + 1, 0, "laptop7")
    with pytest.raises(InvalidInput) as caught:
        Hlc(NOW, 0, "local").receive(remote, NOW)
    message = str(caught.value)
    assert "laptop7" in message
    assert "in the future" in message
    assert "300 s" in message


def test_ties_on_time_and_counter_are_broken_by_node() -> None:
    assert Hlc(NOW, 1, "a") < Hlc(NOW, 1, "b")
    assert str(Hlc(NOW, 1, "a")) < str(Hlc(NOW, 1, "b"))


@given(stamps, st.lists(st.integers(min_value=-10**6, max_value=10**6), max_size=50))
def test_ticks_are_strictly_increasing(start: Hlc, clock_steps: list[int]) -> None:
    stamp, now = start, start.wall_ms
    for step in clock_steps:
        now = max(0, now + step)  # the physical clock may jump back and forth
        following = stamp.tick(now)
        assert following > stamp
        assert str(following) > str(stamp)
        assert following.wall_ms >= now
        stamp = following


@given(stamps, stamps, st.integers(min_value=0, max_value=MAX_DRIFT_MS))
def test_receive_is_after_both_stamps(local: Hlc, remote: Hlc, slack: int) -> None:
    now = max(0, remote.wall_ms - slack)  # the remote is at most MAX_DRIFT_MS ahead
    merged = local.receive(remote, now)
    assert merged > local
    assert (merged.wall_ms, merged.counter) > (remote.wall_ms, remote.counter)
    assert merged.wall_ms >= now
    assert merged.node == local.node


@given(stamps, st.integers(min_value=1, max_value=10**9))
def test_receive_refuses_every_stamp_beyond_the_drift_limit(local: Hlc, beyond: int) -> None:
    now = local.wall_ms
    with pytest.raises(InvalidInput):
        local.receive(Hlc(now + MAX_DRIFT_MS + beyond, 0, "remote"), now)


@given(stamps, stamps)
def test_text_order_is_stamp_order(first: Hlc, second: Hlc) -> None:
    assert (str(first) < str(second)) == (first < second)
    assert (str(first) == str(second)) == (first == second)


@given(stamps)
def test_text_round_trip(stamp: Hlc) -> None:
    assert Hlc.parse(str(stamp)) == stamp
