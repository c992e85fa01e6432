"""Issue 13, finding 9: tables a person reads and a script diffs: no blanks at line ends,
columns as wide as what they hold, numbers aligned under their heading."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import Cli

COMMANDS = [
    ("--as", "alex", "ticket", "list", "--all", "--limit", "40"),
    ("--as", "alex", "ticket", "show", "SD-1"),
    ("--as", "alex", "agent", "list"),
    ("--as", "alex", "customer", "list"),
    ("--as", "alex", "goodwill", "ledger"),
    ("--as", "morgan", "board"),
    ("--as", "morgan", "mood-team"),
]


@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_no_line_ends_in_blanks(run_cli: Cli, demo_db: Path, argv: tuple[str, ...]) -> None:
    result = run_cli("--db", str(demo_db), *argv)
    assert result.code == 0, result.err
    padded = [line for line in result.out.splitlines() if line != line.rstrip()]
    assert padded == []


def _column(header: str, name: str, following: str) -> slice:
    return slice(header.index(name), header.index(following))


def test_status_is_as_wide_as_a_status_and_the_group_has_its_own_column(
        run_cli: Cli, demo_db: Path) -> None:
    out = run_cli("--db", str(demo_db), "--as", "alex", "ticket", "list", "--status",
                  "escalated", "--limit", "20").out
    header, *rows = out.splitlines()
    status, group = _column(header, "STATUS", "GROUP"), _column(header, "GROUP", "SUBJECT")
    widest = max(len(row[status].rstrip()) for row in rows if row.startswith("SD-"))
    assert status.stop - status.start == widest + 2  # two blanks between columns
    assert all(row[status].startswith("escalated→T") for row in rows if row.startswith("SD-"))
    assert all(row[group].strip() for row in rows if row.startswith("SD-"))


def test_mood_team_counts_of_ten_stay_under_their_score(run_cli: Cli, demo_db: Path) -> None:
    out = run_cli("--db", str(demo_db), "--as", "morgan", "mood-team").out
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("WEEK"))
    ends = [header.index(f" {score} ") + 2 for score in range(1, 5)] + [header.index(" 5") + 2]
    weeks = [line for line in lines if line[:4].isdigit() and "fewer" not in line
             and "not enough" not in line]
    assert weeks
    for line in weeks:
        for end in ends:  # every count ends where its score's heading ends
            assert line[end - 1].isdigit() and line[end:end + 1] in ("", " "), (line, end)
