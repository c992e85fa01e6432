-- deskterm store, schema 14: a second KB index, of Dutch stems (store/stems.py).
-- FTS5's porter tokenizer stems English only; this table holds each article's words as
-- Snowball's Dutch stems, written by the triggers below through deskterm_dutch_stems, and
-- a search in Dutch looks here. Its text is stems, not the article: titles and snippets
-- are marked from the article itself (store/search.py).
CREATE VIRTUAL TABLE kb_fts_nl USING fts5(
    title, tags, body, article_id UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO kb_fts_nl (title, tags, body, article_id)
    SELECT deskterm_dutch_stems(title), deskterm_dutch_stems(tags),
           deskterm_dutch_stems(body), id
    FROM kb_article WHERE NOT deleted;

DROP TRIGGER kb_article_ai;
DROP TRIGGER kb_article_au;
DROP TRIGGER kb_article_ad;

CREATE TRIGGER kb_article_ai AFTER INSERT ON kb_article WHEN NOT new.deleted BEGIN
    INSERT INTO kb_fts (title, tags, body, article_id)
    VALUES (new.title, new.tags, new.body, new.id);
    INSERT INTO kb_fts_nl (title, tags, body, article_id)
    VALUES (deskterm_dutch_stems(new.title), deskterm_dutch_stems(new.tags),
            deskterm_dutch_stems(new.body), new.id);
END;
CREATE TRIGGER kb_article_au AFTER UPDATE OF title, tags, body, deleted ON kb_article BEGIN
    DELETE FROM kb_fts WHERE article_id = old.id;
    INSERT INTO kb_fts (title, tags, body, article_id)
    SELECT new.title, new.tags, new.body, new.id WHERE NOT new.deleted;
    DELETE FROM kb_fts_nl WHERE article_id = old.id;
    INSERT INTO kb_fts_nl (title, tags, body, article_id)
    SELECT deskterm_dutch_stems(new.title), deskterm_dutch_stems(new.tags),
           deskterm_dutch_stems(new.body), new.id WHERE NOT new.deleted;
END;
CREATE TRIGGER kb_article_ad AFTER DELETE ON kb_article BEGIN
    DELETE FROM kb_fts WHERE article_id = old.id;
    DELETE FROM kb_fts_nl WHERE article_id = old.id;
END;
