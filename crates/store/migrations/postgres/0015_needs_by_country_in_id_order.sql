-- The needs list of one country, in id order, 50 a page: without this index
-- PostgreSQL's planner walks the primary key and filters (at 60,000 needs it
-- passes over about 6,000 rows of other countries for Kenya's first page,
-- 5 ms), because needs_coverage leads with the country but does not give id
-- order. SQLite reads needs_coverage and sorts the country's few hundred ids
-- (0.1 ms), so it needs nothing. Two narrow columns: a small cost to imports
-- (BENCHMARKS.md, "Serving under a crowd").
CREATE INDEX needs_country_id ON needs (country, id);
