//! What is waiting for the signed-in user: their notifications (pledges
//! against their needs, needs validated or returned with the note,
//! shipments awaiting their confirmation), the contributions of theirs due
//! for follow-up (every one, for the secretariat), and their own contributions.

use super::sheets::{self, Cell, Sheet};
use super::{Page, failure, render};
use crate::http::AppState;
use crate::services::{analysis, notifications};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use needsdb_store::{ContributionQuery, Role};

#[derive(Template)]
#[template(path = "pages/inbox.html")]
struct Inbox {
    page: Page,
    title: String,
    /// (date, kind, summary, link)
    notices: Vec<(String, String, String, String)>,
    /// (contribution, party, stage, since, days, outstanding)
    follow_up: Vec<(i64, String, String, String, i64, String)>,
    /// (id, donor, recipient, quantity, stage)
    mine: Vec<(i64, String, String, String, String)>,
}

pub async fn show(State(s): State<AppState>, page: Page) -> Response {
    let Some(user) = page.user.clone() else {
        return page.see_other("/sign-in");
    };
    let notices = match notifications::for_user(&*s.store, &user).await {
        Ok(n) => n,
        Err(e) => return failure(page, e.into()),
    };
    // A partner follows up its own pledges; a ministry the shipments to it.
    let (donor, recipient) = match user.role {
        Role::Partner => (user.org.clone(), None),
        Role::FocalPoint => (None, user.country.clone()),
        _ => (None, None),
    };
    let own = donor.is_some() || recipient.is_some();
    // The secretariat, administrators and viewers follow up every shipment.
    let everyone = matches!(user.role, Role::Secretariat | Role::Admin | Role::Viewer);
    let follow_up = if own || everyone {
        let filter = analysis::FollowUpFilter {
            donor: donor.clone(),
            recipient: recipient.clone(),
        };
        match analysis::follow_up(&*s.store, 30, &filter).await {
            Ok(f) => f,
            Err(e) => return failure(page, e.into()),
        }
    } else {
        Vec::new()
    };
    let mine = if own {
        let q = ContributionQuery {
            donor,
            recipient,
            limit: Some(100),
            sort: Some("-id".into()),
            ..Default::default()
        };
        match s.store.contributions(&q).await {
            Ok(p) => p.items,
            Err(e) => return failure(page, e.into()),
        }
    } else {
        Vec::new()
    };
    if let Some((n, format)) = page.download() {
        let partner = user.role == Role::Partner;
        let mut a = Sheet::new(&page, "notifications", &["col-date", "col-what", "col-note"]);
        a.rows = notices
            .iter()
            .map(|x| {
                vec![
                    Cell::Date(x.at.date_naive()),
                    Cell::text(page.t(&format!("notice-{}", x.kind))),
                    Cell::text(x.summary.clone()),
                ]
            })
            .collect();
        let mut b = Sheet::new(
            &page,
            "follow-up",
            &[
                "col-id",
                "col-party",
                "col-stage",
                "col-since",
                "col-days-waiting",
                "col-outstanding",
                "col-unit",
            ],
        );
        b.rows = follow_up
            .iter()
            .map(|f| {
                vec![
                    Cell::int(f.contribution),
                    Cell::text(page.country(if partner { &f.recipient } else { &f.donor })),
                    Cell::text(page.t(&format!("stage-{}", f.stage))),
                    Cell::Date(f.since),
                    Cell::int(f.days_waiting),
                    f.outstanding.as_ref().map_or(Cell::text(""), Cell::num),
                    Cell::text(f.unit.clone()),
                ]
            })
            .collect();
        let mut c = Sheet::new(
            &page,
            "contributions",
            &[
                "col-id",
                "col-donor",
                "col-recipient",
                "col-quantity",
                "col-unit",
                "col-stage",
            ],
        );
        c.rows = mine
            .iter()
            .map(|x| {
                vec![
                    Cell::int(x.id),
                    Cell::text(page.country(&x.donor)),
                    Cell::text(page.country(&x.recipient)),
                    Cell::num(&x.quantity),
                    Cell::text(x.unit.clone()),
                    Cell::text(page.t(&format!("stage-{}", x.stage.as_str()))),
                ]
            })
            .collect();
        return sheets::send(page, vec![a, b, c], n, format);
    }
    let tpl = Inbox {
        title: page.t("inbox-title"),
        notices: notices
            .iter()
            .map(|n| {
                (
                    page.date(n.at.date_naive()),
                    page.t(&format!("notice-{}", n.kind)),
                    n.summary.clone(),
                    page.href(&page_path(&n.path)),
                )
            })
            .collect(),
        follow_up: follow_up
            .iter()
            .map(|f| {
                (
                    f.contribution,
                    page.country(if user.role == Role::Partner {
                        &f.recipient
                    } else {
                        &f.donor
                    }),
                    page.t(&format!("stage-{}", f.stage)),
                    page.date(f.since),
                    f.days_waiting,
                    f.outstanding.as_ref().map(|o| page.qty(o, &f.unit)).unwrap_or_default(),
                )
            })
            .collect(),
        mine: mine
            .iter()
            .map(|c| {
                (
                    c.id,
                    page.country(&c.donor),
                    page.country(&c.recipient),
                    page.qty(&c.quantity, &c.unit),
                    page.t(&format!("stage-{}", c.stage.as_str())),
                )
            })
            .collect(),
        page,
    };
    render(StatusCode::OK, &tpl.page, &tpl)
}

/// A notice names its record by its API path; the page shows the record's page.
fn page_path(api: &str) -> String {
    api.strip_prefix("/api/v1").unwrap_or(api).to_owned()
}
