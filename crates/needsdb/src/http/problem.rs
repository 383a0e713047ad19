//! Errors as RFC 9457 `application/problem+json`, with one entry per field
//! at fault. Unexpected errors are logged and shown as a plain 500 that
//! reveals nothing about the server.

use axum::body::Body;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use needsdb_domain::{FieldError, Invalid};
use needsdb_store::StoreError;
use serde::Serialize;

pub const CONTENT_TYPE: &str = "application/problem+json";

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// One entry per field at fault.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub kind: &'static str,
    pub detail: String,
    pub errors: Vec<FieldError>,
    pub headers: Vec<(header::HeaderName, HeaderValue)>,
}

impl ApiError {
    pub fn new(status: StatusCode, kind: &'static str, detail: impl Into<String>) -> Self {
        Self {
            status,
            kind,
            detail: detail.into(),
            errors: Vec::new(),
            headers: Vec::new(),
        }
    }
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad-request", detail)
    }
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "sign in, or send an API token as 'Authorization: Bearer ...'",
        )
    }
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", detail)
    }
    pub fn not_found(what: impl std::fmt::Display) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not-found", format!("there is no {what}"))
    }
    pub fn invalid(inv: Invalid) -> Self {
        let detail = match inv.0.as_slice() {
            [one] => format!("{}: {}", one.field, one.message),
            many => format!("{} fields are not valid", many.len()),
        };
        Self {
            errors: inv.0,
            ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid-input", detail)
        }
    }
    pub fn with_header(mut self, name: header::HeaderName, value: &str) -> Self {
        if let Ok(v) = HeaderValue::from_str(value) {
            self.headers.push((name, v));
        }
        self
    }
    pub fn internal(e: impl std::fmt::Display) -> Self {
        tracing::error!(error = %e, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "something went wrong on the server; it has been logged",
        )
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Invalid(inv) => Self::invalid(inv),
            StoreError::NotFound { entity, id } => Self::not_found(format!("{entity} {id}")),
            StoreError::Conflict(m) => Self::new(StatusCode::CONFLICT, "conflict", m),
            e @ StoreError::VersionMismatch { .. } => {
                Self::new(StatusCode::PRECONDITION_FAILED, "stale-version", e.to_string())
            }
            // Faults of the database's surroundings: nothing was written, and
            // the request may be tried again once they pass.
            e @ (StoreError::Unavailable(_)
            | StoreError::OutOfSpace(_)
            | StoreError::ReadOnly(_)
            | StoreError::Busy(_)) => {
                tracing::warn!(error = %e, "database fault");
                let (kind, detail, retry) = match e {
                    StoreError::OutOfSpace(_) => (
                        "storage-full",
                        "the server's storage is full, so nothing was written; an administrator must free space. Try again later",
                        "60",
                    ),
                    StoreError::ReadOnly(_) => (
                        "read-only",
                        "the database is read-only just now, so nothing was written. Try again later",
                        "300",
                    ),
                    StoreError::Busy(_) => (
                        "busy",
                        "the database is busy with another write; nothing was written. Try again in a moment",
                        "2",
                    ),
                    _ => (
                        "unavailable",
                        "the database cannot be reached just now; nothing was written. Try again in a moment",
                        "5",
                    ),
                };
                Self::new(StatusCode::SERVICE_UNAVAILABLE, kind, detail).with_header(header::RETRY_AFTER, retry)
            }
            other => Self::internal(other),
        }
    }
}

impl From<crate::services::access::Denied> for ApiError {
    fn from(d: crate::services::access::Denied) -> Self {
        match d {
            crate::services::access::Denied::SignIn => Self::unauthorized(),
            crate::services::access::Denied::Forbidden(m) => Self::forbidden(m),
        }
    }
}

impl From<crate::services::Failure> for ApiError {
    fn from(f: crate::services::Failure) -> Self {
        match f {
            crate::services::Failure::Denied(d) => d.into(),
            crate::services::Failure::Store(e) => e.into(),
        }
    }
}

impl From<Invalid> for ApiError {
    fn from(inv: Invalid) -> Self {
        Self::invalid(inv)
    }
}

fn title(status: StatusCode) -> String {
    status.canonical_reason().unwrap_or("Error").to_owned()
}

fn render(status: StatusCode, kind: &str, detail: String, errors: Vec<FieldError>) -> Response {
    let p = Problem {
        kind: format!("tag:needsdb,2026:problem:{kind}"),
        title: title(status),
        status: status.as_u16(),
        detail,
        errors,
    };
    let body = serde_json::to_vec(&p).unwrap_or_default();
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    r
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut r = render(self.status, self.kind, self.detail, self.errors);
        for (k, v) in self.headers {
            r.headers_mut().insert(k, v);
        }
        r
    }
}

/// Turns any error response that is not already problem+json (a path that
/// does not exist, a method not allowed, a body over the size limit, a
/// timeout) into one, so clients see one error format everywhere.
pub async fn uniform_errors(req: Request<Body>, next: Next) -> Response {
    // The limit a 413 names is the one of the route asked.
    let limit = if req.uri().path() == super::routes::exchange::IMPORTS_PATH {
        super::routes::exchange::MAX_IMPORT_BYTES
    } else {
        super::MAX_BODY_BYTES
    };
    let r = next.run(req).await;
    let status = r.status();
    // Problems, and the health checks' own JSON reports, are answers
    // already; anything else (axum's plain-text rejections) is made one.
    let is_answer = r.headers().get(header::CONTENT_TYPE).is_some_and(|v| {
        v.as_bytes().starts_with(CONTENT_TYPE.as_bytes())
            || v.as_bytes().starts_with(b"application/json")
            // A page's own error page, in its language.
            || v.as_bytes().starts_with(b"text/html")
    });
    let kept: Vec<(header::HeaderName, HeaderValue)> = [header::ALLOW, header::RETRY_AFTER, header::WWW_AUTHENTICATE]
        .into_iter()
        .filter_map(|n| r.headers().get(&n).cloned().map(|v| (n, v)))
        .collect();
    if (status.is_client_error() || status.is_server_error()) && !is_answer {
        // axum's own rejections (a path segment that is not a number...) say
        // what was wrong in a short plain-text body: keep that.
        let plain = if status.is_client_error() && status != StatusCode::PAYLOAD_TOO_LARGE {
            axum::body::to_bytes(r.into_body(), 4096)
                .await
                .ok()
                .and_then(|b| String::from_utf8(b.to_vec()).ok())
                .filter(|t| !t.trim().is_empty())
        } else {
            None
        };
        let detail = match status {
            StatusCode::NOT_FOUND => "there is nothing at this address".to_owned(),
            StatusCode::METHOD_NOT_ALLOWED => "this address does not take that method".to_owned(),
            StatusCode::PAYLOAD_TOO_LARGE => format!(
                "the request body is larger than {}, the most this address takes",
                super::upload::describe_size(limit)
            ),
            StatusCode::REQUEST_TIMEOUT => "the request took too long".to_owned(),
            s if s.is_server_error() => "something went wrong on the server; it has been logged".to_owned(),
            s => plain.unwrap_or_else(|| title(s)),
        };
        let mut out = render(status, "http", detail, Vec::new());
        for (name, value) in kept {
            out.headers_mut().insert(name, value);
        }
        return out;
    }
    r
}

/// The most of a problem document the localiser reads (an import report
/// with its thousand problems fits).
const MAX_PROBLEM_BYTES: usize = 4 * 1024 * 1024;

/// Problem documents in the caller's language (`Accept-Language`): the
/// title by its status, the detail by its kind (a particular English reason
/// kept beside it as `reason`), each field error by its code where the pages have
/// words for it (the rule's own English words otherwise), and a one-field
/// detail rebuilt from the translated error. Every problem says its
/// `Content-Language`. Field names and codes stay as they are: scripts
/// read those.
pub async fn localize(req: Request<Body>, next: Next) -> Response {
    use crate::http::pages::i18n::{Lang, text};
    let lang = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map_or(Lang::En, Lang::from_accept_language);
    let r = next.run(req).await;
    let is_problem = r
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(CONTENT_TYPE.as_bytes()));
    if !is_problem {
        return r;
    }
    let (mut parts, body) = r.into_parts();
    parts
        .headers
        .insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(lang.code()));
    if lang == Lang::En {
        return Response::from_parts(parts, body);
    }
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PROBLEM_BYTES).await else {
        // Too large to rewrite: say it is English, as it is.
        parts
            .headers
            .insert(header::CONTENT_LANGUAGE, HeaderValue::from_static("en"));
        return Response::from_parts(parts, Body::empty());
    };
    let Ok(mut doc) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        parts
            .headers
            .insert(header::CONTENT_LANGUAGE, HeaderValue::from_static("en"));
        return Response::from_parts(parts, Body::from(bytes));
    };
    let status = doc["status"].as_u64().unwrap_or(0);
    let title = text(lang, &format!("http-{status}"), &[]);
    if title != format!("http-{status}") {
        doc["title"] = serde_json::json!(title);
    }
    let kind = doc["type"]
        .as_str()
        .and_then(|t| t.rsplit_once(':'))
        .map(|(_, k)| k.to_owned())
        .unwrap_or_default();
    if let Some(detail) = doc["detail"].as_str().and_then(|d| detail_in(lang, &kind, status, d)) {
        doc["detail"] = serde_json::json!(detail);
    } else if let Some(general) = lookup_general(lang, &kind) {
        // A reason particular to this request, in the rule's own English:
        // it stays, as `reason`, under a detail in the caller's language.
        doc["reason"] = doc["detail"].clone();
        doc["detail"] = serde_json::json!(general);
    }
    // `get_mut`, not indexing: indexing would add `"errors": null`.
    if let Some(errors) = doc.get_mut("errors").and_then(|e| e.as_array_mut()) {
        for e in errors.iter_mut() {
            let (field, code) = (
                e["field"].as_str().unwrap_or_default().to_owned(),
                e["code"].as_str().unwrap_or_default().to_owned(),
            );
            if crate::http::pages::i18n::TRANSLATED_CODES.contains(&code.as_str()) {
                e["message"] = serde_json::json!(text(lang, &format!("err-{code}"), &[("field", field)]));
            } else if let Some(m) = crate::http::pages::i18n::lookup(lang, &format!("import-msg-{code}"), &[]) {
                // A rule with words in the pages (an unknown country...): those, without the value.
                e["message"] = serde_json::json!(m);
            }
        }
        if let [one] = errors.as_slice() {
            let field = one["field"].as_str().unwrap_or_default();
            let message = one["message"].as_str().unwrap_or_default();
            doc["detail"] = serde_json::json!(format!("{field}: {message}"));
        }
    }
    let body = serde_json::to_vec(&doc).unwrap_or_else(|_| bytes.to_vec());
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body))
}

/// The general sentence for a kind whose details are particular (who may
/// do what, a conflict, a body that cannot be read).
fn lookup_general(lang: crate::http::pages::i18n::Lang, kind: &str) -> Option<String> {
    match kind {
        "forbidden" | "conflict" | "bad-request" => {
            crate::http::pages::i18n::lookup(lang, &format!("problem-general-{kind}"), &[])
        }
        _ => None,
    }
}

/// A problem's detail in `lang`, for the kinds whose detail is one fixed
/// sentence (or a sentence around one value); None keeps the English.
fn detail_in(lang: crate::http::pages::i18n::Lang, kind: &str, status: u64, english: &str) -> Option<String> {
    use crate::http::pages::i18n::lookup;
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    match (kind, status) {
        ("unauthorized", _) => {
            let key = if english.starts_with("the email or the password") {
                "problem-wrong-password"
            } else if english.starts_with("the API token") {
                "problem-token-unknown"
            } else {
                "problem-sign-in"
            };
            lookup(lang, key, &[])
        }
        ("not-found", _) => {
            let what = english.strip_prefix("there is no ").unwrap_or(english);
            lookup(lang, "problem-not-found", &[("what", what.to_owned())])
        }
        ("http", 404) => lookup(lang, "problem-no-address", &[]),
        ("http", 405) => lookup(lang, "problem-method", &[]),
        ("http", 408) => lookup(lang, "problem-timeout", &[]),
        ("internal", _) | ("http", 500..=599) => lookup(lang, "problem-internal", &[]),
        ("throttled", _) => lookup(lang, "problem-throttled", &[("seconds", digits(english))]),
        ("stale-version", _) => lookup(lang, "problem-stale-version", &[]),
        ("if-match-required", _) => lookup(lang, "problem-if-match-required", &[]),
        ("unsupported-media-type", _) => lookup(lang, "problem-json-only", &[]),
        ("storage-full" | "read-only" | "busy" | "unavailable", _) => lookup(lang, &format!("problem-{kind}"), &[]),
        ("invalid-input", _) if english.ends_with("fields are not valid") => {
            lookup(lang, "problem-invalid-many", &[("count", digits(english))])
        }
        _ => None,
    }
}
