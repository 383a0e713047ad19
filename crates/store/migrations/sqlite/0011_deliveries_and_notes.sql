-- Deliveries as they really happen: the recipient confirms what arrived,
-- when, with a note; a shipment may arrive in parts. Each confirmation is a
-- row of its own, never changed or removed (a wrong one is corrected by
-- cancelling the contribution, as before).
CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    contribution_id BIGINT NOT NULL REFERENCES contributions (id),
    -- native units: item base units, or minor units of the currency
    quantity        BIGINT NOT NULL CHECK (quantity > 0),
    delivered_on    TEXT NOT NULL,
    note            TEXT NOT NULL,
    source_url      TEXT,
    recorded_at     TEXT NOT NULL,
    recorded_by     TEXT NOT NULL
);
CREATE INDEX deliveries_contribution ON deliveries (contribution_id);

-- What the confirmations add up to, kept beside the contribution and each
-- of its links (shared out in proportion to the links' parts, rounded down)
-- so coverage reads it without re-adding confirmations. A contribution at
-- the delivered stage counts as wholly delivered whatever these say.
ALTER TABLE contributions ADD COLUMN delivered BIGINT NOT NULL DEFAULT 0;
ALTER TABLE contribution_links ADD COLUMN delivered BIGINT NOT NULL DEFAULT 0;
ALTER TABLE contribution_links ADD COLUMN delivered_usd BIGINT NOT NULL DEFAULT 0;

-- The reviewer's note given with a change (validated, returned, withdrawn),
-- kept with the version it produced and shown in the history.
ALTER TABLE need_versions ADD COLUMN note TEXT;
ALTER TABLE contribution_versions ADD COLUMN note TEXT;
