-- A donor's own contributions, and the most recent first. Without these
-- both stores read every contribution: a donor desk officer's list (donor =
-- one state, in id order) and its count scanned the table (4-8 ms at 20,000
-- contributions on SQLite, growing with the table), and the dashboard's
-- recent pledges and deliveries (stage date, newest first, ten rows)
-- scanned and sorted it. The conformance case
-- `list_plans_use_their_indexes` pins both plans.
CREATE INDEX contributions_donor ON contributions (donor, id);
CREATE INDEX contributions_stage_date ON contributions (stage_date, id);
