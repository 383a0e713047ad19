//! The item catalogue, and the [`Catalog`] that validation checks against.

use super::{Conn, audit_log, conflict_or, now};
use crate::model::{Actor, NewItem};
use crate::{Result, StoreError};
use needsdb_domain::reference::{CatalogueItem, UnitKind, default_decimals};
use needsdb_domain::reference::{IncomeGroup, NamStatus, WhoRegion};
use needsdb_domain::validation::Errors;
use needsdb_domain::{Catalog, CountryFacts, Invalid, Iso3, ItemCode, PartyCode, PartyKind};
use sqlx::Row;

pub(super) async fn items(conn: &mut Conn) -> Result<Vec<CatalogueItem>> {
    let rows = sqlx::query(
        "SELECT code, cluster, category, name_en, unit, unit_kind, decimals, dac_sector
         FROM items WHERE deleted_at IS NULL ORDER BY cluster, code",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(item_from_row).collect()
}

fn item_from_row(r: &<super::Db as sqlx::Database>::Row) -> Result<CatalogueItem> {
    let code: String = r.try_get("code")?;
    let kind: String = r.try_get("unit_kind")?;
    let decimals: i64 = r.try_get("decimals")?;
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
    })
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

fn slug(errs: &mut Errors, field: &str, v: &Option<String>) -> Option<String> {
    let s = v.as_deref().map(str::trim).unwrap_or("");
    if s.is_empty() {
        errs.add(field, "required", format!("{field} is required"));
        return None;
    }
    let k = s.to_ascii_lowercase().replace([' ', '-'], "_");
    if k.len() > 60
        || !k
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        errs.add(
            field,
            "invalid",
            format!("'{s}' must be letters, digits and underscores (such as emergency_shelter)"),
        );
        return None;
    }
    Some(k)
}

pub(super) async fn add_item(conn: &mut Conn, actor: &Actor, input: &NewItem) -> Result<CatalogueItem> {
    let mut errs = Errors::new();
    let code = match input.code.as_deref() {
        Some(c) => errs.take(ItemCode::parse("code", c)),
        None => {
            errs.add("code", "required", "code is required (such as SHL-KITCHEN-SET)");
            None
        }
    };
    let cluster = slug(&mut errs, "cluster", &input.cluster);
    let category = slug(&mut errs, "category", &input.category);
    let unit = slug(&mut errs, "unit", &input.unit);
    let name = input
        .name_en
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty() && s.len() <= 200);
    if name.is_none() {
        errs.add("name_en", "required", "name_en is required (at most 200 characters)");
    }
    let unit_kind = match input.unit_kind.as_deref() {
        Some(k) => {
            let u = UnitKind::parse(k);
            if u.is_none() {
                errs.add(
                    "unit_kind",
                    "invalid_choice",
                    format!("'{k}' is not a unit kind (count, mass, volume, area, people, money)"),
                );
            }
            u
        }
        None => Some(UnitKind::Count),
    };
    let decimals = input
        .decimals
        .unwrap_or_else(|| unit.as_deref().map_or(0, default_decimals));
    if decimals > 6 {
        errs.add("decimals", "out_of_range", "decimals must be between 0 and 6");
    }
    let dac = input.dac_sector.as_deref().map(str::trim).unwrap_or("");
    if dac.len() != 5 || !dac.bytes().all(|b| b.is_ascii_digit()) {
        errs.add(
            "dac_sector",
            "invalid",
            format!("'{dac}' is not an OECD DAC 5-digit purpose code (such as 72010)"),
        );
    }
    errs.finish()?;
    let (Some(code), Some(cluster), Some(category), Some(unit), Some(name), Some(unit_kind)) =
        (code, cluster, category, unit, name, unit_kind)
    else {
        return Err(Invalid::one("item", "invalid", "the item is incomplete").into());
    };
    let item = CatalogueItem {
        code,
        cluster,
        category,
        name_en: name.to_owned(),
        unit,
        unit_kind,
        decimals,
        dac_sector: dac.to_owned(),
    };
    sqlx::query(
        "INSERT INTO items (code, cluster, category, name_en, unit, unit_kind, decimals, dac_sector, origin, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'local', $9, $10)",
    )
    .bind(item.code.as_str())
    .bind(&item.cluster)
    .bind(&item.category)
    .bind(&item.name_en)
    .bind(&item.unit)
    .bind(item.unit_kind.as_str())
    .bind(i64::from(item.decimals))
    .bind(&item.dac_sector)
    .bind(now())
    .bind(&actor.0)
    .execute(&mut *conn)
    .await
    .map_err(|e| conflict_or(e, || format!("item {} is already in the catalogue", item.code)))?;
    audit_log::append(
        conn,
        actor,
        "item.create",
        "item",
        item.code.as_str(),
        None,
        Some(&serde_json::to_value(&item)?),
    )
    .await?;
    Ok(item)
}
