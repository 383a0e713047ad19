//! Coverage aggregated by a dimension (country, item, cluster, region...).
//! Quantities of different items are never summed together: each row is one
//! group and one item.

use super::{Conn, Db, needs::push_filters};
use crate::Result;
use crate::model::{AllocationInput, CoverageBy, CoverageRow, CoverageSums, CoverageUsdRow, MonthRow, NeedQuery};
use needsdb_domain::NeedStatus;
use sqlx::{QueryBuilder, Row};
use std::collections::BTreeMap;

/// Unless asked otherwise, coverage is of validated needs: drafts, needs
/// awaiting validation and withdrawn needs are not part of the picture.
pub(super) fn validated_unless_asked(q: &NeedQuery) -> NeedQuery {
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

/// The needs of one country and one item that a query selects, summed in
/// units and in US dollars, with what every grouping needs to know about
/// the country and the item. Every sum is additive, so coverage by any
/// grouping, in units or in US dollars, rolls up from these cells: one pass
/// over the needs answers them all (a dashboard asks for two groupings,
/// the API for seven).
#[derive(Debug, Clone)]
pub(super) struct Cell {
    place: Place,
    item: String,
    unit: String,
    money: bool,
    decimals: u32,
    units: Sums,
    value: Sums,
}

/// Where a cell's needs are, and the cluster of their item: every grouping
/// but the item is one of these.
#[derive(Debug, Clone)]
struct Place {
    country: String,
    region: String,
    who_region: String,
    income_group: String,
    nam_status: String,
    cluster: String,
}

/// The columns `Place::read` reads (beside `agg.country`), from the
/// countries (`c`) and items (`i`) joined to the cells.
const PLACE: &str = "COALESCE(c.region_name, 'unknown') AS region, COALESCE(c.who_region, 'none') AS who_region,
            COALESCE(c.income_group, 'unclassified') AS income_group, c.nam_status, i.cluster";

impl Place {
    /// From a row with `agg.country` and the `PLACE` columns.
    fn read(r: &<Db as sqlx::Database>::Row) -> Result<Self> {
        Ok(Self {
            country: r.try_get("country")?,
            region: r.try_get("region")?,
            who_region: r.try_get("who_region")?,
            income_group: r.try_get("income_group")?,
            nam_status: r.try_get("nam_status")?,
            cluster: r.try_get("cluster")?,
        })
    }
}

/// Sums over needs. In units, `needs` counts them all and `unvalued` is 0;
/// in US dollars, `needs` counts those with a value and `unvalued` the rest
/// (left out of every sum).
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    needs: i64,
    unvalued: i64,
    over: i64,
    needed: i64,
    announced: i64,
    pledged: i64,
    funded: i64,
    delivered: i64,
    unmet: i64,
}

impl Sums {
    fn add(&mut self, o: &Sums) -> Result<()> {
        let add = |a: &mut i64, b: i64| {
            *a = a
                .checked_add(b)
                .ok_or_else(|| crate::StoreError::Internal("a coverage sum is beyond 64 bits".into()))?;
            Ok::<(), crate::StoreError>(())
        };
        add(&mut self.needs, o.needs)?;
        add(&mut self.unvalued, o.unvalued)?;
        add(&mut self.over, o.over)?;
        add(&mut self.needed, o.needed)?;
        add(&mut self.announced, o.announced)?;
        add(&mut self.pledged, o.pledged)?;
        add(&mut self.funded, o.funded)?;
        add(&mut self.delivered, o.delivered)?;
        add(&mut self.unmet, o.unmet)
    }

    fn coverage(&self, decimals: u32) -> crate::model::Coverage {
        CoverageSums {
            announced: self.announced,
            pledged: self.pledged,
            funded: self.funded,
            delivered: self.delivered,
        }
        .present_with_unmet(self.needed, self.unmet, decimals)
    }
}

impl Cell {
    fn group(&self, by: CoverageBy) -> &str {
        match by {
            CoverageBy::Country => &self.place.country,
            CoverageBy::Item => &self.item,
            CoverageBy::Cluster => &self.place.cluster,
            CoverageBy::Region => &self.place.region,
            CoverageBy::WhoRegion => &self.place.who_region,
            CoverageBy::IncomeGroup => &self.place.income_group,
            CoverageBy::NamStatus => &self.place.nam_status,
        }
    }
}

/// The sums in US cents over one (country, item) group of needs, named as
/// `value_sums` reads them. Needs without a value are counted apart.
const VALUE_SUMS: &str = "CAST(SUM(CASE WHEN n.value_cents IS NULL THEN 0 ELSE 1 END) AS BIGINT) AS v_needs,
            CAST(SUM(CASE WHEN n.value_cents IS NULL THEN 1 ELSE 0 END) AS BIGINT) AS v_unvalued,
            CAST(COALESCE(SUM(n.value_cents), 0) AS BIGINT) AS v_needed,
            CAST(SUM(CASE WHEN n.value_cents IS NULL THEN 0 ELSE n.val_announced END) AS BIGINT) AS v_announced,
            CAST(SUM(CASE WHEN n.value_cents IS NULL THEN 0 ELSE n.val_pledged END) AS BIGINT) AS v_pledged,
            CAST(SUM(CASE WHEN n.value_cents IS NULL THEN 0 ELSE n.val_funded END) AS BIGINT) AS v_funded,
            CAST(SUM(CASE WHEN n.value_cents IS NULL THEN 0 ELSE n.val_delivered END) AS BIGINT) AS v_delivered,
            CAST(SUM(CASE WHEN n.value_cents IS NULL OR n.val_funded >= n.value_cents THEN 0
                     ELSE n.value_cents - n.val_funded END) AS BIGINT) AS v_unmet";

fn value_sums(r: &<Db as sqlx::Database>::Row) -> Result<Sums> {
    Ok(Sums {
        needs: r.try_get("v_needs")?,
        unvalued: r.try_get("v_unvalued")?,
        over: 0,
        needed: r.try_get("v_needed")?,
        announced: r.try_get("v_announced")?,
        pledged: r.try_get("v_pledged")?,
        funded: r.try_get("v_funded")?,
        delivered: r.try_get("v_delivered")?,
        unmet: r.try_get("v_unmet")?,
    })
}

/// The cells of a query (already given its default statuses). The sums
/// run over the needs alone, on the covering index, and only the few
/// thousand (country, item) groups are joined to countries and items.
pub(super) async fn cells(conn: &mut Conn, q: &NeedQuery) -> Result<Vec<Cell>> {
    let mut qb = QueryBuilder::<Db>::new(format!(
        "SELECT agg.*, {PLACE}, i.unit, i.unit_kind, i.decimals
         FROM (SELECT n.country, n.item,
            COUNT(*) AS needs,
            CAST(SUM(CASE WHEN n.cov_funded > n.quantity THEN 1 ELSE 0 END) AS BIGINT) AS over,
            CAST(SUM(n.quantity) AS BIGINT) AS needed,
            CAST(SUM(n.cov_announced) AS BIGINT) AS announced,
            CAST(SUM(n.cov_pledged) AS BIGINT) AS pledged,
            CAST(SUM(n.cov_funded) AS BIGINT) AS funded,
            CAST(SUM(n.cov_delivered) AS BIGINT) AS delivered,
            CAST(SUM(n.open_units) AS BIGINT) AS unmet,
            {VALUE_SUMS}
         FROM {}",
        super::super::NEEDS_FOR_COVERAGE
    ));
    push_filters(&mut qb, q)?;
    qb.push(
        " GROUP BY n.country, n.item) agg JOIN countries c ON c.iso3 = agg.country JOIN items i ON i.code = agg.item",
    );
    let rows = qb.build().fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            let money = r.try_get::<String, _>("unit_kind")? == "money";
            let decimals: i64 = r.try_get("decimals")?;
            Ok(Cell {
                place: Place::read(r)?,
                item: r.try_get("item")?,
                unit: r.try_get("unit")?,
                money,
                decimals: if money { 2 } else { u32::try_from(decimals).unwrap_or(0) },
                units: Sums {
                    needs: r.try_get("needs")?,
                    unvalued: 0,
                    over: r.try_get("over")?,
                    needed: r.try_get("needed")?,
                    announced: r.try_get("announced")?,
                    pledged: r.try_get("pledged")?,
                    funded: r.try_get("funded")?,
                    delivered: r.try_get("delivered")?,
                    unmet: r.try_get("unmet")?,
                },
                value: value_sums(r)?,
            })
        })
        .collect()
}

/// Cells of a query in US dollars alone, by country and cluster: what
/// coverage in US dollars by any grouping but the item rolls up from (the
/// dashboard's map and cluster bars without an item). About 1,400 rows at
/// 60,000 needs rather than 8,000, and no sums in units: reading the rows
/// out costs the server more than the scan does.
pub(super) async fn value_cells(conn: &mut Conn, q: &NeedQuery) -> Result<Vec<Cell>> {
    let mut qb = QueryBuilder::<Db>::new(format!(
        "SELECT agg.country, {PLACE},
            CAST(SUM(agg.v_needs) AS BIGINT) AS v_needs,
            CAST(SUM(agg.v_unvalued) AS BIGINT) AS v_unvalued,
            CAST(SUM(agg.v_needed) AS BIGINT) AS v_needed,
            CAST(SUM(agg.v_announced) AS BIGINT) AS v_announced,
            CAST(SUM(agg.v_pledged) AS BIGINT) AS v_pledged,
            CAST(SUM(agg.v_funded) AS BIGINT) AS v_funded,
            CAST(SUM(agg.v_delivered) AS BIGINT) AS v_delivered,
            CAST(SUM(agg.v_unmet) AS BIGINT) AS v_unmet
         FROM (SELECT n.country, n.item,
            {VALUE_SUMS}
         FROM needs n"
    ));
    push_filters(&mut qb, q)?;
    qb.push(
        " GROUP BY n.country, n.item) agg JOIN countries c ON c.iso3 = agg.country JOIN items i ON i.code = agg.item
          GROUP BY agg.country, i.cluster, c.region_name, c.who_region, c.income_group, c.nam_status",
    );
    let rows = qb.build().fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            Ok(Cell {
                place: Place::read(r)?,
                item: String::new(),
                unit: String::new(),
                money: false,
                decimals: 0,
                units: Sums::default(),
                value: value_sums(r)?,
            })
        })
        .collect()
}

/// Coverage in units by group and item: quantities of different items are
/// never summed together. Ordered by group, then item (byte order, as
/// both stores sort text).
pub(super) fn in_units(cells: &[Cell], by: CoverageBy) -> Result<Vec<CoverageRow>> {
    let mut groups: BTreeMap<(&str, &str), (&Cell, Sums)> = BTreeMap::new();
    for c in cells {
        groups
            .entry((c.group(by), &c.item))
            .or_insert((c, Sums::default()))
            .1
            .add(&c.units)?;
    }
    Ok(groups
        .into_iter()
        .map(|((group, item), (c, s))| CoverageRow {
            group: group.to_owned(),
            item: item.to_owned(),
            unit: if c.money { "USD".into() } else { c.unit.clone() },
            needs: s.needs,
            over_covered: s.over,
            coverage: s.coverage(c.decimals),
        })
        .collect())
}

/// Coverage in US dollars by group, across items: each need at its value,
/// goods it received at its own price per unit (rounded down) plus cash.
/// Needs without a value are counted apart, never added in.
pub(super) fn in_us_dollars(cells: &[Cell], by: CoverageBy) -> Result<Vec<CoverageUsdRow>> {
    let mut groups: BTreeMap<&str, Sums> = BTreeMap::new();
    for c in cells {
        groups.entry(c.group(by)).or_default().add(&c.value)?;
    }
    Ok(groups
        .into_iter()
        .map(|(group, s)| CoverageUsdRow {
            group: group.to_owned(),
            unit: "USD".into(),
            needs: s.needs,
            unvalued_needs: s.unvalued,
            coverage: s.coverage(2),
        })
        .collect())
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
