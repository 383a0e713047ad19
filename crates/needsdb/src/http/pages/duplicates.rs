//! Suspected duplicates, for the secretariat: pairs of contributions that
//! look like one flow reported twice, each with the button that merges the
//! later report into the one kept (both histories stay).

use super::sheets::{self, Cell, Sheet};
use super::{Page, Posted, failure, render};
use crate::http::AppState;
use crate::services::contributions;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

/// (keep, duplicate, kind, donor → recipient, what, quantities, days apart, reporters, may merge)
type Line = (i64, i64, String, String, String, String, i64, String);

#[derive(Template)]
#[template(path = "pages/duplicates.html")]
struct Duplicates {
    page: Page,
    title: String,
    pairs: Vec<Line>,
    may_merge: bool,
}

pub async fn list(State(s): State<AppState>, page: Page) -> Response {
    let pairs = match contributions::reconciliation(&*s.store, page.caller(), 0.05, 30).await {
        Ok(p) => p,
        Err(e) => return failure(page, e),
    };
    if let Some((n, format)) = page.download() {
        let mut sheet = Sheet::new(
            &page,
            "duplicates",
            &[
                "col-kept",
                "col-duplicate",
                "col-what",
                "col-donor",
                "col-recipient",
                "col-item",
                "col-quantity",
                "col-quantity",
                "col-days-apart",
                "col-who",
            ],
        );
        sheet.rows = pairs
            .iter()
            .map(|p| {
                vec![
                    Cell::int(p.keep),
                    Cell::int(p.duplicate),
                    Cell::text(page.t(&format!("pair-{}", p.kind))),
                    Cell::text(page.country(&p.donor)),
                    Cell::text(page.country(&p.recipient)),
                    Cell::text(p.what.clone()),
                    Cell::num(&p.quantities[0]),
                    Cell::num(&p.quantities[1]),
                    Cell::int(p.days_apart),
                    Cell::text(p.reported_by.join(" / ")),
                ]
            })
            .collect();
        return sheets::send(page, vec![sheet], n, format);
    }
    let tpl = Duplicates {
        title: page.t("duplicates-title"),
        may_merge: contributions::may_merge(page.caller()),
        pairs: pairs
            .iter()
            .map(|p| {
                (
                    p.keep,
                    p.duplicate,
                    page.t(&format!("pair-{}", p.kind)),
                    format!("{} → {}", page.country(&p.donor), page.country(&p.recipient)),
                    p.what.clone(),
                    format!("{} / {}", page.num(&p.quantities[0]), page.num(&p.quantities[1])),
                    p.days_apart,
                    p.reported_by.join(" / "),
                )
            })
            .collect(),
        page,
    };
    render(StatusCode::OK, &tpl.page, &tpl)
}

pub async fn merge(State(s): State<AppState>, posted: Posted) -> Response {
    let Posted { page, fields } = posted;
    let (Ok(keep), Ok(duplicate)) = (
        fields.get("keep").parse::<i64>(),
        fields.get("duplicate").parse::<i64>(),
    ) else {
        return super::message(
            page,
            StatusCode::UNPROCESSABLE_ENTITY,
            "duplicates-title",
            "not-found-text",
        );
    };
    match contributions::merge(&*s.store, page.caller(), &page.actor(), keep, duplicate).await {
        Ok(_) => page.done("/duplicates", "merged"),
        Err(e) => failure(page, e),
    }
}
