-- deskterm store, schema 10: promises to customers, as insert-only events (made, moved
-- with a reason, kept); a promise's state is derived from them (deskterm.domain.promises).
CREATE TABLE promise_event (
    id TEXT PRIMARY KEY,
    promise_id TEXT NOT NULL,
    ticket_id TEXT NOT NULL REFERENCES ticket(id),
    kind TEXT NOT NULL CHECK (kind IN ('made', 'moved', 'kept')),
    agent_id TEXT NOT NULL REFERENCES agent(id),
    what TEXT,
    due_at DATETIME,
    reason TEXT,
    contact_id TEXT REFERENCES contact(id),
    occurred_at DATETIME NOT NULL
);
CREATE INDEX ix_promise_event_promise_id ON promise_event(promise_id);
CREATE INDEX ix_promise_event_ticket_id ON promise_event(ticket_id);
-- "Promises due" and the owner's notifications read open promises by their time.
CREATE INDEX ix_promise_event_due ON promise_event(due_at) WHERE due_at IS NOT NULL;
