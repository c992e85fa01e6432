-- deskterm store, schema 5: a trigram index over the text the queue filter matches
-- (subject, customer, owner), so that a filter word of three or more characters finds
-- its tickets through the index instead of testing every ticket (a million of them).

-- What is indexed, defined once for the triggers, this migration and bulk loads: per
-- live ticket, the subject, the customer's sort key and the owner's handle, one per
-- line. A filter word never holds a line break, so no match spans two fields.
-- The trigram tokenizer folds case by Unicode, LIKE by ASCII only; the two characters
-- it folds *into* ASCII letters (U+017F long s, U+212A Kelvin sign) are indexed as
-- U+FFFD, so that for an ASCII word an index match is exactly a LIKE match (see
-- deskterm.store.queue; a test checks the tokenizer still folds only those two).
CREATE VIEW ticket_text_source AS
SELECT t.rowid AS ticket_rowid,
       replace(replace(t.subject || char(10) || t.customer_sort || char(10) || t.owner_sort,
                       char(383), char(65533)), char(8490), char(65533)) AS text
FROM ticket AS t
WHERE NOT t.deleted;

-- Keyed by the ticket's rowid (SQLite keeps rowids through VACUUM). It keeps its own
-- copy of the text rather than pointing at the ticket table: an entry is then removed
-- by rowid alone, and each trigger below re-reads the ticket's current row, so the
-- index ends right whatever order SQLite fires them in (ticket_sort_ai fills the sort
-- keys of a new ticket with an UPDATE of its own). No column sizes: nothing ranks.
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
