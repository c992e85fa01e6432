"""The figures `deskterm bench ui` collects, the goals they are held to, and their JSON."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from typing import Any

APPS = ("deskterm", "minimal", "datatable")
FIRST_FRAME_GOAL_MS = 1500.0
KEY_GOAL_MS = 50.0
FILTER_GOAL_MS = 150.0
MEMORY_GOAL_MB = 200.0
#: The workspace's key actions, in the order they are reported; filters have their own goal.
#: "scrollbar drag" is a mouse action: the queue's scrollbar thumb dragged from the top to
#: the middle of the list sorted by a column other than the default.
KEY_ACTIONS = ("down", "page down", "end", "home", "change sort", "reverse sort",
               "filter (common word)", "filter (rare word)", "clear filter", "change view",
               "scrollbar drag")
FILTER_ACTIONS = ("filter (common word)", "filter (rare word)")


def percentile(values: list[float], fraction: float) -> float:
    """The `fraction` quantile, interpolated between the nearest samples."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class Figure:
    """One measured quantity: its samples in milliseconds, or why there are none."""

    samples: list[float] = field(default_factory=list)
    failed: str | None = None

    @property
    def ok(self) -> bool:
        return bool(self.samples) and self.failed is None

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return percentile(self.samples, 0.95)

    def to_json(self) -> dict[str, Any]:
        if not self.ok:
            return {"failed": self.failed or "not measured"}
        return {"median_ms": round(self.median, 2), "p95_ms": round(self.p95, 2),
                "min_ms": round(min(self.samples), 2), "max_ms": round(max(self.samples), 2),
                "samples_ms": [round(sample, 2) for sample in self.samples]}


@dataclass
class AppResult:
    """Everything measured of one app: first frame, memory, keys."""

    first_frame: Figure = field(default_factory=Figure)
    #: The child's CPU time (all threads) until its first frame.
    frame_cpu: Figure = field(default_factory=Figure)
    #: Stock DataTable only: from add_rows to the frame showing the filled table.
    mount: Figure | None = None
    #: Resident and peak memory (MB) at the first frame (median of the rounds).
    frame_memory: dict[str, float] = field(default_factory=dict)
    #: Resident and peak memory (MB) of the key run, at its end.
    keys_memory: dict[str, float] = field(default_factory=dict)
    #: Resident memory (MB) after each round of keys (and a garbage collection).
    rss_by_round: list[float] = field(default_factory=list)
    keys: dict[str, Figure] = field(default_factory=dict)
    #: For list changes: until the new rows showed (their count may come later).
    rows_shown: dict[str, Figure] = field(default_factory=dict)
    #: The process's CPU time (all threads) over each key's sample.
    keys_cpu: dict[str, Figure] = field(default_factory=dict)
    keys_failed: str | None = None

    @property
    def growth_per_round(self) -> float | None:
        """MB kept per round of keys after the first (which fills caches): a leak if > 0."""
        rounds = self.rss_by_round
        return (rounds[-1] - rounds[0]) / (len(rounds) - 1) if len(rounds) > 1 else None

    @property
    def peak_memory(self) -> float | None:
        peaks = [memory["peak_rss_mb"] for memory in (self.frame_memory, self.keys_memory)
                 if "peak_rss_mb" in memory]
        return max(peaks) if peaks else None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"first_frame": self.first_frame.to_json(),
                                "first_frame_cpu": self.frame_cpu.to_json()}
        if self.mount is not None:
            data["mount"] = self.mount.to_json()
        data["memory_mb"] = {"first_frame": _rounded(self.frame_memory),
                             "after_keys": _rounded(self.keys_memory),
                             "rss_by_round": [round(mb, 1) for mb in self.rss_by_round]}
        if self.growth_per_round is not None:
            data["memory_mb"]["growth_per_round"] = round(self.growth_per_round, 2)
        if self.keys_failed:
            data["keys"] = {"failed": self.keys_failed}
        else:
            data["keys"] = {name: figure.to_json() for name, figure in self.keys.items()}
        for key, figures in (("rows_shown", self.rows_shown), ("keys_cpu", self.keys_cpu)):
            if figures:
                data[key] = {name: figure.to_json() for name, figure in figures.items()}
        return data


@dataclass(frozen=True)
class Goal:
    """A target from the issue and whether the measured value meets it."""

    what: str
    limit: float
    unit: str  # "ms" or "MB"
    value: float | None  # None: not measured
    basis: str  # "median", "p95", "peak"

    @property
    def passed(self) -> bool:
        return self.value is not None and self.value < self.limit

    def to_json(self) -> dict[str, Any]:
        return {"what": self.what, "goal": self.limit, "unit": self.unit, "basis": self.basis,
                "value": None if self.value is None else round(self.value, 2),
                "passed": self.passed}


@dataclass
class UiBench:
    """One run of `deskterm bench ui`."""

    machine: dict[str, Any]
    store: dict[str, Any]
    rounds: int
    baseline_rows: int
    size: tuple[int, int]
    filter_debounce_ms: float
    apps: dict[str, AppResult] = field(default_factory=dict)

    @property
    def deskterm(self) -> AppResult:
        return self.apps["deskterm"]

    def goals(self) -> list[Goal]:
        """The issue's goals: first frame (median), each key (p95), memory (peak)."""
        desk = self.deskterm
        frame = desk.first_frame
        goals = [Goal("first frame", FIRST_FRAME_GOAL_MS, "ms",
                      frame.median if frame.ok else None, "median")]
        for action in KEY_ACTIONS:
            figure = desk.keys.get(action)
            limit = FILTER_GOAL_MS if action in FILTER_ACTIONS else KEY_GOAL_MS
            goals.append(Goal(action, limit, "ms",
                              figure.p95 if figure is not None and figure.ok else None, "p95"))
        goals.append(Goal("memory", MEMORY_GOAL_MB, "MB", desk.peak_memory, "peak"))
        return goals

    def to_json(self) -> dict[str, Any]:
        return {
            "machine": self.machine,
            "store": self.store,
            "rounds": self.rounds,
            "baseline_rows": self.baseline_rows,
            "terminal": {"columns": self.size[0], "rows": self.size[1]},
            "filter_debounce_ms": self.filter_debounce_ms,
            "apps": {name: result.to_json() for name, result in self.apps.items()},
            "goals": [goal.to_json() for goal in self.goals()],
            "goals_met": sum(goal.passed for goal in self.goals()),
            "goals_total": len(self.goals()),
        }


def _rounded(memory: dict[str, float]) -> dict[str, float]:
    return {name: round(value, 1) for name, value in memory.items()}
