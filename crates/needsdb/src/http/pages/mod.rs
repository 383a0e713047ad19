//! The web pages: every role's work in a browser, server-rendered, in six
//! languages, with JavaScript off. A page handler is as thin as an API
//! handler: it parses a form, calls the same operation in `services` (with
//! the same `access` rules), and renders a template from `templates/`.
//!
//! The language is the first segment of every page's address (`/fr/needs`);
//! `Accept-Language` only picks where `/` redirects. Forms carry a CSRF
//! token: the session's, or before sign-in a random one also set as a
//! cookie (double submit). Only POST changes anything.

mod accounts;
mod allocations;
mod assets;
mod audit;
mod catalogue;
mod charts;
mod contribution_list;
mod contributions;
mod countries;
mod country_list;
mod dashboard;
mod duplicates;
mod evidence;
mod forms;
pub mod i18n;
mod import_problems;
mod imports;
mod inbox;
mod needs;
mod offers;
mod organisations;
mod public;
mod searches;
mod session;
mod sheets;
mod tokens;

use crate::http::AppState;
use crate::http::auth::{SESSION_COOKIE, constant_time_eq, cookie, same_origin, sha256_hex};
use crate::services::Failure;
use crate::services::access::Denied;
use askama::Template;
use axum::Router;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
pub use forms::{Fields, FormState};
pub use i18n::Lang;
use needsdb_store::{Actor, Role, StoreError, User};

/// The notices a redirect may ask the next page to show.
const NOTICES: [&str; 14] = [
    "organisation-added",
    "search-forgotten",
    "token-revoked-notice",
    "contribution-corrected",
    "evidence-added",
    "item-saved",
    "merged",
    "account-saved",
    "password-changed",
    "need-created",
    "need-updated",
    "contribution-created",
    "delivery-confirmed",
    "signed-out",
];

/// An evidence file (at most 5 MiB) and the rest of its form.
const EVIDENCE_FORM_BYTES: usize = needsdb_domain::evidence::MAX_FILE_BYTES + 64 * 1024;

/// Evidence as the need and contribution pages list it: (title, address, what).
pub fn evidence_lines(items: &[needsdb_store::Evidence]) -> Vec<(String, String, String)> {
    items
        .iter()
        .map(|e| match &e.url {
            Some(url) if e.kind == "link" => (e.title.clone(), url.clone(), "link".to_owned()),
            _ => (
                e.title.clone(),
                format!("/api/v1/evidence/{}", e.id),
                e.file_name.clone().unwrap_or_default(),
            ),
        })
        .collect()
}

/// The cookie that carries the CSRF token of a form shown before sign-in.
const FORM_COOKIE: &str = "needsdb_form";
/// The most a form may send (an evidence file is uploaded elsewhere).
const MAX_FORM_BYTES: usize = 64 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(root))
        .route(assets::ASSET_ROUTE, get(assets::asset))
        .route("/{lang}", get(lang_root))
        .route("/{lang}/", get(public::home))
        .route("/{lang}/sign-in", get(session::sign_in_form).post(session::sign_in))
        .route("/{lang}/sign-out", post(session::sign_out))
        .route(
            "/{lang}/password",
            get(session::password_form).post(session::change_password),
        )
        .route("/{lang}/needs", get(needs::list))
        .route("/{lang}/needs/new", get(needs::new_form).post(needs::create))
        .route("/{lang}/needs/{id}", get(needs::show))
        .route("/{lang}/needs/{id}/edit", get(needs::edit_form).post(needs::update))
        .route("/{lang}/needs/{id}/status", post(needs::change_status))
        .route("/{lang}/needs/{id}/pledge", get(contributions::pledge_form))
        .route(
            "/{lang}/pledge",
            get(contributions::pledge_several_form).post(contributions::pledge),
        )
        .route("/{lang}/contributions", get(contribution_list::list))
        .route("/{lang}/contributions/{id}", get(contributions::show))
        .route("/{lang}/contributions/{id}/stage", post(contributions::advance))
        .route(
            "/{lang}/contributions/{id}/edit",
            get(contributions::correct_form).post(contributions::correct),
        )
        .route("/{lang}/contributions/{id}/deliveries", post(contributions::deliver))
        .route("/{lang}/countries", get(country_list::list))
        .route("/{lang}/dashboard", get(dashboard::show))
        .route("/{lang}/countries/{iso3}", get(countries::show))
        .route("/{lang}/offers", get(offers::show))
        .route("/{lang}/inbox", get(inbox::show))
        .route("/{lang}/needs/{id}/evidence", post(evidence::add_link))
        .route("/{lang}/contributions/{id}/evidence", post(evidence::add_link))
        .route(
            "/{lang}/needs/{id}/evidence/files",
            post(evidence::add_file).layer(axum::extract::DefaultBodyLimit::max(EVIDENCE_FORM_BYTES)),
        )
        .route(
            "/{lang}/contributions/{id}/evidence/files",
            post(evidence::add_file).layer(axum::extract::DefaultBodyLimit::max(EVIDENCE_FORM_BYTES)),
        )
        .route("/{lang}/allocations", get(allocations::list).post(allocations::run))
        .route(
            "/{lang}/allocations/recipients",
            post(allocations::recipients_file).layer(axum::extract::DefaultBodyLimit::max(
                allocations::MAX_RECIPIENTS_BYTES + 16 * 1024,
            )),
        )
        .route(
            "/{lang}/allocations/{id}",
            get(allocations::show).post(allocations::decide),
        )
        .route("/{lang}/catalogue", get(catalogue::list).post(catalogue::change))
        .route(
            "/{lang}/catalogue/{code}",
            get(catalogue::item_form).post(catalogue::update_item),
        )
        .route("/{lang}/duplicates", get(duplicates::list).post(duplicates::merge))
        .route("/{lang}/imports/new", get(imports::new_form))
        .route(
            "/{lang}/imports",
            get(imports::list)
                .post(imports::upload)
                .layer(axum::extract::DefaultBodyLimit::max(imports::MAX_BYTES)),
        )
        .route("/{lang}/imports/{token}", get(imports::show).post(imports::import))
        .route(
            "/{lang}/organisations",
            get(organisations::list).post(organisations::add),
        )
        .route("/{lang}/tokens", get(tokens::list).post(tokens::create))
        .route("/{lang}/searches", get(searches::list).post(searches::save))
        .route("/{lang}/searches/{id}", post(searches::forget))
        .route("/{lang}/searches/notifications", post(searches::follow_notifications))
        .route("/{lang}/tokens/{id}", post(tokens::revoke))
        .route("/{lang}/audit", get(audit::verify))
        .route("/{lang}/accounts", get(accounts::list).post(accounts::add))
        .route("/{lang}/accounts/{id}", get(accounts::show).post(accounts::update))
        .layer(axum::middleware::from_fn(rejections))
}

/// An address a page cannot read (`/en/needs/abc`) is a page that does not
/// exist, said in the page's language, not a bare 400 from the router.
async fn rejections(req: axum::http::Request<axum::body::Body>, next: axum::middleware::Next) -> Response {
    let lang = req
        .uri()
        .path()
        .trim_start_matches('/')
        .split('/')
        .next()
        .and_then(Lang::parse);
    let r = next.run(req).await;
    let plain = r
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/plain"));
    match lang {
        Some(lang) if r.status() == StatusCode::BAD_REQUEST && plain => message(
            Page::bare(lang),
            StatusCode::NOT_FOUND,
            "not-found-title",
            "not-found-text",
        ),
        _ => r,
    }
}

/// `/` sends a person to the pages in the first of their languages we have.
async fn root(headers: axum::http::HeaderMap) -> Response {
    let lang = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map_or(Lang::En, Lang::from_accept_language);
    let mut r = Redirect::to(&format!("/{}/", lang.code())).into_response();
    r.headers_mut()
        .insert(header::VARY, HeaderValue::from_static("accept-language"));
    r
}

async fn lang_root(page: Page) -> Redirect {
    Redirect::permanent(&format!("/{}/", page.lang.code()))
}

/// What every page knows about its request: the language, who is signed in,
/// the CSRF token for its forms. Templates reach it as `page`.
pub struct Page {
    pub lang: Lang,
    pub user: Option<User>,
    pub csrf: String,
    pub css: &'static str,
    /// The page shows a failed submission ("Error:" in its title).
    pub failed: bool,
    pub notice: Option<String>,
    /// The path after the language, and the query, for the language links.
    rest: String,
    query: Option<String>,
    session_hash: Option<String>,
    /// A new pre-sign-in form token to set as a cookie.
    new_form_cookie: bool,
    if_none_match: Option<String>,
    secure_cookies: bool,
}

impl Page {
    pub fn t(&self, key: &str) -> String {
        i18n::text(self.lang, key, &[])
    }

    pub fn ta(&self, key: &str, args: &[(&str, String)]) -> String {
        i18n::text(self.lang, key, args)
    }

    /// A string with one argument, for templates.
    pub fn ta1(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        i18n::text(self.lang, key, &[(name, value.to_string())])
    }

    pub fn languages(&self) -> &'static [Lang] {
        &Lang::ALL
    }

    /// This page in another language.
    pub fn in_language(&self, l: &Lang) -> String {
        match &self.query {
            Some(q) => format!("/{}{}?{q}", l.code(), self.rest),
            None => format!("/{}{}", l.code(), self.rest),
        }
    }

    pub fn signed_in_as(&self, u: &User) -> String {
        self.ta(
            "signed-in-as",
            &[
                ("email", u.email.clone()),
                ("role", self.t(&format!("role-{}", u.role.as_str()))),
            ],
        )
    }

    pub fn is_admin(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role == Role::Admin)
    }

    pub fn may_import(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| matches!(u.role, Role::Admin | Role::FocalPoint | Role::Partner))
    }

    pub fn may_reconcile(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| matches!(u.role, Role::Admin | Role::Secretariat | Role::Viewer))
    }

    pub fn may_allocate(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| matches!(u.role, Role::Admin | Role::Secretariat | Role::Viewer | Role::Partner))
    }

    pub fn may_report(&self) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| matches!(u.role, Role::Admin | Role::FocalPoint))
    }

    pub fn caller(&self) -> Option<&User> {
        self.user.as_ref()
    }

    pub fn actor(&self) -> Actor {
        self.user
            .as_ref()
            .map_or_else(|| Actor("anonymous".into()), |u| Actor::user(u.id))
    }

    pub fn num(&self, v: &serde_json::Value) -> String {
        match v {
            serde_json::Value::Number(n) => i18n::number(self.lang, &n.to_string()),
            serde_json::Value::String(s) => i18n::number(self.lang, s),
            serde_json::Value::Null => String::new(),
            other => other.to_string(),
        }
    }

    /// A quantity with its unit, in words of the page's language.
    pub fn qty(&self, v: &serde_json::Value, unit: &str) -> String {
        let count = match v {
            serde_json::Value::Number(n) => n.as_f64(),
            serde_json::Value::String(s) => s.parse().ok(),
            _ => None,
        };
        self.ta(
            "quantity-with-unit",
            &[
                ("quantity", self.num(v)),
                ("unit", i18n::unit(self.lang, unit, count.unwrap_or(10.0))),
            ],
        )
    }

    /// A unit's name as a label shows it ("Medical mask (pieces)").
    pub fn unit_name(&self, unit: &str) -> String {
        i18n::unit(self.lang, unit, 10.0)
    }

    pub fn date(&self, d: chrono::NaiveDate) -> String {
        i18n::date(self.lang, d)
    }

    pub fn country(&self, iso3: &str) -> String {
        i18n::country(self.lang, iso3)
    }

    pub fn item(&self, code: &str, english: &str) -> String {
        i18n::item(self.lang, code, english)
    }

    pub fn cluster(&self, code: &str) -> String {
        i18n::cluster(self.lang, code)
    }

    pub fn need_title(&self, id: impl std::fmt::Display) -> String {
        self.ta("need-title", &[("id", id.to_string())])
    }

    /// The status of a page showing a form: 422, with "Error:" in the
    /// title, when the submission failed (the GOV.UK pattern).
    pub fn status_for(&mut self, form: &FormState) -> StatusCode {
        self.failed_if(!form.errors.is_empty())
    }

    pub fn failed_if(&mut self, failed: bool) -> StatusCode {
        self.failed = failed;
        if failed {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        }
    }

    /// The table and format this address asks to download, if any.
    pub fn download(&self) -> Option<(usize, sheets::Download)> {
        sheets::requested(self.query.as_deref())
    }

    /// This page's table `n` as a file (`csv` or `xlsx`), filters kept.
    pub fn download_href(&self, n: &usize, format: &str) -> String {
        let kept = sheets::kept_query(self.query.as_deref());
        let sep = if kept.is_empty() { "" } else { "&" };
        format!(
            "/{}{}?{kept}{sep}download={n}&format={format}",
            self.lang.code(),
            self.rest
        )
    }

    /// A link within the pages, in this language.
    pub fn href(&self, path: &str) -> String {
        format!("/{}{path}", self.lang.code())
    }

    pub fn see_other(&self, path: &str) -> Response {
        Redirect::to(&self.href(path)).into_response()
    }

    /// A redirect after a successful POST, with a notice for the next page.
    pub fn done(&self, path: &str, notice: &str) -> Response {
        let sep = if path.contains('?') { '&' } else { '?' };
        Redirect::to(&self.href(&format!("{path}{sep}done={notice}"))).into_response()
    }
}

impl Page {
    /// A page for someone unknown, for answers made outside a handler.
    fn bare(lang: Lang) -> Self {
        Page {
            lang,
            user: None,
            csrf: String::new(),
            css: assets::css_href(),
            failed: false,
            notice: None,
            rest: "/".into(),
            query: None,
            session_hash: None,
            new_form_cookie: false,
            if_none_match: None,
            secure_cookies: false,
        }
    }
}

impl FromRequestParts<AppState> for Page {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let path = parts.uri.path();
        let (code, rest) = match path.trim_start_matches('/').split_once('/') {
            Some((c, r)) => (c.to_owned(), format!("/{r}")),
            None => (path.trim_start_matches('/').to_owned(), "/".to_owned()),
        };
        let Some(lang) = Lang::parse(&code) else {
            return Err((StatusCode::NOT_FOUND, "Not found").into_response());
        };
        let mut page = Page {
            lang,
            user: None,
            csrf: String::new(),
            css: assets::css_href(),
            failed: false,
            notice: None,
            rest,
            query: parts.uri.query().map(str::to_owned),
            session_hash: None,
            new_form_cookie: false,
            if_none_match: parts
                .headers
                .get(header::IF_NONE_MATCH)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            secure_cookies: state.secure_cookies,
        };
        // A notice the previous POST asked for (post/redirect/get), by key.
        if let Some(done) = parts
            .uri
            .query()
            .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "done"))
            .map(|(_, v)| v.into_owned())
            .filter(|k| NOTICES.contains(&k.as_str()))
        {
            page.notice = Some(page.t(&done));
        }
        if let Some(id) = cookie(parts, SESSION_COOKIE) {
            let hash = sha256_hex(&id);
            match state.store.session(&hash).await {
                Ok(Some(s)) => {
                    page.csrf = s.csrf_token;
                    page.user = Some(s.user);
                    page.session_hash = Some(hash);
                }
                Ok(None) => {}
                Err(e) => return Err(failure(page, e.into())),
            }
        }
        if page.user.is_none() {
            match cookie(parts, FORM_COOKIE).filter(|c| c.len() == 64) {
                Some(token) => page.csrf = token,
                None => {
                    page.csrf = crate::services::accounts::random_hex(32);
                    page.new_form_cookie = true;
                }
            }
        }
        // A one-time password must be changed before anything else.
        if page.user.as_ref().is_some_and(|u| u.must_change_password)
            && !matches!(page.rest.as_str(), "/password" | "/sign-out")
        {
            return Err(page.see_other("/password"));
        }
        Ok(page)
    }
}

/// A submitted form: its page, and its fields once the CSRF token and the
/// origin were checked.
pub struct Posted {
    pub page: Page,
    pub fields: Fields,
}

impl FromRequest<AppState> for Posted {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let page = Page::from_request_parts(&mut parts, state).await?;
        if !from_this_site(&parts.headers) {
            return Err(forged(page));
        }
        let bytes = match axum::body::to_bytes(body, MAX_FORM_BYTES).await {
            Ok(b) => b,
            Err(_) => {
                return Err(message(
                    page,
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "forbidden-title",
                    "error-csrf",
                ));
            }
        };
        let fields = Fields::parse(&bytes);
        if !page.token_ok(fields.get("csrf")) {
            return Err(forged(page));
        }
        Ok(Posted { page, fields })
    }
}

/// A submitted multipart form (a file upload): its page, once the origin
/// was checked, and its parts. The CSRF token is one of the parts, so the
/// handler checks it with `Page::token_ok` before it keeps any file.
pub struct PostedParts {
    pub page: Page,
    pub parts: axum::extract::Multipart,
}

impl FromRequest<AppState> for PostedParts {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let page = Page::from_request_parts(&mut parts, state).await?;
        if !from_this_site(&parts.headers) {
            return Err(forged(page));
        }
        let req = Request::from_parts(parts, body);
        match axum::extract::Multipart::from_request(req, state).await {
            Ok(parts) => Ok(PostedParts { page, parts }),
            Err(_) => Err(message(
                page,
                StatusCode::BAD_REQUEST,
                "upload-broken-title",
                "error-upload-broken",
            )),
        }
    }
}

impl Page {
    /// The form's CSRF token is this session's (or this browser's, before
    /// sign-in). A token minted by this very request (no cookie yet)
    /// matches nothing.
    pub fn token_ok(&self, sent: &str) -> bool {
        !self.new_form_cookie && constant_time_eq(sent, &self.csrf)
    }
}

/// A post from another site's page (or `Origin: null`) is refused.
fn from_this_site(headers: &axum::http::HeaderMap) -> bool {
    headers.get(header::ORIGIN).is_none_or(|origin| {
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
        same_origin(origin.to_str().unwrap_or(""), host)
    })
}

/// The answer to a form without a valid token or from another site.
pub fn forged(page: Page) -> Response {
    message(page, StatusCode::FORBIDDEN, "forbidden-title", "error-csrf")
}

/// Renders a template as the page's answer. A GET answered 200 carries an
/// ETag of its bytes, and a matching If-None-Match gets 304.
pub fn render<T: Template>(status: StatusCode, page: &Page, tpl: &T) -> Response {
    let body = match tpl.render() {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "a page template failed");
            return (StatusCode::INTERNAL_SERVER_ERROR, "The page could not be drawn.").into_response();
        }
    };
    let etag = format!("\"{}\"", &sha256_hex(&body)[..32]);
    let mut r = if status == StatusCode::OK && page.if_none_match.as_deref() == Some(etag.as_str()) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (status, axum::response::Html(body)).into_response()
    };
    let h = r.headers_mut();
    if status == StatusCode::OK
        && let Ok(v) = HeaderValue::from_str(&etag)
    {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(page.lang.code()));
    if page.new_form_cookie {
        let secure = if page.secure_cookies { "; Secure" } else { "" };
        if let Ok(v) = HeaderValue::from_str(&format!(
            "{FORM_COOKIE}={}; HttpOnly; SameSite=Strict; Path=/; Max-Age=86400{secure}",
            page.csrf
        )) {
            h.append(header::SET_COOKIE, v);
        }
    }
    r
}

#[derive(Template)]
#[template(path = "pages/message.html")]
struct Message {
    page: Page,
    title: String,
    text: String,
}

/// A page that only says something: not found, not allowed, busy.
pub fn message(page: Page, status: StatusCode, title: &str, text: &str) -> Response {
    let tpl = Message {
        title: page.t(title),
        text: page.t(text),
        page,
    };
    let mut r = render(status, &tpl.page, &tpl);
    if status == StatusCode::SERVICE_UNAVAILABLE {
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    }
    r
}

/// How a page answers an operation that failed for a reason other than
/// its form's fields: sign in, not allowed, not there, busy.
pub fn failure(page: Page, f: Failure) -> Response {
    match f {
        Failure::Denied(Denied::SignIn) => page.see_other("/sign-in"),
        Failure::Denied(Denied::Forbidden(_)) => {
            message(page, StatusCode::FORBIDDEN, "forbidden-title", "forbidden-text")
        }
        Failure::Store(StoreError::NotFound { .. }) => {
            message(page, StatusCode::NOT_FOUND, "not-found-title", "not-found-text")
        }
        Failure::Store(
            StoreError::Unavailable(_) | StoreError::Busy(_) | StoreError::OutOfSpace(_) | StoreError::ReadOnly(_),
        ) => message(
            page,
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable-title",
            "unavailable-text",
        ),
        Failure::Store(e) => {
            tracing::error!(error = %e, "a page's operation failed");
            message(
                page,
                StatusCode::INTERNAL_SERVER_ERROR,
                "unavailable-title",
                "unavailable-text",
            )
        }
    }
}
