-- deskterm store, schema 8: the erasure log (AVG/GDPR). One row per erasure of a
-- customer's personal data: the customer and the lead by id, when and why; synced,
-- insert-only. Receiving one scrubs the customer here (deskterm.services.erasure).
CREATE TABLE customer_erasure (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customer(id),
    agent_id TEXT NOT NULL REFERENCES agent(id),
    reason TEXT NOT NULL,
    erased_at DATETIME NOT NULL
);
CREATE INDEX ix_customer_erasure_customer_id ON customer_erasure(customer_id);
