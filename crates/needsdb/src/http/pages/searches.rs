//! Saved searches: a partner (or anyone signed in) keeps the needs list's
//! filters and follows the newly validated needs that match in a feed
//! reader. The feed's address is shown once. Rules: `services::searches`.

use super::sheets::{self, Cell, Sheet};
use super::{Fields, FormState, Page, Posted, failure, render};
use crate::http::AppState;
use crate::services::Failure;
use crate::services::searches::{self, SearchQuery};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use needsdb_store::StoreError;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct IdPath {
    #[allow(dead_code)]
    lang: String,
    id: i64,
}

/// (id, name, filters, saved on)
type Line = (i64, String, String, String);

#[derive(Template)]
#[template(path = "pages/searches.html")]
struct Searches {
    page: Page,
    title: String,
    form: FormState,
    searches: Vec<Line>,
    feed: Option<String>,
}

/// The filters a search keeps, as the needs list's query names them.
pub(super) const KEPT: [&str; 8] = [
    "country",
    "nam_status",
    "region",
    "who_region",
    "income_group",
    "cluster",
    "item",
    "priority",
];

fn filters_text(page: &Page, q: &serde_json::Value) -> String {
    if searches::is_notifications(q) {
        return page.t("feed-of-notifications");
    }
    KEPT.iter()
        .filter_map(|k| q.get(*k).and_then(|v| v.as_str()).map(|v| format!("{k}={v}")))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn searches_page(s: &AppState, mut page: Page, form: FormState, feed: Option<String>) -> Response {
    if page.user.is_none() {
        return page.see_other("/sign-in");
    }
    let found = match searches::mine(s.store.as_ref(), page.caller()).await {
        Ok(f) => f,
        Err(e) => return failure(page, e),
    };
    if let Some((n, format)) = page.download() {
        let mut sheet = Sheet::new(&page, "searches", &["field-search-name", "col-filters", "col-date"]);
        sheet.rows = found
            .iter()
            .map(|x| {
                vec![
                    Cell::text(x.name.clone()),
                    Cell::text(filters_text(&page, &x.query)),
                    Cell::Date(x.created_at.date_naive()),
                ]
            })
            .collect();
        return sheets::send(page, vec![sheet], n, format);
    }
    let status = page.status_for(&form);
    let tpl = Searches {
        title: page.t("searches-title"),
        searches: found
            .iter()
            .map(|x| {
                (
                    x.id,
                    x.name.clone(),
                    filters_text(&page, &x.query),
                    page.date(x.created_at.date_naive()),
                )
            })
            .collect(),
        feed,
        form,
        page,
    };
    let mut r = render(status, &tpl.page, &tpl);
    if tpl.feed.is_some() {
        r.headers_mut().insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
    }
    r
}

pub async fn list(State(s): State<AppState>, page: Page) -> Response {
    searches_page(&s, page, FormState::default(), None).await
}

/// Saves the filters the needs list sent (hidden fields) under a name.
pub async fn save(State(s): State<AppState>, headers: HeaderMap, posted: Posted) -> Response {
    let Posted { page, fields } = posted;
    let opt = |k: &str| Fields::opt(&fields, k);
    let query = SearchQuery {
        country: opt("country").map(|c| c.to_ascii_uppercase()),
        nam_status: opt("nam_status"),
        region: opt("region"),
        who_region: opt("who_region"),
        income_group: opt("income_group"),
        cluster: opt("cluster"),
        item: opt("item").map(|c| c.to_ascii_uppercase()),
        priority: opt("priority"),
    };
    let mut form = FormState::new(fields.clone().into_values());
    let Some(name) = opt("search_name") else {
        form.add(
            "search_name",
            page.ta("err-required", &[("field", page.t("field-search-name").to_lowercase())]),
        );
        return searches_page(&s, page, form, None).await;
    };
    match searches::save(s.store.as_ref(), page.caller(), &page.actor(), &name, &query).await {
        Ok((_, path)) => {
            let base = crate::http::routes::notifications::public_base(&headers);
            searches_page(&s, page, FormState::default(), Some(format!("{base}{path}"))).await
        }
        Err(Failure::Store(StoreError::Invalid(inv))) => {
            let labels = [("search_name", page.t("field-search-name"))];
            form.add_invalid(page.lang, &inv, &labels, "search_name");
            searches_page(&s, page, form, None).await
        }
        Err(e) => failure(page, e),
    }
}

/// A feed of the signed-in user's own notifications (shown once).
pub async fn follow_notifications(State(s): State<AppState>, headers: HeaderMap, posted: Posted) -> Response {
    let Posted { page, .. } = posted;
    match searches::follow_notifications(s.store.as_ref(), page.caller(), &page.actor()).await {
        Ok((_, path)) => {
            let base = crate::http::routes::notifications::public_base(&headers);
            searches_page(&s, page, FormState::default(), Some(format!("{base}{path}"))).await
        }
        Err(e) => failure(page, e),
    }
}

pub async fn forget(State(s): State<AppState>, Path(p): Path<IdPath>, posted: Posted) -> Response {
    let Posted { page, .. } = posted;
    match searches::forget(s.store.as_ref(), page.caller(), &page.actor(), p.id).await {
        Ok(()) => page.done("/searches", "search-forgotten"),
        Err(e) => failure(page, e),
    }
}
