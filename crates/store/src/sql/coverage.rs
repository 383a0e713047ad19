//! Coverage aggregated by a dimension (country, item, cluster, region...).
//! Quantities of different items are never summed together: each row is one
//! group and one item.

use super::{Conn, Db, needs::push_filters};
use crate::Result;
use crate::model::{CoverageBy, CoverageRow, CoverageSums, NeedQuery};
use needsdb_domain::NeedStatus;
use sqlx::{QueryBuilder, Row};

fn group_expr(by: CoverageBy) -> &'static str {
    match by {
        CoverageBy::Country => "n.country",
        CoverageBy::Item => "n.item",
        CoverageBy::Cluster => "i.cluster",
        CoverageBy::Region => "COALESCE(c.region_name, 'unknown')",
        CoverageBy::WhoRegion => "COALESCE(c.who_region, 'none')",
        CoverageBy::IncomeGroup => "COALESCE(c.income_group, 'unclassified')",
        CoverageBy::NamStatus => "c.nam_status",
    }
}

/// Per-need sums by stage, as a subquery to join needs to.
const PER_NEED: &str = "SELECT l.need_id,
        SUM(CASE WHEN k.stage = 'announced' THEN l.covered ELSE 0 END) AS announced,
        SUM(CASE WHEN k.stage = 'pledged' THEN l.covered ELSE 0 END) AS pledged,
        SUM(CASE WHEN k.stage IN ('committed', 'shipped', 'disbursed', 'delivered') THEN l.covered ELSE 0 END) AS funded,
        SUM(CASE WHEN k.stage = 'delivered' THEN l.covered ELSE 0 END) AS delivered
    FROM contribution_links l JOIN contributions k ON k.id = l.contribution_id
    WHERE l.removed_at IS NULL AND k.deleted_at IS NULL
    GROUP BY l.need_id";

pub(super) async fn by(conn: &mut Conn, by: CoverageBy, q: &NeedQuery) -> Result<Vec<CoverageRow>> {
    let g = group_expr(by);
    let mut qb = QueryBuilder::<Db>::new(format!(
        "SELECT {g} AS grp, n.item, i.unit, i.unit_kind, i.decimals, COUNT(*) AS needs,
            CAST(SUM(n.quantity) AS BIGINT) AS needed,
            CAST(COALESCE(SUM(cv.announced), 0) AS BIGINT) AS announced,
            CAST(COALESCE(SUM(cv.pledged), 0) AS BIGINT) AS pledged,
            CAST(COALESCE(SUM(cv.funded), 0) AS BIGINT) AS funded,
            CAST(COALESCE(SUM(cv.delivered), 0) AS BIGINT) AS delivered,
            CAST(SUM(CASE WHEN cv.funded IS NULL THEN n.quantity WHEN cv.funded >= n.quantity THEN 0 ELSE n.quantity - cv.funded END) AS BIGINT) AS unmet
         FROM needs n JOIN countries c ON c.iso3 = n.country JOIN items i ON i.code = n.item
         LEFT JOIN ({PER_NEED}) cv ON cv.need_id = n.id"
    ));
    // Unless asked otherwise, coverage is of validated needs: drafts, needs
    // awaiting validation and withdrawn needs are not part of the picture.
    let mut q = q.clone();
    if q.status.is_none() {
        q.status = Some(
            [NeedStatus::Validated, NeedStatus::PartlyMet, NeedStatus::Met]
                .map(|s| s.as_str())
                .join(","),
        );
    }
    push_filters(&mut qb, &q)?;
    qb.push(format!(
        " GROUP BY {g}, n.item, i.unit, i.unit_kind, i.decimals ORDER BY {g}, n.item"
    ));
    let rows = qb.build().fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            let money = r.try_get::<String, _>("unit_kind")? == "money";
            let decimals: i64 = r.try_get("decimals")?;
            let decimals = if money { 2 } else { u32::try_from(decimals).unwrap_or(0) };
            let needed: i64 = r.try_get("needed")?;
            let sums = CoverageSums {
                announced: r.try_get("announced")?,
                pledged: r.try_get("pledged")?,
                funded: r.try_get("funded")?,
                delivered: r.try_get("delivered")?,
            };
            let unit: String = r.try_get("unit")?;
            Ok(CoverageRow {
                group: r.try_get("grp")?,
                item: r.try_get("item")?,
                unit: if money { "USD".into() } else { unit },
                needs: r.try_get("needs")?,
                coverage: sums.present_with_unmet(needed, r.try_get("unmet")?, decimals),
            })
        })
        .collect()
}
