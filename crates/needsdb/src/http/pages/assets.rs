//! The stylesheet and the one script, embedded in the binary and served
//! under names made from their content, so browsers keep them for a year
//! and never ask again; a new release has new names. Responses are
//! compressed by the server's layer.
//!
//! The script is the allocation page's supply slider, the one place where
//! JavaScript adds something (issue: the dashboard); every page works
//! without it.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::OnceLock;

pub const ASSET_ROUTE: &str = "/static/{file}";
const CSS: &str = include_str!("../../../static/app.css");
const SLIDER_JS: &str = include_str!("../../../static/slider.js");

/// `/static/<stem>.<hash>.<ext>`
fn hashed(stem: &str, ext: &str, body: &str) -> String {
    let hash = crate::http::auth::sha256_hex(body);
    format!("/static/{stem}.{}.{ext}", &hash[..16])
}

/// `/static/app.<hash>.css`
pub fn css_href() -> &'static str {
    static HREF: OnceLock<String> = OnceLock::new();
    HREF.get_or_init(|| hashed("app", "css", CSS))
}

/// `/static/slider.<hash>.js`
pub fn slider_href() -> &'static str {
    static HREF: OnceLock<String> = OnceLock::new();
    HREF.get_or_init(|| hashed("slider", "js", SLIDER_JS))
}

pub async fn asset(axum::extract::Path(file): axum::extract::Path<String>) -> Response {
    let path = format!("/static/{file}");
    let (body, kind) = if path == css_href() {
        (CSS, "text/css; charset=utf-8")
    } else if path == slider_href() {
        (SLIDER_JS, "text/javascript; charset=utf-8")
    } else {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    };
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    r
}
