//! Accounts, for administrators: add one (its one-time password is shown
//! once, on the answer to the form, never in an address), change its role,
//! country or organisation, disable or enable it, give it a new one-time
//! password. Each takes effect at once for every session and token.

use super::sheets::{self, Cell, Sheet};
use super::{FormState, Page, Posted, failure, render};
use crate::http::AppState;
use crate::services::{Failure, access, accounts};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use needsdb_store::{Role, StoreError, User, UserUpdate};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct IdPath {
    #[allow(dead_code)]
    lang: String,
    id: i64,
}

const ROLES: [Role; 5] = [
    Role::FocalPoint,
    Role::Partner,
    Role::Secretariat,
    Role::Viewer,
    Role::Admin,
];

fn roles(page: &Page) -> Vec<(String, String)> {
    ROLES
        .iter()
        .map(|r| (r.as_str().to_owned(), page.t(&format!("role-{}", r.as_str()))))
        .collect()
}

/// (id, email, role, country or organisation, disabled)
type Line = (i64, String, String, String, bool);

#[derive(Template)]
#[template(path = "pages/accounts.html")]
struct List {
    page: Page,
    title: String,
    form: FormState,
    roles: Vec<(String, String)>,
    users: Vec<Line>,
    /// The account just added or reset, and its one-time password.
    secret: Option<(String, String)>,
}

async fn list_page(s: &AppState, mut page: Page, form: FormState, secret: Option<(String, String)>) -> Response {
    if let Err(e) = access::require(page.caller(), &access::ADMIN) {
        return failure(page, e.into());
    }
    let users = match s.store.users().await {
        Ok(u) => u,
        Err(e) => return failure(page, e.into()),
    };
    if let Some((n, format)) = page.download() {
        let mut sheet = Sheet::new(
            &page,
            "accounts",
            &["field-email", "field-role", "field-country", "field-org", "col-status"],
        );
        sheet.rows = users
            .iter()
            .map(|u| {
                vec![
                    Cell::text(u.email.clone()),
                    Cell::text(page.t(&format!("role-{}", u.role.as_str()))),
                    Cell::text(u.country.as_deref().map(|c| page.country(c)).unwrap_or_default()),
                    Cell::text(u.org.clone().unwrap_or_default()),
                    Cell::text(if u.disabled {
                        page.t("account-disabled")
                    } else {
                        String::new()
                    }),
                ]
            })
            .collect();
        return sheets::send(page, vec![sheet], n, format);
    }
    let status = page.status_for(&form);
    let tpl = List {
        title: page.t("accounts-title"),
        roles: roles(&page),
        users: users
            .iter()
            .map(|u| {
                (
                    u.id,
                    u.email.clone(),
                    page.t(&format!("role-{}", u.role.as_str())),
                    u.country
                        .clone()
                        .map(|c| page.country(&c))
                        .or_else(|| u.org.clone())
                        .unwrap_or_default(),
                    u.disabled,
                )
            })
            .collect(),
        secret,
        form,
        page,
    };
    render(status, &tpl.page, &tpl)
}

pub async fn list(State(s): State<AppState>, page: Page) -> Response {
    let mut form = FormState::default();
    form.set("role", "focal_point");
    list_page(&s, page, form, None).await
}

fn labels(page: &Page) -> Vec<(&'static str, String)> {
    vec![
        ("email", page.t("field-email")),
        ("role", page.t("field-role")),
        ("country", page.t("field-country")),
        ("org", page.t("field-org")),
    ]
}

pub async fn add(State(s): State<AppState>, posted: Posted) -> Response {
    let Posted { page, fields } = posted;
    if let Err(e) = access::require(page.caller(), &access::ADMIN) {
        return failure(page, e.into());
    }
    let mut form = FormState::new(fields.clone().into_values());
    let email = fields.get("email").trim().to_owned();
    if email.is_empty() {
        form.add("email", page.t("error-email-missing"));
    }
    let role = Role::parse(fields.get("role"));
    if role.is_none() {
        form.add(
            "role",
            page.ta("err-invalid_choice", &[("field", page.t("field-role"))]),
        );
    }
    let (Some(role), true) = (role, form.errors.is_empty()) else {
        return list_page(&s, page, form, None).await;
    };
    let country = fields.opt("country").map(|c| c.to_ascii_uppercase());
    let org = fields.opt("org").map(|c| c.to_ascii_uppercase());
    match accounts::add_user(&*s.store, &page.actor(), &email, role, country, org, None).await {
        Ok((user, pw)) => {
            let mut form = FormState::default();
            form.set("role", "focal_point");
            list_page(&s, page, form, pw.map(|p| (user.email, p))).await
        }
        Err(StoreError::Invalid(inv)) => {
            form.add_invalid(page.lang, &inv, &labels(&page), "email");
            list_page(&s, page, form, None).await
        }
        Err(StoreError::Conflict(m)) => {
            form.add(
                "email",
                page.ta("err-other", &[("field", page.t("field-email")), ("message", m)]),
            );
            list_page(&s, page, form, None).await
        }
        Err(e) => failure(page, e.into()),
    }
}

#[derive(Template)]
#[template(path = "pages/account.html")]
struct Edit {
    page: Page,
    title: String,
    user: User,
    form: FormState,
    roles: Vec<(String, String)>,
    secret: Option<String>,
}

async fn edit_page(s: &AppState, mut page: Page, id: i64, form: Option<FormState>, secret: Option<String>) -> Response {
    if let Err(e) = access::require(page.caller(), &access::ADMIN) {
        return failure(page, e.into());
    }
    let user = match s.store.user(id).await {
        Ok(u) => u,
        Err(e) => return failure(page, e.into()),
    };
    let form = form.unwrap_or_else(|| {
        let mut f = FormState::default();
        f.set("role", user.role.as_str());
        f.set("country", user.country.clone().unwrap_or_default());
        f.set("org", user.org.clone().unwrap_or_default());
        f
    });
    let status = page.status_for(&form);
    let tpl = Edit {
        title: user.email.clone(),
        roles: roles(&page),
        user,
        form,
        secret,
        page,
    };
    render(status, &tpl.page, &tpl)
}

pub async fn show(State(s): State<AppState>, page: Page, Path(p): Path<IdPath>) -> Response {
    edit_page(&s, page, p.id, None, None).await
}

pub async fn update(State(s): State<AppState>, Path(p): Path<IdPath>, posted: Posted) -> Response {
    let Posted { page, fields } = posted;
    if let Err(e) = access::require(page.caller(), &access::ADMIN) {
        return failure(page, e.into());
    }
    let change = match fields.get("then") {
        "disable" => UserUpdate {
            disabled: Some(true),
            ..Default::default()
        },
        "enable" => UserUpdate {
            disabled: Some(false),
            ..Default::default()
        },
        "reset" => {
            return match accounts::reset_password(&*s.store, &page.actor(), p.id).await {
                Ok(pw) => edit_page(&s, page, p.id, None, Some(pw)).await,
                Err(e) => failure(page, e.into()),
            };
        }
        _ => UserUpdate {
            role: fields.opt("role"),
            country: Some(fields.opt("country").map(|c| c.to_ascii_uppercase())),
            org: Some(fields.opt("org").map(|c| c.to_ascii_uppercase())),
            disabled: None,
        },
    };
    match s.store.update_user(&page.actor(), p.id, &change).await {
        Ok(_) => page.done(&format!("/accounts/{}", p.id), "account-saved"),
        Err(StoreError::Invalid(inv)) => {
            let mut form = FormState::new(fields.into_values());
            form.add_invalid(page.lang, &inv, &labels(&page), "role");
            edit_page(&s, page, p.id, Some(form), None).await
        }
        Err(e) => failure(page, Failure::Store(e)),
    }
}
