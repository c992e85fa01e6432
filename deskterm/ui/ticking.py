"""Relative times that follow the clock: "3h", "2 days ago" grow while a screen stays open.

A widget that shows times relative to now ("Age", "Contact", "… ago") holds what it read
and draws it again against `deskterm.domain.clock` every CLOCK_TICK seconds, from what
it holds: never a new read of the store for that (a change in the store redraws through
DataChanged as before). The lead's board, which re-reads on its own timer, is the one
exception (see screens/lead/board.py).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.dom import DOMNode
from textual.timer import Timer

#: How often (seconds) relative times are drawn again. Ages are shown in minutes at the
#: finest, so half a minute keeps them right to within one.
CLOCK_TICK = 30.0


def follow_clock(node: DOMNode, redraw: Callable[[], object]) -> Timer:
    """Call `redraw` every CLOCK_TICK seconds while `node` is mounted (read when called,
    so a test may make the tick short)."""
    return node.set_interval(CLOCK_TICK, redraw)
