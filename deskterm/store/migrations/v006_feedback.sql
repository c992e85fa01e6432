-- deskterm store: customer feedback (CSAT and the seven quality drivers), synced insert-only.
CREATE TABLE feedback (
    id TEXT PRIMARY KEY,
    ticket_id TEXT NOT NULL REFERENCES ticket(id),
    customer_id TEXT NOT NULL REFERENCES customer(id),
    agent_id TEXT REFERENCES agent(id),
    csat INTEGER NOT NULL CHECK (csat BETWEEN 1 AND 5),
    reliability INTEGER CHECK (reliability BETWEEN 1 AND 5),
    empathy INTEGER CHECK (empathy BETWEEN 1 AND 5),
    customer_focus INTEGER CHECK (customer_focus BETWEEN 1 AND 5),
    customer_knowledge INTEGER CHECK (customer_knowledge BETWEEN 1 AND 5),
    waiting_time INTEGER CHECK (waiting_time BETWEEN 1 AND 5),
    accessibility INTEGER CHECK (accessibility BETWEEN 1 AND 5),
    phone_menu INTEGER CHECK (phone_menu BETWEEN 1 AND 5),
    comment TEXT,
    source TEXT NOT NULL DEFAULT 'import',
    received_at DATETIME NOT NULL,
    author_id TEXT REFERENCES agent(id)
);
CREATE INDEX ix_feedback_received ON feedback(received_at);
CREATE INDEX ix_feedback_ticket ON feedback(ticket_id);

-- A compliment may come with a feedback response.
ALTER TABLE kudos ADD COLUMN feedback_id TEXT REFERENCES feedback(id);

-- The quality screen reads a few weeks of resolutions and contacts.
CREATE INDEX ix_ticket_resolved ON ticket(resolved_at) WHERE resolved_at IS NOT NULL;
CREATE INDEX ix_contact_occurred ON contact(occurred_at);
