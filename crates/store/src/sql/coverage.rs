//! Coverage aggregated by a dimension (country, item, cluster, region...).
//! Quantities of different items are never summed together: each row is one
//! group and one item.

use super::{Conn, Db, needs::push_filters};
use crate::Result;
use crate::model::{AllocationInput, CoverageBy, CoverageRow, CoverageSums, CoverageUsdRow, MonthRow, NeedQuery};
use needsdb_domain::NeedStatus;
use sqlx::{QueryBuilder, Row};

/// The group of a row. Country and item come from the unit query's
/// aggregate (`agg`); the value query reads `needs n` and names them itself.
fn group_expr(by: CoverageBy) -> &'static str {
    match by {
        CoverageBy::Country => "agg.country",
        CoverageBy::Item => "agg.item",
        CoverageBy::Cluster => "i.cluster",
        CoverageBy::Region => "COALESCE(c.region_name, 'unknown')",
        CoverageBy::WhoRegion => "COALESCE(c.who_region, 'none')",
        CoverageBy::IncomeGroup => "COALESCE(c.income_group, 'unclassified')",
        CoverageBy::NamStatus => "c.nam_status",
    }
}

/// Unless asked otherwise, coverage is of validated needs: drafts, needs
/// awaiting validation and withdrawn needs are not part of the picture.
fn validated_unless_asked(q: &NeedQuery) -> NeedQuery {
    let mut q = q.clone();
    if q.status.is_none() {
        q.status = Some(
            [NeedStatus::Validated, NeedStatus::PartlyMet, NeedStatus::Met]
                .map(|s| s.as_str())
                .join(","),
        );
    }
    q
}

pub(super) async fn by(conn: &mut Conn, by: CoverageBy, q: &NeedQuery) -> Result<Vec<CoverageRow>> {
    let g = group_expr(by);
    // Two levels: sum needs by country and item from their maintained
    // summaries (the only pass over every need, one table, no joins), then
    // roll the few thousand groups up to the grouping asked for.
    let mut qb = QueryBuilder::<Db>::new(format!(
        "SELECT {g} AS grp, agg.item, i.unit, i.unit_kind, i.decimals,
            CAST(SUM(agg.needs) AS BIGINT) AS needs,
            CAST(SUM(agg.needed) AS BIGINT) AS needed,
            CAST(SUM(agg.announced) AS BIGINT) AS announced,
            CAST(SUM(agg.pledged) AS BIGINT) AS pledged,
            CAST(SUM(agg.funded) AS BIGINT) AS funded,
            CAST(SUM(agg.delivered) AS BIGINT) AS delivered,
            CAST(SUM(agg.unmet) AS BIGINT) AS unmet,
            CAST(SUM(agg.over) AS BIGINT) AS over_covered
         FROM (SELECT n.country, n.item, COUNT(*) AS needs,
                SUM(CASE WHEN n.cov_funded > n.quantity THEN 1 ELSE 0 END) AS over,
                SUM(n.quantity) AS needed,
                SUM(n.cov_announced) AS announced,
                SUM(n.cov_pledged) AS pledged,
                SUM(n.cov_funded) AS funded,
                SUM(n.cov_delivered) AS delivered,
                SUM(n.open_units) AS unmet
             FROM {}",
        super::super::NEEDS_FOR_COVERAGE
    ));
    // Unless asked otherwise, coverage is of validated needs: drafts, needs
    // awaiting validation and withdrawn needs are not part of the picture.
    push_filters(&mut qb, &validated_unless_asked(q))?;
    qb.push(format!(
        " GROUP BY n.country, n.item) agg JOIN countries c ON c.iso3 = agg.country JOIN items i ON i.code = agg.item
          GROUP BY {g}, agg.item, i.unit, i.unit_kind, i.decimals ORDER BY {g}, agg.item"
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
                over_covered: r.try_get("over_covered")?,
                coverage: sums.present_with_unmet(needed, r.try_get("unmet")?, decimals),
            })
        })
        .collect()
}

/// Coverage in US dollars by group, across items: each need at its value,
/// goods it received at its own price per unit (rounded down) plus cash.
/// Needs without a value are counted apart, never added in.
pub(super) async fn by_value(conn: &mut Conn, by: CoverageBy, q: &NeedQuery) -> Result<Vec<CoverageUsdRow>> {
    let g = group_expr(by);
    // As for units: one pass over the needs alone, summed by country and
    // item (every sum is additive), then the groups rolled up with the
    // countries and items joined to a few thousand rows, not to every need.
    let mut qb = QueryBuilder::<Db>::new(format!(
        "SELECT {g} AS grp,
            CAST(SUM(agg.needs) AS BIGINT) AS needs,
            CAST(SUM(agg.unvalued) AS BIGINT) AS unvalued,
            CAST(SUM(agg.needed) AS BIGINT) AS needed,
            CAST(SUM(agg.announced) AS BIGINT) AS announced,
            CAST(SUM(agg.pledged) AS BIGINT) AS pledged,
            CAST(SUM(agg.funded) AS BIGINT) AS funded,
            CAST(SUM(agg.delivered) AS BIGINT) AS delivered,
            CAST(SUM(agg.unmet) AS BIGINT) AS unmet
         FROM (SELECT n.country, n.item,
            SUM(CASE WHEN n.value_cents IS NULL THEN 0 ELSE 1 END) AS needs,
            SUM(CASE WHEN n.value_cents IS NULL THEN 1 ELSE 0 END) AS unvalued,
            COALESCE(SUM(n.value_cents), 0) AS needed,
            SUM(CASE WHEN n.value_cents IS NULL THEN 0 ELSE n.val_announced END) AS announced,
            SUM(CASE WHEN n.value_cents IS NULL THEN 0 ELSE n.val_pledged END) AS pledged,
            SUM(CASE WHEN n.value_cents IS NULL THEN 0 ELSE n.val_funded END) AS funded,
            SUM(CASE WHEN n.value_cents IS NULL THEN 0 ELSE n.val_delivered END) AS delivered,
            SUM(CASE WHEN n.value_cents IS NULL OR n.val_funded >= n.value_cents THEN 0
                     ELSE n.value_cents - n.val_funded END) AS unmet
         FROM needs n"
    ));
    push_filters(&mut qb, &validated_unless_asked(q))?;
    qb.push(format!(
        " GROUP BY n.country, n.item) agg JOIN countries c ON c.iso3 = agg.country JOIN items i ON i.code = agg.item
          GROUP BY {g} ORDER BY {g}"
    ));
    let rows = qb.build().fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            let sums = CoverageSums {
                announced: r.try_get("announced")?,
                pledged: r.try_get("pledged")?,
                funded: r.try_get("funded")?,
                delivered: r.try_get("delivered")?,
            };
            Ok(CoverageUsdRow {
                group: r.try_get("grp")?,
                unit: "USD".into(),
                needs: r.try_get("needs")?,
                unvalued_needs: r.try_get("unvalued")?,
                coverage: sums.present_with_unmet(r.try_get("needed")?, r.try_get("unmet")?, 2),
            })
        })
        .collect()
}

/// Unmet need by priority, total need and deliveries of one item, per country.
pub(super) async fn allocation_inputs(conn: &mut Conn, item: &str) -> Result<Vec<AllocationInput>> {
    let mut out: Vec<AllocationInput> = sqlx::query("SELECT iso3, name_en, population FROM countries ORDER BY iso3")
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            Ok(AllocationInput {
                iso3: r.try_get("iso3")?,
                name: r.try_get("name_en")?,
                population: r.try_get("population")?,
                unmet: [0; 4],
                total_need: 0,
                delivered: 0,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    let index: std::collections::HashMap<String, usize> =
        out.iter().enumerate().map(|(i, c)| (c.iso3.clone(), i)).collect();
    let mut qb = QueryBuilder::<Db>::new(
        "SELECT n.country, n.priority,
            CAST(SUM(n.quantity) AS BIGINT) AS needed,
            CAST(SUM(n.open_units) AS BIGINT) AS unmet
         FROM needs n
         WHERE n.deleted_at IS NULL AND n.status IN ('validated', 'partly_met', 'met') AND n.item = ",
    );
    qb.push_bind(item.to_owned()).push(" GROUP BY n.country, n.priority");
    for r in qb.build().fetch_all(&mut *conn).await? {
        let country: String = r.try_get("country")?;
        let priority: String = r.try_get("priority")?;
        let Some(i) = index.get(&country) else { continue };
        let tier = needsdb_domain::Priority::parse(&priority).map_or(3, |p| p as usize);
        out[*i].unmet[tier] += r.try_get::<i64, _>("unmet")?;
        out[*i].total_need += r.try_get::<i64, _>("needed")?;
    }
    for (recipient, delivered) in delivered_by_country(conn, Some(item)).await? {
        if let Some(i) = index.get(&recipient) {
            out[*i].delivered = delivered;
        }
    }
    Ok(out)
}

/// What each recipient received. Goods of one item: all of a delivered
/// contribution, and what the recipient confirmed of one still on its way.
/// Without an item: cash disbursed, in US cents.
pub(super) async fn delivered_by_country(conn: &mut Conn, item: Option<&str>) -> Result<Vec<(String, i64)>> {
    let rows = match item {
        Some(i) => {
            sqlx::query(
                "SELECT recipient, CAST(SUM(CASE WHEN stage = 'delivered' THEN quantity WHEN stage IN ('committed', 'shipped', 'disbursed') THEN delivered ELSE 0 END) AS BIGINT) AS total FROM contributions
                 WHERE deleted_at IS NULL AND merged_into IS NULL AND kind = 'in_kind' AND item = $1 GROUP BY recipient",
            )
            .bind(i)
            .fetch_all(&mut *conn)
            .await?
        }
        None => {
            sqlx::query(
                "SELECT recipient, CAST(SUM(covered) AS BIGINT) AS total FROM contributions
                 WHERE deleted_at IS NULL AND merged_into IS NULL AND kind = 'cash' AND stage IN ('disbursed', 'delivered') GROUP BY recipient",
            )
            .fetch_all(&mut *conn)
            .await?
        }
    };
    rows.iter()
        .map(|r| Ok((r.try_get("recipient")?, r.try_get("total")?)))
        .collect()
}

pub(super) async fn monthly(conn: &mut Conn, item: &str) -> Result<Vec<MonthRow>> {
    let decimals: Option<(i64, String)> = sqlx::query("SELECT decimals, unit_kind FROM items WHERE code = $1")
        .bind(item)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| Ok::<_, sqlx::Error>((r.try_get("decimals")?, r.try_get("unit_kind")?)))
        .transpose()?;
    let Some((decimals, kind)) = decimals else {
        return Err(crate::StoreError::not_found("item", item));
    };
    let decimals = if kind == "money" {
        2
    } else {
        u32::try_from(decimals).unwrap_or(0)
    };
    let needed_month = super::super::month_of("n.needed_by");
    let needed = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {needed_month} AS month, CAST(SUM(n.quantity) AS BIGINT) AS total FROM needs n
         WHERE n.deleted_at IS NULL AND n.status IN ('validated', 'partly_met', 'met') AND n.item = $1 GROUP BY {needed_month}"
    )))
    .bind(item)
    .fetch_all(&mut *conn)
    .await?;
    let event_month = super::super::month_of("e.stage_date");
    // In-kind contributions carry the item; cash ones count through links to
    // the item's needs, in US cents.
    let flows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {event_month} AS month, e.to_stage AS stage, CAST(SUM(k.covered) AS BIGINT) AS total
         FROM contribution_events e JOIN contributions k ON k.id = e.contribution_id
         WHERE k.deleted_at IS NULL AND k.merged_into IS NULL AND (k.item = $1 OR EXISTS (
             SELECT 1 FROM contribution_links l JOIN needs n ON n.id = l.need_id WHERE l.contribution_id = k.id AND n.item = $1))
         GROUP BY {event_month}, e.to_stage"
    )))
    .bind(item)
    .fetch_all(&mut *conn)
    .await?;
    let mut months: std::collections::BTreeMap<String, [i64; 5]> = std::collections::BTreeMap::new();
    for r in &needed {
        months.entry(r.try_get("month")?).or_default()[0] += r.try_get::<i64, _>("total")?;
    }
    for r in &flows {
        let stage: String = r.try_get("stage")?;
        // Shipping and disbursing fall between commitment and delivery and
        // are not a column of their own.
        let slot = match stage.as_str() {
            "announced" => 1,
            "pledged" => 2,
            "committed" => 3,
            "delivered" => 4,
            _ => continue,
        };
        months.entry(r.try_get("month")?).or_default()[slot] += r.try_get::<i64, _>("total")?;
    }
    let n = |v: i64| needsdb_domain::decimal::to_json_number(v.max(0), decimals);
    Ok(months
        .into_iter()
        .map(|(month, v)| MonthRow {
            month,
            needed: n(v[0]),
            announced: n(v[1]),
            pledged: n(v[2]),
            committed: n(v[3]),
            delivered: n(v[4]),
        })
        .collect())
}
