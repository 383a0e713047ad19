-- The people a need serves, as reported, with the source of the figures;
-- and what meeting it makes possible ("so that 14 villages can return").
ALTER TABLE needs ADD COLUMN people_in_need BIGINT;
ALTER TABLE needs ADD COLUMN people_targeted BIGINT;
ALTER TABLE needs ADD COLUMN people_source TEXT;
ALTER TABLE needs ADD COLUMN outcome TEXT;
