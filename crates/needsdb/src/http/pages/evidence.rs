//! Evidence in pages: a link or a small file (a PDF assessment, a signed
//! delivery note) added to a need or to a contribution's delivery, with the
//! same checks and rules as the API (`services::evidence`).

use super::{FormState, Page, Posted, PostedParts, failure, forged};
use crate::http::AppState;
use crate::services::{Failure, evidence};
use axum::extract::{Path, State};
use axum::response::Response;
use needsdb_domain::evidence::{MAX_FILE_BYTES, NewEvidenceLink, validate_file};
use needsdb_store::StoreError;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct IdPath {
    #[allow(dead_code)]
    lang: String,
    id: i64,
}

/// Which record a route adds to, by its path.
fn entity(page: &Page) -> &'static str {
    if page.rest.starts_with("/needs/") {
        "need"
    } else {
        "contribution"
    }
}

fn back(entity: &str, id: i64) -> String {
    format!("/{}s/{id}", entity)
}

/// Shows the record again with the form's problems.
async fn again(s: &AppState, page: Page, entity: &str, id: i64, form: FormState) -> Response {
    if entity == "need" {
        super::needs::show_need(s.clone(), page, id, form).await
    } else {
        super::contributions::show_contribution(s, page, id, form).await
    }
}

fn labels(page: &Page) -> Vec<(&'static str, String)> {
    vec![
        ("url", page.t("field-evidence-url")),
        ("title", page.t("field-evidence-title")),
        ("file", page.t("field-file")),
    ]
}

pub async fn add_link(State(s): State<AppState>, Path(p): Path<IdPath>, posted: Posted) -> Response {
    let Posted { page, fields } = posted;
    let kind = entity(&page);
    let link = NewEvidenceLink {
        url: fields.opt("url"),
        title: fields.opt("title"),
    };
    let result = match link.validate() {
        Ok(e) => evidence::add(&*s.store, page.caller(), &page.actor(), kind, p.id, &e).await,
        Err(inv) => Err(Failure::Store(StoreError::Invalid(inv))),
    };
    match result {
        Ok(_) => page.done(&back(kind, p.id), "evidence-added"),
        Err(Failure::Store(StoreError::Invalid(inv))) => {
            let mut form = FormState::new(fields.into_values());
            form.add_invalid(page.lang, &inv, &labels(&page), "url");
            again(&s, page, kind, p.id, form).await
        }
        Err(e) => failure(page, e),
    }
}

pub async fn add_file(State(s): State<AppState>, Path(p): Path<IdPath>, posted: PostedParts) -> Response {
    let PostedParts {
        page,
        parts: mut multipart,
    } = posted;
    let kind = entity(&page);
    let (mut csrf, mut title, mut file) = (String::new(), String::new(), None);
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                let mut form = FormState::default();
                form.add("file", page.ta1("error-evidence-file", "size", "5 MiB"));
                return again(&s, page, kind, p.id, form).await;
            }
        };
        match field.name().unwrap_or_default() {
            "csrf" => csrf = field.text().await.unwrap_or_default(),
            "title" => title = field.text().await.unwrap_or_default(),
            "file" => {
                if !page.token_ok(&csrf) {
                    return forged(page);
                }
                let name = field.file_name().unwrap_or_default().to_owned();
                let declared = field.content_type().unwrap_or_default().to_owned();
                match field.bytes().await {
                    Ok(b) if b.len() <= MAX_FILE_BYTES => file = Some((name, declared, b.to_vec())),
                    _ => {
                        let mut form = FormState::default();
                        form.add("file", page.ta1("error-evidence-file", "size", "5 MiB"));
                        return again(&s, page, kind, p.id, form).await;
                    }
                }
            }
            _ => {}
        }
    }
    if !page.token_ok(&csrf) {
        return forged(page);
    }
    let Some((name, declared, bytes)) = file.filter(|(_, _, b)| !b.is_empty()) else {
        let mut form = FormState::default();
        form.add("file", page.t("error-file-missing"));
        return again(&s, page, kind, p.id, form).await;
    };
    let title = Some(title.trim().to_owned()).filter(|t| !t.is_empty());
    let result = match validate_file(&name, &declared, bytes, title.as_deref()) {
        Ok(e) => evidence::add(&*s.store, page.caller(), &page.actor(), kind, p.id, &e).await,
        Err(inv) => Err(Failure::Store(StoreError::Invalid(inv))),
    };
    match result {
        Ok(_) => page.done(&back(kind, p.id), "evidence-added"),
        Err(Failure::Store(StoreError::Invalid(inv))) => {
            let mut form = FormState::default();
            form.add_invalid(page.lang, &inv, &labels(&page), "file");
            again(&s, page, kind, p.id, form).await
        }
        Err(e) => failure(page, e),
    }
}
