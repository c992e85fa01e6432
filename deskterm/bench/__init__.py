"""Benchmarks: `deskterm bench ui` measures the workspace against plain Textual baselines.

Nothing here is imported by the app: the benchmark drives the app from outside, in
child processes, the way an agent would meet it (see `deskterm.bench.ui`).
"""

#: The terminal every app is measured in: columns, rows.
TERMINAL_SIZE = (120, 40)
DEFAULT_TICKETS = 1_000_000
DEFAULT_ROUNDS = 5
DEFAULT_BASELINE_ROWS = 100_000
