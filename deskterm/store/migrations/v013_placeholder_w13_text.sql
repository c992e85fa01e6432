-- deskterm store, schema 13: a placeholder in branch w13-text for a migration of another
-- branch of issue 13 (this branch's is v014). Drop this file when merging.
SELECT 1;
