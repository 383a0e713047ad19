//! The overview anyone may read: aggregates only (coverage by member state
//! and by cluster, and the critical needs with the largest gaps), never a
//! draft or a person.

use super::sheets::{self, Cell, Sheet};
use super::{Page, failure, render};
use crate::http::AppState;
use crate::services::access;
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use needsdb_store::{Coverage, CoverageBy, NeedQuery};

pub struct Table {
    pub caption: String,
    pub head: Vec<String>,
    pub rows: Vec<Row>,
    /// The same figures as a table to download.
    pub sheet: Sheet,
}

pub struct Row {
    pub href: Option<String>,
    pub cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "pages/home.html")]
struct Home {
    page: Page,
    title: String,
    tables: Vec<Table>,
    /// The grouping of the last table, and the choices.
    by: String,
    groupings: Vec<(String, String)>,
}

/// The groupings the API's coverage has besides country, item and cluster.
const GROUPINGS: [(&str, CoverageBy, &str); 4] = [
    ("income_group", CoverageBy::IncomeGroup, "filter-income-group"),
    ("region", CoverageBy::Region, "filter-un-region"),
    ("who_region", CoverageBy::WhoRegion, "filter-who-region"),
    ("nam_status", CoverageBy::NamStatus, "filter-nam-status"),
];

/// A group's name in the page's language.
fn group_name(page: &Page, by: &str, group: &str) -> String {
    match by {
        "income_group" => page.t(&format!("income-{group}")),
        "nam_status" => page.t(&format!("nam-{group}")),
        "region" => super::country_list::region_name(page, Some(group)),
        _ => group.to_owned(),
    }
}

fn figures(page: &Page, c: &Coverage) -> Vec<String> {
    vec![
        page.num(&c.needed),
        page.num(&c.pledged),
        page.num(&c.committed),
        page.num(&c.delivered),
        page.num(&c.unmet),
        page.ta("percent", &[("value", page.num(&serde_json::json!(c.coverage_pct)))]),
    ]
}

/// The figures of one group as plain numbers, for the downloads.
fn sheet_row(name: String, needs: i64, c: &Coverage) -> Vec<Cell> {
    vec![
        Cell::text(name),
        Cell::int(needs),
        Cell::num(&c.needed),
        Cell::num(&c.pledged),
        Cell::num(&c.committed),
        Cell::num(&c.delivered),
        Cell::num(&c.unmet),
        Cell::num(&serde_json::json!(c.coverage_pct)),
    ]
}

fn head_keys(first: &str) -> [&str; 8] {
    [
        first,
        "col-needs",
        "col-needed",
        "col-pledged",
        "col-committed",
        "col-delivered",
        "col-unmet",
        "col-coverage",
    ]
}

fn head(page: &Page, first: &str) -> Vec<String> {
    head_keys(first).iter().map(|k| page.t(k)).collect()
}

pub async fn home(State(s): State<AppState>, page: Page, RawQuery(raw): RawQuery) -> Response {
    let fields = super::Fields::parse(raw.as_deref().unwrap_or("").as_bytes());
    let (by, grouping, by_label) = GROUPINGS
        .iter()
        .find(|(name, _, _)| *name == fields.get("by"))
        .copied()
        .unwrap_or(GROUPINGS[0]);
    let q = NeedQuery {
        scope: access::aggregate_scope(page.caller()),
        ..Default::default()
    };
    let by_country = match s.store.coverage_usd(CoverageBy::Country, &q).await {
        Ok(r) => r,
        Err(e) => return failure(page, e.into()),
    };
    let by_cluster = match s.store.coverage_usd(CoverageBy::Cluster, &q).await {
        Ok(r) => r,
        Err(e) => return failure(page, e.into()),
    };
    let by_group = match s.store.coverage_usd(grouping, &q).await {
        Ok(r) => r,
        Err(e) => return failure(page, e.into()),
    };
    let critical = NeedQuery {
        priority: Some("critical".into()),
        ..q.clone()
    };
    let mut by_item = match s.store.coverage(CoverageBy::Item, &critical).await {
        Ok(r) => r,
        Err(e) => return failure(page, e.into()),
    };
    let unmet = |c: &Coverage| c.unmet.as_f64().unwrap_or(0.0) / c.needed.as_f64().unwrap_or(1.0).max(1e-9);
    by_item.retain(|r| r.coverage.unmet.as_f64().unwrap_or(0.0) > 0.0);
    by_item.sort_by(|a, b| unmet(&b.coverage).total_cmp(&unmet(&a.coverage)));
    by_item.truncate(10);
    let tables = vec![
        Table {
            caption: page.t("coverage-by-country"),
            head: head(&page, "col-country"),
            rows: by_country
                .iter()
                .map(|r| Row {
                    href: Some(page.href(&format!("/countries/{}", r.group))),
                    cells: [
                        vec![page.country(&r.group), page.num(&serde_json::json!(r.needs))],
                        figures(&page, &r.coverage),
                    ]
                    .concat(),
                })
                .collect(),
            sheet: Sheet {
                rows: by_country
                    .iter()
                    .map(|r| sheet_row(page.country(&r.group), r.needs, &r.coverage))
                    .collect(),
                ..Sheet::new(&page, "coverage-by-country-usd", &head_keys("col-country"))
            },
        },
        Table {
            caption: page.t("coverage-by-cluster"),
            head: head(&page, "col-cluster"),
            rows: by_cluster
                .iter()
                .map(|r| Row {
                    href: None,
                    cells: [
                        vec![page.cluster(&r.group), page.num(&serde_json::json!(r.needs))],
                        figures(&page, &r.coverage),
                    ]
                    .concat(),
                })
                .collect(),
            sheet: Sheet {
                rows: by_cluster
                    .iter()
                    .map(|r| sheet_row(page.cluster(&r.group), r.needs, &r.coverage))
                    .collect(),
                ..Sheet::new(&page, "coverage-by-cluster-usd", &head_keys("col-cluster"))
            },
        },
        Table {
            caption: page.t("top-unmet"),
            head: head(&page, "col-item"),
            rows: by_item
                .iter()
                .map(|r| Row {
                    href: None,
                    cells: [
                        vec![
                            format!("{} ({})", page.item(&r.group, &r.item), page.unit_name(&r.unit)),
                            page.num(&serde_json::json!(r.needs)),
                        ],
                        figures(&page, &r.coverage),
                    ]
                    .concat(),
                })
                .collect(),
            sheet: Sheet {
                rows: by_item
                    .iter()
                    .map(|r| {
                        sheet_row(
                            format!("{} ({})", page.item(&r.group, &r.item), page.unit_name(&r.unit)),
                            r.needs,
                            &r.coverage,
                        )
                    })
                    .collect(),
                ..Sheet::new(&page, "critical-unmet", &head_keys("col-item"))
            },
        },
        Table {
            caption: page.ta1("coverage-by-group", "group", page.t(by_label)),
            head: head(&page, by_label),
            rows: by_group
                .iter()
                .map(|r| Row {
                    href: None,
                    cells: [
                        vec![group_name(&page, by, &r.group), page.num(&serde_json::json!(r.needs))],
                        figures(&page, &r.coverage),
                    ]
                    .concat(),
                })
                .collect(),
            sheet: Sheet {
                rows: by_group
                    .iter()
                    .map(|r| sheet_row(group_name(&page, by, &r.group), r.needs, &r.coverage))
                    .collect(),
                ..Sheet::new(&page, "coverage-by-group-usd", &head_keys(by_label))
            },
        },
    ];
    if let Some((n, format)) = page.download() {
        return sheets::send(page, tables.into_iter().map(|t| t.sheet).collect(), n, format);
    }
    let tpl = Home {
        title: page.t("overview-title"),
        tables,
        by: by.to_owned(),
        groupings: GROUPINGS
            .iter()
            .map(|(name, _, label)| ((*name).to_owned(), page.t(label)))
            .collect(),
        page,
    };
    render(StatusCode::OK, &tpl.page, &tpl)
}
