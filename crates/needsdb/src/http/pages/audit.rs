//! The audit check, for administrators: the chain of the audit log is
//! verified, and every record is compared with the last state the log holds
//! for it, as `needsdb audit verify` and the API do. Reading it changes
//! nothing, so it is a GET.

use super::sheets::{self, Cell, Sheet};
use super::{Page, failure, render};
use crate::http::AppState;
use crate::services::access;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

#[derive(Template)]
#[template(path = "pages/audit.html")]
struct Audit {
    page: Page,
    title: String,
    intact: bool,
    summary: String,
    first_bad: Option<String>,
    /// (entity, id, entry, differences)
    records: Vec<(String, String, i64, String)>,
}

pub async fn verify(State(s): State<AppState>, page: Page) -> Response {
    if let Err(e) = access::require(page.caller(), &access::ADMIN) {
        return failure(page, e.into());
    }
    let report = match s.store.audit_verify().await {
        Ok(r) => r,
        Err(e) => return failure(page, e.into()),
    };
    let records: Vec<(String, String, i64, String)> = report
        .records
        .iter()
        .map(|r| (r.entity.clone(), r.id.clone(), r.entry, r.differences.join("; ")))
        .collect();
    if let Some((n, format)) = page.download() {
        let mut sheet = Sheet::new(
            &page,
            "audit-mismatches",
            &["col-what", "col-id", "col-audit-entry", "col-note"],
        );
        sheet.rows = records
            .iter()
            .map(|r| {
                vec![
                    Cell::text(r.0.clone()),
                    Cell::text(r.1.clone()),
                    Cell::int(r.2),
                    Cell::text(r.3.clone()),
                ]
            })
            .collect();
        return sheets::send(page, vec![sheet], n, format);
    }
    let tpl = Audit {
        title: page.t("audit-title"),
        intact: report.first_bad.is_none() && report.records.is_empty(),
        summary: page.ta(
            "audit-summary",
            &[
                ("entries", report.entries.to_string()),
                ("records", report.records_checked.to_string()),
            ],
        ),
        first_bad: report
            .first_bad
            .as_ref()
            .map(|(id, why)| page.ta("audit-first-bad", &[("entry", id.to_string()), ("reason", why.clone())])),
        records,
        page,
    };
    render(StatusCode::OK, &tpl.page, &tpl)
}
