//! The overview anyone may read: aggregates only (coverage by member state
//! and by cluster, and the critical needs with the largest gaps), never a
//! draft or a person.

use super::{Page, failure, render};
use crate::http::AppState;
use crate::services::access;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use needsdb_store::{Coverage, CoverageBy, NeedQuery};

pub struct Table {
    pub caption: String,
    pub head: Vec<String>,
    pub rows: Vec<Row>,
    /// The same figures as CSV, from the API (the query without `format`).
    pub download: Option<String>,
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

fn head(page: &Page, first: &str) -> Vec<String> {
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
    .iter()
    .map(|k| page.t(k))
    .collect()
}

pub async fn home(State(s): State<AppState>, page: Page) -> Response {
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
            download: Some("/api/v1/coverage?by=country&measure=usd".into()),
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
            download: Some("/api/v1/coverage?by=cluster&measure=usd".into()),
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
                            format!("{} ({})", page.item(&r.group, &r.item), r.unit),
                            page.num(&serde_json::json!(r.needs)),
                        ],
                        figures(&page, &r.coverage),
                    ]
                    .concat(),
                })
                .collect(),
            download: Some("/api/v1/coverage?by=item&priority=critical".into()),
        },
    ];
    let tpl = Home {
        title: page.t("overview-title"),
        tables,
        page,
    };
    render(StatusCode::OK, &tpl.page, &tpl)
}
