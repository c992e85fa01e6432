"""The database stack (SQLAlchemy, SQLModel: what `deskterm.store.engine` imports) is first
imported by one thread, while any other that needs it waits.

The first frame does without it (`tests/test_lazy_imports.py`); right after it, the history
pane, the KB, goodwill, the mood trend, sync and the announcer each load it in a worker, and
a key such as `n` loads it on the app's thread for a form. Python's imports are not safe
for that: SQLAlchemy's packages import one another, and a thread that enters at its ORM
while another is inside its engine package is handed a half-made module
(`cannot import name 'AdaptedConnection'`, `cannot import name 'Field' from 'sqlmodel'`) or
Python's own `_DeadlockError`.

So the stack loads in `load()`, under one lock: the first thread to call it imports, the
others wait for it, and once it is loaded a call is one read. The app calls it for
everything that may import the stack once the first frame is up (`arm`): every thread
worker it starts (`GatedPool`, its event loop's executor) and every key or click it handles
(`DesktermApp.on_event`). The two workers the first frame may already start (the history
pane's and the KB pane's) call it themselves.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

_lock = threading.Lock()
_loaded = False
_armed = False


def loaded() -> bool:
    return _loaded


def armed() -> bool:
    """Whether the app gates its workers and keys on the stack (the first frame is up)."""
    return _armed


def arm() -> None:
    global _armed
    _armed = True


def load() -> None:
    """Import the stack, or wait for the thread that is importing it."""
    global _loaded
    if _loaded:
        return
    with _lock:
        if _loaded:
            return
        import deskterm.store.engine  # noqa: F401  (SQLAlchemy, SQLModel, its dialect)

        _loaded = True


def _after_load(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    load()
    return function(*args, **kwargs)


class GatedPool(ThreadPoolExecutor):
    """The app's executor (Textual runs thread workers in it): once armed, a worker loads
    the stack, or waits for it, before it runs."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        if _armed and not _loaded:
            return super().submit(_after_load, fn, *args, **kwargs)
        return super().submit(fn, *args, **kwargs)
