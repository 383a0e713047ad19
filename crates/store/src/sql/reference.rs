//! Loading the embedded reference data, and reading countries and parties.

use super::{Conn, audit_log, conflict_or, now};
use crate::model::{Actor, CountryFilter, CountryRow, MigrationReport, NewOrganisation, Party};
use crate::{Result, StoreError};
use needsdb_domain::reference;
use needsdb_domain::validation::Errors;
use needsdb_domain::{Invalid, OrgType, PartyCode};
use sha2::{Digest, Sha256};
use sqlx::{QueryBuilder, Row};

/// Loads the reference data when it differs from what the database holds.
/// Countries are refreshed; organisations and items are only added, so that
/// an administrator's changes to them are never overwritten.
fn fingerprint() -> String {
    let mut h = Sha256::new();
    for (name, text) in reference::sources() {
        h.update(name.as_bytes());
        h.update(text.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Whether the database holds the reference data this binary embeds, so
/// that a start needs no write (and a read-only database can be served).
pub(super) async fn is_current(conn: &mut Conn) -> Result<bool> {
    let stored: Option<String> = sqlx::query_scalar("SELECT value FROM meta WHERE key = 'reference_fingerprint'")
        .fetch_optional(&mut *conn)
        .await?;
    Ok(stored.as_deref() == Some(fingerprint().as_str()))
}

/// Loads the reference data if it changed (on a write transaction), and
/// reports what the database holds (on any connection, when it did not).
pub(super) async fn load(conn: &mut Conn) -> Result<MigrationReport> {
    let data = reference::embedded().map_err(|e| StoreError::Internal(e.to_string()))?;
    let fingerprint = fingerprint();
    let loaded = !is_current(conn).await?;
    if loaded {
        let at = now();
        for c in &data.countries {
            let area = |a: &Option<reference::Area>| a.as_ref().map(|a| (a.code.clone(), a.name.clone()));
            let (rc, rn) = area(&c.region).unzip();
            let (sc, sn) = area(&c.subregion).unzip();
            let (ic, iname) = area(&c.intermediate_region).unzip();
            sqlx::query(
                "INSERT INTO countries (iso3, iso2, m49, name_en, name_fr, name_es, name_ru, name_zh, name_ar,
                    region_code, region_name, subregion_code, subregion_name, intermediate_code, intermediate_name,
                    income_group, who_region, nam_status, nam_group, population, independent)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
                 ON CONFLICT (iso3) DO UPDATE SET iso2 = excluded.iso2, m49 = excluded.m49,
                    name_en = excluded.name_en, name_fr = excluded.name_fr, name_es = excluded.name_es,
                    name_ru = excluded.name_ru, name_zh = excluded.name_zh, name_ar = excluded.name_ar,
                    region_code = excluded.region_code, region_name = excluded.region_name,
                    subregion_code = excluded.subregion_code, subregion_name = excluded.subregion_name,
                    intermediate_code = excluded.intermediate_code, intermediate_name = excluded.intermediate_name,
                    income_group = excluded.income_group, who_region = excluded.who_region,
                    nam_status = excluded.nam_status, nam_group = excluded.nam_group,
                    population = excluded.population, independent = excluded.independent",
            )
            .bind(c.iso3.as_str())
            .bind(&c.iso2)
            .bind(&c.m49)
            .bind(&c.names.en)
            .bind(&c.names.fr)
            .bind(&c.names.es)
            .bind(&c.names.ru)
            .bind(&c.names.zh)
            .bind(&c.names.ar)
            .bind(rc)
            .bind(rn)
            .bind(sc)
            .bind(sn)
            .bind(ic)
            .bind(iname)
            .bind(c.income_group.map(|g| g.as_str()))
            .bind(c.who_region.map(|r| r.as_str()))
            .bind(c.nam_status.as_str())
            .bind(&c.nam_group)
            .bind(c.population)
            .bind(c.independent)
            .execute(&mut *conn)
            .await?;
            sqlx::query(
                "INSERT INTO parties (code, kind, name, country, created_at, created_by)
                 VALUES ($1, 'state', $2, $1, $3, 'system')
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name",
            )
            .bind(c.iso3.as_str())
            .bind(&c.names.en)
            .bind(at)
            .execute(&mut *conn)
            .await?;
        }
        for o in &data.organisations {
            sqlx::query(
                "INSERT INTO parties (code, kind, name, org_type, nam_observer, created_at, created_by)
                 VALUES ($1, 'organisation', $2, $3, $4, $5, 'system')
                 ON CONFLICT (code) DO UPDATE SET nam_observer = excluded.nam_observer",
            )
            .bind(o.code.as_str())
            .bind(&o.name)
            .bind(o.org_type.as_str())
            .bind(o.nam_observer)
            .bind(at)
            .execute(&mut *conn)
            .await?;
        }
        for i in &data.items {
            sqlx::query(
                "INSERT INTO items (code, cluster, category, name_en, unit, unit_kind, decimals, dac_sector, origin, created_at, created_by)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'reference', $9, 'system')
                 ON CONFLICT (code) DO NOTHING",
            )
            .bind(i.code.as_str())
            .bind(&i.cluster)
            .bind(&i.category)
            .bind(&i.name_en)
            .bind(&i.unit)
            .bind(i.unit_kind.as_str())
            .bind(i64::from(i.decimals))
            .bind(&i.dac_sector)
            .bind(at)
            .execute(&mut *conn)
            .await?;
        }
        sqlx::query(
            "INSERT INTO meta (key, value) VALUES ('reference_fingerprint', $1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(&fingerprint)
        .execute(&mut *conn)
        .await?;
        let summary = serde_json::json!({
            "fingerprint": fingerprint,
            "countries": data.countries.len(),
            "organisations": data.organisations.len(),
            "items": data.items.len(),
        });
        audit_log::append(
            conn,
            &Actor::system(),
            "reference.load",
            "reference",
            "embedded",
            None,
            Some(&summary),
        )
        .await?;
    }
    let count = |sql: &'static str| sqlx::query_scalar::<_, i64>(sql);
    Ok(MigrationReport {
        schema_version: super::MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0),
        reference_loaded: loaded,
        countries: count("SELECT COUNT(*) FROM countries").fetch_one(&mut *conn).await?,
        items: count("SELECT COUNT(*) FROM items WHERE deleted_at IS NULL")
            .fetch_one(&mut *conn)
            .await?,
        parties: count("SELECT COUNT(*) FROM parties WHERE deleted_at IS NULL")
            .fetch_one(&mut *conn)
            .await?,
    })
}

pub(super) async fn countries(conn: &mut Conn, f: &CountryFilter) -> Result<Vec<CountryRow>> {
    let mut errs = Errors::new();
    let mut qb = QueryBuilder::<super::Db>::new("SELECT * FROM countries c WHERE 1 = 1");
    super::needs::push_country_filters(
        &mut qb,
        &mut errs,
        "c.iso3",
        f.nam_status.as_deref(),
        f.region.as_deref(),
        f.who_region.as_deref(),
        f.income_group.as_deref(),
    );
    errs.finish()?;
    qb.push(" ORDER BY iso3");
    let rows = qb.build().fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|r| {
            Ok(CountryRow {
                iso3: r.try_get("iso3")?,
                iso2: r.try_get("iso2")?,
                m49: r.try_get("m49")?,
                name_en: r.try_get("name_en")?,
                name_fr: r.try_get("name_fr")?,
                name_es: r.try_get("name_es")?,
                name_ru: r.try_get("name_ru")?,
                name_zh: r.try_get("name_zh")?,
                name_ar: r.try_get("name_ar")?,
                region: r.try_get("region_name")?,
                subregion: r.try_get("subregion_name")?,
                who_region: r.try_get("who_region")?,
                income_group: r.try_get("income_group")?,
                nam_status: r.try_get("nam_status")?,
                nam_group: r.try_get("nam_group")?,
                population: r.try_get("population")?,
            })
        })
        .collect()
}

pub(super) async fn parties(conn: &mut Conn) -> Result<Vec<Party>> {
    let rows = sqlx::query(
        "SELECT p.code, p.kind, p.name, p.org_type, p.nam_observer, c.nam_status
         FROM parties p LEFT JOIN countries c ON c.iso3 = p.country
         WHERE p.deleted_at IS NULL ORDER BY p.kind DESC, p.code",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(party_from_row).collect()
}

fn party_from_row(r: &<super::Db as sqlx::Database>::Row) -> Result<Party> {
    let observer: bool = r.try_get("nam_observer")?;
    let state_status: Option<String> = r.try_get("nam_status")?;
    Ok(Party {
        code: r.try_get("code")?,
        kind: r.try_get("kind")?,
        name: r.try_get("name")?,
        org_type: r.try_get("org_type")?,
        nam_status: state_status.unwrap_or_else(|| if observer { "observer".into() } else { "none".into() }),
    })
}

pub(super) async fn add_organisation(conn: &mut Conn, actor: &Actor, input: &NewOrganisation) -> Result<Party> {
    let mut errs = Errors::new();
    let code = match input.code.as_deref() {
        Some(c) => errs.take(PartyCode::parse("code", c)),
        None => {
            errs.add("code", "required", "code is required (such as MSF or RED-CRESCENT-KW)");
            None
        }
    };
    let name = input
        .name
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty() && s.chars().count() <= 200);
    if name.is_none() {
        errs.add("name", "required", "name is required (at most 200 characters)");
    }
    let org_type = match input.org_type.as_deref() {
        None => Some(OrgType::Other),
        Some(t) => {
            let o = OrgType::parse(t);
            if o.is_none() {
                let all: Vec<&str> = OrgType::ALL.iter().map(|t| t.as_str()).collect();
                errs.add(
                    "org_type",
                    "invalid_choice",
                    format!("'{t}' is not an organisation type (use one of {})", all.join(", ")),
                );
            }
            o
        }
    };
    errs.finish()?;
    let (Some(code), Some(name), Some(org_type)) = (code, name, org_type) else {
        return Err(Invalid::one("organisation", "invalid", "the organisation is incomplete").into());
    };
    sqlx::query(
        "INSERT INTO parties (code, kind, name, org_type, created_at, created_by) VALUES ($1, 'organisation', $2, $3, $4, $5)",
    )
    .bind(code.as_str())
    .bind(name)
    .bind(org_type.as_str())
    .bind(now())
    .bind(&actor.0)
    .execute(&mut *conn)
    .await
    .map_err(|e| conflict_or(e, || format!("the code {code} is already taken by a country or organisation")))?;
    let party = Party {
        code: code.to_string(),
        kind: "organisation".into(),
        name: name.to_owned(),
        org_type: Some(org_type.as_str().into()),
        nam_status: "none".into(),
    };
    audit_log::append(
        conn,
        actor,
        "party.create",
        "party",
        code.as_str(),
        None,
        Some(&serde_json::to_value(&party)?),
    )
    .await?;
    Ok(party)
}
