//! API tokens, for anyone signed in: a script (a ministry's spreadsheet
//! upload, a donor's reporting system) uses one instead of a password. The
//! token is shown once; only its hash is kept. Revoking one ends it at once.

use super::sheets::{self, Cell, Sheet};
use super::{FormState, Page, Posted, failure, render};
use crate::http::AppState;
use crate::services::{Failure, accounts};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use needsdb_store::StoreError;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct IdPath {
    #[allow(dead_code)]
    lang: String,
    id: i64,
}

/// (id, name, start, created, expires, revoked)
type Line = (i64, String, String, String, String, bool);

#[derive(Template)]
#[template(path = "pages/tokens.html")]
struct Tokens {
    page: Page,
    title: String,
    form: FormState,
    tokens: Vec<Line>,
    secret: Option<String>,
}

async fn tokens_page(s: &AppState, mut page: Page, form: FormState, secret: Option<String>) -> Response {
    let Some(me) = page.user.clone() else {
        return page.see_other("/sign-in");
    };
    let tokens = match s.store.tokens(Some(me.id)).await {
        Ok(t) => t,
        Err(e) => return failure(page, e.into()),
    };
    if let Some((n, format)) = page.download() {
        let mut sheet = Sheet::new(
            &page,
            "tokens",
            &[
                "field-token-name",
                "col-token-start",
                "col-date",
                "col-token-expires",
                "col-status",
            ],
        );
        sheet.rows = tokens
            .iter()
            .map(|t| {
                vec![
                    Cell::text(t.name.clone()),
                    Cell::text(t.prefix.clone()),
                    Cell::Date(t.created_at.date_naive()),
                    t.expires_at.map_or(Cell::text(""), |d| Cell::Date(d.date_naive())),
                    Cell::text(if t.revoked {
                        page.t("token-revoked")
                    } else {
                        String::new()
                    }),
                ]
            })
            .collect();
        return sheets::send(page, vec![sheet], n, format);
    }
    let status = page.status_for(&form);
    let tpl = Tokens {
        title: page.t("tokens-title"),
        tokens: tokens
            .iter()
            .map(|t| {
                (
                    t.id,
                    t.name.clone(),
                    t.prefix.clone(),
                    page.date(t.created_at.date_naive()),
                    t.expires_at.map(|d| page.date(d.date_naive())).unwrap_or_default(),
                    t.revoked,
                )
            })
            .collect(),
        secret,
        form,
        page,
    };
    let mut r = render(status, &tpl.page, &tpl);
    if tpl.secret.is_some() {
        r.headers_mut().insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
    }
    r
}

pub async fn list(State(s): State<AppState>, page: Page) -> Response {
    tokens_page(&s, page, FormState::default(), None).await
}

pub async fn create(State(s): State<AppState>, posted: Posted) -> Response {
    let Posted { page, fields } = posted;
    let Some(me) = page.user.clone() else {
        return page.see_other("/sign-in");
    };
    let mut form = FormState::new(fields.clone().into_values());
    let name = fields.get("name").trim().to_owned();
    if name.is_empty() {
        form.add(
            "name",
            page.ta("err-required", &[("field", page.t("field-token-name").to_lowercase())]),
        );
    }
    let days = match fields.opt("expires_in_days").map(|d| d.parse::<i64>()) {
        None => None,
        Some(Ok(d)) => Some(d),
        Some(Err(_)) => {
            form.add(
                "expires_in_days",
                page.ta(
                    "err-not_a_number",
                    &[("field", page.t("field-token-days").to_lowercase())],
                ),
            );
            None
        }
    };
    if !form.errors.is_empty() {
        return tokens_page(&s, page, form, None).await;
    }
    match accounts::create_token(s.store.as_ref(), &page.actor(), me.id, &name, days).await {
        Ok((token, _)) => tokens_page(&s, page, FormState::default(), Some(token)).await,
        Err(StoreError::Invalid(inv)) => {
            let labels = [
                ("name", page.t("field-token-name")),
                ("expires_in_days", page.t("field-token-days")),
            ];
            form.add_invalid(page.lang, &inv, &labels, "name");
            tokens_page(&s, page, form, None).await
        }
        Err(e) => failure(page, Failure::Store(e)),
    }
}

pub async fn revoke(State(s): State<AppState>, Path(p): Path<IdPath>, posted: Posted) -> Response {
    let Posted { page, .. } = posted;
    match accounts::revoke_token(s.store.as_ref(), page.caller(), &page.actor(), p.id).await {
        Ok(_) => page.done("/tokens", "token-revoked-notice"),
        Err(e) => failure(page, e),
    }
}
