//! Catalogue items as people add and edit them: a known cluster, a DAC
//! sector from the IATI codelist, and an optional indicative unit value in
//! US dollars with its source and date.

use crate::codes::ItemCode;
use crate::decimal::json_to_text;
use crate::money::FxRate;
use crate::need::{optional_text, parse_date};
use crate::reference::{CatalogueItem, Reference, UnitKind, default_decimals};
use crate::validation::{Errors, FieldError, Invalid};
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// A new catalogue item as sent.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewItem {
    pub code: Option<String>,
    /// A cluster code, such as health or shelter (see /api/v1/clusters).
    pub cluster: Option<String>,
    pub category: Option<String>,
    pub name_en: Option<String>,
    pub unit: Option<String>,
    /// count, mass, volume, area, people or money.
    pub unit_kind: Option<String>,
    pub decimals: Option<u32>,
    /// A DAC 5-digit code from the IATI Sector codelist, such as 72010.
    pub dac_sector: Option<String>,
    /// Indicative US dollars per unit, such as "650" or "0.004".
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub unit_value_usd: Option<Value>,
    /// Where the unit value comes from (a price list, a tender).
    pub unit_value_source: Option<String>,
    /// The date the unit value was true (YYYY-MM-DD).
    pub unit_value_date: Option<String>,
}

/// An edit of an item: fields present are changed. `unit_value_usd: null`
/// removes the value. The code, unit, unit kind and decimals never change,
/// because stored quantities are counted in them.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemPatch {
    pub cluster: Option<String>,
    pub category: Option<String>,
    pub name_en: Option<String>,
    pub dac_sector: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub unit_value_usd: Option<Option<Value>>,
    pub unit_value_source: Option<String>,
    pub unit_value_date: Option<String>,
}

/// Tells an absent field (None) from one sent as null (Some(None)).
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<Value>>, D::Error> {
    Option::<Value>::deserialize(d).map(|v| Some(v.filter(|v| !v.is_null())))
}

pub const MAX_NAME: usize = 200;
pub const MAX_SOURCE: usize = 500;

fn slug(errs: &mut Errors, field: &str, v: Option<&str>) -> Option<String> {
    let s = v.map(str::trim).unwrap_or("");
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

fn cluster(errs: &mut Errors, reference: &Reference, v: Option<&str>) -> Option<String> {
    let c = slug(errs, "cluster", v)?;
    if reference.cluster(&c).is_none() {
        let known: Vec<&str> = reference.clusters.iter().map(|c| c.code.as_str()).collect();
        errs.add(
            "cluster",
            "unknown_cluster",
            format!("'{c}' is not a cluster (use one of {})", known.join(", ")),
        );
        return None;
    }
    Some(c)
}

fn dac_sector(errs: &mut Errors, reference: &Reference, v: Option<&str>) -> Option<String> {
    let d = v.map(str::trim).unwrap_or("");
    if d.len() != 5 || !d.bytes().all(|b| b.is_ascii_digit()) {
        errs.add(
            "dac_sector",
            "invalid",
            format!("'{d}' is not an OECD DAC 5-digit purpose code (such as 72010)"),
        );
        return None;
    }
    if !reference.dac_sectors.contains_key(d) {
        errs.add(
            "dac_sector",
            "unknown_sector",
            format!("{d} is not in the IATI Sector codelist (DAC 5-digit codes such as 12191 or 72010)"),
        );
        return None;
    }
    Some(d.to_owned())
}

fn name(errs: &mut Errors, v: Option<&str>) -> Option<String> {
    match errs
        .take(optional_text("name_en", &v.map(str::to_owned), MAX_NAME))
        .flatten()
    {
        Some(n) => Some(n),
        None => {
            errs.add(
                "name_en",
                "required",
                format!("name_en is required (at most {MAX_NAME} characters)"),
            );
            None
        }
    }
}

/// The value, source and date of a unit value, checked together: a value
/// needs its source and date, and a financial item has no unit value.
struct UnitValue {
    usd: Option<String>,
    source: Option<String>,
    date: Option<NaiveDate>,
}

fn unit_value(
    errs: &mut Errors,
    kind: Option<UnitKind>,
    usd: Option<&Value>,
    source: Option<&str>,
    date: Option<&str>,
    today: NaiveDate,
) -> UnitValue {
    let mut out = UnitValue {
        usd: None,
        source: errs
            .take(optional_text(
                "unit_value_source",
                &source.map(str::to_owned),
                MAX_SOURCE,
            ))
            .flatten(),
        date: None,
    };
    if let Some(d) = date.map(str::trim).filter(|d| !d.is_empty())
        && let Some(d) = errs.take(parse_date("unit_value_date", d))
    {
        if d > today {
            errs.add("unit_value_date", "in_future", format!("{d} is in the future"));
        }
        out.date = Some(d);
    }
    let Some(v) = usd else {
        return out;
    };
    if kind == Some(UnitKind::Money) {
        errs.add(
            "unit_value_usd",
            "not_allowed",
            "a financial item is counted in US dollars already",
        );
        return out;
    }
    let text = json_to_text(v).unwrap_or_default();
    match FxRate::parse("unit_value_usd", &text) {
        Ok(r) => out.usd = Some(r.text()),
        Err(e) => errs.push(FieldError {
            message: format!("'{text}' is not a value in US dollars per unit (such as 650 or 0.004)"),
            ..e
        }),
    }
    if out.source.is_none() {
        errs.add(
            "unit_value_source",
            "required",
            "say where the unit value comes from (a price list, a tender)",
        );
    }
    if out.date.is_none() && date.is_none_or(|d| d.trim().is_empty()) {
        errs.add(
            "unit_value_date",
            "required",
            "give the date the unit value was true (YYYY-MM-DD)",
        );
    }
    out
}

/// Checks a new item against the reference clusters and the IATI Sector codelist.
pub fn validate_new(input: &NewItem, reference: &Reference, today: NaiveDate) -> Result<CatalogueItem, Invalid> {
    let mut errs = Errors::new();
    let code = match input.code.as_deref() {
        Some(c) => errs.take(ItemCode::parse("code", c)),
        None => {
            errs.add("code", "required", "code is required (such as SHL-KITCHEN-SET)");
            None
        }
    };
    let cluster = cluster(&mut errs, reference, input.cluster.as_deref());
    let category = slug(&mut errs, "category", input.category.as_deref());
    let unit = slug(&mut errs, "unit", input.unit.as_deref());
    let name = name(&mut errs, input.name_en.as_deref());
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
    let dac = dac_sector(&mut errs, reference, input.dac_sector.as_deref());
    let value = unit_value(
        &mut errs,
        unit_kind,
        input.unit_value_usd.as_ref(),
        input.unit_value_source.as_deref(),
        input.unit_value_date.as_deref(),
        today,
    );
    errs.finish()?;
    match (code, cluster, category, unit, name, unit_kind, dac) {
        (Some(code), Some(cluster), Some(category), Some(unit), Some(name_en), Some(unit_kind), Some(dac_sector)) => {
            let valued = value.usd.is_some();
            Ok(CatalogueItem {
                code,
                cluster,
                category,
                name_en,
                unit,
                unit_kind,
                decimals,
                dac_sector,
                unit_value_usd: value.usd,
                unit_value_source: value.source.filter(|_| valued),
                unit_value_date: value.date.filter(|_| valued),
                retired: false,
                version: 1,
            })
        }
        _ => Err(Invalid::one("item", "invalid", "the item is incomplete")),
    }
}

/// The item after an edit, checked as a new one would be.
pub fn apply_patch(
    item: &CatalogueItem,
    patch: &ItemPatch,
    reference: &Reference,
    today: NaiveDate,
) -> Result<CatalogueItem, Invalid> {
    let mut errs = Errors::new();
    let cluster = match &patch.cluster {
        Some(c) => cluster(&mut errs, reference, Some(c)),
        None => Some(item.cluster.clone()),
    };
    let category = match &patch.category {
        Some(c) => slug(&mut errs, "category", Some(c)),
        None => Some(item.category.clone()),
    };
    let name_en = match &patch.name_en {
        Some(n) => name(&mut errs, Some(n)),
        None => Some(item.name_en.clone()),
    };
    let dac = match &patch.dac_sector {
        Some(d) => dac_sector(&mut errs, reference, Some(d)),
        None => Some(item.dac_sector.clone()),
    };
    let (usd, source, date) = match &patch.unit_value_usd {
        // Removed: its source and date go with it.
        Some(None) => (None, None, None),
        Some(Some(v)) => (
            Some(v.clone()),
            patch.unit_value_source.clone(),
            patch.unit_value_date.clone(),
        ),
        None => (
            item.unit_value_usd.clone().map(Value::String),
            patch
                .unit_value_source
                .clone()
                .or_else(|| item.unit_value_source.clone()),
            patch
                .unit_value_date
                .clone()
                .or_else(|| item.unit_value_date.map(|d| d.to_string())),
        ),
    };
    let value = unit_value(
        &mut errs,
        Some(item.unit_kind),
        usd.as_ref(),
        source.as_deref(),
        date.as_deref(),
        today,
    );
    errs.finish()?;
    match (cluster, category, name_en, dac) {
        (Some(cluster), Some(category), Some(name_en), Some(dac_sector)) => Ok(CatalogueItem {
            cluster,
            category,
            name_en,
            dac_sector,
            unit_value_source: value.source.filter(|_| value.usd.is_some()),
            unit_value_date: value.date.filter(|_| value.usd.is_some()),
            unit_value_usd: value.usd,
            version: item.version + 1,
            ..item.clone()
        }),
        _ => Err(Invalid::one("item", "invalid", "the edit is incomplete")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference;
    use serde_json::json;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    fn good() -> NewItem {
        NewItem {
            code: Some("SHL-KITCHEN-SET".into()),
            cluster: Some("shelter".into()),
            category: Some("household".into()),
            name_en: Some("Kitchen set".into()),
            unit: Some("kit".into()),
            dac_sector: Some("72010".into()),
            ..Default::default()
        }
    }

    fn codes(e: Invalid) -> Vec<String> {
        e.0.into_iter().map(|e| format!("{}:{}", e.field, e.code)).collect()
    }

    #[test]
    fn an_item_needs_a_known_cluster_and_a_codelist_sector() {
        let r = reference::embedded().unwrap();
        assert!(validate_new(&good(), r, today()).is_ok());
        let bad = NewItem {
            cluster: Some("banana".into()),
            dac_sector: Some("99999".into()),
            ..good()
        };
        assert_eq!(
            codes(validate_new(&bad, r, today()).unwrap_err()),
            ["cluster:unknown_cluster", "dac_sector:unknown_sector"]
        );
    }

    #[test]
    fn a_unit_value_comes_with_its_source_and_date() {
        let r = reference::embedded().unwrap();
        let valued = NewItem {
            unit_value_usd: Some(json!("12.50")),
            ..good()
        };
        assert_eq!(
            codes(validate_new(&valued, r, today()).unwrap_err()),
            ["unit_value_source:required", "unit_value_date:required"]
        );
        let ok = NewItem {
            unit_value_source: Some("UNHCR core relief items catalogue".into()),
            unit_value_date: Some("2026-01-15".into()),
            ..valued
        };
        let item = validate_new(&ok, r, today()).unwrap();
        assert_eq!(item.unit_value_usd.as_deref(), Some("12.5"));
        let zero = NewItem {
            unit_value_usd: Some(json!(0)),
            ..ok
        };
        assert_eq!(
            codes(validate_new(&zero, r, today()).unwrap_err()),
            ["unit_value_usd:not_positive"]
        );
    }

    #[test]
    fn an_edit_keeps_the_unit_and_can_remove_the_value() {
        let r = reference::embedded().unwrap();
        let item = validate_new(
            &NewItem {
                unit_value_usd: Some(json!(30)),
                unit_value_source: Some("tender".into()),
                unit_value_date: Some("2026-01-01".into()),
                ..good()
            },
            r,
            today(),
        )
        .unwrap();
        let renamed = apply_patch(
            &item,
            &ItemPatch {
                name_en: Some("Kitchen set, family".into()),
                ..Default::default()
            },
            r,
            today(),
        )
        .unwrap();
        assert_eq!((renamed.version, renamed.unit_value_usd.as_deref()), (2, Some("30")));
        let patch: ItemPatch = serde_json::from_value(json!({"unit_value_usd": null})).unwrap();
        let cleared = apply_patch(&renamed, &patch, r, today()).unwrap();
        assert_eq!(
            (
                cleared.unit_value_usd,
                cleared.unit_value_source,
                cleared.unit_value_date
            ),
            (None, None, None)
        );
        let bad: ItemPatch = serde_json::from_value(json!({"cluster": "banana"})).unwrap();
        assert!(apply_patch(&renamed, &bad, r, today()).is_err());
    }
}
