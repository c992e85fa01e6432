-- deskterm store, schema 14: the queue filter matches text as a person means it, without
-- regard to case or accents ("celik" finds "Çelik", "strasse" finds "Straße").
--
-- Each ticket keeps its match text: its subject, customer sort key and owner handle, each
-- folded by deskterm_match_text (Python's deskterm.store.fold, registered on every store
-- connection: SQLite cannot fold Unicode by itself), one per line. It is local-only and
-- derived, like the sort keys, and kept by the triggers below, so a filter compares
-- stored text (instr) and never folds a row while reading. The trigram index (schema 5)
-- is rebuilt over it; folding maps U+017F and U+212A to "s" and "k", so the U+FFFD
-- stand-ins of schema 5 are gone.
DROP TRIGGER ticket_text_ai;
DROP TRIGGER ticket_text_au;
DROP TRIGGER ticket_text_ad;
DROP VIEW ticket_text_source;
DROP TABLE ticket_text;

ALTER TABLE ticket ADD COLUMN match_text TEXT NOT NULL DEFAULT '';
UPDATE ticket SET match_text = deskterm_match_text(subject, customer_sort, owner_sort);

-- Named ticket_text_* so that a bulk load suspends them with the index's own (store.bulk).
-- Each reads the row as it is now, so the order SQLite fires them in does not matter.
CREATE TRIGGER ticket_text_match_ai AFTER INSERT ON ticket BEGIN
    UPDATE ticket SET match_text = deskterm_match_text(subject, customer_sort, owner_sort)
    WHERE rowid = new.rowid;
END;
CREATE TRIGGER ticket_text_match_au AFTER UPDATE OF subject, customer_sort, owner_sort
ON ticket BEGIN
    UPDATE ticket SET match_text = deskterm_match_text(subject, customer_sort, owner_sort)
    WHERE rowid = new.rowid;
END;

-- The open tickets' match text, for the filter's one pass over open tickets.
CREATE INDEX ix_open_match ON ticket(match_text, status, deleted)
    WHERE NOT deleted AND status IN ('new', 'open', 'waiting', 'escalated');

CREATE VIEW ticket_text_source AS
SELECT t.rowid AS ticket_rowid, t.match_text AS text
FROM ticket AS t
WHERE NOT t.deleted;

CREATE VIRTUAL TABLE ticket_text USING fts5(text, tokenize = 'trigram', columnsize = 0);
INSERT INTO ticket_text (rowid, text) SELECT ticket_rowid, text FROM ticket_text_source;

CREATE TRIGGER ticket_text_ai AFTER INSERT ON ticket BEGIN
    DELETE FROM ticket_text WHERE rowid = new.rowid;
    INSERT INTO ticket_text (rowid, text)
    SELECT ticket_rowid, text FROM ticket_text_source WHERE ticket_rowid = new.rowid;
END;
CREATE TRIGGER ticket_text_au AFTER UPDATE OF match_text, deleted ON ticket BEGIN
    DELETE FROM ticket_text WHERE rowid = old.rowid;
    INSERT INTO ticket_text (rowid, text)
    SELECT ticket_rowid, text FROM ticket_text_source WHERE ticket_rowid = new.rowid;
END;
CREATE TRIGGER ticket_text_ad AFTER DELETE ON ticket BEGIN
    DELETE FROM ticket_text WHERE rowid = old.rowid;
END;
