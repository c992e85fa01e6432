"""Opening the workspace, off the UI thread: the session, and the queue's first rows.

The app runs `open_desk` in a worker while the UI thread loads the workspace's modules
and then mounts its widgets; the store's reads (SQLite works beside the interpreter) are
done by the time the queue mounts, and its first rows show at once.

Everything the worker runs is imported here, with the app, so that the worker imports
nothing while the UI thread does: two threads importing at once can, in Python 3.11,
hand one of them a module the other has not finished.
"""

from __future__ import annotations

from pathlib import Path

from deskterm.config import Config
from deskterm.store.queue import QueueSpec, QueueView
from deskterm.store.queue.ahead import opened_ahead
from deskterm.store.queue.pages import BLOCK
from deskterm.ui.session import DeskSession, open_session

#: The rows read ahead: the queue table's first read, a screen of lines and its
#: read-ahead, falls within the first two blocks up to 64 lines of table.
OPENING_ROWS = 2 * BLOCK


def opening_spec(agent_id: str) -> QueueSpec:
    """What the queue shows when the workspace opens: the agent's own open tickets, newest
    first (the first of the queue pane's views; the pane takes the rows read ahead only
    when its spec is this one)."""
    return QueueSpec(view=QueueView.MINE, agent_id=agent_id)


def open_desk(path: Path, handle: str | None, config: Config) -> DeskSession:
    """The session (`open_session`, which raises what the start screen shows), with the
    queue's reader opened and its first rows read. Call in a worker."""
    session = open_session(path, handle, config)
    session.opening_queue = opened_ahead(session.store_path, opening_spec(session.actor.id),
                                         rows=OPENING_ROWS)
    return session
