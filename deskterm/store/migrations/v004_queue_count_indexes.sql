-- deskterm store, schema 4: the queue's per-owner and per-department views count their
-- open tickets from an index alone, instead of reading every ticket row they hold.
CREATE INDEX ix_open_owner_id ON ticket(owner_id, status, deleted)
    WHERE NOT deleted AND status IN ('new', 'open', 'waiting', 'escalated');
CREATE INDEX ix_open_department ON ticket(department_id, status, deleted)
    WHERE NOT deleted AND status IN ('new', 'open', 'waiting', 'escalated');
