//! The item catalogue, for the secretariat: every item with its name in the
//! page's language, unit and indicative unit value; adding an item; retiring
//! one (it stays, with its needs and history, but is offered for no new need).

use super::sheets::{self, Cell, Sheet};
use super::{FormState, Page, Posted, failure, render};
use crate::http::AppState;
use crate::services::access;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use needsdb_domain::item::{ItemPatch, NewItem};
use needsdb_store::StoreError;
use serde::Deserialize;

/// (code, name, cluster, unit, unit value, retired, version)
type Line = (String, String, String, String, String, bool, i64);

#[derive(Template)]
#[template(path = "pages/catalogue.html")]
struct Catalogue {
    page: Page,
    title: String,
    items: Vec<Line>,
    may_manage: bool,
    form: FormState,
    clusters: Vec<(String, String)>,
    unit_kinds: Vec<(String, String)>,
}

fn clusters(page: &Page) -> Vec<(String, String)> {
    needsdb_domain::reference::embedded()
        .map(|r| {
            r.clusters
                .iter()
                .map(|c| (c.code.clone(), page.cluster(&c.code)))
                .collect()
        })
        .unwrap_or_default()
}

fn item_labels(page: &Page) -> Vec<(&'static str, String)> {
    [
        ("code", "field-item-code"),
        ("cluster", "col-cluster"),
        ("category", "field-category"),
        ("name_en", "field-name-en"),
        ("unit", "col-unit"),
        ("unit_kind", "field-unit-kind"),
        ("decimals", "field-decimals"),
        ("dac_sector", "field-dac-sector"),
        ("unit_value_usd", "field-unit-value"),
        ("unit_value_source", "field-unit-value-source"),
        ("unit_value_date", "field-unit-value-date"),
    ]
    .into_iter()
    .map(|(f, k)| (f, page.t(k)))
    .collect()
}

#[derive(Deserialize)]
pub struct CodePath {
    #[allow(dead_code)]
    lang: String,
    code: String,
}

#[derive(Template)]
#[template(path = "pages/item_form.html")]
struct ItemForm {
    page: Page,
    title: String,
    form: FormState,
    code: String,
    unit: String,
    version: i64,
    clusters: Vec<(String, String)>,
    may_manage: bool,
    /// (version, date, who, what changed)
    history: Vec<(i64, String, String, String)>,
}

/// What one version of an item changed from the one before, field by field
/// ("unit_value_usd: 0.05 → 0.06"); the first version is the item's creation.
fn changes(page: &Page, before: Option<&serde_json::Value>, after: &serde_json::Value) -> String {
    let Some(before) = before else {
        return page.t("item-created");
    };
    let shown = |v: Option<&serde_json::Value>| match v {
        None | Some(serde_json::Value::Null) => "–".to_owned(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    let Some(fields) = after.as_object() else {
        return String::new();
    };
    fields
        .iter()
        .filter(|(k, v)| *k != "version" && before.get(k.as_str()) != Some(*v))
        .map(|(k, v)| format!("{k}: {} → {}", shown(before.get(k.as_str())), shown(Some(v))))
        .collect::<Vec<_>>()
        .join("; ")
}

/// One item: its history for everyone signed in, and the form that edits
/// it for those who manage the catalogue.
async fn item_page(s: &AppState, mut page: Page, code: &str, form: Option<FormState>) -> Response {
    if let Err(e) = access::require(page.caller(), &access::SIGNED_IN) {
        return failure(page, e.into());
    }
    let may_manage = access::require(page.caller(), &access::CATALOGUE_MANAGERS).is_ok();
    let code = code.trim().to_ascii_uppercase();
    let (item, versions) = match (s.store.item(&code).await, s.store.item_history(&code).await) {
        (Ok(i), Ok(h)) => (i, h),
        (Err(e), _) | (_, Err(e)) => return failure(page, e.into()),
    };
    let mut history = Vec::with_capacity(versions.len());
    for (i, v) in versions.iter().enumerate() {
        let before = i.checked_sub(1).and_then(|j| versions.get(j)).map(|b| &b.data);
        history.push((
            v.version,
            page.date(v.changed_at.date_naive()),
            super::needs::actor_label(&*s.store, &page, &v.changed_by).await,
            changes(&page, before, &v.data),
        ));
    }
    let form = form.unwrap_or_else(|| {
        let mut f = FormState::default();
        f.set("name_en", item.name_en.clone());
        f.set("cluster", item.cluster.clone());
        f.set("category", item.category.clone());
        f.set("dac_sector", item.dac_sector.clone());
        f.set("unit_value_usd", item.unit_value_usd.clone().unwrap_or_default());
        f.set("unit_value_source", item.unit_value_source.clone().unwrap_or_default());
        f.set(
            "unit_value_date",
            item.unit_value_date.map(|d| d.to_string()).unwrap_or_default(),
        );
        f
    });
    if let Some((n, format)) = page.download() {
        let mut sheet = Sheet::new(
            &page,
            "item-history",
            &["col-version", "col-date", "col-who", "col-what"],
        );
        sheet.rows = history
            .iter()
            .map(|h| {
                vec![
                    Cell::int(h.0),
                    Cell::text(h.1.clone()),
                    Cell::text(h.2.clone()),
                    Cell::text(h.3.clone()),
                ]
            })
            .collect();
        return sheets::send(page, vec![sheet], n, format);
    }
    let status = page.status_for(&form);
    let name = page.item(item.code.as_str(), &item.name_en);
    let tpl = ItemForm {
        title: if may_manage {
            page.ta1("item-edit-title", "item", name)
        } else {
            name
        },
        code: item.code.to_string(),
        unit: page.unit_name(&item.unit),
        version: item.version,
        clusters: clusters(&page),
        may_manage,
        history,
        form,
        page,
    };
    render(status, &tpl.page, &tpl)
}

/// The form that edits one item in place (its unit never changes).
pub async fn item_form(State(s): State<AppState>, page: Page, Path(p): Path<CodePath>) -> Response {
    item_page(&s, page, &p.code, None).await
}

pub async fn update_item(State(s): State<AppState>, Path(p): Path<CodePath>, posted: Posted) -> Response {
    let Posted { page, fields } = posted;
    if let Err(e) = access::require(page.caller(), &access::CATALOGUE_MANAGERS) {
        return failure(page, e.into());
    }
    let patch = ItemPatch {
        cluster: fields.opt("cluster"),
        category: fields.opt("category"),
        name_en: fields.opt("name_en"),
        dac_sector: fields.opt("dac_sector"),
        // An emptied value removes it.
        unit_value_usd: Some(fields.number("unit_value_usd", page.lang)),
        unit_value_source: fields.opt("unit_value_source"),
        unit_value_date: fields.opt("unit_value_date"),
    };
    let expected = fields.get("version").parse().ok();
    let code = p.code.trim().to_ascii_uppercase();
    match s.store.update_item(&page.actor(), &code, expected, &patch).await {
        Ok(_) => page.done("/catalogue", "item-saved"),
        Err(StoreError::Invalid(inv)) => {
            let mut form = FormState::new(fields.into_values());
            form.add_invalid(page.lang, &inv, &item_labels(&page), "name_en");
            item_page(&s, page, &code, Some(form)).await
        }
        Err(StoreError::VersionMismatch { .. }) => {
            let mut form = FormState::new(fields.into_values());
            form.add("name_en", page.t("error-stale"));
            item_page(&s, page, &code, Some(form)).await
        }
        Err(e) => failure(page, e.into()),
    }
}

async fn catalogue_page(s: &AppState, mut page: Page, form: FormState) -> Response {
    let items = match s.store.items().await {
        Ok(i) => i,
        Err(e) => return failure(page, e.into()),
    };
    let clusters = clusters(&page);
    if let Some((n, format)) = page.download() {
        let mut sheet = Sheet::new(
            &page,
            "catalogue",
            &[
                "field-item-code",
                "col-item",
                "field-name-en",
                "col-cluster",
                "col-unit",
                "field-dac-sector",
                "field-unit-value",
                "field-unit-value-source",
                "col-status",
            ],
        );
        sheet.rows = items
            .iter()
            .map(|i| {
                vec![
                    Cell::text(i.code.to_string()),
                    Cell::text(page.item(i.code.as_str(), &i.name_en)),
                    Cell::text(i.name_en.clone()),
                    Cell::text(page.cluster(&i.cluster)),
                    Cell::text(i.unit.clone()),
                    Cell::text(i.dac_sector.clone()),
                    i.unit_value_usd
                        .as_deref()
                        .map_or(Cell::text(""), |v| Cell::Num(v.to_owned())),
                    Cell::text(i.unit_value_source.clone().unwrap_or_default()),
                    Cell::text(if i.retired {
                        page.t("item-retired")
                    } else {
                        String::new()
                    }),
                ]
            })
            .collect();
        return sheets::send(page, vec![sheet], n, format);
    }
    let status = page.status_for(&form);
    let tpl = Catalogue {
        title: page.t("catalogue-title"),
        may_manage: access::require(page.caller(), &access::CATALOGUE_MANAGERS).is_ok(),
        items: items
            .iter()
            .map(|i| {
                (
                    i.code.to_string(),
                    page.item(i.code.as_str(), &i.name_en),
                    page.cluster(&i.cluster),
                    i.unit.clone(),
                    i.unit_value_usd
                        .as_deref()
                        .map(|v| page.num(&serde_json::json!(v)))
                        .unwrap_or_default(),
                    i.retired,
                    i.version,
                )
            })
            .collect(),
        clusters,
        unit_kinds: ["count", "mass", "volume", "area", "people", "money"]
            .iter()
            .map(|k| ((*k).to_owned(), (*k).to_owned()))
            .collect(),
        form,
        page,
    };
    render(status, &tpl.page, &tpl)
}

pub async fn list(State(s): State<AppState>, page: Page) -> Response {
    let mut form = FormState::default();
    form.set("unit_kind", "count");
    form.set("decimals", "0");
    catalogue_page(&s, page, form).await
}

pub async fn change(State(s): State<AppState>, posted: Posted) -> Response {
    let Posted { page, fields } = posted;
    if let Err(e) = access::require(page.caller(), &access::CATALOGUE_MANAGERS) {
        return failure(page, e.into());
    }
    if let Some(code) = fields.opt("retire") {
        let expected = fields.get("version").parse().ok();
        return match s.store.retire_item(&page.actor(), &code, expected).await {
            Ok(_) => page.done("/catalogue", "item-saved"),
            Err(e) => failure(page, e.into()),
        };
    }
    let item = NewItem {
        code: fields.opt("code").map(|c| c.to_ascii_uppercase()),
        cluster: fields.opt("cluster"),
        category: fields.opt("category"),
        name_en: fields.opt("name_en"),
        unit: fields.opt("unit"),
        unit_kind: fields.opt("unit_kind"),
        decimals: fields.get("decimals").trim().parse().ok(),
        dac_sector: fields.opt("dac_sector"),
        unit_value_usd: fields.number("unit_value_usd", page.lang),
        unit_value_source: fields.opt("unit_value_source"),
        unit_value_date: fields.opt("unit_value_date"),
    };
    match s.store.add_item(&page.actor(), &item).await {
        Ok(_) => page.done("/catalogue", "item-saved"),
        Err(StoreError::Invalid(inv)) => {
            let mut form = FormState::new(fields.into_values());
            form.add_invalid(page.lang, &inv, &item_labels(&page), "code");
            catalogue_page(&s, page, form).await
        }
        Err(StoreError::Conflict(m)) => {
            let mut form = FormState::new(fields.into_values());
            form.add(
                "code",
                page.ta("err-other", &[("field", page.t("field-item-code")), ("message", m)]),
            );
            catalogue_page(&s, page, form).await
        }
        Err(e) => failure(page, e.into()),
    }
}
