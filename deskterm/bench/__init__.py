"""Benchmarks: `deskterm bench ui` measures the workspace against plain Textual baselines.

Nothing here is imported by the app: the benchmark drives the app from outside, in
child processes, the way an agent would meet it (see `deskterm.bench.ui`). The one
door in is the CLI's `bench` command, which imports it when it runs (the import
contract in pyproject.toml; its sizes and their defaults are the command's options).
"""

#: The terminal every app is measured in: columns, rows.
TERMINAL_SIZE = (120, 40)
