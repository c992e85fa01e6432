-- deskterm store, schema 3: what the virtual ticket queue needs to stay fast at a
-- million tickets: one index per sortable column (for the All view) and a small
-- partial index per column over open tickets only (for every other view).

-- Derived, local-only sort keys (not synced, not in the SQLModel table): the
-- customer's name and the owner's handle, kept in step by triggers so a sort by
-- either is an index scan on the ticket table instead of a join.
ALTER TABLE ticket ADD COLUMN customer_sort TEXT NOT NULL DEFAULT '';
ALTER TABLE ticket ADD COLUMN owner_sort TEXT NOT NULL DEFAULT '';
UPDATE ticket SET
    customer_sort = (SELECT lower(name) FROM customer WHERE customer.id = ticket.customer_id),
    owner_sort = ifnull((SELECT handle FROM agent WHERE agent.id = ticket.owner_id), '');

CREATE TRIGGER ticket_sort_ai AFTER INSERT ON ticket
WHEN new.customer_sort = '' OR (new.owner_id IS NOT NULL AND new.owner_sort = '') BEGIN
    UPDATE ticket SET
        customer_sort = ifnull((SELECT lower(name) FROM customer WHERE id = new.customer_id), ''),
        owner_sort = ifnull((SELECT handle FROM agent WHERE id = new.owner_id), '')
    WHERE rowid = new.rowid;
END;
CREATE TRIGGER ticket_sort_au AFTER UPDATE OF customer_id, owner_id ON ticket BEGIN
    UPDATE ticket SET
        customer_sort = ifnull((SELECT lower(name) FROM customer WHERE id = new.customer_id), ''),
        owner_sort = ifnull((SELECT handle FROM agent WHERE id = new.owner_id), '')
    WHERE rowid = new.rowid;
END;
CREATE TRIGGER customer_sort_au AFTER UPDATE OF name ON customer BEGIN
    UPDATE ticket SET customer_sort = lower(new.name) WHERE customer_id = new.id;
END;
CREATE TRIGGER agent_sort_au AFTER UPDATE OF handle ON agent BEGIN
    UPDATE ticket SET owner_sort = new.handle WHERE owner_id = new.id;
END;

-- Sort indexes for the All view, over live (not tombstoned) tickets. Each ends in the
-- columns the queue's WHERE reads (`deleted`; `status` for open views), so counting and
-- skipping rows never leaves the index; the queue orders by every index column, so
-- the index order is the list order. Columns with few distinct values are followed by
-- the creation time, so a seek lands next to its row instead of at the start of a group
-- of half a million. Unnumbered tickets sort as the newest keys.
CREATE INDEX ix_queue_number ON ticket(ifnull(number, 9223372036854775807), deleted)
    WHERE NOT deleted;
CREATE INDEX ix_queue_created ON ticket(created_at, deleted) WHERE NOT deleted;
CREATE INDEX ix_queue_customer ON ticket(customer_sort, created_at, deleted)
    WHERE NOT deleted;
CREATE INDEX ix_queue_owner ON ticket(owner_sort, created_at, deleted)
    WHERE NOT deleted;
CREATE INDEX ix_queue_priority ON ticket(priority, created_at, deleted)
    WHERE NOT deleted;
CREATE INDEX ix_queue_status ON ticket(status, created_at, deleted) WHERE NOT deleted;
CREATE INDEX ix_queue_contact ON ticket(ifnull(last_contact_at, ''), deleted) WHERE NOT deleted;
-- The subject index carries the customer and owner too: the filter box matches all
-- three by scanning this index alone.
CREATE INDEX ix_queue_subject ON ticket(subject COLLATE NOCASE, customer_sort, owner_sort,
    deleted) WHERE NOT deleted;

-- The same over open tickets only: small indexes for the queue's everyday views.
CREATE INDEX ix_open_number ON ticket(ifnull(number, 9223372036854775807), status, deleted)
    WHERE NOT deleted AND status IN ('new', 'open', 'waiting', 'escalated');
CREATE INDEX ix_open_created ON ticket(created_at, status, deleted)
    WHERE NOT deleted AND status IN ('new', 'open', 'waiting', 'escalated');
CREATE INDEX ix_open_customer ON ticket(customer_sort, created_at, status, deleted)
    WHERE NOT deleted AND status IN ('new', 'open', 'waiting', 'escalated');
CREATE INDEX ix_open_owner ON ticket(owner_sort, created_at, status, deleted)
    WHERE NOT deleted AND status IN ('new', 'open', 'waiting', 'escalated');
CREATE INDEX ix_open_priority ON ticket(priority, created_at, status, deleted)
    WHERE NOT deleted AND status IN ('new', 'open', 'waiting', 'escalated');
CREATE INDEX ix_open_status ON ticket(status, created_at, deleted)
    WHERE NOT deleted AND status IN ('new', 'open', 'waiting', 'escalated');
CREATE INDEX ix_open_contact ON ticket(ifnull(last_contact_at, ''), status, deleted)
    WHERE NOT deleted AND status IN ('new', 'open', 'waiting', 'escalated');
CREATE INDEX ix_open_subject ON ticket(subject COLLATE NOCASE, customer_sort, owner_sort,
    status, deleted) WHERE NOT deleted AND status IN ('new', 'open', 'waiting', 'escalated');
