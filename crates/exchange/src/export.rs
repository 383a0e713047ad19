//! Export: needs or contributions, page by page from the store, into HXL
//! CSV, XLSX, JSON or IATI XML. Each record becomes the same row of cells
//! whatever the format, so every format reads back into the same records.

use crate::Format;
use crate::cells::Out;
use crate::columns::{CONTRIBUTION_COLUMNS, Column, Field, NEED_COLUMNS};
use crate::error::ExportError;
use crate::mapping::Kind;
use needsdb_store::{Contribution, ContributionQuery, MAX_PAGE, Need, NeedQuery, OWN_ID_PREFIX, Store};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::io::Write;

fn text(s: &str) -> Out {
    if s.is_empty() {
        Out::Empty
    } else {
        Out::Text(s.to_owned())
    }
}

fn opt(s: &Option<String>) -> Out {
    s.as_deref().map_or(Out::Empty, text)
}

fn number(v: &Value) -> Out {
    match v {
        Value::Number(n) => Out::Number(n.to_string()),
        Value::String(s) => Out::Number(s.clone()),
        _ => Out::Empty,
    }
}

/// The external id a record is exported with: its own, or `needsdb-<id>`,
/// which an import into the same database recognises.
fn external_id(own: &Option<String>, id: i64) -> String {
    own.clone().unwrap_or_else(|| format!("{OWN_ID_PREFIX}{id}"))
}

pub fn need_cells(n: &Need) -> Vec<Out> {
    NEED_COLUMNS
        .iter()
        .map(|c| match c.field {
            Field::ExternalId => Out::Text(external_id(&n.external_id, n.id)),
            Field::Country => text(&n.country),
            Field::CountryName => text(&n.country_name),
            Field::Place => opt(&n.place),
            Field::Pcode => opt(&n.pcode),
            Field::Item => text(&n.item),
            Field::ItemName => text(&n.item_name),
            Field::Cluster => text(&n.cluster),
            Field::Unit => text(&n.unit),
            Field::Quantity if n.amount.is_none() => number(&n.quantity),
            Field::Amount => n.amount.as_ref().map_or(Out::Empty, number),
            Field::Currency => opt(&n.currency),
            Field::UsdRate => n.usd_rate.as_deref().map_or(Out::Empty, |r| Out::Number(r.to_owned())),
            Field::Priority => text(n.priority.as_str()),
            Field::NeededBy => Out::Date(n.needed_by.to_string()),
            Field::Justification => text(&n.justification),
            Field::ReportedVia => text(&n.reported_via),
            Field::Status => text(n.status.as_str()),
            Field::PeopleInNeed => n.people_in_need.map_or(Out::Empty, |p| Out::Number(p.to_string())),
            Field::PeopleTargeted => n.people_targeted.map_or(Out::Empty, |p| Out::Number(p.to_string())),
            Field::PeopleSource => opt(&n.people_source),
            Field::Outcome => opt(&n.outcome),
            _ => Out::Empty,
        })
        .collect()
}

pub fn contribution_cells(k: &Contribution, item_names: &HashMap<String, String>, needs: &str) -> Vec<Out> {
    let cash = k.currency.is_some();
    let earmarks = k
        .earmarks
        .iter()
        .map(|e| crate::mapping::earmark_of(e).to_text())
        .collect::<Vec<_>>()
        .join("; ");
    CONTRIBUTION_COLUMNS
        .iter()
        .map(|c| match c.field {
            Field::ExternalId => Out::Text(external_id(&k.external_id, k.id)),
            Field::Donor => text(&k.donor),
            Field::Recipient => text(&k.recipient),
            Field::Channel => opt(&k.channel),
            Field::Item => opt(&k.item),
            Field::ItemName => k
                .item
                .as_ref()
                .and_then(|i| item_names.get(i))
                .map_or(Out::Empty, |n| text(n)),
            Field::Quantity if !cash => number(&k.quantity),
            Field::Amount if cash => number(&k.quantity),
            Field::Currency => opt(&k.currency),
            Field::UsdRate if cash && k.currency.as_deref() != Some("USD") => {
                k.usd_rate.as_deref().map_or(Out::Empty, |r| Out::Number(r.to_owned()))
            }
            Field::Status => text(k.stage.as_str()),
            Field::StageDate => Out::Date(k.stage_date.to_string()),
            Field::Description => text(&k.description),
            Field::SourceUrl => opt(&k.source_url),
            Field::Needs => text(needs),
            Field::Earmarks => text(&earmarks),
            // Only the donor's own value is part of the record; an estimate
            // is the catalogue's, and follows it.
            Field::UsdValue if !cash && !k.usd_value_estimated => k.usd_value.as_ref().map_or(Out::Empty, number),
            Field::Sector => opt(&k.sector),
            _ => Out::Empty,
        })
        .collect()
}

/// A record in the API's schema, as the JSON export writes it.
fn json_of(columns: &[Column], cells: &[Out], kind: Kind) -> Value {
    let contributions = kind == Kind::Contributions;
    let mut m = Map::new();
    for (c, cell) in columns.iter().zip(cells) {
        if matches!(
            c.field,
            Field::CountryName | Field::ItemName | Field::Cluster | Field::Unit | Field::Earmarks
        ) {
            continue;
        }
        let v = match cell {
            Out::Empty => continue,
            Out::Text(s) | Out::Date(s) => Value::String(s.clone()),
            Out::Number(s) => Value::String(s.clone()),
        };
        m.insert(c.field.api_name(contributions).to_owned(), v);
    }
    Value::Object(m)
}

/// Every need the query selects, a page at a time.
pub async fn each_need(
    store: &dyn Store,
    query: &NeedQuery,
    mut f: impl FnMut(&Need) -> Result<(), ExportError>,
) -> Result<u64, ExportError> {
    let mut q = query.clone();
    q.limit = Some(MAX_PAGE);
    q.cursor = None;
    let mut n = 0;
    loop {
        let page = store.needs(&q).await?;
        for need in &page.items {
            f(need)?;
            n += 1;
        }
        match page.next {
            Some(c) => q.cursor = Some(c),
            None => return Ok(n),
        }
    }
}

/// A need a contribution is linked to, as an export names it.
#[derive(Debug, Clone)]
pub struct Linked {
    pub country: String,
    pub key: String,
    pub item: String,
}

/// Every contribution the query selects, with the needs it is for written
/// as `ISO3/external id=quantity; ...`, which another database can resolve,
/// and the item of each linked need (in link order).
pub async fn each_contribution(
    store: &dyn Store,
    query: &ContributionQuery,
    mut f: impl FnMut(&Contribution, &str, &[String]) -> Result<(), ExportError>,
) -> Result<u64, ExportError> {
    let mut q = query.clone();
    q.limit = Some(MAX_PAGE);
    q.cursor = None;
    let mut n = 0;
    let mut keys: HashMap<i64, Linked> = HashMap::new();
    loop {
        let page = store.contributions(&q).await?;
        // A merged duplicate is part of the record it was merged into.
        for k in page.items.iter().filter(|k| k.merged_into.is_none()) {
            let mut refs = Vec::with_capacity(k.links.len());
            let mut items = Vec::with_capacity(k.links.len());
            for l in &k.links {
                if let std::collections::hash_map::Entry::Vacant(slot) = keys.entry(l.need) {
                    let need = store.need(l.need).await?;
                    slot.insert(Linked {
                        country: need.country.clone(),
                        key: external_id(&need.external_id, need.id),
                        item: need.item.clone(),
                    });
                }
                if let Some(linked) = keys.get(&l.need) {
                    refs.push(needsdb_store::NeedRef {
                        country: linked.country.clone(),
                        key: linked.key.clone(),
                        quantity: l.quantity.clone(),
                    });
                    items.push(linked.item.clone());
                }
            }
            f(k, &crate::mapping::format_need_refs(&refs), &items)?;
            n += 1;
        }
        match page.next {
            Some(c) => q.cursor = Some(c),
            None => return Ok(n),
        }
    }
}

/// What to export.
pub enum Selection {
    Needs(NeedQuery),
    Contributions(ContributionQuery),
}

/// Writes the export to `out`; returns how many records it holds.
pub async fn export(
    store: &dyn Store,
    selection: &Selection,
    format: Format,
    out: &mut (dyn Write + Send),
) -> Result<u64, ExportError> {
    let item_names: HashMap<String, String> = store
        .items()
        .await?
        .into_iter()
        .map(|i| (i.code.to_string(), i.name_en))
        .collect();
    match (format, selection) {
        (Format::Hxl, Selection::Needs(q)) => {
            let mut w = crate::hxl::Writer::new(&mut *out, NEED_COLUMNS).map_err(csv_err)?;
            let n = each_need(store, q, |need| w.row(&need_cells(need)).map_err(csv_err)).await?;
            w.finish()?;
            Ok(n)
        }
        (Format::Hxl, Selection::Contributions(q)) => {
            let mut w = crate::hxl::Writer::new(&mut *out, CONTRIBUTION_COLUMNS).map_err(csv_err)?;
            let n = each_contribution(store, q, |k, needs, _| {
                w.row(&contribution_cells(k, &item_names, needs)).map_err(csv_err)
            })
            .await?;
            w.finish()?;
            Ok(n)
        }
        (Format::Json, Selection::Needs(q)) => {
            let mut w = crate::json::ArrayWriter::new(&mut *out)?;
            let n = each_need(store, q, |need| {
                w.item(&json_of(NEED_COLUMNS, &need_cells(need), Kind::Needs))
            })
            .await?;
            w.finish()?;
            Ok(n)
        }
        (Format::Json, Selection::Contributions(q)) => {
            let mut w = crate::json::ArrayWriter::new(&mut *out)?;
            let n = each_contribution(store, q, |k, needs, _| {
                let mut v = json_of(
                    CONTRIBUTION_COLUMNS,
                    &contribution_cells(k, &item_names, needs),
                    Kind::Contributions,
                );
                if !k.earmarks.is_empty()
                    && let Value::Object(m) = &mut v
                {
                    let earmarks: Vec<_> = k.earmarks.iter().map(crate::mapping::earmark_of).collect();
                    m.insert("earmarks".into(), serde_json::to_value(earmarks).unwrap_or_default());
                }
                w.item(&v)
            })
            .await?;
            w.finish()?;
            Ok(n)
        }
        (Format::Xlsx, Selection::Needs(q)) => {
            let mut rows = Vec::new();
            let n = each_need(store, q, |need| {
                rows.push(need_cells(need));
                check_xlsx_rows(rows.len())
            })
            .await?;
            out.write_all(&crate::xlsx::write_export("Needs", NEED_COLUMNS, &rows)?)?;
            Ok(n)
        }
        (Format::Xlsx, Selection::Contributions(q)) => {
            let mut rows = Vec::new();
            let n = each_contribution(store, q, |k, needs, _| {
                rows.push(contribution_cells(k, &item_names, needs));
                check_xlsx_rows(rows.len())
            })
            .await?;
            out.write_all(&crate::xlsx::write_export(
                "Contributions",
                CONTRIBUTION_COLUMNS,
                &rows,
            )?)?;
            Ok(n)
        }
        (Format::Iati, Selection::Contributions(q)) => {
            let items: HashMap<String, needsdb_domain::reference::CatalogueItem> = store
                .items()
                .await?
                .into_iter()
                .map(|i| (i.code.to_string(), i))
                .collect();
            let parties = store.parties().await?;
            let mut w = crate::iati::Writer::new(&mut *out, &parties)?;
            let n = each_contribution(store, q, |k, _, linked| w.activity(k, &items, linked)).await?;
            w.finish()?;
            Ok(n)
        }
        (Format::Iati, Selection::Needs(_)) => Err(ExportError::Format(
            "IATI describes contributions (activities and transactions); export needs as hxl, xlsx or json".into(),
        )),
    }
}

/// XLSX sheets end at 1,048,576 rows, two of which are the header.
fn check_xlsx_rows(n: usize) -> Result<(), ExportError> {
    if n > 1_048_574 {
        return Err(ExportError::Format(
            "more rows than an XLSX sheet holds; export as hxl or json, or filter the export".into(),
        ));
    }
    Ok(())
}

fn csv_err(e: csv::Error) -> ExportError {
    ExportError::Io(std::io::Error::other(e.to_string()))
}
