"""The one shape every benchmark's figures take in `deskterm bench all`'s report.

A figure is one measured value beside its baseline measured in the same run (the floor it
is compared with), the goal it is held to, and whether it met it. Every part of
`bench all` returns a list of these; all.py adapts `bench ui` and `bench sync` to it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Figure:
    """One measured value. `goal` says what it is held to, in words ("p95 < 50 ms",
    "<= 1.5x raw FTS5"); `met` is None when the figure has no goal of its own."""

    name: str
    value: float | None  # None: not measured (see the part's note)
    unit: str  # "ms", "s", "MB", "changes/s", "x"...
    baseline: float | None = None
    baseline_name: str = ""
    goal: str = ""
    met: bool | None = None

    @property
    def ratio(self) -> float | None:
        """value / baseline, when both are measured and the baseline is not zero."""
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("value", "baseline"):
            if data[key] is not None:
                data[key] = round(data[key], 3)
        ratio = self.ratio
        data["ratio"] = None if ratio is None else round(ratio, 3)
        return data


def below(value: float | None, limit: float) -> bool | None:
    """Whether `value` is under `limit`; None when it was not measured."""
    return None if value is None else value < limit
