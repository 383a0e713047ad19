//! Needs in pages: the list with the API's filters, one need with its
//! coverage and history, the form to report or edit one, and the status
//! moves (submit, validate, return with a note, withdraw).

use super::sheets::{self, Cell, Sheet};
use super::{Fields, FormState, Page, Posted, failure, render};
use crate::http::AppState;
use crate::services::{self, Failure};
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use needsdb_domain::{NeedStatus, NewNeed};
use needsdb_store::{ContributionQuery, Need, NeedQuery, Role, StatusChange, Store, StoreError};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct NeedPath {
    #[allow(dead_code)]
    lang: String,
    id: i64,
}

/// A need as a list row, in the page's language.
pub struct NeedRow {
    pub id: i64,
    pub country: String,
    pub item: String,
    pub quantity: String,
    pub priority: String,
    pub needed_by: String,
    pub status: String,
    pub coverage: String,
    /// The caller may pledge against it (a partner, an open shared need).
    pub pledgeable: bool,
}

fn may_pledge(page: &Page, n: &Need) -> bool {
    page.user.as_ref().is_some_and(|u| u.role == Role::Partner)
        && n.status.is_open()
        && NeedStatus::SHARED_STATUSES.contains(&n.status)
}

pub(super) fn row(page: &Page, n: &Need) -> NeedRow {
    NeedRow {
        id: n.id,
        country: page.country(&n.country),
        item: page.item(&n.item, &n.item_name),
        quantity: page.qty(&n.quantity, &n.unit),
        priority: page.t(&format!("priority-{}", n.priority.as_str())),
        needed_by: page.date(n.needed_by),
        status: page.t(&format!("status-{}", n.status.as_str())),
        coverage: page.ta(
            "percent",
            &[("value", page.num(&serde_json::json!(n.coverage.coverage_pct)))],
        ),
        pledgeable: may_pledge(page, n),
    }
}

pub(super) fn options(page: &Page, prefix: &str, values: &[&str], any: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if any {
        out.push((String::new(), page.t("filter-any")));
    }
    out.extend(
        values
            .iter()
            .map(|v| ((*v).to_owned(), page.t(&format!("{prefix}{v}")))),
    );
    out
}

/// (clusters, WHO regions, income groups, NAM statuses): the choices of
/// the filters the lists share, each led by "Any".
pub(super) type PlaceOptions = (
    Vec<(String, String)>,
    Vec<(String, String)>,
    Vec<(String, String)>,
    Vec<(String, String)>,
);

pub(super) async fn place_options(s: &AppState, page: &Page) -> Result<PlaceOptions, StoreError> {
    let mut clusters: Vec<String> = s.store.items().await?.into_iter().map(|i| i.cluster).collect();
    clusters.sort();
    clusters.dedup();
    let any = || std::iter::once((String::new(), page.t("filter-any")));
    Ok((
        any()
            .chain(clusters.into_iter().map(|c| {
                let name = page.cluster(&c);
                (c, name)
            }))
            .collect(),
        any()
            .chain(
                ["AFR", "AMR", "EMR", "EUR", "SEAR", "WPR"]
                    .iter()
                    .map(|w| ((*w).to_owned(), (*w).to_owned())),
            )
            .collect(),
        options(page, "income-", &["low", "lower_middle", "upper_middle", "high"], true),
        options(page, "nam-", &["member", "observer"], true),
    ))
}

/// The catalogue's items in use, named in the page's language with their
/// unit, in the order of their names.
pub(super) fn item_options(page: &Page, items: &[needsdb_domain::reference::CatalogueItem]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = items
        .iter()
        .filter(|i| !i.retired)
        .map(|i| {
            (
                i.code.to_string(),
                format!(
                    "{} ({})",
                    page.item(i.code.as_str(), &i.name_en),
                    page.unit_name(&i.unit)
                ),
            )
        })
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

pub(super) const PRIORITIES: [&str; 4] = ["critical", "high", "medium", "low"];

#[derive(Template)]
#[template(path = "pages/needs.html")]
struct List {
    page: Page,
    title: String,
    form: FormState,
    clusters: Vec<(String, String)>,
    priorities: Vec<(String, String)>,
    statuses: Vec<(String, String)>,
    who_regions: Vec<(String, String)>,
    income_groups: Vec<(String, String)>,
    nam_statuses: Vec<(String, String)>,
    rows: Vec<NeedRow>,
    /// Some rows can be ticked to pledge against them together.
    pledging: bool,
    /// The filters a saved search would keep, as (name, value).
    followed: Vec<(String, String)>,
    next: Option<String>,
    csv: String,
    xlsx: String,
}

/// Every filter of the API's needs list, by its query name.
const FILTERS: [&str; 11] = [
    "country",
    "cluster",
    "item",
    "priority",
    "status",
    "nam_status",
    "region",
    "who_region",
    "income_group",
    "needed_from",
    "needed_to",
];

pub async fn list(State(s): State<AppState>, page: Page, RawQuery(raw): RawQuery) -> Response {
    let fields = Fields::parse(raw.as_deref().unwrap_or("").as_bytes());
    let mut form = FormState::new(fields.clone().into_values());
    let date = |form: &mut FormState, name: &str, label: &str| match fields.opt(name) {
        None => None,
        Some(d) => match chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                form.add(
                    name,
                    page.ta("err-invalid_date", &[("field", page.t(label).to_lowercase())]),
                );
                None
            }
        },
    };
    let needed_from = date(&mut form, "needed_from", "filter-needed-from");
    let needed_to = date(&mut form, "needed_to", "filter-needed-to");
    let q = NeedQuery {
        country: fields.opt("country").map(|c| c.to_ascii_uppercase()),
        cluster: fields.opt("cluster"),
        item: fields.opt("item").map(|c| c.to_ascii_uppercase()),
        priority: fields.opt("priority"),
        status: fields.opt("status"),
        nam_status: fields.opt("nam_status"),
        region: fields.opt("region"),
        who_region: fields.opt("who_region"),
        income_group: fields.opt("income_group"),
        needed_from,
        needed_to,
        cursor: fields.opt("cursor"),
        limit: Some(50),
        ..Default::default()
    };
    if !form.errors.is_empty() {
        return list_page(s, page, form, Vec::new(), None).await;
    }
    let result = services::needs::list(&*s.store, page.caller(), q).await;
    let found = match result {
        Ok(p) => p,
        Err(Failure::Store(StoreError::Invalid(inv))) => {
            // A filter the rules refuse (an unknown region): show it, empty.
            let labels: Vec<(&str, String)> = FILTERS.iter().map(|f| (*f, (*f).replace('_', " "))).collect();
            form.add_invalid(page.lang, &inv, &labels, "country");
            return list_page(s, page, form, Vec::new(), None).await;
        }
        Err(e) => return failure(page, e),
    };
    let rows = found.items.iter().map(|n| row(&page, n)).collect();
    let kept: Vec<(String, String)> = FILTERS
        .iter()
        .filter_map(|f| fields.opt(f).map(|v| ((*f).to_owned(), v)))
        .collect();
    let next = found.next.as_ref().map(|c| {
        let mut ser = form_urlencoded::Serializer::new(String::new());
        ser.extend_pairs(&kept).append_pair("cursor", c);
        page.href(&format!("/needs?{}", ser.finish()))
    });
    list_page(s, page, form, rows, next).await
}

async fn list_page(s: AppState, mut page: Page, form: FormState, rows: Vec<NeedRow>, next: Option<String>) -> Response {
    let status = page.status_for(&form);
    let (clusters, who_regions, income_groups, nam_statuses) = match place_options(&s, &page).await {
        Ok(o) => o,
        Err(e) => return failure(page, e.into()),
    };
    let mut ser = form_urlencoded::Serializer::new(String::new());
    for f in FILTERS {
        let v = form.value(f);
        if !v.is_empty() {
            ser.append_pair(f, v);
        }
    }
    let filters = ser.finish();
    let sep = if filters.is_empty() { "" } else { "&" };
    let tpl = List {
        title: page.t("needs-title"),
        clusters,
        priorities: options(&page, "priority-", &PRIORITIES, true),
        statuses: options(
            &page,
            "status-",
            &NeedStatus::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
            true,
        ),
        who_regions,
        income_groups,
        nam_statuses,
        csv: format!("/api/v1/needs?{filters}{sep}format=csv"),
        xlsx: format!("/api/v1/exports/needs?format=xlsx{sep}{filters}"),
        pledging: rows.iter().any(|r: &NeedRow| r.pledgeable),
        followed: super::searches::KEPT
            .iter()
            .filter(|f| !form.value(f).is_empty())
            .map(|f| ((*f).to_owned(), form.value(f).to_owned()))
            .collect(),
        rows,
        next,
        form,
        page,
    };
    render(status, &tpl.page, &tpl)
}

#[derive(Template)]
#[template(path = "pages/need.html")]
struct Show {
    page: Page,
    title: String,
    need: Need,
    form: FormState,
    country: String,
    item: String,
    quantity: String,
    priority: String,
    needed_by: String,
    status: String,
    returned: Option<String>,
    coverage: Vec<(String, String)>,
    /// (status, label, secondary)
    actions: Vec<(String, String, bool)>,
    note_field: bool,
    may_edit: bool,
    edit_label: String,
    may_pledge: bool,
    contributions: Vec<(i64, String, String, String)>,
    /// (version, date, who, status, note)
    history: Vec<(i64, String, String, String, String)>,
    /// (title, address, what it is)
    evidence: Vec<(String, String, String)>,
    may_add_evidence: bool,
    /// Where the evidence forms post (`/files` for a file).
    evidence_action: String,
}

/// Who made a change, as the history shows it: their address to themselves
/// and to administrators; to others their role and country or organisation,
/// so a partner learns which ministry acted without a person's address.
pub(super) async fn actor_label(store: &dyn Store, page: &Page, actor: &str) -> String {
    let Some(id) = actor.strip_prefix("user:").and_then(|i| i.parse::<i64>().ok()) else {
        return actor.to_owned();
    };
    let Ok(u) = store.user(id).await else {
        return actor.to_owned();
    };
    let me = page.user.as_ref();
    if me.is_some_and(|m| m.id == u.id || m.role == Role::Admin) {
        return u.email;
    }
    let role = page.t(&format!("role-{}", u.role.as_str()));
    match (u.country.as_deref(), u.org.as_deref()) {
        (Some(c), _) => format!("{role}, {}", page.country(c)),
        (None, Some(o)) => format!("{role}, {}", page.country(o)),
        (None, None) => role,
    }
}

pub async fn show(State(s): State<AppState>, page: Page, Path(p): Path<NeedPath>) -> Response {
    show_need(s, page, p.id, FormState::default()).await
}

pub(super) async fn show_need(s: AppState, mut page: Page, id: i64, form: FormState) -> Response {
    let need = match services::needs::visible(&*s.store, page.caller(), id).await {
        Ok(n) => n,
        Err(e) => return failure(page, e),
    };
    let history = match s.store.need_history(id).await {
        Ok(h) => h,
        Err(e) => return failure(page, e.into()),
    };
    let evidence = match crate::services::evidence::list(&*s.store, page.caller(), "need", id).await {
        Ok(e) => super::evidence_lines(&e),
        Err(e) => return failure(page, e),
    };
    let may_add_evidence = crate::services::evidence::may_add_to_need(&*s.store, page.caller(), id)
        .await
        .is_ok();
    let returned = (need.status == NeedStatus::Draft)
        .then(|| {
            history
                .iter()
                .rev()
                .find_map(|v| v.note.clone().filter(|_| v.data["status"] == "draft"))
        })
        .flatten()
        .map(|note| page.ta("need-returned", &[("note", note)]));
    let moves = services::needs::moves_for(page.caller(), &need);
    let role = page.user.as_ref().map(|u| u.role);
    let actions: Vec<(String, String, bool)> = moves
        .iter()
        .map(|to| {
            let key = match to {
                NeedStatus::Submitted => "button-submit",
                NeedStatus::Validated => "button-validate",
                NeedStatus::Draft => "button-return",
                _ => "button-withdraw",
            };
            (
                to.as_str().to_owned(),
                page.t(key),
                *to != NeedStatus::Validated && *to != NeedStatus::Submitted,
            )
        })
        .collect();
    let may_edit =
        need.status.is_editable() && crate::services::access::may_write_need(page.caller(), &need.country).is_ok();
    let may_pledge = may_pledge(&page, &need);
    let c = &need.coverage;
    let coverage = vec![
        (page.t("col-needed"), page.num(&c.needed)),
        (page.t("col-pledged"), page.num(&c.pledged)),
        (page.t("col-committed"), page.num(&c.committed)),
        (page.t("col-delivered"), page.num(&c.delivered)),
        (page.t("col-unmet"), page.num(&c.unmet)),
        (
            page.t("col-coverage"),
            page.ta("percent", &[("value", page.num(&serde_json::json!(c.coverage_pct)))]),
        ),
    ];
    // The contributions linked to this need: those to its country of its item.
    let linked = ContributionQuery {
        recipient: Some(need.country.clone()),
        item: Some(need.item.clone()),
        limit: Some(needsdb_store::MAX_PAGE),
        ..Default::default()
    };
    let linked = match s.store.contributions(&linked).await {
        Ok(p) => p
            .items
            .into_iter()
            .filter(|c| c.merged_into.is_none() && c.links.iter().any(|l| l.need == need.id))
            .collect::<Vec<_>>(),
        Err(e) => return failure(page, e.into()),
    };
    let mut who = std::collections::HashMap::new();
    for v in &history {
        if !who.contains_key(&v.changed_by) {
            let label = actor_label(&*s.store, &page, &v.changed_by).await;
            who.insert(v.changed_by.clone(), label);
        }
    }
    if let Some((n, format)) = page.download() {
        let mut a = Sheet::new(
            &page,
            "need-contributions",
            &["col-id", "col-donor", "col-quantity", "col-unit", "col-stage"],
        );
        a.rows = linked
            .iter()
            .map(|c| {
                vec![
                    Cell::int(c.id),
                    Cell::text(page.country(&c.donor)),
                    c.links
                        .iter()
                        .find(|l| l.need == need.id)
                        .map_or(Cell::text(""), |l| Cell::num(&l.quantity)),
                    Cell::text(c.unit.clone()),
                    Cell::text(page.t(&format!("stage-{}", c.stage.as_str()))),
                ]
            })
            .collect();
        let mut b = Sheet::new(
            &page,
            "need-history",
            &["col-version", "col-date", "col-who", "col-status", "col-note"],
        );
        b.rows = history
            .iter()
            .rev()
            .map(|v| {
                vec![
                    Cell::int(v.version),
                    Cell::Date(v.changed_at.date_naive()),
                    Cell::text(who.get(&v.changed_by).cloned().unwrap_or_default()),
                    Cell::text(
                        v.data["status"]
                            .as_str()
                            .map(|st| page.t(&format!("status-{st}")))
                            .unwrap_or_default(),
                    ),
                    Cell::text(v.note.clone().unwrap_or_default()),
                ]
            })
            .collect();
        return sheets::send(page, vec![a, b], n, format);
    }
    let contributions = linked
        .iter()
        .map(|c| {
            (
                c.id,
                page.country(&c.donor),
                c.links
                    .iter()
                    .find(|l| l.need == need.id)
                    .map(|l| page.qty(&l.quantity, &c.unit))
                    .unwrap_or_default(),
                page.t(&format!("stage-{}", c.stage.as_str())),
            )
        })
        .collect();
    let history = history
        .iter()
        .rev()
        .map(|v| {
            (
                v.version,
                page.date(v.changed_at.date_naive()),
                who.get(&v.changed_by).cloned().unwrap_or_default(),
                v.data["status"]
                    .as_str()
                    .map(|st| page.t(&format!("status-{st}")))
                    .unwrap_or_default(),
                v.note.clone().unwrap_or_default(),
            )
        })
        .collect();
    let status = page.status_for(&form);
    let tpl = Show {
        title: page.ta("need-title", &[("id", need.id.to_string())]),
        country: page.country(&need.country),
        item: page.item(&need.item, &need.item_name),
        quantity: page.qty(&need.quantity, &need.unit),
        priority: page.t(&format!("priority-{}", need.priority.as_str())),
        needed_by: page.date(need.needed_by),
        status: page.t(&format!("status-{}", need.status.as_str())),
        note_field: matches!(role, Some(Role::Secretariat | Role::Admin)) && !actions.is_empty(),
        edit_label: page.ta("need-edit-title", &[("id", need.id.to_string())]),
        contributions,
        returned,
        coverage,
        actions,
        may_edit,
        may_pledge,
        history,
        evidence,
        may_add_evidence,
        evidence_action: page.href(&format!("/needs/{}/evidence", need.id)),
        form,
        need,
        page,
    };
    render(status, &tpl.page, &tpl)
}

pub async fn change_status(State(s): State<AppState>, Path(p): Path<NeedPath>, posted: Posted) -> Response {
    let Posted { page, fields } = posted;
    let change = StatusChange {
        to: fields.opt("to"),
        note: fields.opt("note"),
    };
    let expected = fields.get("version").parse().ok();
    match services::needs::change_status(&*s.store, page.caller(), &page.actor(), p.id, expected, &change).await {
        Ok(_) => page.done(&format!("/needs/{}", p.id), "need-updated"),
        Err(Failure::Store(StoreError::Invalid(inv))) => {
            let mut form = FormState::new(fields.into_values());
            let labels = [("note", page.t("field-note"))];
            form.add_invalid(page.lang, &inv, &labels, "note");
            show_need(s, page, p.id, form).await
        }
        Err(Failure::Store(StoreError::VersionMismatch { .. })) => {
            let mut form = FormState::new(fields.into_values());
            form.add("note", page.t("error-stale"));
            show_need(s, page, p.id, form).await
        }
        Err(e) => failure(page, e),
    }
}

#[derive(Template)]
#[template(path = "pages/need_form.html")]
struct Edit {
    page: Page,
    title: String,
    action: String,
    version: Option<i64>,
    form: FormState,
    countries: Vec<(String, String)>,
    items: Vec<(String, String)>,
    priorities: Vec<(String, String)>,
}

async fn form_page(s: &AppState, mut page: Page, form: FormState, id: Option<(i64, i64)>) -> Response {
    let items = match s.store.items().await {
        Ok(items) => items,
        Err(e) => return failure(page, e.into()),
    };
    let countries: Vec<(String, String)> = match page.user.as_ref().and_then(|u| u.country.clone()) {
        Some(own) if page.user.as_ref().is_some_and(|u| u.role == Role::FocalPoint) => {
            vec![(own.clone(), page.country(&own))]
        }
        _ => match s.store.countries(&Default::default()).await {
            Ok(rows) => {
                let mut c: Vec<(String, String)> =
                    rows.iter().map(|r| (r.iso3.clone(), page.country(&r.iso3))).collect();
                c.sort_by(|a, b| a.1.cmp(&b.1));
                c
            }
            Err(e) => return failure(page, e.into()),
        },
    };
    // Nothing chosen until the user chooses: a first item picked by default
    // would be reported by whoever did not look.
    let mut items = item_options(&page, &items);
    items.insert(0, (String::new(), String::new()));
    let status = page.status_for(&form);
    let tpl = Edit {
        title: match id {
            Some((id, _)) => page.ta("need-edit-title", &[("id", id.to_string())]),
            None => page.t("need-new-title"),
        },
        action: match id {
            Some((id, _)) => page.href(&format!("/needs/{id}/edit")),
            None => page.href("/needs/new"),
        },
        version: id.map(|(_, v)| v),
        priorities: options(&page, "priority-", &PRIORITIES, false),
        countries,
        items,
        form,
        page,
    };
    render(status, &tpl.page, &tpl)
}

pub async fn new_form(State(s): State<AppState>, page: Page) -> Response {
    if let Err(e) = crate::services::access::require(page.caller(), &[Role::Admin, Role::FocalPoint]) {
        return failure(page, e.into());
    }
    let mut form = FormState::default();
    form.set("priority", "high");
    form_page(&s, page, form, None).await
}

fn need_input(page: &Page, fields: &Fields) -> NewNeed {
    let count = |name: &str| fields.number(name, page.lang);
    NewNeed {
        country: fields.opt("country"),
        place: fields.opt("place"),
        item: fields.opt("item"),
        quantity: count("quantity"),
        priority: fields.opt("priority"),
        needed_by: fields.opt("needed_by"),
        justification: fields.opt("justification"),
        people_in_need: count("people_in_need"),
        people_targeted: count("people_targeted"),
        reported_via: Some("web".into()),
        ..Default::default()
    }
}

fn field_labels(page: &Page) -> Vec<(&'static str, String)> {
    [
        ("country", "field-country"),
        ("item", "field-item"),
        ("quantity", "field-quantity"),
        ("priority", "field-priority"),
        ("needed_by", "field-needed-by"),
        ("place", "field-place"),
        ("justification", "field-justification"),
        ("people_in_need", "field-people-in-need"),
        ("people_targeted", "field-people-targeted"),
    ]
    .into_iter()
    .map(|(f, k)| (f, page.t(k)))
    .collect()
}

pub async fn create(State(s): State<AppState>, posted: Posted) -> Response {
    let Posted { page, fields } = posted;
    let input = need_input(&page, &fields);
    let submit = fields.get("then") == "submit";
    match services::needs::create(&*s.store, page.caller(), &page.actor(), &input, submit).await {
        Ok(n) => page.done(&format!("/needs/{}", n.id), "need-created"),
        Err(Failure::Store(StoreError::Invalid(inv))) => {
            let mut form = FormState::new(fields.into_values());
            form.add_invalid(page.lang, &inv, &field_labels(&page), "country");
            form_page(&s, page, form, None).await
        }
        Err(e) => failure(page, e),
    }
}

pub async fn edit_form(State(s): State<AppState>, page: Page, Path(p): Path<NeedPath>) -> Response {
    let need = match services::needs::visible(&*s.store, page.caller(), p.id).await {
        Ok(n) => n,
        Err(e) => return failure(page, e),
    };
    if let Err(e) = crate::services::access::may_write_need(page.caller(), &need.country) {
        return failure(page, e.into());
    }
    let mut form = FormState::default();
    form.set("country", need.country.clone());
    form.set("item", need.item.clone());
    form.set(
        "quantity",
        page.num(&need.quantity).replace(['\u{202F}', '\u{00A0}'], ""),
    );
    form.set("priority", need.priority.as_str());
    form.set("needed_by", need.needed_by.to_string());
    form.set("place", need.place.clone().unwrap_or_default());
    form.set("justification", need.justification.clone());
    form.set(
        "people_in_need",
        need.people_in_need.map(|p| p.to_string()).unwrap_or_default(),
    );
    form.set(
        "people_targeted",
        need.people_targeted.map(|p| p.to_string()).unwrap_or_default(),
    );
    form_page(&s, page, form, Some((need.id, need.version))).await
}

pub async fn update(State(s): State<AppState>, Path(p): Path<NeedPath>, posted: Posted) -> Response {
    let Posted { page, fields } = posted;
    let input = need_input(&page, &fields);
    let expected: Option<i64> = fields.get("version").parse().ok();
    match services::needs::update(&*s.store, page.caller(), &page.actor(), p.id, expected, &input).await {
        Ok(_) => page.done(&format!("/needs/{}", p.id), "need-updated"),
        Err(Failure::Store(StoreError::Invalid(inv))) => {
            let mut form = FormState::new(fields.into_values());
            form.add_invalid(page.lang, &inv, &field_labels(&page), "country");
            form_page(&s, page, form, Some((p.id, expected.unwrap_or(0)))).await
        }
        Err(Failure::Store(StoreError::VersionMismatch { .. })) => {
            let mut form = FormState::new(fields.into_values());
            form.add("quantity", page.t("error-stale"));
            form_page(&s, page, form, Some((p.id, expected.unwrap_or(0)))).await
        }
        Err(e) => failure(page, e),
    }
}
