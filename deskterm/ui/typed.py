"""Typed access to what Textual hands over loosely typed: the running app, a worker's result."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from textual.message_pump import MessagePump
    from textual.worker import Worker

    from deskterm.ui.app import DesktermApp

T = TypeVar("T")


def desk_app(node: MessagePump) -> DesktermApp:
    """The running app as deskterm's own, for its signals and methods (`node.app` is typed
    as a bare `App`). Widgets and screens cannot import `DesktermApp` at module level: the
    app module imports them."""
    from deskterm.ui.app import DesktermApp

    app = node.app
    if not isinstance(app, DesktermApp):
        raise TypeError(f"{type(node).__name__} runs only inside DesktermApp, not {app!r}")
    return app


def worker_result(worker: Worker[Any], kind: type[T]) -> T:
    """A successful worker's result as the type its `@work` method returns (the worker in
    `Worker.StateChanged` is a `Worker[Any]`). `kind` is checked, so a group name matched
    to the wrong worker fails here, not somewhere further on."""
    result = worker.result
    if not isinstance(result, kind):
        raise TypeError(f"worker {worker.name!r} returned {type(result).__name__}, "
                        f"not {kind.__name__}")
    return result
