//! Signing in and out, and changing one's password, in pages.

use super::{FormState, Page, Posted, failure, render};
use crate::http::AppState;
use crate::http::auth::{PeerAddr, SESSION_COOKIE};
use crate::services::sessions::{self, PasswordError, SESSION_HOURS, SignInError};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;

#[derive(Template)]
#[template(path = "pages/sign_in.html")]
struct SignIn {
    page: Page,
    title: String,
    form: FormState,
}

fn sign_in_page(mut page: Page, form: FormState) -> Response {
    let status = page.status_for(&form);
    let tpl = SignIn {
        title: page.t("sign-in-title"),
        form,
        page,
    };
    render(status, &tpl.page, &tpl)
}

pub async fn sign_in_form(page: Page) -> Response {
    if page.user.is_some() {
        return page.see_other("/needs");
    }
    sign_in_page(page, FormState::default())
}

fn session_cookie(value: &str, max_age: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}")
}

pub async fn sign_in(State(s): State<AppState>, PeerAddr(address): PeerAddr, posted: Posted) -> Response {
    let Posted { page, fields } = posted;
    let mut form = FormState::default();
    form.set("email", fields.get("email"));
    let email = fields.get("email").trim().to_owned();
    let password = fields.get("password").to_owned();
    if email.is_empty() {
        form.add("email", page.t("error-email-missing"));
    }
    if password.is_empty() {
        form.add("password", page.t("error-password-missing"));
    }
    if !form.errors.is_empty() {
        return sign_in_page(page, form);
    }
    match sessions::sign_in(&*s.store, &s.dummy_hash, &email, &password, &address).await {
        Ok(session) => {
            let next = if session.user.must_change_password {
                "/password"
            } else {
                "/needs"
            };
            let mut r = page.see_other(next);
            if let Ok(v) =
                HeaderValue::from_str(&session_cookie(&session.secret, SESSION_HOURS * 3600, s.secure_cookies))
            {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            r
        }
        Err(SignInError::Wrong) => {
            form.add("email", page.t("error-sign-in-wrong"));
            sign_in_page(page, form)
        }
        Err(SignInError::Throttled(seconds)) => {
            form.add("email", page.ta("error-throttled", &[("seconds", seconds.to_string())]));
            let mut r = sign_in_page(page, form);
            *r.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            if let Ok(v) = HeaderValue::from_str(&seconds.to_string()) {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            r
        }
        Err(SignInError::Store(e)) => failure(page, e.into()),
    }
}

pub async fn sign_out(State(s): State<AppState>, posted: Posted) -> Response {
    let page = posted.page;
    if let Some(hash) = &page.session_hash
        && let Err(e) = s.store.revoke_session(&page.actor(), hash).await
    {
        return failure(page, e.into());
    }
    let mut r = page.done("/", "signed-out");
    if let Ok(v) = HeaderValue::from_str(&session_cookie("", 0, s.secure_cookies)) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

#[derive(Template)]
#[template(path = "pages/password.html")]
struct Password {
    page: Page,
    title: String,
    form: FormState,
    one_time: bool,
}

fn password_page(mut page: Page, form: FormState) -> Response {
    let status = page.status_for(&form);
    let tpl = Password {
        title: page.t("password-title"),
        one_time: page.user.as_ref().is_some_and(|u| u.must_change_password),
        form,
        page,
    };
    render(status, &tpl.page, &tpl)
}

pub async fn password_form(page: Page) -> Response {
    if page.user.is_none() {
        return page.see_other("/sign-in");
    }
    password_page(page, FormState::default())
}

pub async fn change_password(State(s): State<AppState>, posted: Posted) -> Response {
    let Posted { page, fields } = posted;
    let Some(user) = page.user.clone() else {
        return page.see_other("/sign-in");
    };
    let mut form = FormState::default();
    let (current, new) = (fields.get("current_password"), fields.get("new_password"));
    if current.is_empty() {
        form.add("current_password", page.t("error-password-missing"));
    }
    if new.chars().count() < crate::password::MIN_LENGTH {
        form.add("new_password", page.t("error-new-password-short"));
    }
    if !form.errors.is_empty() {
        return password_page(page, form);
    }
    match sessions::change_password(&*s.store, &user, page.session_hash.clone(), current, new).await {
        Ok(()) => page.done("/needs", "password-changed"),
        Err(PasswordError::Invalid(inv)) => {
            for e in inv.0 {
                let key = if e.field == "current_password" {
                    "error-current-password-wrong"
                } else {
                    "error-new-password-short"
                };
                form.add(&e.field, page.t(key));
            }
            password_page(page, form)
        }
        Err(PasswordError::Store(e)) => failure(page, e.into()),
    }
}
