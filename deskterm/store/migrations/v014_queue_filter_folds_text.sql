-- deskterm store, schema 14: the queue filter matches text as a person means it, without
-- regard to case or accents ("celik" finds "Çelik", "strasse" finds "Straße").
--
-- The trigram index (schema 5) now holds each live ticket's match text: its subject,
-- customer sort key and owner handle, each folded by deskterm_match_text (Python's
-- deskterm.store.fold, registered on every store connection: SQLite cannot fold Unicode
-- by itself), one per line. Folding maps U+017F and U+212A to "s" and "k", so the
-- U+FFFD stand-ins of schema 5 are gone. The index is rebuilt from the new view.
DROP TRIGGER ticket_text_ai;
DROP TRIGGER ticket_text_au;
DROP TRIGGER ticket_text_ad;
DROP VIEW ticket_text_source;
DROP TABLE ticket_text;

CREATE VIEW ticket_text_source AS
SELECT t.rowid AS ticket_rowid,
       deskterm_match_text(t.subject, t.customer_sort, t.owner_sort) AS text
FROM ticket AS t
WHERE NOT t.deleted;

CREATE VIRTUAL TABLE ticket_text USING fts5(text, tokenize = 'trigram', columnsize = 0);
INSERT INTO ticket_text (rowid, text) SELECT ticket_rowid, text FROM ticket_text_source;

CREATE TRIGGER ticket_text_ai AFTER INSERT ON ticket BEGIN
    DELETE FROM ticket_text WHERE rowid = new.rowid;
    INSERT INTO ticket_text (rowid, text)
    SELECT ticket_rowid, text FROM ticket_text_source WHERE ticket_rowid = new.rowid;
END;
CREATE TRIGGER ticket_text_au AFTER UPDATE OF subject, customer_sort, owner_sort, deleted
ON ticket BEGIN
    DELETE FROM ticket_text WHERE rowid = old.rowid;
    INSERT INTO ticket_text (rowid, text)
    SELECT ticket_rowid, text FROM ticket_text_source WHERE ticket_rowid = new.rowid;
END;
CREATE TRIGGER ticket_text_ad AFTER DELETE ON ticket BEGIN
    DELETE FROM ticket_text WHERE rowid = old.rowid;
END;
