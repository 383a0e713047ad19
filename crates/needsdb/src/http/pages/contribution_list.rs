//! Contributions in pages: every filter of the API's list, in the address
//! so a view can be shared, with the table as CSV or Excel and, for one
//! recipient, the HXL and IATI exports. Signed-in only, as in the API.

use super::needs::{PRIORITIES, options, place_options};
use super::sheets::{self, Cell, Sheet};
use super::{Fields, FormState, Page, failure, render};
use crate::http::AppState;
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use needsdb_domain::Stage;
use needsdb_store::{Contribution, ContributionQuery, StoreError};

/// Every filter of the API's contributions list, by its query name.
const FILTERS: [&str; 15] = [
    "donor",
    "recipient",
    "channel",
    "country",
    "item",
    "cluster",
    "stage",
    "kind",
    "priority",
    "nam_status",
    "region",
    "who_region",
    "income_group",
    "date_from",
    "date_to",
];

/// The most rows a download carries: twenty of the store's largest pages.
const DOWNLOAD_PAGES: usize = 20;

pub struct ContributionRow {
    pub id: i64,
    pub date: String,
    pub donor: String,
    pub recipient: String,
    pub item: String,
    pub quantity: String,
    pub stage: String,
    pub delivered: String,
}

#[derive(Template)]
#[template(path = "pages/contributions.html")]
struct List {
    page: Page,
    title: String,
    form: FormState,
    clusters: Vec<(String, String)>,
    stages: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    priorities: Vec<(String, String)>,
    who_regions: Vec<(String, String)>,
    income_groups: Vec<(String, String)>,
    nam_statuses: Vec<(String, String)>,
    rows: Vec<ContributionRow>,
    next: Option<String>,
    /// The exchange formats for one recipient: (label, address).
    exports: Vec<(String, String)>,
}

fn query(fields: &Fields, form: &mut FormState, page: &Page) -> ContributionQuery {
    let mut date = |name: &str, label: &str| {
        let d = fields.opt(name)?;
        match chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                form.add(
                    name,
                    page.ta("err-invalid_date", &[("field", page.t(label).to_lowercase())]),
                );
                None
            }
        }
    };
    let date_from = date("date_from", "filter-date-from");
    let date_to = date("date_to", "filter-date-to");
    let upper = |name: &str| fields.opt(name).map(|v| v.to_ascii_uppercase());
    ContributionQuery {
        donor: upper("donor"),
        recipient: upper("recipient"),
        channel: upper("channel"),
        country: upper("country"),
        item: upper("item"),
        cluster: fields.opt("cluster"),
        stage: fields.opt("stage"),
        kind: fields.opt("kind"),
        priority: fields.opt("priority"),
        nam_status: fields.opt("nam_status"),
        region: fields.opt("region"),
        who_region: fields.opt("who_region"),
        income_group: fields.opt("income_group"),
        date_from,
        date_to,
        sort: Some("-id".into()),
        cursor: fields.opt("cursor"),
        limit: Some(50),
        ..Default::default()
    }
}

fn row(page: &Page, c: &Contribution) -> ContributionRow {
    ContributionRow {
        id: c.id,
        date: page.date(c.stage_date),
        donor: page.country(&c.donor),
        recipient: page.country(&c.recipient),
        item: match &c.item {
            Some(code) => page.item(code, code),
            None => page.t("kind-cash"),
        },
        quantity: page.qty(&c.quantity, &c.unit),
        stage: page.t(&format!("stage-{}", c.stage.as_str())),
        delivered: page.num(&c.delivered),
    }
}

pub async fn list(State(s): State<AppState>, page: Page, RawQuery(raw): RawQuery) -> Response {
    if page.user.is_none() {
        return page.see_other("/sign-in");
    }
    let fields = Fields::parse(raw.as_deref().unwrap_or("").as_bytes());
    let mut form = FormState::new(fields.clone().into_values());
    let q = query(&fields, &mut form, &page);
    if !form.errors.is_empty() {
        return list_page(s, page, form, Vec::new(), None).await;
    }
    if let Some((n, format)) = page.download() {
        return download(&s, page, q, n, format).await;
    }
    let found = match s.store.contributions(&q).await {
        Ok(p) => p,
        Err(StoreError::Invalid(inv)) => {
            // A filter the rules refuse (an unknown stage): show it, empty.
            let labels: Vec<(&str, String)> = FILTERS.iter().map(|f| (*f, (*f).replace('_', " "))).collect();
            form.add_invalid(page.lang, &inv, &labels, "donor");
            return list_page(s, page, form, Vec::new(), None).await;
        }
        Err(e) => return failure(page, e.into()),
    };
    let rows = found.items.iter().map(|c| row(&page, c)).collect();
    let next = found.next.as_ref().map(|c| {
        let mut ser = form_urlencoded::Serializer::new(String::new());
        for f in FILTERS {
            if let Some(v) = fields.opt(f) {
                ser.append_pair(f, &v);
            }
        }
        ser.append_pair("cursor", c);
        page.href(&format!("/contributions?{}", ser.finish()))
    });
    list_page(s, page, form, rows, next).await
}

/// Every contribution the filters select, not only the page shown.
async fn download(s: &AppState, page: Page, q: ContributionQuery, n: usize, format: sheets::Download) -> Response {
    let mut q = ContributionQuery {
        cursor: None,
        limit: Some(needsdb_store::MAX_PAGE),
        ..q
    };
    let mut all = Vec::new();
    for _ in 0..DOWNLOAD_PAGES {
        match s.store.contributions(&q).await {
            Ok(p) => {
                all.extend(p.items);
                match p.next {
                    Some(c) => q.cursor = Some(c),
                    None => break,
                }
            }
            Err(e) => return failure(page, e.into()),
        }
    }
    let mut sheet = Sheet::new(
        &page,
        "contributions",
        &[
            "col-id",
            "col-date",
            "col-donor",
            "col-recipient",
            "col-item",
            "col-quantity",
            "col-unit",
            "col-stage",
            "col-delivered",
        ],
    );
    sheet.rows = all
        .iter()
        .map(|c| {
            vec![
                Cell::int(c.id),
                Cell::Date(c.stage_date),
                Cell::text(c.donor.clone()),
                Cell::text(c.recipient.clone()),
                Cell::text(c.item.clone().unwrap_or_default()),
                Cell::num(&c.quantity),
                Cell::text(c.unit.clone()),
                Cell::text(c.stage.as_str()),
                Cell::num(&c.delivered),
            ]
        })
        .collect();
    sheets::send(page, vec![sheet], n, format)
}

async fn list_page(
    s: AppState,
    mut page: Page,
    form: FormState,
    rows: Vec<ContributionRow>,
    next: Option<String>,
) -> Response {
    let status = page.status_for(&form);
    let (clusters, who_regions, income_groups, nam_statuses) = match place_options(&s, &page).await {
        Ok(o) => o,
        Err(e) => return failure(page, e.into()),
    };
    // The exchange formats export one recipient's contributions.
    let country = form.value("country").trim().to_ascii_uppercase();
    let exports = if country.len() == 3 && !country.contains(',') {
        ["xlsx", "hxl", "iati"]
            .into_iter()
            .map(|f| {
                (
                    page.t(&format!("export-{f}")),
                    format!("/api/v1/exports/contributions?country={country}&format={f}"),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let stages: Vec<&str> = Stage::ALL.iter().map(|s| s.as_str()).collect();
    let tpl = List {
        title: page.t("contributions-title"),
        clusters,
        stages: options(&page, "stage-", &stages, true),
        kinds: options(&page, "kind-", &["in_kind", "cash"], true),
        priorities: options(&page, "priority-", &PRIORITIES, true),
        who_regions,
        income_groups,
        nam_statuses,
        rows,
        next,
        exports,
        form,
        page,
    };
    render(status, &tpl.page, &tpl)
}
