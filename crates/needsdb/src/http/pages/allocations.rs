//! Allocation, for the secretariat: share a scarce supply by an open rule,
//! see every share with its reason and every check, save it as a proposal,
//! and commit it (the supply's own partners may decide too). The rules are
//! `services::allocate`'s and `access`'s, as for the API.

use super::sheets::{self, Cell, Sheet};
use super::{Fields, FormState, Page, Posted, failure, render};
use crate::http::AppState;
use crate::services::access;
use crate::services::allocate::{self, AllocationOut, AllocationRequest};
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use needsdb_domain::NewEarmark;
use needsdb_store::{Proposal, Role, StoreError};
use serde::Deserialize;

const RUNNERS: [Role; 2] = [Role::Admin, Role::Secretariat];
const POLICIES: [&str; 4] = ["population-cap", "need-proportional", "max-min", "priority"];

#[derive(Deserialize)]
pub struct IdPath {
    #[allow(dead_code)]
    lang: String,
    id: i64,
}

/// The supply slider's range: from none to twice the supply previewed, in
/// a hundred steps of whole units. Attributes take plain numbers; `shown`
/// is the supply as the page's language writes it.
pub struct Slider {
    pub max: String,
    pub step: String,
    pub value: String,
    pub shown: String,
}

fn slider(page: &Page, out: &AllocationOut) -> Option<Slider> {
    let supply = out.supply.as_f64()?;
    if !supply.is_finite() || supply < 0.0 {
        return None;
    }
    let max = (supply * 2.0).ceil().max(100.0);
    let step = (max / 100.0).floor().max(1.0);
    Some(Slider {
        max: format!("{max}"),
        step: format!("{step}"),
        value: out.supply.to_string(),
        shown: page.num(&out.supply),
    })
}

/// A result as a page shows it.
pub struct Shown {
    /// The result as data, for the downloads.
    out: AllocationOut,
    pub summary: Vec<(String, String)>,
    /// (country, quantity, before %, after %, reason)
    pub lines: Vec<(String, String, String, String, String)>,
    /// (check, passed, detail)
    pub checks: Vec<(String, bool, String)>,
}

fn shown(page: &Page, out: &AllocationOut) -> Shown {
    let pct = |v: f64| page.ta("percent", &[("value", page.num(&serde_json::json!(v)))]);
    Shown {
        out: out.clone(),
        summary: vec![
            (
                page.t("col-item"),
                format!("{} ({})", page.item(&out.item, &out.item), page.unit_name(&out.unit)),
            ),
            (page.t("field-policy"), out.policy.clone()),
            (page.t("field-supply"), page.num(&out.supply)),
            (page.t("field-buffer"), page.num(&out.buffer)),
            (page.t("alloc-allocated"), page.num(&out.allocated)),
            (page.t("alloc-unallocated"), page.num(&out.unallocated)),
        ],
        lines: out
            .lines
            .iter()
            .map(|l| {
                (
                    page.country(&l.iso3),
                    page.num(&l.quantity),
                    pct(l.ratio_before_pct),
                    pct(l.ratio_after_pct),
                    l.reason.clone(),
                )
            })
            .collect(),
        checks: out
            .checks
            .iter()
            .map(|c| (c.check.clone(), c.passed, c.detail.clone()))
            .collect(),
    }
}

/// The shares and the checks of a result as tables to download.
fn result_sheets(page: &Page, out: &AllocationOut) -> Vec<Sheet> {
    let mut shares = Sheet::new(
        page,
        "allocation",
        &[
            "col-country",
            "col-quantity",
            "alloc-before",
            "alloc-after",
            "alloc-reason",
        ],
    );
    shares.rows = out
        .lines
        .iter()
        .map(|l| {
            vec![
                Cell::text(page.country(&l.iso3)),
                Cell::num(&l.quantity),
                Cell::num(&serde_json::json!(l.ratio_before_pct)),
                Cell::num(&serde_json::json!(l.ratio_after_pct)),
                Cell::text(l.reason.clone()),
            ]
        })
        .collect();
    let mut checks = Sheet::new(page, "allocation-checks", &["alloc-checks", "col-passed", "col-note"]);
    checks.rows = out
        .checks
        .iter()
        .map(|c| {
            vec![
                Cell::text(c.check.clone()),
                Cell::text(page.t(if c.passed { "yes" } else { "no" })),
                Cell::text(c.detail.clone()),
            ]
        })
        .collect();
    vec![shares, checks]
}

#[derive(Template)]
#[template(path = "pages/allocations.html")]
struct Allocations {
    page: Page,
    title: String,
    form: FormState,
    may_run: bool,
    items: Vec<(String, String)>,
    policies: Vec<(String, String)>,
    /// The rules the priority rule may share by within each priority.
    within: Vec<(String, String)>,
    result: Option<Shown>,
    /// The supply slider, after a preview (shown only by its script).
    slider: Option<Slider>,
    slider_js: &'static str,
    /// The preview's fields, carried by the form that saves it.
    kept: [&'static str; 12],
    /// The form that saves a proposal is shown (after a preview).
    saving: bool,
    /// (id, item, supplier, status, date)
    proposals: Vec<(i64, String, String, String, String)>,
}

async fn allocations_page(s: &AppState, mut page: Page, form: FormState, result: Option<Shown>) -> Response {
    let user = match access::require(
        page.caller(),
        &[Role::Admin, Role::Secretariat, Role::Viewer, Role::Partner],
    ) {
        Ok(u) => u.clone(),
        Err(e) => return failure(page, e.into()),
    };
    let (items, proposals) = match (s.store.items().await, s.store.proposals().await) {
        (Ok(i), Ok(p)) => (i, p),
        (Err(e), _) | (_, Err(e)) => return failure(page, e.into()),
    };
    let proposals: Vec<(i64, String, String, String, String, chrono::NaiveDate)> = proposals
        .into_iter()
        .filter(|x| access::sees_everything(&user) || access::may_read_proposal(page.caller(), x).is_ok())
        .map(|x| {
            (
                x.id,
                page.item(&x.item, &x.item),
                x.supplier.clone(),
                x.status.clone(),
                page.date(x.created_at.date_naive()),
                x.created_at.date_naive(),
            )
        })
        .collect();
    let items = super::needs::item_options(&page, &items);
    if let Some((n, format)) = page.download() {
        let mut sheets = match &result {
            Some(r) => result_sheets(&page, &r.out),
            None => vec![
                Sheet::new(&page, "allocation", &[]),
                Sheet::new(&page, "allocation-checks", &[]),
            ],
        };
        let mut list = Sheet::new(
            &page,
            "proposals",
            &["col-id", "col-item", "field-supplier", "col-status", "col-date"],
        );
        list.rows = proposals
            .iter()
            .map(|x| {
                vec![
                    Cell::int(x.0),
                    Cell::text(x.1.clone()),
                    Cell::text(x.2.clone()),
                    Cell::text(x.3.clone()),
                    Cell::Date(x.5),
                ]
            })
            .collect();
        sheets.push(list);
        return sheets::send(page, sheets, n, format);
    }
    let proposals = proposals.into_iter().map(|x| (x.0, x.1, x.2, x.3, x.4)).collect();
    let status = page.status_for(&form);
    let tpl = Allocations {
        title: page.t("alloc-title"),
        may_run: RUNNERS.contains(&user.role),
        policies: POLICIES.iter().map(|p| ((*p).to_owned(), (*p).to_owned())).collect(),
        within: std::iter::once((String::new(), page.t("within-default")))
            .chain(POLICIES[..3].iter().map(|p| ((*p).to_owned(), (*p).to_owned())))
            .collect(),
        items,
        proposals,
        saving: result.is_some() || (!form.errors.is_empty() && !form.value("item").is_empty()),
        kept: [
            "item",
            "quantity",
            "policy",
            "eligible",
            "cap",
            "buffer",
            "lot",
            "min_shipment",
            "earmark",
            "within",
            "recipients",
            "file_only",
        ],
        slider: result.as_ref().and_then(|r| slider(&page, &r.out)),
        slider_js: super::assets::slider_href(),
        result,
        form,
        page,
    };
    render(status, &tpl.page, &tpl)
}

/// The page; with an item in its address (`?item=…&quantity=…`), the
/// preview of that allocation. A preview writes nothing, so it is a GET:
/// its address can be shared, and its tables downloaded.
pub async fn list(State(s): State<AppState>, page: Page, RawQuery(q): RawQuery) -> Response {
    let fields = Fields::parse(q.as_deref().unwrap_or("").as_bytes());
    if fields.opt("item").is_none() {
        let mut form = FormState::default();
        form.set("policy", "population-cap");
        form.set("eligible", "nam-members");
        return allocations_page(&s, page, form, None).await;
    }
    let (page, mut form, req) = match checked_request(&s, page, &fields).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    match allocate::run(&*s.store, &req).await {
        Ok(out) => {
            let shown = shown(&page, &out);
            allocations_page(&s, page, form, Some(shown)).await
        }
        Err(StoreError::Invalid(inv)) => {
            form.add_invalid(page.lang, &inv, &labels(&page), "item");
            allocations_page(&s, page, form, None).await
        }
        Err(e) => failure(page, e.into()),
    }
}

/// What the preview (GET) and the proposal (POST) both do first: the
/// caller may run allocations, and the inputs read as a request; otherwise
/// the page to answer with (refused, or the form with its errors).
async fn checked_request(
    s: &AppState,
    page: Page,
    fields: &Fields,
) -> Result<(Page, FormState, AllocationRequest), Response> {
    if let Err(e) = access::require(page.caller(), &RUNNERS) {
        return Err(failure(page, e.into()));
    }
    let mut form = FormState::new(fields.clone().into_values());
    let req = request(&page, fields, &mut form);
    if !form.errors.is_empty() {
        return Err(allocations_page(s, page, form, None).await);
    }
    Ok((page, form, req))
}

fn request(page: &Page, fields: &Fields, form: &mut FormState) -> AllocationRequest {
    let n = |name: &str| fields.number(name, page.lang);
    let mut earmarks = Vec::new();
    if let Some(text) = fields.opt("earmark") {
        match NewEarmark::from_text("earmark", &text) {
            Ok(e) => earmarks.push(e),
            Err(e) => form.add(
                "earmark",
                page.ta(
                    "err-other",
                    &[("field", page.t("field-earmark")), ("message", e.message)],
                ),
            ),
        }
    }
    // A what-if list pasted as CSV (iso3, population, need, capacity), as
    // the CLI's --recipients file.
    let recipients = match fields.opt("recipients") {
        None => Vec::new(),
        Some(text) => match allocate::read_recipients_csv(&text) {
            Ok(r) => r,
            Err(inv) => {
                let labels = [("recipients", page.t("field-recipients"))];
                form.add_invalid(page.lang, &inv, &labels, "recipients");
                Vec::new()
            }
        },
    };
    AllocationRequest {
        item: fields.get("item").to_owned(),
        quantity: n("quantity").unwrap_or(serde_json::Value::Null),
        policy: fields.get("policy").to_owned(),
        cap: n("cap"),
        buffer: n("buffer"),
        within: fields.opt("within"),
        eligible: fields.opt("eligible"),
        lot: n("lot"),
        min_shipment: n("min_shipment"),
        earmarks,
        recipients,
        file_only: fields.get("file_only") == "yes",
    }
}

fn labels(page: &Page) -> Vec<(&'static str, String)> {
    [
        ("item", "col-item"),
        ("quantity", "field-supply"),
        ("policy", "field-policy"),
        ("cap", "field-cap"),
        ("buffer", "field-buffer"),
        ("eligible", "field-eligible"),
        ("lot", "field-lot"),
        ("min_shipment", "field-min-shipment"),
        ("earmarks", "field-earmark"),
        ("supplier", "field-supplier"),
        ("within", "field-within"),
        ("recipients", "field-recipients"),
    ]
    .into_iter()
    .map(|(f, k)| (f, page.t(k)))
    .collect()
}

pub async fn run(State(s): State<AppState>, posted: Posted) -> Response {
    let Posted { page, fields } = posted;
    let (page, mut form, req) = match checked_request(&s, page, &fields).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let supplier = fields.get("supplier").trim().to_ascii_uppercase();
    match allocate::propose(&*s.store, &page.actor(), &req, &supplier).await {
        Ok(p) => page.see_other(&format!("/allocations/{}", p.id)),
        Err(StoreError::Invalid(inv)) => {
            form.add_invalid(page.lang, &inv, &labels(&page), "item");
            allocations_page(&s, page, form, None).await
        }
        Err(e) => failure(page, e.into()),
    }
}

#[derive(Template)]
#[template(path = "pages/proposal.html")]
struct ProposalPage {
    page: Page,
    title: String,
    proposal: Proposal,
    result: Option<Shown>,
    may_decide: bool,
}

pub async fn show(State(s): State<AppState>, page: Page, Path(p): Path<IdPath>) -> Response {
    let proposal = match s.store.proposal(p.id).await {
        Ok(x) => x,
        Err(e) => return failure(page, e.into()),
    };
    if let Err(e) = access::may_read_proposal(page.caller(), &proposal) {
        return failure(page, e.into());
    }
    let result = serde_json::from_value::<AllocationOut>(proposal.result.clone())
        .ok()
        .map(|out| shown(&page, &out));
    if let Some((n, format)) = page.download() {
        let sheets = result
            .as_ref()
            .map(|r| result_sheets(&page, &r.out))
            .unwrap_or_default();
        return sheets::send(page, sheets, n, format);
    }
    let tpl = ProposalPage {
        title: page.ta1("proposal-title", "id", proposal.id),
        may_decide: proposal.status == "proposed" && access::may_decide_proposal(page.caller(), &proposal).is_ok(),
        result,
        proposal,
        page,
    };
    render(StatusCode::OK, &tpl.page, &tpl)
}

pub async fn decide(State(s): State<AppState>, Path(p): Path<IdPath>, posted: Posted) -> Response {
    let Posted { page, fields } = posted;
    let proposal = match s.store.proposal(p.id).await {
        Ok(x) => x,
        Err(e) => return failure(page, e.into()),
    };
    if let Err(e) = access::may_decide_proposal(page.caller(), &proposal) {
        return failure(page, e.into());
    }
    let done = match fields.get("then") {
        "commit" => allocate::commit(&*s.store, &page.actor(), p.id).await,
        _ => s.store.withdraw_proposal(&page.actor(), p.id).await,
    };
    match done {
        Ok(_) => page.see_other(&format!("/allocations/{}", p.id)),
        Err(e) => failure(page, e.into()),
    }
}

/// The most a recipients file may hold: a line for every state fits many times.
pub const MAX_RECIPIENTS_BYTES: usize = 64 * 1024;

/// Loads a what-if recipients CSV file into the preview form: the page
/// comes back with the file's text in the recipients field and the other
/// inputs as they were, ready to preview (a GET, so it can still be shared).
pub async fn recipients_file(State(s): State<AppState>, posted: super::PostedParts) -> Response {
    let super::PostedParts {
        page,
        parts: mut multipart,
    } = posted;
    if let Err(e) = access::require(page.caller(), &RUNNERS) {
        return failure(page, e.into());
    }
    let mut fields = Fields::default();
    let mut text: Option<Result<String, &'static str>> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                text = Some(Err("error-recipients-file"));
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        if name != "recipients_file" {
            let value = field.text().await.unwrap_or_default();
            fields.insert(&name, value);
            continue;
        }
        if !page.token_ok(fields.get("csrf")) {
            return super::forged(page);
        }
        text = Some(match field.bytes().await {
            Ok(b) if b.len() <= MAX_RECIPIENTS_BYTES => {
                // A spreadsheet's CSV may start with a byte-order mark.
                let b = b.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&b);
                String::from_utf8(b.to_vec()).map_err(|_| "error-recipients-text")
            }
            _ => Err("error-recipients-file"),
        });
    }
    if !page.token_ok(fields.get("csrf")) {
        return super::forged(page);
    }
    let mut form = FormState::new(fields.into_values());
    match text {
        Some(Ok(t)) if !t.trim().is_empty() => {
            if let Err(inv) = allocate::read_recipients_csv(&t) {
                let labels = [("recipients", page.t("field-recipients"))];
                form.add_invalid(page.lang, &inv, &labels, "recipients");
            }
            form.set("recipients", t);
        }
        Some(Err(key)) => form.add("recipients_file", page.ta1(key, "size", "64 KiB")),
        _ => form.add("recipients_file", page.t("error-file-missing")),
    }
    allocations_page(&s, page, form, None).await
}
