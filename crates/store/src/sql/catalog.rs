//! The item catalogue, and the [`Catalog`] that validation checks against.

use super::{Conn, audit_log, conflict_or, now};
use crate::model::{Actor, NewItem, Version};
use crate::{Result, StoreError};
use needsdb_domain::item::ItemPatch;
use needsdb_domain::reference::{CatalogueItem, UnitKind};
use needsdb_domain::reference::{IncomeGroup, NamStatus, WhoRegion};
use needsdb_domain::{Catalog, CountryFacts, Iso3, ItemCode, PartyCode, PartyKind};
use sqlx::Row;

const ITEM_COLUMNS: &str = "SELECT code, cluster, category, name_en, unit, unit_kind, decimals, dac_sector,
        unit_value_usd, unit_value_source, unit_value_date, retired_at, version
     FROM items WHERE deleted_at IS NULL";

/// Every item, retired ones included (they say so).
pub(super) async fn items(conn: &mut Conn) -> Result<Vec<CatalogueItem>> {
    let sql = format!("{ITEM_COLUMNS} ORDER BY cluster, code");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&mut *conn).await?;
    rows.iter().map(item_from_row).collect()
}

pub(super) async fn item(conn: &mut Conn, code: &str) -> Result<CatalogueItem> {
    let sql = format!("{ITEM_COLUMNS} AND code = $1");
    match sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?
    {
        Some(r) => item_from_row(&r),
        None => Err(StoreError::not_found("item", code)),
    }
}

fn item_from_row(r: &<super::Db as sqlx::Database>::Row) -> Result<CatalogueItem> {
    let code: String = r.try_get("code")?;
    let kind: String = r.try_get("unit_kind")?;
    let decimals: i64 = r.try_get("decimals")?;
    let retired: Option<chrono::DateTime<chrono::Utc>> = r.try_get("retired_at")?;
    Ok(CatalogueItem {
        code: ItemCode::parse("code", &code).map_err(|e| StoreError::Internal(e.to_string()))?,
        cluster: r.try_get("cluster")?,
        category: r.try_get("category")?,
        name_en: r.try_get("name_en")?,
        unit: r.try_get("unit")?,
        unit_kind: UnitKind::parse(&kind)
            .ok_or_else(|| StoreError::Internal(format!("item {code}: bad unit kind {kind}")))?,
        decimals: u32::try_from(decimals).unwrap_or(0),
        dac_sector: r.try_get("dac_sector")?,
        unit_value_usd: r.try_get("unit_value_usd")?,
        unit_value_source: r.try_get("unit_value_source")?,
        unit_value_date: r.try_get("unit_value_date")?,
        retired: retired.is_some(),
        version: r.try_get("version")?,
    })
}

/// What changes whenever the catalogue a write validates against does, read
/// in one cheap statement: every write of an item moves its version (or
/// adds a row), and parties are only ever added. Countries change only with
/// the reference data `migrate` loads before a server answers.
pub(crate) const STAMP: &str =
    "SELECT COUNT(*) AS stamp_items, CAST(COALESCE(SUM(version), 0) AS BIGINT) AS stamp_versions,
    CAST(MAX(updated_at) AS TEXT) AS stamp_changed, (SELECT COUNT(*) FROM parties) AS stamp_parties FROM items";

/// The catalogue's stamp from a row of `STAMP`; none when the row is another's.
pub(crate) fn stamp_of(r: &<super::Db as sqlx::Database>::Row) -> Option<Result<String>> {
    let items = r.try_get::<i64, _>("stamp_items").ok()?;
    let read = || -> Result<String> {
        let versions: i64 = r.try_get("stamp_versions")?;
        let changed: Option<String> = r.try_get("stamp_changed")?;
        let parties: i64 = r.try_get("stamp_parties")?;
        Ok(format!("{items}:{versions}:{}:{parties}", changed.unwrap_or_default()))
    };
    Some(read())
}

/// The catalogue's stamp, read on `conn`.
pub(super) async fn stamp(conn: &mut Conn) -> Result<String> {
    let row = sqlx::query(STAMP).fetch_one(&mut *conn).await?;
    stamp_of(&row).unwrap_or_else(|| Err(StoreError::Internal("the catalogue's stamp has no items".into())))
}

/// Everything validation needs, read inside the write transaction so it
/// cannot change between the check and the write.
pub(super) async fn load(conn: &mut Conn) -> Result<Catalog> {
    let mut catalog = Catalog::default();
    for item in items(conn).await? {
        catalog.items.insert(item.code.clone(), item);
    }
    let rows = sqlx::query(
        "SELECT iso3, nam_status, who_region, income_group, region_code, subregion_code, intermediate_code, population FROM countries",
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in &rows {
        let iso3: String = r.try_get("iso3")?;
        let iso3 = Iso3::parse("iso3", &iso3).map_err(|e| StoreError::Internal(e.to_string()))?;
        let areas: Vec<String> = ["region_code", "subregion_code", "intermediate_code"]
            .iter()
            .filter_map(|c| r.try_get::<Option<String>, _>(*c).ok().flatten())
            .collect();
        let who: Option<String> = r.try_get("who_region")?;
        let income: Option<String> = r.try_get("income_group")?;
        let nam: String = r.try_get("nam_status")?;
        catalog.countries.insert(
            iso3.clone(),
            CountryFacts {
                iso3,
                nam_status: NamStatus::parse(&nam).unwrap_or(NamStatus::None),
                who_region: who.as_deref().and_then(WhoRegion::parse),
                income_group: income.as_deref().and_then(IncomeGroup::parse),
                m49_areas: areas,
                population: r.try_get("population")?,
            },
        );
    }
    let rows = sqlx::query("SELECT code, kind FROM parties WHERE deleted_at IS NULL")
        .fetch_all(&mut *conn)
        .await?;
    for r in &rows {
        let code: String = r.try_get("code")?;
        let kind: String = r.try_get("kind")?;
        if let (Ok(code), Some(kind)) = (PartyCode::parse("code", &code), PartyKind::parse(&kind)) {
            catalog.parties.insert(code, kind);
        }
    }
    Ok(catalog)
}

pub(super) async fn add_item(conn: &mut Conn, actor: &Actor, input: &NewItem) -> Result<CatalogueItem> {
    let reference = needsdb_domain::reference::embedded().map_err(|e| StoreError::Internal(e.to_string()))?;
    let item = needsdb_domain::item::validate_new(input, reference, super::today())?;
    let at = now();
    sqlx::query(
        "INSERT INTO items (code, cluster, category, name_en, unit, unit_kind, decimals, dac_sector, origin,
            unit_value_usd, unit_value_source, unit_value_date, version, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'local', $9, $10, $11, 1, $12, $13, $12, $13)",
    )
    .bind(item.code.as_str())
    .bind(&item.cluster)
    .bind(&item.category)
    .bind(&item.name_en)
    .bind(&item.unit)
    .bind(item.unit_kind.as_str())
    .bind(i64::from(item.decimals))
    .bind(&item.dac_sector)
    .bind(&item.unit_value_usd)
    .bind(&item.unit_value_source)
    .bind(item.unit_value_date)
    .bind(at)
    .bind(&actor.0)
    .execute(&mut *conn)
    .await
    .map_err(|e| conflict_or(e, || format!("item {} is already in the catalogue", item.code)))?;
    let snap = store_version(conn, &item, at, &actor.0, false).await?;
    audit_log::append(
        conn,
        actor,
        "item.create",
        "item",
        item.code.as_str(),
        None,
        Some(&snap),
    )
    .await?;
    Ok(item)
}

/// Keeps `item` as a version: written strictly for a new version, "if
/// missing" for the version before an edit (an item loaded from the
/// reference data has its first version only as its row).
async fn store_version(
    conn: &mut Conn,
    item: &CatalogueItem,
    at: chrono::DateTime<chrono::Utc>,
    by: &str,
    if_missing: bool,
) -> Result<serde_json::Value> {
    let snap = serde_json::to_value(item)?;
    let sql = if if_missing {
        "INSERT INTO item_versions (code, version, snapshot, changed_at, changed_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (code, version) DO NOTHING"
    } else {
        "INSERT INTO item_versions (code, version, snapshot, changed_at, changed_by) VALUES ($1, $2, $3, $4, $5)"
    };
    sqlx::query(sql)
        .bind(item.code.as_str())
        .bind(item.version)
        .bind(snap.to_string())
        .bind(at)
        .bind(by)
        .execute(&mut *conn)
        .await?;
    Ok(snap)
}

/// When and by whom the stored row was last changed.
async fn last_change(conn: &mut Conn, code: &str) -> Result<(chrono::DateTime<chrono::Utc>, String)> {
    let r = sqlx::query("SELECT COALESCE(updated_at, created_at) AS at, COALESCE(updated_by, created_by) AS by FROM items WHERE code = $1")
        .bind(code)
        .fetch_one(&mut *conn)
        .await?;
    Ok((r.try_get("at")?, r.try_get("by")?))
}

/// Edits an item; a changed unit value revalues its needs and the goods
/// estimated from it, in the same transaction.
pub(super) async fn update_item(
    conn: &mut Conn,
    actor: &Actor,
    code: &str,
    expected: Option<i64>,
    patch: &ItemPatch,
) -> Result<CatalogueItem> {
    let old = item(conn, code).await?;
    super::check_version("item", code, expected, old.version)?;
    let reference = needsdb_domain::reference::embedded().map_err(|e| StoreError::Internal(e.to_string()))?;
    let new = needsdb_domain::item::apply_patch(&old, patch, reference, super::today())?;
    let (old_at, old_by) = last_change(conn, code).await?;
    let before = store_version(conn, &old, old_at, &old_by, true).await?;
    let at = now();
    sqlx::query(
        "UPDATE items SET cluster = $1, category = $2, name_en = $3, dac_sector = $4, unit_value_usd = $5,
            unit_value_source = $6, unit_value_date = $7, version = $8, updated_at = $9, updated_by = $10
         WHERE code = $11 AND version = $12",
    )
    .bind(&new.cluster)
    .bind(&new.category)
    .bind(&new.name_en)
    .bind(&new.dac_sector)
    .bind(&new.unit_value_usd)
    .bind(&new.unit_value_source)
    .bind(new.unit_value_date)
    .bind(new.version)
    .bind(at)
    .bind(&actor.0)
    .bind(code)
    .bind(old.version)
    .execute(&mut *conn)
    .await?;
    let after = store_version(conn, &new, at, &actor.0, false).await?;
    audit_log::append(conn, actor, "item.update", "item", code, Some(&before), Some(&after)).await?;
    if new.unit_value_usd != old.unit_value_usd {
        revalue(conn, actor, &new).await?;
    }
    Ok(new)
}

/// Retires an item: kept, with its needs and history, but offered for no new need.
pub(super) async fn retire_item(
    conn: &mut Conn,
    actor: &Actor,
    code: &str,
    expected: Option<i64>,
) -> Result<CatalogueItem> {
    let old = item(conn, code).await?;
    super::check_version("item", code, expected, old.version)?;
    if old.retired {
        return Err(StoreError::Conflict(format!("item {code} is already retired")));
    }
    let (old_at, old_by) = last_change(conn, code).await?;
    let before = store_version(conn, &old, old_at, &old_by, true).await?;
    let new = CatalogueItem {
        retired: true,
        version: old.version + 1,
        ..old.clone()
    };
    let at = now();
    sqlx::query("UPDATE items SET retired_at = $1, version = $2, updated_at = $1, updated_by = $3 WHERE code = $4 AND version = $5")
        .bind(at)
        .bind(new.version)
        .bind(&actor.0)
        .bind(code)
        .bind(old.version)
        .execute(&mut *conn)
        .await?;
    let after = store_version(conn, &new, at, &actor.0, false).await?;
    audit_log::append(conn, actor, "item.retire", "item", code, Some(&before), Some(&after)).await?;
    Ok(new)
}

/// Every version of an item, oldest first; the first may be only its row.
pub(super) async fn item_history(conn: &mut Conn, code: &str) -> Result<Vec<Version>> {
    let current = item(conn, code).await?;
    let rows = sqlx::query(
        "SELECT version, snapshot, changed_at, changed_by, CAST(NULL AS TEXT) AS note FROM item_versions WHERE code = $1 ORDER BY version",
    )
    .bind(code)
    .fetch_all(&mut *conn)
    .await?;
    let mut versions = super::versions_from_rows(&rows)?;
    // An item never edited since the reference data loaded it has no stored version.
    if versions.is_empty() {
        let (at, by) = last_change(conn, code).await?;
        versions.push(Version {
            version: current.version,
            changed_at: at,
            changed_by: by,
            data: serde_json::to_value(&current)?,
            note: None,
        });
    }
    Ok(versions)
}

/// After an item's unit value changed: the value of each of its needs, what
/// they received in value, and the estimated value of goods of the item.
async fn revalue(conn: &mut Conn, actor: &Actor, item: &CatalogueItem) -> Result<()> {
    let rate = item.unit_value();
    let needs: Vec<(i64, i64)> = sqlx::query("SELECT id, quantity FROM needs WHERE item = $1 AND deleted_at IS NULL")
        .bind(item.code.as_str())
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("quantity")?)))
        .collect::<Result<_, sqlx::Error>>()?;
    for (id, quantity) in &needs {
        let value = rate.and_then(|r| r.value_cents(*quantity, item.decimals).ok());
        sqlx::query("UPDATE needs SET value_cents = $1 WHERE id = $2")
            .bind(value)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    let ids: Vec<i64> = needs.iter().map(|(id, _)| *id).collect();
    super::needs::refresh_statuses(conn, actor, &ids).await?;
    let goods: Vec<(i64, i64)> = sqlx::query(
        "SELECT id, quantity FROM contributions WHERE item = $1 AND kind = 'in_kind' AND value_given IS NULL AND deleted_at IS NULL",
    )
    .bind(item.code.as_str())
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("id")?, r.try_get("quantity")?)))
    .collect::<Result<_, sqlx::Error>>()?;
    for (id, quantity) in goods {
        let value = rate.and_then(|r| r.value_cents(quantity, item.decimals).ok());
        sqlx::query("UPDATE contributions SET value_cents = $1, value_estimated = $2 WHERE id = $3")
            .bind(value)
            .bind(value.is_some())
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
