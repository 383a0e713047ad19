-- Imports find the records a file names by external id, a chunk of ids at a
-- time; the unique index leads with the country, so it cannot answer that.
CREATE INDEX needs_external_key ON needs (external_id);
CREATE INDEX contributions_external_key ON contributions (external_id);
