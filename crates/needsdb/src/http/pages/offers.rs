//! Matching an offer to needs: a partner says what it can give (item and
//! quantity, optionally where) and sees the open needs it could fill, in
//! rank order, with the amount for each and a pledge form already filled.
//! Rules: `services::needs::offer`, as the API's `/api/v1/match`.

use super::needs::options;
use super::sheets::{self, Cell, Sheet};
use super::{Fields, FormState, Page, failure, render};
use crate::http::AppState;
use crate::services::{self, Failure};
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use needsdb_store::{NeedQuery, Role, StoreError};

pub struct OfferRow {
    pub need: i64,
    pub country: String,
    pub priority: String,
    pub needed_by: String,
    pub open: String,
    pub unmet_share: String,
    pub give: String,
    /// The pledge form with this amount, for a partner.
    pub pledge: Option<String>,
}

#[derive(Template)]
#[template(path = "pages/offers.html")]
struct Offers {
    page: Page,
    title: String,
    form: FormState,
    items: Vec<(String, String)>,
    nam_statuses: Vec<(String, String)>,
    /// None before an offer is asked about.
    rows: Option<Vec<OfferRow>>,
    /// The caller may pledge from here (a partner).
    pledging: bool,
}

pub async fn show(State(s): State<AppState>, mut page: Page, RawQuery(raw): RawQuery) -> Response {
    if page.user.is_none() {
        return page.see_other("/sign-in");
    }
    let fields = Fields::parse(raw.as_deref().unwrap_or("").as_bytes());
    let mut form = FormState::new(fields.clone().into_values());
    let catalogue = match s.store.items().await {
        Ok(i) => i,
        Err(e) => return failure(page, e.into()),
    };
    let asked = fields.opt("item").is_some() || fields.opt("quantity").is_some();
    let mut rows = None;
    if asked {
        let mut missing = false;
        for (name, label) in [("item", "field-item"), ("quantity", "field-quantity")] {
            if fields.opt(name).is_none() {
                form.add(
                    name,
                    page.ta("err-required", &[("field", page.t(label).to_lowercase())]),
                );
                missing = true;
            }
        }
        if !missing {
            let q = NeedQuery {
                region: fields.opt("region"),
                nam_status: fields.opt("nam_status"),
                country: fields.opt("country").map(|c| c.to_ascii_uppercase()),
                ..Default::default()
            };
            let item = fields.get("item").to_owned();
            let quantity = fields.get("quantity").trim().to_owned();
            match services::needs::offer(&*s.store, page.caller(), &item, &quantity, q).await {
                Ok(lines) => {
                    let unit = catalogue
                        .iter()
                        .find(|i| i.code.as_str() == item.trim().to_ascii_uppercase())
                        .map(|i| i.unit.clone())
                        .unwrap_or_default();
                    if let Some((n, format)) = page.download() {
                        let mut sheet = Sheet::new(
                            &page,
                            "offer",
                            &[
                                "col-need",
                                "col-country",
                                "col-priority",
                                "col-needed-by",
                                "col-open",
                                "col-unmet-share",
                                "col-give",
                            ],
                        );
                        sheet.rows = lines
                            .iter()
                            .map(|l| {
                                vec![
                                    Cell::int(l.need),
                                    Cell::text(l.country.clone()),
                                    Cell::text(l.priority.clone()),
                                    Cell::Date(l.needed_by),
                                    Cell::num(&l.open),
                                    Cell::num(&serde_json::json!(l.unmet_share_pct)),
                                    Cell::num(&l.give),
                                ]
                            })
                            .collect();
                        return sheets::send(page, vec![sheet], n, format);
                    }
                    let partner = page.user.as_ref().is_some_and(|u| u.role == Role::Partner);
                    rows = Some(
                        lines
                            .iter()
                            .map(|l| OfferRow {
                                need: l.need,
                                country: page.country(&l.country),
                                priority: page.t(&format!("priority-{}", l.priority)),
                                needed_by: page.date(l.needed_by),
                                open: page.qty(&l.open, &unit),
                                unmet_share: page
                                    .ta("percent", &[("value", page.num(&serde_json::json!(l.unmet_share_pct)))]),
                                give: page.qty(&l.give, &unit),
                                pledge: partner.then(|| {
                                    let mut ser = form_urlencoded::Serializer::new(String::new());
                                    ser.append_pair("need", &l.need.to_string());
                                    ser.append_pair(&format!("quantity_{}", l.need), &plain(&l.give));
                                    page.href(&format!("/pledge?{}", ser.finish()))
                                }),
                            })
                            .collect(),
                    );
                }
                Err(Failure::Store(StoreError::Invalid(inv))) => {
                    let labels = [
                        ("item", page.t("field-item")),
                        ("quantity", page.t("field-quantity")),
                        ("region", page.t("filter-region")),
                        ("nam_status", page.t("filter-nam-status")),
                        ("country", page.t("filter-country")),
                    ];
                    form.add_invalid(page.lang, &inv, &labels, "item");
                }
                Err(e) => return failure(page, e),
            }
        }
    }
    let status = page.status_for(&form);
    let mut items = super::needs::item_options(&page, &catalogue);
    items.insert(0, (String::new(), String::new()));
    let tpl = Offers {
        title: page.t("offers-title"),
        items,
        nam_statuses: options(&page, "nam-", &["member", "observer"], true),
        pledging: page.user.as_ref().is_some_and(|u| u.role == Role::Partner),
        rows,
        form,
        page,
    };
    render(status, &tpl.page, &tpl)
}

/// A JSON number or decimal string as plain text, for a form field.
fn plain(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
