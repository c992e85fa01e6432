"""Child processes for the benchmark: started, listened to and always ended, with a deadline.

A child reports JSON lines on a pipe (its `--report-fd`). Given a size, it runs in a
pseudo-terminal of that size on stdin, stdout and stderr (Textual draws on stderr), as
in a terminal emulator, and what it draws is read all along so it never blocks.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import dataclass, field
from typing import Any

PROBE = (sys.executable, "-m", "deskterm.bench.probe")
#: A child that has reported gets this long to quit before it is killed (seconds).
_EXIT_GRACE = 10.0
#: How much of what a child drew on its terminal is kept, to say why it failed.
_TAIL = 8192
_ESCAPE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07]*\x07|[@-Z\\-_])")


class ChildFailed(Exception):
    """A child process timed out or failed; the message says which and why."""


@dataclass
class ChildResult:
    """What a child reported, and when it was started (time.monotonic())."""

    started: float
    events: list[dict[str, Any]] = field(default_factory=list)
    timed_out: bool = False
    #: The end of what the child wrote to its terminal.
    screen_tail: bytes = b""
    #: How it exited (negative: killed by that signal, as when it outstayed its grace).
    returncode: int | None = None

    def first(self, kind: str) -> dict[str, Any] | None:
        return next((event for event in self.events if event.get("event") == kind), None)


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Ours as a plain xterm: no Textual dev tools, no DESKTERM_* settings unless in `extra`.

    Bytecode caching is on, as for an installed program (PYTHONDONTWRITEBYTECODE would
    have every start compile deskterm's modules again); give PYTHONPYCACHEPREFIX in
    `extra` to keep the cache out of the source tree.
    """
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("TEXTUAL", "DESKTERM_"))
           and key not in ("NO_COLOR", "COLUMNS", "LINES", "PYTHONDONTWRITEBYTECODE")}
    env.update({"TERM": "xterm-256color", "COLORTERM": "truecolor", "PYTHONUNBUFFERED": "1"})
    env.update(extra or {})
    return env


def run_child(args: list[str], *, timeout: float, env: dict[str, str],
              size: tuple[int, int] | None = None, until: str | None = None) -> ChildResult:
    """Run the probe with `args` (in a pty of `size` columns x rows if given).

    Returns once the child has exited (killed after `timeout` s, or `_EXIT_GRACE` s after it
    reported `until`). Raises ChildFailed when it reported an error or exited badly.
    """
    report_read, report_write = os.pipe()
    master = slave = -1
    if size is not None:
        master, slave = os.openpty()
        columns, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    with tempfile.TemporaryFile() as stderr:
        streams: dict[str, Any] = ({"stdin": slave, "stdout": slave, "stderr": slave}
                                   if size is not None else
                                   {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL,
                                    "stderr": stderr})
        started = time.monotonic()
        process = subprocess.Popen([*PROBE, *args, "--report-fd", str(report_write)],
                                   env=env, pass_fds=(report_write,), start_new_session=True,
                                   **streams)
        os.close(report_write)
        if slave >= 0:
            os.close(slave)
        result = ChildResult(started)
        try:
            _listen(process, result, report_read, master, started + timeout, until)
        finally:
            if process.poll() is None:
                process.kill()
            result.returncode = process.wait()
            os.close(report_read)
            if master >= 0:
                os.close(master)
        error = result.first("error")
        if error is not None:
            raise ChildFailed(str(error.get("message")))
        if process.returncode and not result.timed_out and (until is None
                                                              or not result.first(until)):
            stderr.seek(0)
            output = result.screen_tail or stderr.read()
            lines = _ESCAPE.sub("", output.decode(errors="replace")).strip().splitlines()
            raise ChildFailed(lines[-1].strip() if lines
                              else f"exit status {process.returncode}")
    return result


def _listen(process: subprocess.Popen[bytes], result: ChildResult, report: int, master: int,
            deadline: float, until: str | None) -> None:
    """Read reports (and drain the terminal) until the child exits or its time is up."""
    pending = b""
    watched = [report] + ([master] if master >= 0 else [])
    while watched:
        now = time.monotonic()
        if now > deadline:
            result.timed_out = True
            return
        ready, _, _ = select.select(watched, [], [], min(0.5, deadline - now))
        for fd in ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # EIO: the terminal's other end is closed
                chunk = b""
            if not chunk:
                watched.remove(fd)
            elif fd == master:
                result.screen_tail = (result.screen_tail + chunk)[-_TAIL:]
            elif fd == report:
                pending += chunk
                *lines, pending = pending.split(b"\n")
                result.events += [json.loads(line) for line in lines if line.strip()]
                if until and result.first(until):
                    deadline = min(deadline, time.monotonic() + _EXIT_GRACE)
        if not ready and process.poll() is not None and report not in watched:
            return
    # Its reports are closed: it is on its way out, and has until its deadline to get there.
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=max(0.0, deadline - time.monotonic()))
