//! Organisations a contribution may come from or pass through (UN agencies,
//! pooled funds, NGOs…), for the secretariat: the list, and adding one.
//! States come from the reference data and are not added here.

use super::sheets::{self, Cell, Sheet};
use super::{FormState, Page, Posted, failure, render};
use crate::http::AppState;
use crate::services::access;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use needsdb_domain::OrgType;
use needsdb_store::{NewOrganisation, StoreError};

#[derive(Template)]
#[template(path = "pages/organisations.html")]
struct Organisations {
    page: Page,
    title: String,
    form: FormState,
    may_add: bool,
    /// (code, name, type)
    orgs: Vec<(String, String, String)>,
    org_types: Vec<(String, String)>,
}

async fn organisations_page(s: &AppState, mut page: Page, form: FormState) -> Response {
    if let Err(e) = access::require(page.caller(), &access::SIGNED_IN) {
        return failure(page, e.into());
    }
    let parties = match s.store.parties().await {
        Ok(p) => p,
        Err(e) => return failure(page, e.into()),
    };
    let orgs: Vec<(String, String, String)> = parties
        .into_iter()
        .filter(|p| p.kind == "organisation")
        .map(|p| (p.code, p.name, p.org_type.unwrap_or_default()))
        .collect();
    if let Some((n, format)) = page.download() {
        let mut sheet = Sheet::new(
            &page,
            "organisations",
            &["field-org-code", "field-org-name", "field-org-type"],
        );
        sheet.rows = orgs
            .iter()
            .map(|o| {
                vec![
                    Cell::text(o.0.clone()),
                    Cell::text(o.1.clone()),
                    Cell::text(o.2.clone()),
                ]
            })
            .collect();
        return sheets::send(page, vec![sheet], n, format);
    }
    let status = page.status_for(&form);
    let tpl = Organisations {
        title: page.t("organisations-title"),
        may_add: access::require(page.caller(), &access::CATALOGUE_MANAGERS).is_ok(),
        org_types: OrgType::ALL
            .iter()
            .map(|t| (t.as_str().to_owned(), t.as_str().replace('_', " ")))
            .collect(),
        orgs,
        form,
        page,
    };
    render(status, &tpl.page, &tpl)
}

pub async fn list(State(s): State<AppState>, page: Page) -> Response {
    let mut form = FormState::default();
    form.set("org_type", "ngo");
    organisations_page(&s, page, form).await
}

pub async fn add(State(s): State<AppState>, posted: Posted) -> Response {
    let Posted { page, fields } = posted;
    if let Err(e) = access::require(page.caller(), &access::CATALOGUE_MANAGERS) {
        return failure(page, e.into());
    }
    let org = NewOrganisation {
        code: fields.opt("code").map(|c| c.to_ascii_uppercase()),
        name: fields.opt("name"),
        org_type: fields.opt("org_type"),
    };
    let mut form = FormState::new(fields.into_values());
    let labels = [
        ("code", page.t("field-org-code")),
        ("name", page.t("field-org-name")),
        ("org_type", page.t("field-org-type")),
    ];
    match s.store.add_organisation(&page.actor(), &org).await {
        Ok(_) => page.done("/organisations", "organisation-added"),
        Err(StoreError::Invalid(inv)) => {
            form.add_invalid(page.lang, &inv, &labels, "code");
            organisations_page(&s, page, form).await
        }
        Err(StoreError::Conflict(m)) => {
            form.add(
                "code",
                page.ta("err-other", &[("field", page.t("field-org-code")), ("message", m)]),
            );
            organisations_page(&s, page, form).await
        }
        Err(e) => failure(page, e.into()),
    }
}
