-- deskterm store, schema 2: full-text KB search and the sync bookkeeping.

-- KB search index. Kept by triggers so every write path (services, sync, demo bulk
-- loads) indexes the same way. Its own copy of the text: the article table's rowid is
-- not stable across VACUUM, so external-content mode would be fragile.
CREATE VIRTUAL TABLE kb_fts USING fts5(
    title, tags, body, article_id UNINDEXED,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO kb_fts (title, tags, body, article_id)
    SELECT title, tags, body, id FROM kb_article WHERE NOT deleted;

CREATE TRIGGER kb_article_ai AFTER INSERT ON kb_article WHEN NOT new.deleted BEGIN
    INSERT INTO kb_fts (title, tags, body, article_id)
    VALUES (new.title, new.tags, new.body, new.id);
END;
CREATE TRIGGER kb_article_au AFTER UPDATE OF title, tags, body, deleted ON kb_article BEGIN
    DELETE FROM kb_fts WHERE article_id = old.id;
    INSERT INTO kb_fts (title, tags, body, article_id)
    SELECT new.title, new.tags, new.body, new.id WHERE NOT new.deleted;
END;
CREATE TRIGGER kb_article_ad AFTER DELETE ON kb_article BEGIN
    DELETE FROM kb_fts WHERE article_id = old.id;
END;

-- Small facts about this replica: its node id, its clock, its sync cursor.
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Every local write, in order, waiting to be pushed (and kept after, with its answer).
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    mutation_id TEXT NOT NULL UNIQUE,
    entity TEXT NOT NULL,
    row_id TEXT NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    fields TEXT NOT NULL,
    hlc TEXT NOT NULL,
    author_id TEXT,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'applied', 'rejected')),
    error_code TEXT,
    error_reason TEXT,
    created_at DATETIME NOT NULL,
    answered_at DATETIME
);
CREATE INDEX ix_outbox_state ON outbox(state, seq);
CREATE INDEX ix_outbox_row ON outbox(entity, row_id);

-- The winning stamp of every field of a mutable row, for last-writer-wins merges.
CREATE TABLE field_clock (
    entity TEXT NOT NULL,
    row_id TEXT NOT NULL,
    field TEXT NOT NULL,
    hlc TEXT NOT NULL,
    PRIMARY KEY (entity, row_id, field)
) WITHOUT ROWID;
