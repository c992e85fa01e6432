"""The one place failures become what the command line prints, and its exit status.

Every failure ends as exactly one line on stderr, `deskterm: error: ...`, and an exit
status: 2 for usage errors (a wrong command line, or input a service calls invalid:
bad amounts, choices, periods), 1 for refused operations (not found, forbidden,
conflicts, not enough budget, store trouble, no acting agent), 130 after Ctrl-C,
141 when the reader of our output went away, 70 for a bug (`DESKTERM_DEBUG=1` adds
the traceback). Kept free of heavy imports: the workspace launcher uses it too.
"""

from __future__ import annotations

import contextlib
import os
import sys
import traceback
from collections.abc import Callable
from typing import TypeVar

from deskterm.domain.actor import NoActor
from deskterm.domain.errors import CustomerNotTold, DeskError, InvalidInput
from deskterm.i18n import N_, _
from deskterm.store.errors import unavailable

#: What to tell someone who has not said which agent they are (`NoActor`).
WHO_ARE_YOU = N_("who are you? give --as HANDLE, set DESKTERM_AGENT, or put agent = "
                 "\"HANDLE\" in the config file")

#: How, on the command line, to tell a returned ticket's customer (`CustomerNotTold`).
TELL_THE_CUSTOMER = N_("`deskterm contact log --ticket KEY ...`, or "
                       "`ticket resolve KEY --informed \"customer already informed by phone\"`")

T = TypeVar("T")

EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141


class UsageError(Exception):
    """The command line itself is wrong; the message ends with where to read the help."""

    def __init__(self, message: str, prog: str) -> None:
        super().__init__(_("{message} (see {prog} --help)").format(message=message, prog=prog))


def run_guarded(work: Callable[[], T]) -> T | int:
    """Run `work`; any failure becomes one stderr line and its exit status."""
    try:
        return work()
    except SystemExit as stop:  # --help and --version
        return stop.code if isinstance(stop.code, int) else 0
    except UsageError as error:
        return _fail(str(error), EXIT_USAGE)
    except NoActor:
        return _fail(_(WHO_ARE_YOU), EXIT_REFUSED)
    except CustomerNotTold as error:
        # TRANSLATORS: {refusal} says why a returned ticket cannot be closed yet; {how} is
        # the commands that tell the customer.
        return _fail(_("{refusal}: {how}").format(refusal=error.message,
                                                  how=_(TELL_THE_CUSTOMER)), EXIT_REFUSED)
    except InvalidInput as error:
        return _fail(error.message, EXIT_USAGE)
    except DeskError as error:
        return _fail(error.message, EXIT_REFUSED)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as error:
        trouble = unavailable(error)
        if trouble is not None:
            return _fail(trouble.message, EXIT_REFUSED)
        if os.environ.get("DESKTERM_DEBUG") == "1":
            traceback.print_exc()
        return _fail(f"{type(error).__name__}: {error}", EXIT_INTERNAL, internal=True)


def one_line(message: object) -> str:
    """A message folded onto one line: the CLI's errors are always exactly one line."""
    return " ".join(str(message).split())


def _fail(message: str, code: int, *, internal: bool = False) -> int:
    line = _("deskterm: internal error: {message}") if internal else _(
        "deskterm: error: {message}")
    with contextlib.suppress(BrokenPipeError, ValueError):
        print(line.format(message=one_line(message)), file=sys.stderr)
    return code


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # stdout is not a file (tests capture it): nothing will flush it at exit
