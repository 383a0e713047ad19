-- What each need has received, by stage, kept on the need itself and up to
-- date by every write that changes links, stages or merges, so coverage over
-- a million needs is one pass over one table instead of re-adding millions
-- of links on every read. These columns are derived: they are not versioned.
ALTER TABLE needs ADD COLUMN cov_announced BIGINT NOT NULL DEFAULT 0;
ALTER TABLE needs ADD COLUMN cov_pledged BIGINT NOT NULL DEFAULT 0;
ALTER TABLE needs ADD COLUMN cov_funded BIGINT NOT NULL DEFAULT 0;
ALTER TABLE needs ADD COLUMN cov_delivered BIGINT NOT NULL DEFAULT 0;

UPDATE needs SET
    cov_announced = s.announced, cov_pledged = s.pledged, cov_funded = s.funded, cov_delivered = s.delivered
FROM (
    SELECT l.need_id,
           CAST(SUM(CASE WHEN k.stage = 'announced' THEN l.covered ELSE 0 END) AS BIGINT) AS announced,
           CAST(SUM(CASE WHEN k.stage = 'pledged' THEN l.covered ELSE 0 END) AS BIGINT) AS pledged,
           CAST(SUM(CASE WHEN k.stage IN ('committed', 'shipped', 'disbursed', 'delivered') THEN l.covered ELSE 0 END) AS BIGINT) AS funded,
           CAST(SUM(CASE WHEN k.stage = 'delivered' THEN l.covered ELSE 0 END) AS BIGINT) AS delivered
    FROM contribution_links l JOIN contributions k ON k.id = l.contribution_id
    WHERE l.removed_at IS NULL AND k.deleted_at IS NULL AND k.merged_into IS NULL
    GROUP BY l.need_id
) AS s
WHERE needs.id = s.need_id;

-- Coverage reads every need once, grouped by country and item: this index
-- holds all it reads, in that order.
CREATE INDEX needs_coverage ON needs (country, item, status, deleted_at, priority, needed_by, quantity, cov_announced, cov_pledged, cov_funded, cov_delivered);
