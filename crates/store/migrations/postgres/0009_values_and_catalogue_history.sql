-- Values in US dollars, and a catalogue that keeps its history.
--
-- An item may carry an indicative value of one unit in US dollars, with its
-- source and date. Edits keep every version in item_versions, and a retired
-- item stays, with its needs, but is no longer offered for new needs.
ALTER TABLE items ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE items ADD COLUMN unit_value_usd TEXT;
ALTER TABLE items ADD COLUMN unit_value_source TEXT;
ALTER TABLE items ADD COLUMN unit_value_date DATE;
ALTER TABLE items ADD COLUMN retired_at TIMESTAMPTZ;
ALTER TABLE items ADD COLUMN updated_at TIMESTAMPTZ;
ALTER TABLE items ADD COLUMN updated_by TEXT;

CREATE TABLE item_versions (
    code       TEXT NOT NULL REFERENCES items (code),
    version    BIGINT NOT NULL,
    snapshot   TEXT NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL,
    changed_by TEXT NOT NULL,
    PRIMARY KEY (code, version)
);

-- A need's value in US cents (its quantity at its item's unit value; for a
-- financial need, its amount), and the value it has received by stage:
-- goods at the need's own price per unit, rounded down, plus cash linked
-- to it. Derived like cov_*: kept in step by every write, not versioned.
ALTER TABLE needs ADD COLUMN value_cents BIGINT;
ALTER TABLE needs ADD COLUMN val_announced BIGINT NOT NULL DEFAULT 0;
ALTER TABLE needs ADD COLUMN val_pledged BIGINT NOT NULL DEFAULT 0;
ALTER TABLE needs ADD COLUMN val_funded BIGINT NOT NULL DEFAULT 0;
ALTER TABLE needs ADD COLUMN val_delivered BIGINT NOT NULL DEFAULT 0;
-- The quantity still needed: what goods in kind have not covered, less what
-- cash linked to the need buys at the need's own price. Derived likewise.
ALTER TABLE needs ADD COLUMN open_units BIGINT NOT NULL DEFAULT 0;
UPDATE needs SET open_units = CASE WHEN cov_funded >= quantity THEN 0 ELSE quantity - cov_funded END;
UPDATE needs SET value_cents = quantity, val_announced = cov_announced, val_pledged = cov_pledged,
    val_funded = cov_funded, val_delivered = cov_delivered
WHERE item IN (SELECT code FROM items WHERE unit_kind = 'money');

-- A contribution's value in US cents: the cash itself, the donor's own value
-- of goods (value_given, part of the record), or else the catalogue's
-- estimate (value_estimated; derived, kept in step when the catalogue's
-- unit value changes). A declared DAC
-- sector for cash that funds no need. The side of the flow its reporter is
-- on (donor or receiving), which decides what may be matched at once.
ALTER TABLE contributions ADD COLUMN value_given BIGINT;
ALTER TABLE contributions ADD COLUMN value_cents BIGINT;
ALTER TABLE contributions ADD COLUMN value_estimated BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE contributions ADD COLUMN sector TEXT;
ALTER TABLE contributions ADD COLUMN reported_side TEXT CHECK (reported_side IN ('donor', 'receiving'));
UPDATE contributions SET value_cents = covered WHERE kind = 'cash';

-- Cash linked to a need: its value in US cents. Cash for goods covers no
-- units of them (covered = 0) and counts at this value instead.
ALTER TABLE contribution_links ADD COLUMN covered_usd BIGINT NOT NULL DEFAULT 0;
UPDATE contribution_links SET covered_usd = covered
WHERE contribution_id IN (SELECT id FROM contributions WHERE kind = 'cash');
