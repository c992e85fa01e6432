"""The ticket queue as a virtual list: what it shows (spec), how it is read (plan, pages).

`QueueSource` (source.py) serves rows by position; the names callers use are here.
"""

from deskterm.store.queue.source import Located, QueueSource
from deskterm.store.queue.spec import QueueSort, QueueSpec, QueueView

__all__ = ["Located", "QueueSort", "QueueSource", "QueueSpec", "QueueView"]
