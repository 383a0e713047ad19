-- Kept in step with PostgreSQL's 0015, which adds needs (country, id) for
-- the needs list of one country in id order. SQLite answers that list from
-- needs_coverage and a sort of the country's few hundred ids (0.1 ms at
-- 60,000 needs), so it adds no index: each index costs every import.
SELECT 1;
