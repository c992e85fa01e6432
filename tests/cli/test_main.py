"""The command line as a whole: help, version, exit statuses, the acting agent, real processes."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from deskterm import __version__
from deskterm.cli import main as cli_main
from deskterm.cli.runtime import DeskParser, UsageError
from deskterm.domain import MoodEntry
from tests.cli.conftest import Cli, nothing_written
from tests.conftest import Desk


def _leaf_commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()
                   ) -> list[tuple[str, ...]]:
    found = [prefix]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _leaf_commands(sub, (*prefix, name))
    return found


COMMANDS = _leaf_commands(cli_main.build_parser())


def test_version(run_cli: Cli) -> None:
    result = run_cli("--version")
    assert result.code == 0
    assert result.out.strip() == f"deskterm {__version__}"


def test_help_lists_every_group(run_cli: Cli) -> None:
    result = run_cli("--help")
    assert result.code == 0
    for group in ("demo", "agent", "department", "customer", "ticket", "contact", "history",
                  "kb", "goodwill", "mood", "kudos"):
        assert f"\n    {group}" in result.out


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "deskterm")
def test_every_command_has_help(run_cli: Cli, command: tuple[str, ...]) -> None:
    result = run_cli(*command, "-h")
    assert result.code == 0
    assert result.out.startswith("usage: deskterm")
    assert result.err == ""


def test_every_leaf_command_takes_the_global_options_after_it() -> None:
    parser = cli_main.build_parser()
    args = parser.parse_args(["--json", "--db", "x.db", "--as", "kim", "agent", "list"])
    assert (args.json, args.db, args.as_handle) == (True, "x.db", "kim")
    args = parser.parse_args(["agent", "list", "--json", "--db", "y.db", "--as", "lee"])
    assert (args.json, args.db, args.as_handle) == (True, "y.db", "lee")
    args = parser.parse_args(["agent", "list"])
    assert (args.json, args.db, args.as_handle) == (False, None, None)


def test_plain_deskterm_without_a_store_hints_at_the_demo(run_cli: Cli, tmp_path: Path) -> None:
    run_cli("--db", str(tmp_path / "none.db")).refused(1, "deskterm --demo", "deskterm demo")
    assert not (tmp_path / "none.db").exists()


def test_plain_deskterm_opens_the_workspace_only_in_a_terminal(cli: Cli) -> None:
    cli().refused(1, "needs a terminal")


GROUPS = [command for command in COMMANDS
          if command and any(other[:-1] == command for other in COMMANDS)]


@pytest.mark.parametrize("group", GROUPS, ids=" ".join)
def test_a_group_alone_is_a_usage_error_naming_its_commands(run_cli: Cli,
                                                            group: tuple[str, ...]) -> None:
    result = run_cli(*group)
    result.refused(2, f"deskterm {' '.join(group)} needs a command")
    commands = [c[-1] for c in COMMANDS if c[:-1] == group]
    assert commands and all(name in result.err for name in commands)


def test_every_option_and_command_has_help() -> None:
    """Walks the whole parser: an option or a command without help text is a bug."""
    missing: list[str] = []

    def walk(parser: argparse.ArgumentParser, path: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                helped = {choice.dest for choice in action._choices_actions if choice.help}
                for name, sub in action.choices.items():
                    if name not in helped:
                        missing.append(f"{path} {name}")
                    walk(sub, f"{path} {name}")
            elif not action.help or action.help == argparse.SUPPRESS:
                missing.append(f"{path} {'/'.join(action.option_strings) or action.dest}")

    walk(cli_main.build_parser(), "deskterm")
    assert missing == [], "\n".join(missing)


@pytest.mark.parametrize("argv, words", [
    (["bogus"], ["invalid choice: 'bogus'", "(see deskterm --help)"]),
    (["ticket", "frobnicate"], ["(see deskterm ticket --help)"]),
    (["ticket", "new", "--subject", "x"], ["--customer", "(see deskterm ticket new --help)"]),
    (["ticket", "list", "--limit", "0"], ["out of range", "(see deskterm ticket list --help)"]),
    (["ticket", "list", "--limit", "many"], ["not a whole number"]),
    (["mood", "great"], ["invalid int value", "(see deskterm mood --help)"]),
    (["--nonsense"], ["unrecognized arguments"]),
])
def test_usage_errors_are_one_line_and_exit_2(cli: Cli, desk: Desk, argv: list[str],
                                               words: list[str]) -> None:
    with nothing_written(desk.store):
        cli(*argv).refused(2, *words)


def test_read_commands_do_not_create_a_store(run_cli: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    for argv in (["ticket", "list"], ["customer", "list"], ["kb", "search", "vpn"],
                 ["agent", "list"], ["history", "jo@example.com"]):
        run_cli("--db", str(missing), *argv).refused(1, "no store at")
    assert not missing.exists()


def test_a_file_that_is_not_a_store_is_refused(run_cli: Cli, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    run_cli("--db", str(junk), "ticket", "list").refused(1)


def test_store_from_environment_and_config(run_cli: Cli, desk: Desk, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    config = Path(os.environ["DESKTERM_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'db = "{desk.store.path}"\n', encoding="utf-8")
    assert {a["handle"] for a in run_cli("agent", "list", "--json").data} >= {"alex"}
    monkeypatch.setenv("DESKTERM_DB", str(tmp_path / "elsewhere.db"))
    run_cli("agent", "list").refused(1, "elsewhere.db")


def test_acting_agent_from_as_environment_and_config(
        run_cli: Cli, desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    db = ["--db", str(desk.store.path)]
    run_cli(*db, "mood", "3").refused(1, "--as HANDLE")
    config = Path(os.environ["DESKTERM_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('agent = "blake"\n', encoding="utf-8")
    assert run_cli(*db, "mood", "3", "--json").data["score"] == 3  # as blake, from the config
    monkeypatch.setenv("DESKTERM_AGENT", "casey")
    assert run_cli(*db, "mood", "4", "--json").code == 0  # as casey, from the environment
    assert run_cli(*db, "--as", "alex", "mood", "5", "--json").code == 0
    assert run_cli(*db, "mood", "5", "--as", "sam", "--json").code == 0
    moods = {row.agent_id: row.score for row in _moods(desk)}
    ids = {handle: desk.as_(handle).actor.id for handle in ("blake", "casey", "alex", "sam")}
    assert moods == {ids["blake"]: 3, ids["casey"]: 4, ids["alex"]: 5, ids["sam"]: 5}


def _moods(desk: Desk) -> list[MoodEntry]:
    with desk.store.reading() as session:
        return list(session.exec(select(MoodEntry)).all())


def test_unknown_acting_agent_is_refused(cli: Cli, desk: Desk) -> None:
    with nothing_written(desk.store):
        cli("mood", "3", agent="nobody").refused(1, "nobody")
        cli("ticket", "list", agent="nobody").refused(1, "no agent with handle 'nobody'")
        cli("kb", "search", "vpn", agent="nobody").refused(1, "nobody")


def test_a_broken_config_file_is_one_line(run_cli: Cli) -> None:
    config = Path(os.environ["DESKTERM_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("agent = [unclosed\n", encoding="utf-8")
    run_cli("agent", "list").refused(2, "not valid TOML")


def test_internal_errors_are_one_line_and_exit_70(cli: Cli, monkeypatch: pytest.MonkeyPatch
                                                   ) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("deskterm.cli.agents.org.list_agents", broken)
    result = cli("agent", "list")
    assert result.code == 70
    assert result.err == "deskterm: internal error: RuntimeError: boom\n"
    monkeypatch.setenv("DESKTERM_DEBUG", "1")
    result = cli("agent", "list")
    assert result.code == 70
    assert "Traceback" in result.err and result.err.endswith(
        "deskterm: internal error: RuntimeError: boom\n")


def test_ctrl_c_exits_130_quietly(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("deskterm.cli.agents.org.list_agents", interrupted)
    result = cli("agent", "list")
    assert (result.code, result.out, result.err) == (130, "", "")


def test_parser_errors_never_exit_by_themselves() -> None:
    with pytest.raises(UsageError, match=r"^nope \(see deskterm --help\)$"):
        DeskParser(prog="deskterm").error("nope")


# Real processes: the installed entry point, exit statuses and no tracebacks.

def _deskterm(*argv: str, env: dict[str, str] | None = None,
              stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "deskterm", *argv], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, input=stdin,
                          timeout=120, check=False)


def test_process_version_and_help() -> None:
    assert _deskterm("--version").stdout.strip() == f"deskterm {__version__}"
    helped = _deskterm("ticket", "new", "-h")
    assert helped.returncode == 0 and "--customer" in helped.stdout


def test_process_exit_statuses_without_tracebacks(desk: Desk) -> None:
    db = ["--db", str(desk.store.path)]
    usage = _deskterm(*db, "ticket", "escalate", "SD-1", "--tier", "7")
    assert usage.returncode == 2
    assert usage.stderr.count("\n") == 1 and "(see deskterm ticket escalate --help)" in usage.stderr
    refused = _deskterm(*db, "--as", "alex", "ticket", "show", "SD-999")
    assert refused.returncode == 1 and refused.stderr == "deskterm: error: no ticket 'SD-999'\n"
    bad = _deskterm(*db, "--as", "alex", "goodwill", "spend", "12.5x", "--reason", "why not",
                    "--customer", "jo@example.com")
    assert bad.returncode == 2 and "not an amount" in bad.stderr
    for result in (usage, refused, bad):
        assert "Traceback" not in result.stderr and result.stdout == ""


def test_process_broken_pipe_is_quiet(demo_db: Path) -> None:
    for output in ("--json", "--all"):  # JSON and a table, each far bigger than a pipe buffer
        command = (f"{sys.executable} -m deskterm --db {demo_db} ticket list --all "
                   f"--limit 2000 {output} | head -1")
        result = subprocess.run(command, shell=True, capture_output=True, text=True,
                                timeout=120, check=False)
        assert result.returncode == 0
        assert result.stdout.strip() in ("[", "KEY       P   STATUS") or result.stdout.startswith(
            "KEY")
        assert "Traceback" not in result.stderr and "Exception" not in result.stderr


def test_broken_pipe_in_process_exits_141(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    def closed(*_args: object, **_kwargs: object) -> None:
        raise BrokenPipeError

    monkeypatch.setattr("deskterm.cli.agents.org.list_agents", closed)
    result = cli("agent", "list")
    assert (result.code, result.err) == (141, "")
