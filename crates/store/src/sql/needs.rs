//! Needs: create, edit, change status, read, list, history. Each write keeps
//! a full snapshot in `need_versions` and appends to the audit log; a bulk
//! import leaves a new need's first version implicit in its row, and the
//! first change writes it out.

use super::{Conn, Db, audit_log, check_version, conflict_or, now};
use crate::model::{Actor, CoverageSums, DEFAULT_PAGE, MAX_PAGE, Need, NeedQuery, Page, StatusChange, Version};
use crate::write_queue::WriteKind;
use crate::{Result, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use needsdb_domain::decimal::{format_scaled, to_json_number};
use needsdb_domain::need::{self, NeedSpec, People};
use needsdb_domain::reference::{IncomeGroup, NamStatus, WhoRegion};
use needsdb_domain::validation::Errors;
use needsdb_domain::{
    Catalog, Currency, FieldError, Invalid, Iso3, ItemCode, NeedStatus, NewNeed, Priority, Received, Requested, Size,
};
use serde::Serialize;
use serde_json::Value;
use sqlx::{QueryBuilder, Row};
use std::collections::HashMap;

pub(super) const SELECT: &str =
    "SELECT n.id, n.version, n.country, n.place, n.pcode, n.item, n.quantity, n.amount_minor,
        n.currency, n.usd_rate, n.priority, n.needed_by, n.justification, n.reported_via, n.external_id,
        n.status, n.created_at, n.created_by, n.updated_at, n.updated_by, n.value_cents,
        n.people_in_need, n.people_targeted, n.people_source, n.outcome,
        c.name_en AS country_name, i.name_en AS item_name, i.cluster, i.unit, i.unit_kind, i.decimals
    FROM needs n JOIN countries c ON c.iso3 = n.country JOIN items i ON i.code = n.item";

/// A need as stored. Serialised (without the joined names) it is the
/// snapshot kept for each version and in the audit log.
#[derive(Debug, Clone, Serialize)]
pub(super) struct NeedRow {
    pub id: i64,
    pub version: i64,
    pub country: String,
    pub place: Option<String>,
    pub pcode: Option<String>,
    pub item: String,
    pub quantity: i64,
    pub amount_minor: Option<i64>,
    pub currency: Option<String>,
    pub usd_rate: Option<String>,
    pub priority: String,
    pub needed_by: NaiveDate,
    pub justification: String,
    pub reported_via: String,
    pub external_id: Option<String>,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
    // Left out of the record while unset, so records written before these
    // existed compare unchanged with their audit entries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub people_in_need: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub people_targeted: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub people_source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// Derived from the catalogue's unit value: not part of the record.
    #[serde(skip)]
    pub value_cents: Option<i64>,
    #[serde(skip)]
    pub joined: Joined,
}

#[derive(Debug, Clone, Default)]
pub(super) struct Joined {
    country_name: String,
    item_name: String,
    cluster: String,
    unit: String,
    is_money: bool,
    decimals: u32,
}

/// A need as a contribution's validation sees it, from its stored columns.
pub(super) fn link_target(
    id: i64,
    country: &str,
    item: &str,
    is_money: bool,
    value_cents: Option<i64>,
    status: &str,
) -> Result<needsdb_domain::contribution::LinkTarget> {
    let bad = |e: needsdb_domain::FieldError| StoreError::Internal(format!("need {id}: {e}"));
    Ok(needsdb_domain::contribution::LinkTarget {
        country: needsdb_domain::Iso3::parse("country", country).map_err(bad)?,
        item: needsdb_domain::ItemCode::parse("item", item).map_err(bad)?,
        is_money,
        valued: value_cents.is_some_and(|v| v > 0),
        status: NeedStatus::parse(status)
            .ok_or_else(|| StoreError::Internal(format!("need {id}: unknown status {status}")))?,
    })
}

impl NeedRow {
    pub(super) fn from_row(r: &<Db as sqlx::Database>::Row) -> Result<Self> {
        let unit_kind: String = r.try_get("unit_kind")?;
        let decimals: i64 = r.try_get("decimals")?;
        Ok(Self {
            id: r.try_get("id")?,
            version: r.try_get("version")?,
            country: r.try_get("country")?,
            place: r.try_get("place")?,
            pcode: r.try_get("pcode")?,
            item: r.try_get("item")?,
            quantity: r.try_get("quantity")?,
            amount_minor: r.try_get("amount_minor")?,
            currency: r.try_get("currency")?,
            usd_rate: r.try_get("usd_rate")?,
            priority: r.try_get("priority")?,
            needed_by: r.try_get("needed_by")?,
            justification: r.try_get("justification")?,
            reported_via: r.try_get("reported_via")?,
            external_id: r.try_get("external_id")?,
            status: r.try_get("status")?,
            created_at: r.try_get("created_at")?,
            created_by: r.try_get("created_by")?,
            updated_at: r.try_get("updated_at")?,
            updated_by: r.try_get("updated_by")?,
            value_cents: r.try_get("value_cents")?,
            people_in_need: r.try_get("people_in_need")?,
            people_targeted: r.try_get("people_targeted")?,
            people_source: r.try_get("people_source")?,
            outcome: r.try_get("outcome")?,
            joined: Joined {
                country_name: r.try_get("country_name")?,
                item_name: r.try_get("item_name")?,
                cluster: r.try_get("cluster")?,
                unit: r.try_get("unit")?,
                is_money: unit_kind == "money",
                decimals: u32::try_from(decimals).unwrap_or(0),
            },
        })
    }

    /// The need as a contribution's validation sees it.
    pub(super) fn link_target(&self) -> Result<needsdb_domain::contribution::LinkTarget> {
        link_target(
            self.id,
            &self.country,
            &self.item,
            self.joined.is_money,
            self.value_cents,
            &self.status,
        )
    }

    pub fn status(&self) -> Result<NeedStatus> {
        NeedStatus::parse(&self.status)
            .ok_or_else(|| StoreError::Internal(format!("need {}: unknown status {}", self.id, self.status)))
    }

    /// Decimal places of the unit coverage is counted in (US cents for money).
    pub fn coverage_decimals(&self) -> u32 {
        if self.joined.is_money { 2 } else { self.joined.decimals }
    }

    pub fn size(&self) -> Size {
        Size {
            quantity: self.quantity,
            value_cents: self.value_cents,
        }
    }

    pub(super) fn snapshot(&self) -> Result<Value> {
        Ok(serde_json::to_value(self)?)
    }

    /// The row as an import stages it (`crate::staging`).
    pub(super) fn staged(&self) -> crate::staging::StagedNeed<'_> {
        crate::staging::StagedNeed {
            id: self.id,
            country: &self.country,
            place: self.place.as_deref(),
            pcode: self.pcode.as_deref(),
            item: &self.item,
            quantity: self.quantity,
            amount_minor: self.amount_minor,
            currency: self.currency.as_deref(),
            usd_rate: self.usd_rate.as_deref(),
            priority: &self.priority,
            needed_by: self.needed_by,
            justification: &self.justification,
            reported_via: &self.reported_via,
            external_id: self.external_id.as_deref(),
            status: &self.status,
            value_cents: self.value_cents,
            people_in_need: self.people_in_need,
            people_targeted: self.people_targeted,
            people_source: self.people_source.as_deref(),
            outcome: self.outcome.as_deref(),
        }
    }

    /// The input that would produce this need, so an edit can be merged and re-validated.
    pub(super) fn to_input(&self) -> NewNeed {
        let money = match (self.amount_minor, self.currency.as_deref()) {
            (Some(minor), Some(cur)) => {
                let exp = Currency::parse("currency", cur).map(|c| c.exponent()).unwrap_or(2);
                Some((Value::String(format_scaled(minor, exp)), cur.to_owned()))
            }
            _ => None,
        };
        let (quantity, amount, currency, usd_rate) = match money {
            Some((amount, cur)) => (None, Some(amount), Some(cur), self.usd_rate.clone().map(Value::String)),
            None => (
                Some(to_json_number(self.quantity, self.joined.decimals)),
                None,
                None,
                None,
            ),
        };
        NewNeed {
            country: Some(self.country.clone()),
            place: self.place.clone(),
            pcode: self.pcode.clone(),
            item: Some(self.item.clone()),
            quantity,
            amount,
            currency,
            usd_rate,
            priority: Some(self.priority.clone()),
            needed_by: Some(self.needed_by.to_string()),
            justification: Some(self.justification.clone()),
            reported_via: Some(self.reported_via.clone()),
            external_id: self.external_id.clone(),
            people_in_need: self.people_in_need.map(Value::from),
            people_targeted: self.people_targeted.map(Value::from),
            people_source: self.people_source.clone(),
            outcome: self.outcome.clone(),
        }
    }

    fn present(self, sums: Sums) -> Result<Need> {
        let valued = sums.valued(self.size(), self.joined.is_money);
        let open_units = self.size().open_units(sums.funded(self.joined.is_money));
        self.present_from(Got {
            units: sums.units,
            valued,
            open_units,
        })
    }

    fn present_from(self, got: Got) -> Result<Need> {
        let Got {
            units,
            valued,
            open_units,
        } = got;
        let status = self.status()?;
        let coverage_usd = match (self.value_cents, valued) {
            (Some(v), Some(got)) => Some(got.present(v, 2)),
            _ => None,
        };
        let over_covered = units.funded > self.quantity
            || matches!((self.value_cents, valued), (Some(v), Some(got)) if got.funded > v);
        let mut warnings = Vec::new();
        if over_covered {
            warnings.push("committed above what is needed".to_owned());
        }
        if self.needed_by < super::today() && !matches!(status, NeedStatus::Met | NeedStatus::Withdrawn) {
            warnings.push(format!("needed_by {} is in the past", self.needed_by));
        }
        let priority = Priority::parse(&self.priority)
            .ok_or_else(|| StoreError::Internal(format!("need {}: unknown priority {}", self.id, self.priority)))?;
        let decimals = self.coverage_decimals();
        let amount = match (self.amount_minor, self.currency.as_deref()) {
            (Some(minor), Some(cur)) => {
                let exp = Currency::parse("currency", cur).map(|c| c.exponent()).unwrap_or(2);
                Some(to_json_number(minor, exp))
            }
            _ => None,
        };
        Ok(Need {
            id: self.id,
            version: self.version,
            status,
            coverage: units.present_with_unmet(self.quantity, open_units, decimals),
            value_usd: self.value_cents.map(|v| to_json_number(v, 2)),
            coverage_usd,
            over_covered,
            people_in_need: self.people_in_need,
            people_targeted: self.people_targeted,
            people_source: self.people_source,
            outcome: self.outcome,
            warnings,
            country: self.country,
            country_name: self.joined.country_name,
            place: self.place,
            pcode: self.pcode,
            item: self.item,
            item_name: self.joined.item_name,
            cluster: self.joined.cluster,
            unit: if self.joined.is_money {
                "USD".into()
            } else {
                self.joined.unit
            },
            quantity: to_json_number(self.quantity, decimals),
            amount,
            currency: self.currency,
            usd_rate: self.usd_rate,
            priority,
            needed_by: self.needed_by,
            justification: self.justification,
            reported_via: self.reported_via,
            external_id: self.external_id,
            created_at: self.created_at,
            created_by: self.created_by,
            updated_at: self.updated_at,
            updated_by: self.updated_by,
        })
    }
}

pub(super) async fn load_row(conn: &mut Conn, id: i64) -> Result<NeedRow> {
    load_row_for(conn, id, WriteKind::Whole).await
}

/// Ends a read of needs, by `SELECT`, so a record write locks the rows it reads.
fn lock_for(qb: &mut QueryBuilder<Db>, kind: WriteKind) {
    if kind == WriteKind::Record {
        qb.push(super::super::LOCK_NEEDS);
    }
}

/// As `load_row`; a record write also locks the need's row until it ends.
async fn load_row_for(conn: &mut Conn, id: i64, kind: WriteKind) -> Result<NeedRow> {
    let mut qb = QueryBuilder::<Db>::new(SELECT);
    qb.push(" WHERE n.deleted_at IS NULL AND n.id = ").push_bind(id);
    lock_for(&mut qb, kind);
    match qb.build().fetch_optional(&mut *conn).await? {
        Some(r) => NeedRow::from_row(&r),
        None => Err(StoreError::not_found("need", id)),
    }
}

/// What a need has received, as presented: by stage in its coverage units
/// and in US cents at its value (none without one), and what is still open.
struct Got {
    units: CoverageSums,
    valued: Option<CoverageSums>,
    open_units: i64,
}

/// The columns every write that moves a need's coverage keeps in step, in
/// the same transaction (`refresh_coverage`): a list reads them with the
/// needs instead of summing every need's links again.
const MAINTAINED: &str = "n.cov_announced, n.cov_pledged, n.cov_funded, n.cov_delivered,
    n.val_announced, n.val_pledged, n.val_funded, n.val_delivered, n.open_units, ";

impl NeedRow {
    /// A need read with `MAINTAINED`, and what it received as those say.
    fn with_maintained(r: &<Db as sqlx::Database>::Row) -> Result<(Self, Got)> {
        let row = Self::from_row(r)?;
        let units = CoverageSums {
            announced: r.try_get("cov_announced")?,
            pledged: r.try_get("cov_pledged")?,
            funded: r.try_get("cov_funded")?,
            delivered: r.try_get("cov_delivered")?,
        };
        // As `Sums::valued`: a financial need's value is its units; goods
        // have a value only when their need has one.
        let valued = if row.joined.is_money {
            Some(units)
        } else if row.size().value().is_some() {
            Some(CoverageSums {
                announced: r.try_get("val_announced")?,
                pledged: r.try_get("val_pledged")?,
                funded: r.try_get("val_funded")?,
                delivered: r.try_get("val_delivered")?,
            })
        } else {
            None
        };
        let open_units = r.try_get("open_units")?;
        Ok((
            row,
            Got {
                units,
                valued,
                open_units,
            },
        ))
    }
}

/// What a need has received by stage: in its coverage units, and the US
/// cents of the links (cash only; for a financial need the same as units).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Sums {
    pub units: CoverageSums,
    pub usd: CoverageSums,
}

impl Sums {
    /// The value received at each stage, in US cents: goods at the need's
    /// price per unit (rounded down) plus cash; none for a need with no value.
    pub fn valued(&self, size: Size, is_money: bool) -> Option<CoverageSums> {
        if is_money {
            return Some(self.units);
        }
        let v = |units: i64, cash_cents: i64| size.valued(Received { units, cash_cents });
        Some(CoverageSums {
            announced: v(self.units.announced, self.usd.announced)?,
            pledged: v(self.units.pledged, self.usd.pledged)?,
            funded: v(self.units.funded, self.usd.funded)?,
            delivered: v(self.units.delivered, self.usd.delivered)?,
        })
    }

    /// What committed and later stages gave, as the status rule counts it.
    pub fn funded(&self, is_money: bool) -> Received {
        Received {
            units: self.units.funded,
            cash_cents: if is_money { 0 } else { self.usd.funded },
        }
    }
}

/// Sums of linked contributions per need, by stage.
pub(super) async fn coverage_sums(conn: &mut Conn, ids: &[i64]) -> Result<HashMap<i64, Sums>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT l.need_id,
                CAST(COALESCE(SUM(CASE WHEN c.stage = 'announced' THEN l.covered ELSE 0 END), 0) AS BIGINT) AS announced,
                CAST(COALESCE(SUM(CASE WHEN c.stage = 'pledged' THEN l.covered ELSE 0 END), 0) AS BIGINT) AS pledged,
                CAST(COALESCE(SUM(CASE WHEN c.stage IN ('committed', 'shipped', 'disbursed', 'delivered') THEN l.covered ELSE 0 END), 0) AS BIGINT) AS funded,
                CAST(COALESCE(SUM(CASE WHEN c.stage = 'delivered' THEN l.covered WHEN c.stage IN ('committed', 'shipped', 'disbursed') THEN l.delivered ELSE 0 END), 0) AS BIGINT) AS delivered,
                CAST(COALESCE(SUM(CASE WHEN c.stage = 'announced' THEN l.covered_usd ELSE 0 END), 0) AS BIGINT) AS announced_usd,
                CAST(COALESCE(SUM(CASE WHEN c.stage = 'pledged' THEN l.covered_usd ELSE 0 END), 0) AS BIGINT) AS pledged_usd,
                CAST(COALESCE(SUM(CASE WHEN c.stage IN ('committed', 'shipped', 'disbursed', 'delivered') THEN l.covered_usd ELSE 0 END), 0) AS BIGINT) AS funded_usd,
                CAST(COALESCE(SUM(CASE WHEN c.stage = 'delivered' THEN l.covered_usd WHEN c.stage IN ('committed', 'shipped', 'disbursed') THEN l.delivered_usd ELSE 0 END), 0) AS BIGINT) AS delivered_usd
             FROM contribution_links l JOIN contributions c ON c.id = l.contribution_id
             WHERE l.removed_at IS NULL AND c.deleted_at IS NULL AND c.merged_into IS NULL AND l.need_id IN (",
        );
        let mut sep = qb.separated(", ");
        for id in chunk {
            sep.push_bind(*id);
        }
        qb.push(") GROUP BY l.need_id");
        for r in qb.build().fetch_all(&mut *conn).await? {
            out.insert(
                r.try_get::<i64, _>("need_id")?,
                Sums {
                    units: CoverageSums {
                        announced: r.try_get("announced")?,
                        pledged: r.try_get("pledged")?,
                        funded: r.try_get("funded")?,
                        delivered: r.try_get("delivered")?,
                    },
                    usd: CoverageSums {
                        announced: r.try_get("announced_usd")?,
                        pledged: r.try_get("pledged_usd")?,
                        funded: r.try_get("funded_usd")?,
                        delivered: r.try_get("delivered_usd")?,
                    },
                },
            );
        }
    }
    Ok(out)
}

/// The value of a need in US cents: a financial need's amount, or goods at
/// their item's indicative unit value (none without one, or under a cent).
pub(super) fn value_of(spec: &NeedSpec, catalog: &Catalog) -> Option<i64> {
    match spec.requested {
        Requested::Money { usd_cents, .. } => Some(usd_cents),
        Requested::Quantity(q) => {
            let item = catalog.item(&spec.item)?;
            item.unit_value()?.value_cents(q, item.decimals).ok().filter(|v| *v > 0)
        }
    }
}

pub(super) async fn get(conn: &mut Conn, id: i64) -> Result<Need> {
    let row = load_row(conn, id).await?;
    let sums = coverage_sums(conn, &[id]).await?.remove(&id).unwrap_or_default();
    row.present(sums)
}

/// The column values a validated spec is stored as.
pub(super) struct Columns {
    pub quantity: i64,
    pub amount_minor: Option<i64>,
    pub currency: Option<String>,
    pub usd_rate: Option<String>,
}

pub(super) fn columns(spec: &NeedSpec) -> Columns {
    match spec.requested {
        Requested::Quantity(q) => Columns {
            quantity: q,
            amount_minor: None,
            currency: None,
            usd_rate: None,
        },
        Requested::Money { money, rate, usd_cents } => Columns {
            quantity: usd_cents,
            amount_minor: Some(money.minor),
            currency: Some(money.currency.code().to_owned()),
            usd_rate: Some(rate.text()),
        },
    }
}

/// Keeps `row` as a version, and `before` too if it was never stored: an
/// imported need's first version is only its row until the first change.
async fn record_version(
    conn: &mut Conn,
    row: &NeedRow,
    actor: &Actor,
    action: &str,
    before: Option<&NeedRow>,
) -> Result<()> {
    record_noted_version(conn, row, actor, action, before, None).await
}

/// As `record_version`, keeping the reviewer's note with the new version.
async fn record_noted_version(
    conn: &mut Conn,
    row: &NeedRow,
    actor: &Actor,
    action: &str,
    before: Option<&NeedRow>,
    note: Option<&str>,
) -> Result<()> {
    let (before, snap) = write_versions(conn, row, before, note).await?;
    log_version(conn, actor, action, row.id, before.as_ref(), &snap).await
}

/// The audit entry of a need's new version, from the snapshots `write_versions` returned.
async fn log_version(
    conn: &mut Conn,
    actor: &Actor,
    action: &str,
    id: i64,
    before: Option<&Value>,
    after: &Value,
) -> Result<()> {
    audit_log::append(conn, actor, action, "need", &id.to_string(), before, Some(after)).await
}

/// Writes the version `row` is at (and the one before, if missing), and
/// returns both snapshots for the audit entry.
async fn write_versions(
    conn: &mut Conn,
    row: &NeedRow,
    before: Option<&NeedRow>,
    note: Option<&str>,
) -> Result<(Option<Value>, Value)> {
    Ok(match before {
        // PostgreSQL writes both versions in one statement (a data-modifying
        // WITH): one round trip fewer inside the write lock.
        Some(b) if super::super::DIALECT == crate::Dialect::Postgres => {
            let (was, is) = (b.snapshot()?, row.snapshot()?);
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "WITH kept AS ({INSERT_VERSION} ON CONFLICT (need_id, version) DO NOTHING)
                 {INSERT_VERSION_NEXT}"
            )))
            .bind(b.id)
            .bind(b.version)
            .bind(was.to_string())
            .bind(b.updated_at)
            .bind(&b.updated_by)
            .bind(None::<&str>)
            .bind(row.id)
            .bind(row.version)
            .bind(is.to_string())
            .bind(row.updated_at)
            .bind(&row.updated_by)
            .bind(note)
            .execute(&mut *conn)
            .await?;
            (Some(was), is)
        }
        Some(b) => (
            Some(store_version(conn, b, true, None).await?),
            store_version(conn, row, false, note).await?,
        ),
        None => (None, store_version(conn, row, false, note).await?),
    })
}

const INSERT_VERSION: &str = "INSERT INTO need_versions (need_id, version, snapshot, changed_at, changed_by, note)
    VALUES ($1, $2, $3, $4, $5, $6)";
/// `INSERT_VERSION` with the next six parameters, for a second version in one statement.
const INSERT_VERSION_NEXT: &str = "INSERT INTO need_versions (need_id, version, snapshot, changed_at, changed_by, note)
    VALUES ($7, $8, $9, $10, $11, $12)";

/// Writes the version `row` is at. A version that may already be stored is
/// written `if_missing`; a new version stored twice is an error.
async fn store_version(conn: &mut Conn, row: &NeedRow, if_missing: bool, note: Option<&str>) -> Result<Value> {
    let snap = row.snapshot()?;
    let sql = if if_missing {
        format!("{INSERT_VERSION} ON CONFLICT (need_id, version) DO NOTHING")
    } else {
        INSERT_VERSION.to_owned()
    };
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(row.id)
        .bind(row.version)
        .bind(snap.to_string())
        .bind(row.updated_at)
        .bind(&row.updated_by)
        .bind(note)
        .execute(&mut *conn)
        .await?;
    Ok(snap)
}

/// `catalog`: as of this transaction (see `SqlStore::catalogue`).
pub(super) async fn create(
    conn: &mut Conn,
    actor: &Actor,
    input: &NewNeed,
    submit: bool,
    catalog: &Catalog,
) -> Result<i64> {
    let spec = need::validate(input, catalog)?;
    let cols = columns(&spec);
    let value = value_of(&spec, catalog);
    let status = if submit {
        NeedStatus::Submitted
    } else {
        NeedStatus::Draft
    };
    let at = now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO needs (version, country, place, pcode, item, quantity, amount_minor, currency, usd_rate, priority,
            needed_by, justification, reported_via, external_id, status, created_at, created_by, updated_at, updated_by,
            value_cents, open_units)
         VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $15, $16, $17, $5)
         RETURNING id",
    )
    .bind(spec.country.as_str())
    .bind(&spec.place)
    .bind(&spec.pcode)
    .bind(spec.item.as_str())
    .bind(cols.quantity)
    .bind(cols.amount_minor)
    .bind(&cols.currency)
    .bind(&cols.usd_rate)
    .bind(spec.priority.as_str())
    .bind(spec.needed_by)
    .bind(&spec.justification)
    .bind(spec.reported_via.as_str())
    .bind(&spec.external_id)
    .bind(status.as_str())
    .bind(at)
    .bind(&actor.0)
    .bind(value)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| {
        conflict_or(e, || {
            format!(
                "{} already has a need with external_id '{}'",
                spec.country,
                spec.external_id.clone().unwrap_or_default()
            )
        })
    })?;
    write_people(conn, id, &spec.people).await?;
    let row = load_row(conn, id).await?;
    record_version(conn, &row, actor, "need.create", None).await?;
    Ok(id)
}

async fn linked_quantity(conn: &mut Conn, id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(l.covered), 0) AS BIGINT) FROM contribution_links l
         JOIN contributions c ON c.id = l.contribution_id
         WHERE l.need_id = $1 AND l.removed_at IS NULL AND c.deleted_at IS NULL AND c.merged_into IS NULL AND c.stage <> 'cancelled'",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?)
}

/// A need's edit: every column the input sets, a new version, if the
/// version is still the one read.
const UPDATE: &str =
    "UPDATE needs SET version = version + 1, country = $1, place = $2, pcode = $3, item = $4, quantity = $5,
            amount_minor = $6, currency = $7, usd_rate = $8, priority = $9, needed_by = $10, justification = $11,
            reported_via = $12, external_id = $13, updated_at = $14, updated_by = $15, value_cents = $18, status = $19,
            people_in_need = $20, people_targeted = $21, people_source = $22, outcome = $23
         WHERE id = $16 AND version = $17";

/// `UPDATE` giving back the changed row as `SELECT` reads it (PostgreSQL's
/// data-modifying WITH), made once rather than on every update.
static UPDATE_RETURNING_ROW: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "WITH changed AS ({UPDATE} RETURNING *) {}",
        SELECT.replace("FROM needs n", "FROM changed n")
    )
});

pub(super) async fn update(
    conn: &mut Conn,
    actor: &Actor,
    id: i64,
    expected: Option<i64>,
    patch: &NewNeed,
    catalog: &Catalog,
    kind: WriteKind,
) -> Result<()> {
    let old = load_row_for(conn, id, kind).await?;
    check_version("need", id, expected, old.version)?;
    let status = old.status()?;
    if !status.is_editable() {
        return Err(Invalid::one(
            "status",
            "not_editable",
            format!("need {id} is {status} and can no longer be edited"),
        )
        .into());
    }
    let spec = need::validate_keeping(&old.to_input().merged(patch), catalog, Some(&old.item))?;
    // Only a change of item asks what is linked: one statement fewer inside
    // the write lock for every other edit.
    if spec.item.as_str() != old.item && linked_quantity(conn, id).await? > 0 {
        return Err(Invalid::one(
            "item",
            "has_contributions",
            format!(
                "need {id} already has contributions for {}; its item cannot change",
                old.item
            ),
        )
        .into());
    }
    let cols = columns(&spec);
    let value = value_of(&spec, catalog);
    // A validated need whose substance changes (what, how much, where, how
    // urgently) goes back for validation: partners pledge against what the
    // secretariat validated, not against what it became.
    let material = [
        spec.country.as_str() != old.country,
        spec.item.as_str() != old.item,
        cols.quantity != old.quantity,
        cols.amount_minor != old.amount_minor,
        cols.currency != old.currency,
        spec.priority.as_str() != old.priority,
    ]
    .contains(&true);
    let next_status = if material && NeedStatus::SHARED_STATUSES.contains(&status) {
        NeedStatus::Submitted
    } else {
        status
    };
    let at = now();
    // PostgreSQL returns the changed row from the UPDATE itself (a
    // data-modifying WITH): one round trip fewer inside the write lock.
    // SQLite's UPDATE cannot join, and its statements cost no round trip.
    let together = super::super::DIALECT == crate::Dialect::Postgres;
    let sql: &'static str = if together { &UPDATE_RETURNING_ROW } else { UPDATE };
    let query = sqlx::query(sql)
        .bind(spec.country.as_str())
        .bind(&spec.place)
        .bind(&spec.pcode)
        .bind(spec.item.as_str())
        .bind(cols.quantity)
        .bind(cols.amount_minor)
        .bind(&cols.currency)
        .bind(&cols.usd_rate)
        .bind(spec.priority.as_str())
        .bind(spec.needed_by)
        .bind(&spec.justification)
        .bind(spec.reported_via.as_str())
        .bind(&spec.external_id)
        .bind(at)
        .bind(&actor.0)
        .bind(id)
        .bind(old.version)
        .bind(value)
        .bind(next_status.as_str())
        .bind(spec.people.in_need)
        .bind(spec.people.targeted)
        .bind(&spec.people.source)
        .bind(&spec.people.outcome);
    let conflict = |e: sqlx::Error| {
        conflict_or(e, || {
            format!("{} already has a need with that external_id", spec.country)
        })
    };
    let stale = || StoreError::VersionMismatch {
        entity: "need",
        id: id.to_string(),
        expected: old.version,
        current: old.version + 1,
    };
    let row = if together {
        match query.fetch_optional(&mut *conn).await.map_err(conflict)? {
            Some(r) => NeedRow::from_row(&r)?,
            None => return Err(stale()),
        }
    } else {
        if query.execute(&mut *conn).await.map_err(conflict)?.rows_affected() != 1 {
            return Err(stale());
        }
        load_row(conn, id).await?
    };
    // The new version and the coverage columns are this need's own, and
    // its row is locked: only the audit entry, and a status move after it,
    // wait for the chain.
    let (was, is) = write_versions(conn, &row, Some(&old), None).await?;
    let moves = write_coverage(conn, vec![row]).await?;
    if kind == WriteKind::Record {
        super::super::lock_chain(conn).await?;
    }
    log_version(conn, actor, "need.update", id, was.as_ref(), &is).await?;
    move_statuses(conn, actor, moves).await
}

/// The people a need serves: written beside the need's own columns, in the
/// same transaction, before its version is recorded.
pub(super) async fn write_people(conn: &mut Conn, id: i64, p: &People) -> Result<()> {
    sqlx::query(
        "UPDATE needs SET people_in_need = $1, people_targeted = $2, people_source = $3, outcome = $4 WHERE id = $5",
    )
    .bind(p.in_need)
    .bind(p.targeted)
    .bind(&p.source)
    .bind(&p.outcome)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(super) async fn change_status(
    conn: &mut Conn,
    actor: &Actor,
    id: i64,
    expected: Option<i64>,
    change: &StatusChange,
) -> Result<()> {
    let old = load_row(conn, id).await?;
    check_version("need", id, expected, old.version)?;
    let from = old.status()?;
    let to_text = change.to.as_deref().unwrap_or("");
    let to = NeedStatus::parse(to_text).ok_or_else(|| {
        Invalid::one(
            "to",
            "invalid_choice",
            format!(
                "'{to_text}' is not a need status (use one of {})",
                NeedStatus::choices()
            ),
        )
    })?;
    if matches!(to, NeedStatus::PartlyMet | NeedStatus::Met) {
        return Err(Invalid::one(
            "to",
            "derived_status",
            "partly_met and met follow committed contributions; they are not set by hand",
        )
        .into());
    }
    from.check_transition(to).map_err(|e| {
        Invalid::from(FieldError {
            field: "to".into(),
            ..e
        })
    })?;
    let note = change.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    set_status(conn, actor, &old, to, "need.status", note).await?;
    if to == NeedStatus::Validated {
        refresh_statuses(conn, actor, &[id]).await?;
    }
    Ok(())
}

async fn set_status(
    conn: &mut Conn,
    actor: &Actor,
    old: &NeedRow,
    to: NeedStatus,
    action: &str,
    note: Option<&str>,
) -> Result<()> {
    sqlx::query("UPDATE needs SET version = version + 1, status = $1, updated_at = $2, updated_by = $3 WHERE id = $4 AND version = $5")
        .bind(to.as_str())
        .bind(now())
        .bind(&actor.0)
        .bind(old.id)
        .bind(old.version)
        .execute(&mut *conn)
        .await?;
    let row = load_row(conn, old.id).await?;
    record_noted_version(conn, &row, actor, action, Some(old), note).await
}

/// Keeps each need's sums in step with its links, and moves validated needs
/// between validated, partly met and met as committed contributions change.
pub(super) async fn refresh_statuses(conn: &mut Conn, actor: &Actor, ids: &[i64]) -> Result<()> {
    // 500 needs per round: one query for their sums, one for the rows and
    // one UPDATE for all of them, however many a contribution import links.
    for chunk in ids.chunks(500) {
        let rows = live_rows(conn, chunk, WriteKind::Whole).await?;
        if rows.len() != chunk.len()
            && let Some(gone) = chunk.iter().find(|id| !rows.iter().any(|r| r.id == **id))
        {
            return Err(StoreError::not_found("need", *gone));
        }
        refresh_rows(conn, actor, rows).await?;
    }
    Ok(())
}

/// The needs among `ids` (at most a few hundred) that are not deleted, as stored.
pub(super) async fn live_rows(conn: &mut Conn, ids: &[i64], kind: WriteKind) -> Result<Vec<NeedRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut qb = QueryBuilder::<Db>::new(SELECT);
    qb.push(" WHERE n.deleted_at IS NULL AND n.id IN (");
    let mut sep = qb.separated(", ");
    for id in ids {
        sep.push_bind(*id);
    }
    qb.push(")");
    lock_for(&mut qb, kind);
    qb.build()
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(NeedRow::from_row)
        .collect()
}

/// As `refresh_statuses`, for needs the caller read inside this write
/// after its last change to them: one read fewer inside the lock.
pub(super) async fn refresh_rows(conn: &mut Conn, actor: &Actor, rows: Vec<NeedRow>) -> Result<()> {
    let moves = write_coverage(conn, rows).await?;
    move_statuses(conn, actor, moves).await
}

/// The first half of `refresh_rows`: each need's sums written to its
/// coverage columns (derived, not a new version, no audit entry). Returns
/// the needs whose status their coverage moves, and where to.
pub(super) async fn write_coverage(conn: &mut Conn, rows: Vec<NeedRow>) -> Result<Vec<(NeedRow, NeedStatus)>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let sums = coverage_sums(conn, &ids).await?;
    let mut values = Vec::with_capacity(rows.len());
    let mut moves = Vec::new();
    for row in rows {
        let s = sums.get(&row.id).copied().unwrap_or_default();
        let money = row.joined.is_money;
        let val = s.valued(row.size(), money).unwrap_or_default();
        values.push([
            row.id,
            s.units.announced,
            s.units.pledged,
            s.units.funded,
            s.units.delivered,
            val.announced,
            val.pledged,
            val.funded,
            val.delivered,
            row.size().open_units(s.funded(money)),
        ]);
        let status = row.status()?;
        let next = status.from_coverage(row.size(), s.funded(money));
        if next != status {
            moves.push((row, next));
        }
    }
    if !values.is_empty() {
        // Derived, in the same transaction: not a new version of the need.
        let mut qb = QueryBuilder::<Db>::new(
            "UPDATE needs SET cov_announced = v.column2, cov_pledged = v.column3, cov_funded = v.column4,
                cov_delivered = v.column5, val_announced = v.column6, val_pledged = v.column7,
                val_funded = v.column8, val_delivered = v.column9, open_units = v.column10
             FROM (",
        );
        qb.push_values(&values, |mut b, v| {
            for x in v {
                b.push_bind(*x);
            }
        });
        qb.push(") AS v WHERE needs.id = v.column1");
        qb.build().execute(&mut *conn).await?;
    }
    Ok(moves)
}

/// The second half of `refresh_rows`: each status move, as a new version
/// with its audit entry.
pub(super) async fn move_statuses(conn: &mut Conn, actor: &Actor, moves: Vec<(NeedRow, NeedStatus)>) -> Result<()> {
    for (row, next) in moves {
        set_status(conn, actor, &row, next, "need.coverage", None).await?;
    }
    Ok(())
}

/// Every version of a need, oldest first. The current version is the row
/// itself when it was never written out (a need as an import created it).
pub(super) async fn history(conn: &mut Conn, id: i64) -> Result<Vec<Version>> {
    let row = load_row(conn, id).await?;
    let rows = sqlx::query(
        "SELECT version, snapshot, changed_at, changed_by, note FROM need_versions WHERE need_id = $1 ORDER BY version",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut versions = super::versions_from_rows(&rows)?;
    if versions.last().map(|v| v.version) != Some(row.version) {
        versions.push(Version {
            version: row.version,
            changed_at: row.updated_at,
            changed_by: row.updated_by.clone(),
            data: row.snapshot()?,
            note: None,
        });
    }
    Ok(versions)
}

/// Filters `col` to the comma-separated ISO3 codes in `list`.
pub(super) fn push_country_list(qb: &mut QueryBuilder<Db>, errs: &mut Errors, col: &str, list: &str) {
    let codes: Vec<Iso3> = list
        .split(',')
        .filter_map(|c| errs.take(Iso3::parse("country", c)))
        .collect();
    if !codes.is_empty() {
        qb.push(format!(" AND {col} IN ("));
        let mut sep = qb.separated(", ");
        for c in codes {
            sep.push_bind(c.to_string());
        }
        qb.push(")");
    }
}

/// Filters `col` (a country code column) on the facts of its country: NAM
/// status, M49 region, WHO region and income group. Written as subqueries,
/// so the table filtered need not be joined to countries at all.
pub(super) fn push_country_filters(
    qb: &mut QueryBuilder<Db>,
    errs: &mut Errors,
    col: &str,
    nam_status: Option<&str>,
    region: Option<&str>,
    who_region: Option<&str>,
    income_group: Option<&str>,
) {
    if let Some(s) = nam_status {
        match NamStatus::parse(s) {
            Some(n) => {
                qb.push(format!(" AND {col} IN (SELECT iso3 FROM countries WHERE nam_status = "))
                    .push_bind(n.as_str())
                    .push(")");
            }
            None => errs.add(
                "nam_status",
                "invalid_choice",
                format!("'{s}' is not a NAM status (member, observer, none)"),
            ),
        }
    }
    if let Some(s) = region {
        let code = format!("{:0>3}", s.trim());
        qb.push(format!(
            " AND {col} IN (SELECT iso3 FROM countries WHERE region_code = "
        ))
        .push_bind(code.clone());
        qb.push(" OR subregion_code = ").push_bind(code.clone());
        qb.push(" OR intermediate_code = ").push_bind(code).push(")");
    }
    if let Some(s) = who_region {
        match WhoRegion::parse(s) {
            Some(r) => {
                qb.push(format!(" AND {col} IN (SELECT iso3 FROM countries WHERE who_region = "))
                    .push_bind(r.as_str())
                    .push(")");
            }
            None => errs.add(
                "who_region",
                "invalid_choice",
                format!("'{s}' is not a WHO region (AFR, AMR, EMR, EUR, SEAR, WPR)"),
            ),
        }
    }
    if let Some(s) = income_group {
        match IncomeGroup::parse(s) {
            Some(g) => {
                qb.push(format!(
                    " AND {col} IN (SELECT iso3 FROM countries WHERE income_group = "
                ))
                .push_bind(g.as_str())
                .push(")");
            }
            None => errs.add(
                "income_group",
                "invalid_choice",
                format!("'{s}' is not an income group (low, lower_middle, upper_middle, high)"),
            ),
        }
    }
}

/// Adds the WHERE conditions of a need query; every bad filter value is
/// reported with its field name.
pub(super) fn push_filters(qb: &mut QueryBuilder<Db>, q: &NeedQuery) -> Result<(), Invalid> {
    let mut errs = Errors::new();
    qb.push(" WHERE n.deleted_at IS NULL");
    if let Some(scope) = &q.scope {
        qb.push(" AND (1 = 0");
        if let Some(own) = &scope.own_country {
            qb.push(" OR n.country = ").push_bind(own.clone());
        }
        if !scope.shared.is_empty() {
            qb.push(" OR n.status IN (");
            let mut sep = qb.separated(", ");
            for st in &scope.shared {
                sep.push_bind(st.as_str());
            }
            qb.push(")");
        }
        qb.push(")");
    }
    if let Some(s) = q.country.as_deref() {
        push_country_list(qb, &mut errs, "n.country", s);
    }
    push_country_filters(
        qb,
        &mut errs,
        "n.country",
        q.nam_status.as_deref(),
        q.region.as_deref(),
        q.who_region.as_deref(),
        q.income_group.as_deref(),
    );
    if let Some(s) = q.cluster.as_deref() {
        qb.push(" AND n.item IN (SELECT code FROM items WHERE cluster = ")
            .push_bind(s.trim().to_ascii_lowercase())
            .push(")");
    }
    if let Some(s) = q.item.as_deref()
        && let Some(code) = errs.take(ItemCode::parse("item", s))
    {
        qb.push(" AND n.item = ").push_bind(code.to_string());
    }
    if let Some(s) = q.priority.as_deref() {
        match Priority::parse(s) {
            Some(p) => {
                qb.push(" AND n.priority = ").push_bind(p.as_str());
            }
            None => errs.add(
                "priority",
                "invalid_choice",
                format!("'{s}' is not a priority (use one of {})", Priority::choices()),
            ),
        }
    }
    if let Some(s) = q.status.as_deref() {
        let statuses: Vec<NeedStatus> = s
            .split(',')
            .filter_map(|t| {
                let st = NeedStatus::parse(t);
                if st.is_none() {
                    errs.add(
                        "status",
                        "invalid_choice",
                        format!("'{t}' is not a need status (use one of {})", NeedStatus::choices()),
                    );
                }
                st
            })
            .collect();
        if !statuses.is_empty() {
            qb.push(" AND n.status IN (");
            let mut sep = qb.separated(", ");
            for st in statuses {
                sep.push_bind(st.as_str());
            }
            qb.push(")");
        }
    }
    if let Some(x) = q.external_id.as_deref() {
        qb.push(" AND n.external_id = ").push_bind(x.trim().to_owned());
    }
    if let Some(d) = q.needed_from {
        qb.push(" AND n.needed_by >= ").push_bind(d);
    }
    if let Some(d) = q.needed_to {
        qb.push(" AND n.needed_by <= ").push_bind(d);
    }
    errs.finish()
}

const SORT_KEYS: [&str; 5] = ["id", "needed_by", "priority", "created_at", "updated_at"];
/// Priority as a number that grows with urgency, so `sort=-priority` (the
/// highest first) puts critical needs first, like every other descending sort.
const PRIORITY_RANK: &str =
    "(CASE n.priority WHEN 'critical' THEN 3 WHEN 'high' THEN 2 WHEN 'medium' THEN 1 ELSE 0 END)";

fn sort_expr(key: &str) -> &'static str {
    match key {
        "needed_by" => "n.needed_by",
        "priority" => PRIORITY_RANK,
        "created_at" => "n.created_at",
        "updated_at" => "n.updated_at",
        _ => "n.id",
    }
}

fn sort_value(n: &NeedRow, key: &str) -> String {
    match key {
        "needed_by" => n.needed_by.to_string(),
        "priority" => Priority::parse(&n.priority).map_or(0, |p| 3 - p as i64).to_string(),
        "created_at" => n.created_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        "updated_at" => n.updated_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        _ => n.id.to_string(),
    }
}

/// Continues after the row a cursor names, comparing typed values so both
/// dialects compare dates and times as such.
fn push_after(qb: &mut QueryBuilder<Db>, key: &str, desc: bool, cursor: &str) -> Result<(), Invalid> {
    let (value, id) = super::cursor::decode(cursor)?;
    let op = if desc { "<" } else { ">" };
    let bad = || {
        Invalid::one(
            "cursor",
            "invalid_cursor",
            "the cursor does not fit this sort order; start again from the first page",
        )
    };
    if key == "id" {
        qb.push(format!(" AND n.id {op} ")).push_bind(id);
        return Ok(());
    }
    let expr = sort_expr(key);
    qb.push(format!(" AND ({expr} {op} "));
    match key {
        "needed_by" => {
            let d: NaiveDate = value.parse().map_err(|_| bad())?;
            qb.push_bind(d).push(format!(" OR ({expr} = ")).push_bind(d);
        }
        "priority" => {
            let r: i64 = value.parse().map_err(|_| bad())?;
            qb.push_bind(r).push(format!(" OR ({expr} = ")).push_bind(r);
        }
        _ => {
            let t: DateTime<Utc> = value.parse().map_err(|_| bad())?;
            qb.push_bind(t).push(format!(" OR ({expr} = ")).push_bind(t);
        }
    }
    qb.push(format!(" AND n.id {op} ")).push_bind(id).push("))");
    Ok(())
}

pub(super) async fn list(conn: &mut Conn, q: &NeedQuery) -> Result<Page<Need>> {
    let limit = i64::from(q.limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE));
    let (key, desc) = super::cursor::sort_spec(q.sort.as_deref(), &SORT_KEYS)?;
    let mut count = QueryBuilder::<Db>::new(
        "SELECT COUNT(*) FROM needs n JOIN countries c ON c.iso3 = n.country JOIN items i ON i.code = n.item",
    );
    push_filters(&mut count, q)?;
    let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await?;

    let mut qb = QueryBuilder::<Db>::new(SELECT.replacen("SELECT ", &format!("SELECT {MAINTAINED}"), 1));
    push_filters(&mut qb, q)?;
    // An empty cursor is the first page, as no cursor is.
    if let Some(c) = q.cursor.as_deref().filter(|c| !c.trim().is_empty()) {
        push_after(&mut qb, key, desc, c)?;
    }
    let dir = if desc { "DESC" } else { "ASC" };
    qb.push(format!(" ORDER BY {} {dir}, n.id {dir} LIMIT ", sort_expr(key)))
        .push_bind(limit + 1);
    let rows = qb.build().fetch_all(&mut *conn).await?;
    let mut needs: Vec<(NeedRow, Got)> = rows.iter().map(NeedRow::with_maintained).collect::<Result<_>>()?;
    let next = if needs.len() as i64 > limit {
        needs.truncate(limit as usize);
        needs
            .last()
            .map(|(n, _)| super::cursor::encode(&sort_value(n, key), n.id))
    } else {
        None
    };
    let items = needs
        .into_iter()
        .map(|(n, got)| n.present_from(got))
        .collect::<Result<_>>()?;
    Ok(Page { total, items, next })
}

#[cfg(test)]
mod tests {
    /// The statement is made by replacing text in `SELECT`; if that text
    /// changed, the replacement would do nothing and the row read back would
    /// be the table's, not the update's.
    #[test]
    fn the_update_returning_its_row_reads_the_changed_row() {
        assert!(super::UPDATE_RETURNING_ROW.contains("FROM changed n"));
        assert!(!super::UPDATE_RETURNING_ROW.contains("FROM needs n"));
    }
}
