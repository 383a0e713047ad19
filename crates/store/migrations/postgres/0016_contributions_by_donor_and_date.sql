-- A donor's own contributions, one recipient's, and the most recent first.
-- Without these a donor desk officer's list (donor = one state, in id
-- order) and its count read every contribution; one recipient's list walked
-- the primary key and filtered out the other states' rows (the planner does
-- not get id order from an index on the recipient alone; SQLite does, as
-- its indexes end with the rowid); and the dashboard's recent pledges and
-- deliveries (stage date, newest first, ten rows) read and sorted them all.
-- The conformance case `list_plans_use_their_indexes` pins the plans.
CREATE INDEX contributions_donor ON contributions (donor, id);
CREATE INDEX contributions_recipient_id ON contributions (recipient, id);
DROP INDEX contributions_recipient;
CREATE INDEX contributions_stage_date ON contributions (stage_date, id);
