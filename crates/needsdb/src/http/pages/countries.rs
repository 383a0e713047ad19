//! A country's page: its needs with their coverage and, for those signed
//! in, the contributions to it and what arrived. It prints on A4.
//! Without signing in it shows the shared needs only, as the overview does.

use super::sheets::{self, Cell, Sheet};
use super::{Page, failure, render};
use crate::http::AppState;
use crate::services::access;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use needsdb_store::{ContributionQuery, NeedQuery};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct CountryPath {
    #[allow(dead_code)]
    lang: String,
    iso3: String,
}

#[derive(Template)]
#[template(path = "pages/country.html")]
struct Country {
    page: Page,
    title: String,
    iso3: String,
    signed_in: bool,
    needs: Vec<super::needs::NeedRow>,
    contributions_title: String,
    /// Each need's coverage as a bar of 100 %.
    chart: String,
    stack_legend: Vec<(&'static str, String)>,
    /// (id, donor, quantity, stage, delivered)
    contributions: Vec<(i64, String, String, String, String)>,
}

pub async fn show(State(s): State<AppState>, page: Page, Path(p): Path<CountryPath>) -> Response {
    let iso3 = p.iso3.to_ascii_uppercase();
    let name = page.country(&iso3);
    if name == iso3 {
        return failure(page, needsdb_store::StoreError::not_found("country", &iso3).into());
    }
    // Everyone sees what the overview counts; a signed-in caller its own scope.
    let q = NeedQuery {
        country: Some(iso3.clone()),
        scope: access::aggregate_scope(page.caller()),
        limit: Some(needsdb_store::MAX_PAGE),
        ..Default::default()
    };
    let needs = match s.store.needs(&q).await {
        Ok(p) => p.items,
        Err(e) => return failure(page, e.into()),
    };
    let signed_in = page.user.is_some();
    let found = if signed_in {
        let q = ContributionQuery {
            recipient: Some(iso3.clone()),
            limit: Some(needsdb_store::MAX_PAGE),
            ..Default::default()
        };
        match s.store.contributions(&q).await {
            Ok(p) => p.items,
            Err(e) => return failure(page, e.into()),
        }
    } else {
        Vec::new()
    };
    if let Some((n, format)) = page.download() {
        let mut a = Sheet::new(
            &page,
            "country-needs",
            &[
                "col-id",
                "col-item",
                "col-quantity",
                "col-unit",
                "col-priority",
                "col-needed-by",
                "col-status",
                "col-coverage",
            ],
        );
        a.rows = needs
            .iter()
            .map(|x| {
                vec![
                    Cell::int(x.id),
                    Cell::text(page.item(&x.item, &x.item_name)),
                    Cell::num(&x.quantity),
                    Cell::text(x.unit.clone()),
                    Cell::text(page.t(&format!("priority-{}", x.priority.as_str()))),
                    Cell::Date(x.needed_by),
                    Cell::text(page.t(&format!("status-{}", x.status.as_str()))),
                    Cell::num(&serde_json::json!(x.coverage.coverage_pct)),
                ]
            })
            .collect();
        let mut b = Sheet::new(
            &page,
            "country-contributions",
            &[
                "col-id",
                "col-donor",
                "col-quantity",
                "col-unit",
                "col-stage",
                "col-delivered",
            ],
        );
        b.rows = found
            .iter()
            .map(|c| {
                vec![
                    Cell::int(c.id),
                    Cell::text(page.country(&c.donor)),
                    Cell::num(&c.quantity),
                    Cell::text(c.unit.clone()),
                    Cell::text(page.t(&format!("stage-{}", c.stage.as_str()))),
                    Cell::num(&c.delivered),
                ]
            })
            .collect();
        return sheets::send(page, vec![a, b], n, format);
    }
    let stack_keys = ["stack-delivered", "stack-pipeline", "stack-promised", "stack-unmet"];
    // The first 25 needs: a chart longer than a printed page says no more.
    let stacks: Vec<super::charts::Stack> = needs
        .iter()
        .take(25)
        .map(|n| {
            let p = super::charts::parts(&n.coverage);
            let total: f64 = p.iter().sum::<f64>().max(1e-9);
            let label = format!("{} · {}", page.need_title(n.id), page.item(&n.item, &n.item_name));
            super::charts::Stack {
                titles: p
                    .iter()
                    .zip(stack_keys)
                    .map(|(v, k)| format!("{label}, {}: {}", page.t(k), page.qty(&serde_json::json!(v), &n.unit)))
                    .collect(),
                values: p.iter().map(|v| v / total * 100.0).collect(),
                label,
            }
        })
        .collect();
    let dir = if page.lang.dir() == "rtl" {
        super::charts::Direction::Rtl
    } else {
        super::charts::Direction::Ltr
    };
    let chart = if stacks.is_empty() {
        String::new()
    } else {
        super::charts::stacked_bars(
            "needs",
            &page.ta("country-chart-title", &[("country", name.clone())]),
            &page.t("clusters-desc"),
            &stacks,
            dir,
        )
    };
    let stack_legend = super::charts::STACK_COLOURS
        .iter()
        .copied()
        .zip(stack_keys.iter().map(|k| page.t(k)))
        .collect();
    let needs = needs.iter().map(|n| super::needs::row(&page, n)).collect();
    let contributions = found
        .iter()
        .map(|c| {
            (
                c.id,
                page.country(&c.donor),
                page.qty(&c.quantity, &c.unit),
                page.t(&format!("stage-{}", c.stage.as_str())),
                page.num(&c.delivered),
            )
        })
        .collect();
    let tpl = Country {
        title: page.ta("country-title", &[("country", name.clone())]),
        contributions_title: page.ta("country-contributions", &[("country", name)]),
        chart,
        stack_legend,
        iso3,
        signed_in,
        needs,
        contributions,
        page,
    };
    render(StatusCode::OK, &tpl.page, &tpl)
}
