"""The figures `deskterm bench sync` collects, the issue's goals for them, and their JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from deskterm.bench.results import percentile

FIRST_PULL_GOAL_S = 10.0
ROUND_TRIP_GOAL_MS = 300.0
#: The promise to a lead watching the escalation board: no change later than this.
ROUND_TRIP_PROMISE_MS = 1000.0
LOAD_P99_GOAL_MS = 200.0
BACKENDS = ("sqlite", "postgresql")


@dataclass
class Latencies:
    """Samples in milliseconds."""

    samples: list[float] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.samples)

    def at(self, fraction: float) -> float:
        return percentile(self.samples, fraction)

    @property
    def median(self) -> float:
        return self.at(0.5)

    @property
    def p95(self) -> float:
        return self.at(0.95)

    @property
    def p99(self) -> float:
        return self.at(0.99)

    @property
    def max(self) -> float:
        return max(self.samples)

    def to_json(self, *, keep_samples: bool = False) -> dict[str, Any]:
        if not self.samples:
            return {"count": 0}
        data: dict[str, Any] = {"count": len(self.samples), "median_ms": round(self.median, 2),
                                "p95_ms": round(self.p95, 2), "p99_ms": round(self.p99, 2),
                                "min_ms": round(min(self.samples), 2),
                                "max_ms": round(self.max, 2)}
        if keep_samples:
            data["samples_ms"] = [round(sample, 2) for sample in self.samples]
        return data


@dataclass
class FirstPull:
    """A new replica's pull of the whole log, and the same rows written with executemany."""

    changes: int
    seconds: float
    #: Rows the replica holds afterwards in the synced tables (updates fold into rows).
    rows: int
    pages: int
    seed_seconds: float
    baseline_rows: int = 0
    baseline_seconds: float = 0.0

    @property
    def per_second(self) -> float:
        return self.changes / self.seconds

    @property
    def baseline_per_second(self) -> float:
        return self.baseline_rows / self.baseline_seconds if self.baseline_seconds else 0.0

    def to_json(self) -> dict[str, Any]:
        return {"changes": self.changes, "seconds": round(self.seconds, 3),
                "changes_per_s": round(self.per_second, 1), "rows": self.rows,
                "pages": self.pages, "seed_seconds": round(self.seed_seconds, 2),
                "baseline": {"rows": self.baseline_rows,
                             "seconds": round(self.baseline_seconds, 3),
                             "rows_per_s": round(self.baseline_per_second, 1)}}


@dataclass
class RoundTrip:
    """From agent A's write to the change committed in agent B's store, per round."""

    rounds: int
    trip: Latencies
    baseline: Latencies

    def to_json(self) -> dict[str, Any]:
        return {"rounds": self.rounds, "trip": self.trip.to_json(keep_samples=True),
                "baseline": self.baseline.to_json(keep_samples=True)}


@dataclass
class Load:
    """Simulated agents syncing on a timer: every request's latency, and the direct queries."""

    agents: int
    pushers: int
    seconds: float
    requests: Latencies
    pulls: Latencies
    pushes: Latencies
    errors: int
    error_examples: list[str]
    elapsed: float
    #: The load generator's own lateness: how far behind schedule requests were sent.
    late_p99_ms: float
    #: CPU seconds over the load: the load generator (this process), and the server when
    #: it runs as a process of its own (None otherwise).
    generator_cpu: float
    server_cpu: float | None
    baseline: Latencies
    baseline_seconds: float
    #: Server instances the agents were spread over (one database behind them).
    instances: int = 1

    @property
    def per_second(self) -> float:
        return len(self.requests.samples) / self.elapsed if self.elapsed else 0.0

    @property
    def baseline_per_second(self) -> float:
        count = len(self.baseline.samples)
        return count / self.baseline_seconds if self.baseline_seconds else 0.0

    def to_json(self) -> dict[str, Any]:
        return {"agents": self.agents, "pushers": self.pushers, "seconds": self.seconds,
                "instances": self.instances,
                "requests": self.requests.to_json(), "pulls": self.pulls.to_json(),
                "pushes": self.pushes.to_json(), "errors": self.errors,
                "error_examples": self.error_examples,
                "requests_per_s": round(self.per_second, 1),
                "generator_late_p99_ms": round(self.late_p99_ms, 2),
                "generator_cpu_s": round(self.generator_cpu, 2),
                "server_cpu_s": None if self.server_cpu is None else round(self.server_cpu, 2),
                "baseline": {**self.baseline.to_json(),
                             "seconds": round(self.baseline_seconds, 3),
                             "queries_per_s": round(self.baseline_per_second, 1)}}


@dataclass
class BackendResult:
    """Everything measured on one kind of server database, or why it was not."""

    backend: str
    database: str = ""
    server: str = ""
    first_pull: FirstPull | None = None
    round_trip: RoundTrip | None = None
    load: Load | None = None
    skipped: str | None = None
    failed: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"backend": self.backend, "database": self.database,
                                "server": self.server}
        if self.skipped:
            data["skipped"] = self.skipped
        if self.failed:
            data["failed"] = self.failed
        for name in ("first_pull", "round_trip", "load"):
            figure = getattr(self, name)
            data[name] = figure.to_json() if figure is not None else None
        return data


@dataclass(frozen=True)
class Goal:
    """A target from the issue and whether the measured value meets it (value < limit)."""

    backend: str
    what: str
    limit: float
    unit: str  # "s", "ms" or "errors"
    basis: str  # "total", "p95", "max", "p99", "count"
    value: float | None  # None: not measured

    @property
    def passed(self) -> bool:
        return self.value is not None and self.value < self.limit

    def to_json(self) -> dict[str, Any]:
        return {"backend": self.backend, "what": self.what, "goal": self.limit,
                "unit": self.unit, "basis": self.basis,
                "value": None if self.value is None else round(self.value, 3),
                "passed": self.passed}


def goals_of(result: BackendResult) -> list[Goal]:
    """The issue's goals for one database; unmeasured figures count as missed."""
    if result.skipped:
        return []
    name = result.backend
    pull, trip, load = result.first_pull, result.round_trip, result.load
    return [
        Goal(name, "first pull", FIRST_PULL_GOAL_S, "s", "total",
             pull.seconds if pull else None),
        Goal(name, "round trip", ROUND_TRIP_GOAL_MS, "ms", "p95",
             trip.trip.p95 if trip and trip.trip.ok else None),
        Goal(name, "round trip (lead's board)", ROUND_TRIP_PROMISE_MS, "ms", "max",
             trip.trip.max if trip and trip.trip.ok else None),
        Goal(name, "load", LOAD_P99_GOAL_MS, "ms", "p99",
             load.requests.p99 if load and load.requests.ok else None),
        Goal(name, "load errors", 1, "errors", "count", load.errors if load else None),
    ]


@dataclass
class SyncBench:
    """One run of `deskterm bench sync`."""

    machine: dict[str, Any]
    options: dict[str, Any]
    results: list[BackendResult] = field(default_factory=list)

    def goals(self) -> list[Goal]:
        return [goal for result in self.results for goal in goals_of(result)]

    def to_json(self) -> dict[str, Any]:
        goals = self.goals()
        return {"machine": self.machine, "options": self.options,
                "backends": {result.backend: result.to_json() for result in self.results},
                "goals": [goal.to_json() for goal in goals],
                "goals_met": sum(goal.passed for goal in goals), "goals_total": len(goals)}
