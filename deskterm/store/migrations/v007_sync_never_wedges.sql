-- deskterm store, schema 7: sync never wedges on one change, in either direction.

-- How many times the server failed (a 5xx) on a pending change sent on its own: after a
-- few, the change is rejected with its content kept, and the changes behind it go up.
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;

-- Pulled changes this replica cannot apply (a log written by an older server may hold
-- some): kept whole, with the reason, shown by `deskterm sync --status`; the pull goes on.
CREATE TABLE pulled_aside (
    seq INTEGER PRIMARY KEY,
    mutation_id TEXT NOT NULL,
    entity TEXT NOT NULL,
    row_id TEXT NOT NULL,
    op TEXT NOT NULL,
    fields TEXT NOT NULL,
    hlc TEXT NOT NULL,
    author_id TEXT,
    reason TEXT NOT NULL,
    set_aside_at DATETIME NOT NULL
);
