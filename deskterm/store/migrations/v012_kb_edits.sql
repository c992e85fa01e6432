-- deskterm store, schema 12: who saved each version of a KB article (insert-only,
-- synced). Version 1 stays the article's author; every later save adds one row here.
CREATE TABLE kb_edit (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES kb_article(id),
    version INTEGER NOT NULL CHECK (version BETWEEN 2 AND 2147483647),
    editor_id TEXT NOT NULL REFERENCES agent(id),
    changed TEXT NOT NULL DEFAULT '[]',
    edited_at DATETIME NOT NULL
);
CREATE INDEX ix_kb_edit_article_id ON kb_edit(article_id);
