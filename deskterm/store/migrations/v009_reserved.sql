-- Placeholder on branch w-feedback only: schema 009 belongs to another branch of issue 12.
-- The lead drops this file when merging (the real v009 takes its place).
SELECT 1;
