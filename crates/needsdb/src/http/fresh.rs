//! Conditional GETs for the public aggregates: each answer carries an ETag
//! made from the data version (`needsdb_store::answer_cache`), and a request
//! that sends it back in `If-None-Match` while nothing has been written gets
//! 304 with no body, after one indexed read. A dashboard left open on a slow
//! link, or a script polling coverage, then costs almost nothing.
//!
//! Only anonymous requests are tagged: their answer depends on nothing but
//! the data, the address, the language asked for and the day (the top unmet
//! needs count days). A signed-in page carries the caller's session and CSRF
//! token, and is `no-store` anyway.

use super::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// The API's public aggregates, by exact path.
const API_PATHS: [&str; 4] = [
    "/api/v1/coverage",
    "/api/v1/coverage/monthly",
    "/api/v1/coverage/top-unmet",
    "/api/v1/equity",
];

/// Whether `path` is a public aggregate: one of the API's, or a public page
/// made of aggregates (`/{lang}/`, the dashboard, a country page).
pub fn is_public_aggregate(path: &str) -> bool {
    if API_PATHS.contains(&path) {
        return true;
    }
    let mut parts = path.trim_start_matches('/').split('/');
    let lang = parts.next().unwrap_or("");
    if lang.len() != 2 || !lang.bytes().all(|b| b.is_ascii_lowercase()) {
        return false;
    }
    match (parts.next(), parts.next(), parts.next()) {
        (Some(""), None, None) | (Some("dashboard"), None, None) => true,
        (Some("countries"), Some(iso3), None) => iso3.len() == 3,
        _ => false,
    }
}

/// Whether a request carries no credential (no token, no cookie).
pub fn anonymous(headers: &HeaderMap) -> bool {
    !headers.contains_key(header::AUTHORIZATION) && !headers.contains_key(header::COOKIE)
}

/// The answer's tag: the data version, the day, and what in the request
/// changes the answer. Weak, because compression changes the bytes but not
/// the meaning.
fn tag(version: &needsdb_store::DataVersion, req: &Request) -> String {
    let mut h = Sha256::new();
    for part in [
        version.tag().as_str(),
        &chrono::Utc::now().date_naive().to_string(),
        req.uri().path(),
        req.uri().query().unwrap_or(""),
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    for name in [header::ACCEPT_LANGUAGE, header::ACCEPT] {
        h.update(req.headers().get(&name).map(HeaderValue::as_bytes).unwrap_or(b""));
        h.update([0]);
    }
    format!("W/\"{}\"", hex::encode(&h.finalize()[..12]))
}

/// Whether `If-None-Match` names `tag` (or `*`), compared weakly.
fn matches(headers: &HeaderMap, tag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    let want = bare(tag);
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim() == "*" || bare(t) == want)
}

pub async fn conditional(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let eligible = (req.method() == Method::GET || req.method() == Method::HEAD)
        && anonymous(req.headers())
        && is_public_aggregate(req.uri().path());
    if !eligible {
        return next.run(req).await;
    }
    // Without a version (the database is away) the request goes on and
    // meets the same trouble there, with the usual problem answer.
    let Ok(version) = s.store.data_version().await else {
        return next.run(req).await;
    };
    let tag = tag(&version, &req);
    let Ok(value) = HeaderValue::from_str(&tag) else {
        return next.run(req).await;
    };
    if matches(req.headers(), &tag) {
        return tagged(StatusCode::NOT_MODIFIED.into_response(), value);
    }
    let r = next.run(req).await;
    if r.status() == StatusCode::OK {
        tagged(r, value)
    } else {
        r
    }
}

/// The tag, kept but asked about again before each use (a write shows at
/// once), and what else in the request changes the answer.
fn tagged(mut r: Response, tag: HeaderValue) -> Response {
    let h = r.headers_mut();
    h.insert(header::ETAG, tag);
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::VARY,
        HeaderValue::from_static("Accept-Language, Accept, Cookie, Authorization"),
    );
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_aggregates_are_recognised() {
        for p in [
            "/api/v1/coverage",
            "/api/v1/equity",
            "/en/",
            "/ar/dashboard",
            "/fr/countries/KEN",
        ] {
            assert!(is_public_aggregate(p), "{p}");
        }
        for p in [
            "/api/v1/needs",
            "/api/v1/coverage/x",
            "/en/needs",
            "/en/countries",
            "/en/countries/KEN/x",
            "/english/dashboard",
            "/en/dashboard/x",
        ] {
            assert!(!is_public_aggregate(p), "{p}");
        }
    }

    #[test]
    fn if_none_match_is_compared_weakly_and_in_lists() {
        let mut h = HeaderMap::new();
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"x\", W/\"abc\""));
        assert!(matches(&h, "W/\"abc\""));
        assert!(!matches(&h, "W/\"abd\""));
        assert!(!matches(&HeaderMap::new(), "W/\"abc\""));
    }
}
