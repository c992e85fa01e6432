"""The workspace's background sync: the Syncer (an adapter over `deskterm.sync.loop`), and
how the sync indicator words its state.

Importing this package is cheap (no HTTP or SQL modules): those load in the sync threads.
"""

from deskterm.sync.loop import SyncState
from deskterm.ui.syncing.state import LOCAL_ONLY
from deskterm.ui.syncing.syncer import Syncer

__all__ = ["LOCAL_ONLY", "SyncState", "Syncer"]
