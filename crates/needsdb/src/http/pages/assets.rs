//! The stylesheet, embedded in the binary and served under a name made from
//! its content, so browsers keep it for a year and never ask again; a new
//! release has a new name. Responses are compressed by the server's layer.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::OnceLock;

pub const CSS_ROUTE: &str = "/static/{file}";
const CSS: &str = include_str!("../../../static/app.css");

/// `/static/app.<hash>.css`
pub fn css_href() -> &'static str {
    static HREF: OnceLock<String> = OnceLock::new();
    HREF.get_or_init(|| {
        let hash = crate::http::auth::sha256_hex(CSS);
        format!("/static/app.{}.css", &hash[..16])
    })
}

pub async fn css(axum::extract::Path(file): axum::extract::Path<String>) -> Response {
    if format!("/static/{file}") != css_href() {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    }
    let mut r = CSS.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    r
}
