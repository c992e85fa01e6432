-- deskterm store, schema 9: resolver groups and the hand-back (issue 12).
-- A group is a synced, mutable row; membership an insert-only trail of added/removed.
-- A ticket names its group by id and knows when the resolver handed it back.
CREATE TABLE resolver_group (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    tier INTEGER NOT NULL CHECK (tier BETWEEN 1 AND 3),
    lead_id TEXT REFERENCES agent(id),
    created_at DATETIME NOT NULL,
    deleted BOOLEAN NOT NULL DEFAULT 0
);
CREATE TABLE group_member (
    id TEXT PRIMARY KEY,
    group_id TEXT NOT NULL REFERENCES resolver_group(id),
    agent_id TEXT NOT NULL REFERENCES agent(id),
    added BOOLEAN NOT NULL,
    author_id TEXT NOT NULL REFERENCES agent(id),
    created_at DATETIME NOT NULL
);
CREATE INDEX ix_group_member_agent ON group_member(agent_id, group_id, created_at);
ALTER TABLE ticket ADD COLUMN resolver_group_id TEXT REFERENCES resolver_group(id);
ALTER TABLE ticket ADD COLUMN returned_at DATETIME;
CREATE INDEX ix_ticket_resolver_group ON ticket(resolver_group_id, status);

-- Escalations made before groups were rows named their group in free text: each text
-- becomes a group, its id derived from the text (domain.groups.migrated_group_id), so
-- every replica and the server (Alembic revision 0006) make the same group of it.
INSERT OR IGNORE INTO resolver_group (id, name, tier, created_at, deleted)
SELECT 'grp-' || lower(substr(hex(trim(resolver_group)), 1, 60)), trim(resolver_group),
       MAX(CASE WHEN resolver_tier IN (2, 3) THEN resolver_tier ELSE 2 END),
       MIN(COALESCE(escalated_at, created_at)), 0
FROM ticket
WHERE resolver_group IS NOT NULL AND trim(resolver_group) <> ''
GROUP BY trim(resolver_group);
UPDATE ticket
SET resolver_group_id = (SELECT g.id FROM resolver_group g
                         WHERE g.name = trim(ticket.resolver_group))
WHERE resolver_group IS NOT NULL AND resolver_group_id IS NULL;
