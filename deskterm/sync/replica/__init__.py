"""The local side of sync: what to push, what the answers mean, and applying pulled pages.

Everything here is one transaction per step against the agent's SQLite store. By job:

- `outgoing`: the pending outbox, read in order into the wire shape, to send;
- `answers`: the server's answers recorded with their consequences (a new ticket's
  number, or undoing a rejected change so the store holds what the server holds);
- `pulled`: a pulled page merged with the shared rule and the cursor saved in the same
  transaction, so a crash can never leave a cursor ahead of the data it covers;
- `state`: where the replica stands with its server (cursor, server id, last sync);
- `views`: what the app shows of it (pending rows, rejected and set-aside changes).

The sync client and the app use the names below; the modules are the homes.
"""

from deskterm.sync.replica.answers import record_answers
from deskterm.sync.replica.outgoing import (
    Pending,
    count_failure,
    pending_by_others,
    pending_changes,
)
from deskterm.sync.replica.pulled import (
    UNAPPLIABLE,
    apply_pulled,
    decode_for_first_pull,
    first_pull,
)
from deskterm.sync.replica.state import (
    SyncStatus,
    client_id,
    is_new,
    mark_synced,
    read_cursor,
    reset_for_new_history,
    status,
)
from deskterm.sync.replica.views import (
    RejectedChange,
    SetAside,
    answered_entities,
    first_pending_seq,
    pending_row_ids,
    pulled_aside,
    rejected_by_mutation,
    rejected_changes,
    rejected_of,
)

__all__ = [
    "UNAPPLIABLE",
    "Pending",
    "RejectedChange",
    "SetAside",
    "SyncStatus",
    "answered_entities",
    "apply_pulled",
    "client_id",
    "count_failure",
    "decode_for_first_pull",
    "first_pending_seq",
    "first_pull",
    "is_new",
    "mark_synced",
    "pending_by_others",
    "pending_changes",
    "pending_row_ids",
    "pulled_aside",
    "read_cursor",
    "record_answers",
    "rejected_by_mutation",
    "rejected_changes",
    "rejected_of",
    "reset_for_new_history",
    "status",
]
