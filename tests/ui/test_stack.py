"""The database stack loads on one thread at a time (ui.stack).

Threads that first import SQLAlchemy from different ends at once get half-made modules
(`cannot import name 'AdaptedConnection'`) or `_DeadlockError`: right after the first frame
the workspace's workers and a key like `n` did exactly that. Through `stack.load()` every
thread finds the whole stack; the app passes its workers and keys through it.
"""

from __future__ import annotations

import subprocess
import sys

_THREADS = """
import importlib, sys, threading
import textual.app, textual.widgets
from deskterm.ui import stack

ENTRIES = ("sqlmodel", "sqlalchemy.orm", "sqlalchemy.engine", "deskterm.store.engine",
           "deskterm.services.goodwill", "deskterm.sync.client", "deskterm.ui.forms.ticket",
           "deskterm.services.kb")
barrier = threading.Barrier(len(ENTRIES))
errors = []

def enter(name):
    barrier.wait()  # all at once
    try:
        stack.load()
        importlib.import_module(name)
    except BaseException as error:
        errors.append(f"{name}: {type(error).__name__}: {error}")

threads = [threading.Thread(target=enter, args=(name,)) for name in ENTRIES]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("\\n".join(errors) or "ok")
"""


def test_threads_entering_the_stack_at_once_each_find_it_whole() -> None:
    for _run in range(6):
        done = subprocess.run([sys.executable, "-c", _THREADS], capture_output=True,
                              text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stdout.strip() == "ok", done.stdout

