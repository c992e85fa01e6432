-- deskterm store: a placeholder for schema 9, which another branch of issue 12 adds.
-- It exists only so the promises branch (schema 10) migrates on its own; the merge
-- drops this file in favour of the real v009.
SELECT 1;
