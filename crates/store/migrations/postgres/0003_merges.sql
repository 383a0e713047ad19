-- A contribution reported twice (by the donor and by the recipient or the
-- channel, or entered twice) is merged into the other: both rows and both
-- histories stay, and coverage counts only the one kept.
ALTER TABLE contributions ADD COLUMN merged_into BIGINT REFERENCES contributions (id);
