-- A bulk import pays for every index on needs. Two of them answered nothing
-- another index could not: needs_coverage leads with the country, and
-- imports now find records by (country, external_id), the unique index.
DROP INDEX needs_country;
DROP INDEX needs_external_key;
