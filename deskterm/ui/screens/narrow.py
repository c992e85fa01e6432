"""How the workspace narrows: its thresholds, and the classes that carry the rule to CSS.

The rule (README.md, "The workspace"; `Pane`'s docstring):

- Wide (at least NARROW_WIDTH columns): the queue across the top, the customer, the
  knowledge base and goodwill side by side below it.
- Narrow (fewer columns, a laptop's 80): the panes stack. The queue keeps the top, full
  width; below it one side pane at a time, full width: the one last gone to with `2`,
  `3`, `4` or `tab` (the customer at first). The others wait, hidden, one key away.
- Short (fewer than SHORT_HEIGHT lines, a laptop's 24): the queue takes three fifths of
  the height rather than under half, so it shows eight tickets at 80x24.
- Inside a pane nothing is dropped: columns give up room (the queue's Subject keeps
  the most), labels shorten, and what does not fit scrolls. `z` still maximizes a pane.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.geometry import Size
from textual.widget import Widget

#: Fewer columns than this: the side panes stack (one shown, full width).
NARROW_WIDTH = 100
#: Fewer lines than this: the queue takes more of the height.
SHORT_HEIGHT = 32


def fit_to(screen: Widget, size: Size) -> None:
    """Set `-narrow` and `-short` on `screen` for a terminal of `size`."""
    screen.set_class(size.width < NARROW_WIDTH, "-narrow")
    screen.set_class(size.height < SHORT_HEIGHT, "-short")


def show_aside(side_panes: Sequence[Widget], shown: Widget) -> None:
    """Narrow, only `shown` of the side panes shows (the others carry `-aside`)."""
    for pane in side_panes:
        pane.set_class(pane is not shown, "-aside")
