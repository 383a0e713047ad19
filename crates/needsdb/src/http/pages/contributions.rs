//! Contributions in pages: a partner pledges against a need and moves its
//! contribution through the stages; the recipient confirms what arrived,
//! all of it or a part.

use super::{Fields, FormState, Page, Posted, failure, render};
use crate::http::AppState;
use crate::services::{self, Failure};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use needsdb_domain::{NewContribution, NewDelivery, NewLink, Stage, StageChange};
use needsdb_store::{Contribution, Need, StoreError};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct IdPath {
    #[allow(dead_code)]
    lang: String,
    id: i64,
}

#[derive(Template)]
#[template(path = "pages/pledge.html")]
struct Pledge {
    page: Page,
    title: String,
    form: FormState,
    need: Need,
    need_label: String,
    stages: Vec<(String, String)>,
}

async fn pledge_page(s: &AppState, mut page: Page, id: i64, form: FormState) -> Response {
    let need = match services::needs::visible(&*s.store, page.caller(), id).await {
        Ok(n) => n,
        Err(e) => return failure(page, e),
    };
    let status = if form.errors.is_empty() {
        StatusCode::OK
    } else {
        page.failed = true;
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let tpl = Pledge {
        title: page.ta("pledge-title", &[("id", id.to_string())]),
        need_label: format!(
            "{} – {} {} {}",
            page.country(&need.country),
            page.num(&need.quantity),
            need.unit,
            page.item(&need.item, &need.item_name)
        ),
        stages: [Stage::Announced, Stage::Pledged, Stage::Committed]
            .iter()
            .map(|st| (st.as_str().to_owned(), page.t(&format!("stage-{}", st.as_str()))))
            .collect(),
        need,
        form,
        page,
    };
    render(status, &tpl.page, &tpl)
}

pub async fn pledge_form(State(s): State<AppState>, page: Page, Path(p): Path<IdPath>) -> Response {
    let mut form = FormState::default();
    form.set("stage", "pledged");
    if let Some(org) = page.user.as_ref().and_then(|u| u.org.clone()) {
        form.set("donor", org);
    }
    pledge_page(&s, page, p.id, form).await
}

fn labels(page: &Page) -> Vec<(&'static str, String)> {
    [
        ("quantity", "field-quantity"),
        ("stage", "field-stage"),
        ("stage_date", "field-stage-date"),
        ("description", "field-description"),
        ("donor", "field-donor"),
    ]
    .into_iter()
    .map(|(f, k)| (f, page.t(k)))
    .collect()
}

pub async fn pledge(State(s): State<AppState>, Path(p): Path<IdPath>, posted: Posted) -> Response {
    let Posted { page, fields } = posted;
    let need = match services::needs::visible(&*s.store, page.caller(), p.id).await {
        Ok(n) => n,
        Err(e) => return failure(page, e),
    };
    let quantity = fields.number("quantity", page.lang);
    let input = NewContribution {
        donor: page
            .user
            .as_ref()
            .and_then(|u| u.org.clone())
            .or_else(|| fields.opt("donor")),
        recipient: Some(need.country.clone()),
        item: Some(need.item.clone()),
        quantity: quantity.clone(),
        stage: fields.opt("stage"),
        stage_date: fields.opt("stage_date"),
        description: fields.opt("description"),
        links: vec![NewLink {
            need: Some(need.id),
            quantity,
        }],
        ..Default::default()
    };
    match services::contributions::create(&*s.store, page.caller(), &page.actor(), &input).await {
        Ok(c) => page.done(&format!("/contributions/{}", c.id), "contribution-created"),
        Err(Failure::Store(StoreError::Invalid(inv))) => {
            let mut form = FormState::new(fields.into_values());
            form.add_invalid(page.lang, &inv, &labels(&page), "quantity");
            pledge_page(&s, page, p.id, form).await
        }
        Err(e) => failure(page, e),
    }
}

#[derive(Template)]
#[template(path = "pages/contribution.html")]
struct Show {
    page: Page,
    title: String,
    c: Contribution,
    form: FormState,
    donor: String,
    recipient: String,
    quantity: String,
    stage: String,
    outstanding: Option<String>,
    /// (stage, label)
    moves: Vec<(String, String)>,
    may_confirm: bool,
    /// (date, stage, note)
    events: Vec<(String, String, String)>,
    /// (date, quantity, note)
    deliveries: Vec<(String, String, String)>,
    /// (title, address, what it is)
    evidence: Vec<(String, String, String)>,
    may_add_evidence: bool,
    /// Where the evidence forms post (`/files` for a file).
    evidence_action: String,
}

pub(super) async fn show_contribution(s: &AppState, mut page: Page, id: i64, form: FormState) -> Response {
    let c = match services::contributions::get(&*s.store, page.caller(), id).await {
        Ok(c) => c,
        Err(e) => return failure(page, e),
    };
    let evidence = match services::evidence::list(&*s.store, page.caller(), "contribution", id).await {
        Ok(e) => super::evidence_lines(&e),
        Err(e) => return failure(page, e),
    };
    let may_add_evidence = services::evidence::may_add_to_contribution(&*s.store, page.caller(), id)
        .await
        .is_ok();
    let status = if form.errors.is_empty() {
        StatusCode::OK
    } else {
        page.failed = true;
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let tpl = Show {
        title: page.ta("contribution-title", &[("id", id.to_string())]),
        donor: page.country(&c.donor),
        recipient: page.country(&c.recipient),
        quantity: format!("{} {}", page.num(&c.quantity), c.unit),
        stage: page.t(&format!("stage-{}", c.stage.as_str())),
        outstanding: c
            .outstanding
            .as_ref()
            .filter(|o| o.as_f64().is_some_and(|v| v > 0.0))
            .map(|o| page.ta("outstanding", &[("quantity", format!("{} {}", page.num(o), c.unit))])),
        moves: services::contributions::moves_for(page.caller(), &c)
            .iter()
            .map(|st| (st.as_str().to_owned(), page.t(&format!("stage-{}", st.as_str()))))
            .collect(),
        may_confirm: services::contributions::may_confirm_delivery(page.caller(), &c),
        events: c
            .events
            .iter()
            .map(|e| {
                (
                    page.date(e.date),
                    page.t(&format!("stage-{}", e.to.as_str())),
                    e.note.clone(),
                )
            })
            .collect(),
        deliveries: c
            .deliveries
            .iter()
            .map(|d| {
                (
                    page.date(d.date),
                    format!("{} {}", page.num(&d.quantity), c.unit),
                    d.note.clone(),
                )
            })
            .collect(),
        evidence,
        may_add_evidence,
        evidence_action: page.href(&format!("/contributions/{id}/evidence")),
        c,
        form,
        page,
    };
    render(status, &tpl.page, &tpl)
}

pub async fn show(State(s): State<AppState>, page: Page, Path(p): Path<IdPath>) -> Response {
    show_contribution(&s, page, p.id, FormState::default()).await
}

pub async fn advance(State(s): State<AppState>, Path(p): Path<IdPath>, posted: Posted) -> Response {
    let Posted { page, fields } = posted;
    let change = StageChange {
        to: fields.opt("to"),
        date: fields.opt("date"),
        note: fields.opt("note"),
        source_url: None,
    };
    let expected = fields.get("version").parse().ok();
    match services::contributions::advance(&*s.store, page.caller(), &page.actor(), p.id, expected, &change).await {
        Ok(_) => page.see_other(&format!("/contributions/{}", p.id)),
        Err(e) => form_failure(&s, page, p.id, fields, e, "date").await,
    }
}

async fn form_failure(s: &AppState, page: Page, id: i64, fields: Fields, e: Failure, first: &str) -> Response {
    let mut form = FormState::new(fields.into_values());
    match e {
        Failure::Store(StoreError::Invalid(inv)) => {
            let labels = [
                ("quantity", page.t("field-delivered-quantity")),
                ("date", page.t("field-delivered-on")),
                ("note", page.t("field-note")),
                ("to", page.t("field-stage")),
            ];
            form.add_invalid(page.lang, &inv, &labels, first);
        }
        Failure::Store(StoreError::VersionMismatch { .. }) => form.add(first, page.t("error-stale")),
        other => return failure(page, other),
    }
    show_contribution(s, page, id, form).await
}

pub async fn deliver(State(s): State<AppState>, Path(p): Path<IdPath>, posted: Posted) -> Response {
    let Posted { page, fields } = posted;
    let delivery = NewDelivery {
        quantity: fields.number("quantity", page.lang),
        date: fields.opt("date"),
        note: fields.opt("note"),
        source_url: None,
    };
    let expected = fields.get("version").parse().ok();
    match services::contributions::deliver(&*s.store, page.caller(), &page.actor(), p.id, expected, &delivery).await {
        Ok(_) => page.done(&format!("/contributions/{}", p.id), "delivery-confirmed"),
        Err(e) => form_failure(&s, page, p.id, fields, e, "quantity").await,
    }
}
