-- deskterm store, schema 11: feedback back to the agent, and thanks between colleagues.
-- A follow-up marks a customer's feedback response as handled by its agent (insert-only,
-- synced, at most one per response); kudos may now come from a colleague ('peer'), which
-- the source's CHECK must allow, so the kudos table is rebuilt with the new CHECK.
CREATE TABLE feedback_follow_up (
    id TEXT PRIMARY KEY,
    feedback_id TEXT NOT NULL REFERENCES feedback(id),
    agent_id TEXT NOT NULL REFERENCES agent(id),
    contact_id TEXT NOT NULL REFERENCES contact(id),
    created_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX ix_feedback_follow_up_feedback_id ON feedback_follow_up(feedback_id);

CREATE TABLE kudos_v11 (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL CHECK (source IN ('customer', 'lead', 'peer')),
    from_name TEXT NOT NULL,
    message TEXT NOT NULL,
    about_agent_id TEXT REFERENCES agent(id),
    team_id TEXT REFERENCES team(id),
    customer_id TEXT REFERENCES customer(id),
    ticket_id TEXT REFERENCES ticket(id),
    contact_id TEXT REFERENCES contact(id),
    author_id TEXT NOT NULL REFERENCES agent(id),
    created_at DATETIME NOT NULL,
    feedback_id TEXT REFERENCES feedback(id)
);
INSERT INTO kudos_v11 (id, source, from_name, message, about_agent_id, team_id, customer_id,
                       ticket_id, contact_id, author_id, created_at, feedback_id)
    SELECT id, source, from_name, message, about_agent_id, team_id, customer_id, ticket_id,
           contact_id, author_id, created_at, feedback_id FROM kudos;
DROP TABLE kudos;
ALTER TABLE kudos_v11 RENAME TO kudos;
CREATE INDEX ix_kudos_created ON kudos(created_at);
CREATE INDEX ix_feedback_agent ON feedback(agent_id, received_at);
