//! The reference list of countries and areas, with the API's filters (UN
//! region, WHO region, income group, NAM status), each linked to its
//! country page. Public, as the API's list is.

use super::needs::{options, place_options};
use super::sheets::{self, Cell, Sheet};
use super::{Fields, FormState, Page, failure, render};
use crate::http::AppState;
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use needsdb_store::{CountryFilter, CountryRow, StoreError};

/// The UN M49 regions, by code and by the English name the store keeps.
pub(super) const REGIONS: [(&str, &str); 5] = [
    ("002", "Africa"),
    ("019", "Americas"),
    ("142", "Asia"),
    ("150", "Europe"),
    ("009", "Oceania"),
];

pub struct CountryLine {
    pub iso3: String,
    pub name: String,
    pub region: String,
    pub who_region: String,
    pub income_group: String,
    pub nam_status: String,
    pub population: String,
}

#[derive(Template)]
#[template(path = "pages/countries.html")]
struct List {
    page: Page,
    title: String,
    form: FormState,
    regions: Vec<(String, String)>,
    who_regions: Vec<(String, String)>,
    income_groups: Vec<(String, String)>,
    nam_statuses: Vec<(String, String)>,
    rows: Vec<CountryLine>,
}

pub(super) fn region_name(page: &Page, english: Option<&str>) -> String {
    match english {
        Some(name) => REGIONS
            .iter()
            .find(|(_, n)| *n == name)
            .map_or_else(|| name.to_owned(), |(code, _)| page.t(&format!("region-{code}"))),
        None => String::new(),
    }
}

fn line(page: &Page, c: &CountryRow) -> CountryLine {
    CountryLine {
        iso3: c.iso3.clone(),
        name: page.country(&c.iso3),
        region: region_name(page, c.region.as_deref()),
        who_region: c.who_region.clone().unwrap_or_default(),
        income_group: c
            .income_group
            .as_ref()
            .map(|g| page.t(&format!("income-{g}")))
            .unwrap_or_default(),
        nam_status: page.t(&format!("nam-{}", c.nam_status)),
        population: c
            .population
            .map(|p| page.num(&serde_json::json!(p)))
            .unwrap_or_default(),
    }
}

pub async fn list(State(s): State<AppState>, mut page: Page, RawQuery(raw): RawQuery) -> Response {
    let fields = Fields::parse(raw.as_deref().unwrap_or("").as_bytes());
    let mut form = FormState::new(fields.clone().into_values());
    let filter = CountryFilter {
        nam_status: fields.opt("nam_status"),
        who_region: fields.opt("who_region"),
        income_group: fields.opt("income_group"),
        region: fields.opt("region"),
    };
    let found = match s.store.countries(&filter).await {
        Ok(rows) => rows,
        Err(StoreError::Invalid(inv)) => {
            let labels = [
                ("nam_status", page.t("filter-nam-status")),
                ("who_region", page.t("filter-who-region")),
                ("income_group", page.t("filter-income-group")),
                ("region", page.t("filter-un-region")),
            ];
            form.add_invalid(page.lang, &inv, &labels, "region");
            Vec::new()
        }
        Err(e) => return failure(page, e.into()),
    };
    if let Some((n, format)) = page.download() {
        let mut sheet = Sheet::new(
            &page,
            "countries",
            &[
                "col-iso3",
                "col-country",
                "col-un-region",
                "filter-who-region",
                "filter-income-group",
                "filter-nam-status",
                "col-population",
            ],
        );
        sheet.rows = found
            .iter()
            .map(|c| {
                let l = line(&page, c);
                vec![
                    Cell::text(l.iso3),
                    Cell::text(l.name),
                    Cell::text(l.region),
                    Cell::text(l.who_region),
                    Cell::text(l.income_group),
                    Cell::text(l.nam_status),
                    c.population.map_or(Cell::text(""), Cell::int),
                ]
            })
            .collect();
        return sheets::send(page, vec![sheet], n, format);
    }
    let (_, who_regions, income_groups, _) = match place_options(&s, &page).await {
        Ok(o) => o,
        Err(e) => return failure(page, e.into()),
    };
    let mut rows: Vec<CountryLine> = found.iter().map(|c| line(&page, c)).collect();
    // In the page's language's order, as a reader looks a name up.
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    let status = page.status_for(&form);
    let regions = std::iter::once((String::new(), page.t("filter-any")))
        .chain(
            REGIONS
                .iter()
                .map(|(code, _)| ((*code).to_owned(), page.t(&format!("region-{code}")))),
        )
        .collect();
    let tpl = List {
        title: page.t("countries-title"),
        regions,
        who_regions,
        income_groups,
        nam_statuses: options(&page, "nam-", &["member", "observer", "none"], true),
        rows,
        form,
        page,
    };
    render(status, &tpl.page, &tpl)
}
