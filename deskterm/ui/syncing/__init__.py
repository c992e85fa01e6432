"""Background sync for the app: the Syncer, and the state the sync indicator shows.

Importing this package is cheap (no HTTP or SQL modules): those load in the sync threads.
"""

from deskterm.ui.syncing.state import LOCAL_ONLY, SyncState
from deskterm.ui.syncing.syncer import Syncer

__all__ = ["LOCAL_ONLY", "SyncState", "Syncer"]
