//! Contributions in pages: a partner pledges against a need and moves its
//! contribution through the stages; the recipient confirms what arrived,
//! all of it or a part.

use super::sheets::{self, Cell, Sheet};
use super::{Fields, FormState, Page, Posted, failure, message, render};
use crate::http::AppState;
use crate::services::{self, Failure};
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use needsdb_domain::{
    ContributionEdit, NewContribution, NewDelivery, NewEarmark, NewLink, Stage, StageChange, decimal,
};
use needsdb_store::{Contribution, Need, StoreError};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct IdPath {
    #[allow(dead_code)]
    lang: String,
    id: i64,
}

/// The most needs one pledge form takes: a page a person can still read.
const MAX_PLEDGE_NEEDS: usize = 50;

#[derive(Template)]
#[template(path = "pages/pledge.html")]
struct Pledge {
    page: Page,
    title: String,
    form: FormState,
    /// (need id, its label, the quantity field's name and label)
    needs: Vec<(i64, String, String, String)>,
    stages: Vec<(String, String)>,
}

/// The needs a pledge form names (`need=…`, once or many times), each
/// visible to the caller. A pledge carries one item to one country, as the
/// API's links do, so the needs must share both.
async fn pledged_needs(s: &AppState, page: &Page, fields: &Fields) -> Result<Vec<Need>, &'static str> {
    let mut ids: Vec<i64> = Vec::new();
    for v in fields.all("need") {
        let id = v.trim().parse::<i64>().map_err(|_| "pledge-none")?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if ids.is_empty() {
        return Err("pledge-none");
    }
    if ids.len() > MAX_PLEDGE_NEEDS {
        return Err("pledge-too-many");
    }
    let mut needs = Vec::with_capacity(ids.len());
    for id in ids {
        match services::needs::visible(&*s.store, page.caller(), id).await {
            Ok(n) => needs.push(n),
            Err(_) => return Err("pledge-none"),
        }
    }
    if needs
        .iter()
        .any(|n| n.country != needs[0].country || n.item != needs[0].item)
    {
        return Err("pledge-mixed");
    }
    Ok(needs)
}

fn quantity_field(id: i64) -> String {
    format!("quantity_{id}")
}

fn quantity_label(page: &Page, needs: &[Need], id: i64) -> String {
    if needs.len() == 1 {
        page.t("field-quantity")
    } else {
        page.ta("field-quantity-for", &[("need", page.need_title(id))])
    }
}

fn pledge_page(mut page: Page, needs: &[Need], form: FormState) -> Response {
    let status = page.status_for(&form);
    let tpl = Pledge {
        title: if needs.len() == 1 {
            page.ta("pledge-title", &[("id", needs[0].id.to_string())])
        } else {
            page.ta("pledge-several-title", &[("count", needs.len().to_string())])
        },
        needs: needs
            .iter()
            .map(|n| {
                let label = format!(
                    "{} – {} {} ({})",
                    page.country(&n.country),
                    page.qty(&n.quantity, &n.unit),
                    page.item(&n.item, &n.item_name),
                    page.need_title(n.id)
                );
                (n.id, label, quantity_field(n.id), quantity_label(&page, needs, n.id))
            })
            .collect(),
        stages: [Stage::Announced, Stage::Pledged, Stage::Committed]
            .iter()
            .map(|st| (st.as_str().to_owned(), page.t(&format!("stage-{}", st.as_str()))))
            .collect(),
        form,
        page,
    };
    render(status, &tpl.page, &tpl)
}

fn blank_pledge(page: &Page, needs: &[Need]) -> FormState {
    let mut form = FormState::default();
    form.set("stage", "pledged");
    if let Some(org) = page.user.as_ref().and_then(|u| u.org.clone()) {
        form.set("donor", org);
    }
    // Offered: what is still unmet of each need, when there are several.
    if needs.len() > 1 {
        for n in needs {
            if let Some(unmet) = n
                .coverage
                .unmet
                .as_str()
                .map(str::to_owned)
                .or_else(|| n.coverage.unmet.as_number().map(|v| v.to_string()))
            {
                form.set(&quantity_field(n.id), unmet);
            }
        }
    }
    form
}

/// The pledge form for one need.
pub async fn pledge_form(State(s): State<AppState>, page: Page, Path(p): Path<IdPath>) -> Response {
    let need = match services::needs::visible(&*s.store, page.caller(), p.id).await {
        Ok(n) => n,
        Err(e) => return failure(page, e),
    };
    let needs = [need];
    let form = blank_pledge(&page, &needs);
    pledge_page(page, &needs, form)
}

/// The pledge form for the needs ticked in a list (`?need=1&need=2`).
pub async fn pledge_several_form(State(s): State<AppState>, page: Page, RawQuery(q): RawQuery) -> Response {
    let fields = Fields::parse(q.as_deref().unwrap_or("").as_bytes());
    match pledged_needs(&s, &page, &fields).await {
        Ok(needs) => {
            let mut form = blank_pledge(&page, &needs);
            // An amount proposed elsewhere (the offer match) is kept.
            for n in &needs {
                let field = quantity_field(n.id);
                if let Some(q) = fields.opt(&field) {
                    form.set(&field, q);
                }
            }
            pledge_page(page, &needs, form)
        }
        Err(key) => message(page, StatusCode::UNPROCESSABLE_ENTITY, "pledge-cannot-title", key),
    }
}

fn labels(page: &Page) -> Vec<(&'static str, String)> {
    [
        ("stage", "field-stage"),
        ("stage_date", "field-stage-date"),
        ("description", "field-description"),
        ("donor", "field-donor"),
    ]
    .into_iter()
    .map(|(f, k)| (f, page.t(k)))
    .collect()
}

/// Records one contribution linked to every need on the form, each with
/// its own quantity; the contribution's quantity is their sum.
pub async fn pledge(State(s): State<AppState>, posted: Posted) -> Response {
    let Posted { page, fields } = posted;
    let needs = match pledged_needs(&s, &page, &fields).await {
        Ok(n) => n,
        Err(key) => return message(page, StatusCode::UNPROCESSABLE_ENTITY, "pledge-cannot-title", key),
    };
    let mut form = FormState::new(fields.clone().into_values());
    let mut links = Vec::with_capacity(needs.len());
    let mut total: i64 = 0;
    for n in &needs {
        let name = quantity_field(n.id);
        let label = quantity_label(&page, &needs, n.id);
        let typed = fields.number(&name, page.lang);
        let read = typed
            .as_ref()
            .and_then(|v| v.as_str())
            .map(|v| decimal::read(v, decimal::Style::Point).and_then(|d| d.scaled(SCALE)));
        match read {
            None => form.add(&name, page.ta("err-required", &[("field", label.to_lowercase())])),
            Some(Err(_)) => form.add(&name, page.ta("err-not_a_number", &[("field", label.to_lowercase())])),
            Some(Ok(v)) => total = total.saturating_add(v),
        }
        links.push(NewLink {
            need: Some(n.id),
            quantity: typed,
        });
    }
    if !form.errors.is_empty() {
        return pledge_page(page, &needs, form);
    }
    let first = &needs[0];
    let input = NewContribution {
        donor: page
            .user
            .as_ref()
            .and_then(|u| u.org.clone())
            .or_else(|| fields.opt("donor")),
        recipient: Some(first.country.clone()),
        item: Some(first.item.clone()),
        quantity: Some(serde_json::Value::String(decimal::format_scaled(total, SCALE))),
        stage: fields.opt("stage"),
        stage_date: fields.opt("stage_date"),
        description: fields.opt("description"),
        links,
        ..Default::default()
    };
    match services::contributions::create(&*s.store, page.caller(), &page.actor(), &input).await {
        Ok(c) => page.done(&format!("/contributions/{}", c.id), "contribution-created"),
        Err(Failure::Store(StoreError::Invalid(mut inv))) => {
            // A problem with one link is shown at that need's quantity.
            for e in &mut inv.0 {
                if let Some(i) = e
                    .field
                    .strip_prefix("links[")
                    .and_then(|r| r.split(']').next())
                    .and_then(|i| i.parse::<usize>().ok())
                    && let Some(n) = needs.get(i)
                {
                    e.field = quantity_field(n.id);
                } else if e.field == "quantity" {
                    e.field = quantity_field(first.id);
                }
            }
            let names: Vec<String> = needs.iter().map(|n| quantity_field(n.id)).collect();
            let all: Vec<(&str, String)> = labels(&page)
                .into_iter()
                .chain(
                    needs
                        .iter()
                        .zip(&names)
                        .map(|(n, name)| (name.as_str(), quantity_label(&page, &needs, n.id))),
                )
                .collect();
            form.add_invalid(page.lang, &inv, &all, &names[0]);
            pledge_page(page, &needs, form)
        }
        Err(e) => failure(page, e),
    }
}

/// The decimals a pledged quantity is summed in: more than any unit takes,
/// so the sum is exact and the rules still judge the precision.
const SCALE: u32 = 6;

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
    may_correct: bool,
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
    if let Some((n, format)) = page.download() {
        let mut a = Sheet::new(
            &page,
            "deliveries",
            &["col-date", "col-quantity", "col-unit", "col-note"],
        );
        a.rows = c
            .deliveries
            .iter()
            .map(|d| {
                vec![
                    Cell::Date(d.date),
                    Cell::num(&d.quantity),
                    Cell::text(c.unit.clone()),
                    Cell::text(d.note.clone()),
                ]
            })
            .collect();
        let mut b = Sheet::new(&page, "stages", &["col-date", "col-stage", "col-note"]);
        b.rows = c
            .events
            .iter()
            .map(|e| {
                vec![
                    Cell::Date(e.date),
                    Cell::text(page.t(&format!("stage-{}", e.to.as_str()))),
                    Cell::text(e.note.clone()),
                ]
            })
            .collect();
        return sheets::send(page, vec![a, b], n, format);
    }
    let status = page.status_for(&form);
    let tpl = Show {
        title: page.ta("contribution-title", &[("id", id.to_string())]),
        donor: page.country(&c.donor),
        recipient: page.country(&c.recipient),
        quantity: page.qty(&c.quantity, &c.unit),
        stage: page.t(&format!("stage-{}", c.stage.as_str())),
        outstanding: c
            .outstanding
            .as_ref()
            .filter(|o| o.as_f64().is_some_and(|v| v > 0.0))
            .map(|o| page.ta("outstanding", &[("quantity", page.qty(o, &c.unit))])),
        moves: services::contributions::moves_for(page.caller(), &c)
            .iter()
            .map(|st| (st.as_str().to_owned(), page.t(&format!("stage-{}", st.as_str()))))
            .collect(),
        may_confirm: services::contributions::may_confirm_delivery(page.caller(), &c),
        may_correct: services::contributions::may_correct(page.caller(), &c),
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
            .map(|d| (page.date(d.date), page.qty(&d.quantity, &c.unit), d.note.clone()))
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

#[derive(Template)]
#[template(path = "pages/contribution_form.html")]
struct Correct {
    page: Page,
    title: String,
    form: FormState,
    id: i64,
    version: i64,
    cash: bool,
}

fn correct_page(mut page: Page, c: &Contribution, form: FormState) -> Response {
    let status = page.status_for(&form);
    let tpl = Correct {
        title: page.ta1("correct-title", "id", c.id),
        id: c.id,
        version: c.version,
        cash: c.currency.is_some(),
        form,
        page,
    };
    render(status, &tpl.page, &tpl)
}

/// The correction form: what was pledged or sent, when, and what it is for.
pub async fn correct_form(State(s): State<AppState>, page: Page, Path(p): Path<IdPath>) -> Response {
    let c = match services::contributions::get(&*s.store, page.caller(), p.id).await {
        Ok(c) => c,
        Err(e) => return failure(page, e),
    };
    if let Err(d) = services::access::may_edit_contribution(page.caller(), &c.donor) {
        return failure(page, d.into());
    }
    let mut form = FormState::default();
    let plain = |v: &serde_json::Value| needsdb_domain::decimal::json_to_text(v).unwrap_or_default();
    if c.currency.is_some() {
        form.set("amount", plain(&c.quantity));
    } else {
        form.set("quantity", plain(&c.quantity));
    }
    form.set("stage_date", c.stage_date.to_string());
    form.set("description", c.description.clone());
    form.set("source_url", c.source_url.clone().unwrap_or_default());
    form.set("external_id", c.external_id.clone().unwrap_or_default());
    form.set("channel", c.channel.clone().unwrap_or_default());
    let lines = |v: Vec<String>| v.join("\n");
    form.set(
        "links",
        lines(
            c.links
                .iter()
                .map(|l| format!("{}={}", l.need, plain(&l.quantity)))
                .collect(),
        ),
    );
    form.set(
        "earmarks",
        lines(
            c.earmarks
                .iter()
                .map(|e| match (&e.share_percent, &e.amount) {
                    (Some(p), _) => format!("{}={}%", e.target, plain(p)),
                    (None, Some(a)) => format!("{}={}", e.target, plain(a)),
                    (None, None) => e.target.clone(),
                })
                .collect(),
        ),
    );
    correct_page(page, &c, form)
}

pub async fn correct(State(s): State<AppState>, Path(p): Path<IdPath>, posted: Posted) -> Response {
    let Posted { page, fields } = posted;
    let c = match services::contributions::get(&*s.store, page.caller(), p.id).await {
        Ok(c) => c,
        Err(e) => return failure(page, e),
    };
    // One link or earmark a line, written as the command line writes them;
    // the lists replace the old ones, as the API's PATCH does.
    let mut errs = Vec::new();
    let parse_lines = |name: &str| -> Vec<(String, String)> {
        fields
            .get(name)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .enumerate()
            .map(|(i, l)| (format!("{name}[{i}]"), l.to_owned()))
            .collect()
    };
    let link_lines = parse_lines("links");
    let earmark_lines = parse_lines("earmarks");
    let links: Vec<NewLink> = link_lines
        .iter()
        .filter_map(|(f, l)| NewLink::from_text(f, l).map_err(|e| errs.push(e)).ok())
        .collect();
    let earmarks: Vec<NewEarmark> = earmark_lines
        .iter()
        .filter_map(|(f, l)| NewEarmark::from_text(f, l).map_err(|e| errs.push(e)).ok())
        .collect();
    let edit = ContributionEdit {
        quantity: fields.number("quantity", page.lang),
        amount: fields.number("amount", page.lang),
        stage_date: fields.opt("stage_date"),
        description: Some(fields.get("description").trim().to_owned()),
        source_url: fields.opt("source_url"),
        external_id: fields.opt("external_id"),
        channel: fields.opt("channel").map(|c| c.to_ascii_uppercase()),
        links: Some(links),
        earmarks: Some(earmarks),
        ..Default::default()
    };
    let expected = fields.get("version").parse().ok();
    let result = if errs.is_empty() {
        services::contributions::correct(&*s.store, page.caller(), &page.actor(), p.id, expected, &edit).await
    } else {
        Err(Failure::Store(StoreError::Invalid(needsdb_domain::Invalid(errs))))
    };
    match result {
        Ok(_) => page.done(&format!("/contributions/{}", p.id), "contribution-corrected"),
        Err(e) => {
            let mut form = FormState::new(fields.into_values());
            let first = if c.currency.is_some() { "amount" } else { "quantity" };
            match e {
                Failure::Store(StoreError::Invalid(inv)) => {
                    let labels = [
                        ("quantity", page.t("field-quantity")),
                        ("amount", page.t("field-amount")),
                        ("stage_date", page.t("field-stage-date")),
                        ("description", page.t("field-description")),
                        ("source_url", page.t("field-source-url")),
                        ("external_id", page.t("field-external-id")),
                        ("channel", page.t("field-channel")),
                        ("links", page.t("field-links")),
                        ("earmarks", page.t("field-earmarks")),
                    ];
                    form.add_invalid(page.lang, &inv, &labels, first);
                }
                Failure::Store(StoreError::VersionMismatch { .. }) => form.add(first, page.t("error-stale")),
                other => return failure(page, other),
            }
            correct_page(page, &c, form)
        }
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
