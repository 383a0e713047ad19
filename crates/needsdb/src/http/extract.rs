//! Request extractors that fail with problem+json naming the field at fault:
//! malformed JSON, unknown fields and wrong types are 4xx, never 500.

use super::problem::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use needsdb_domain::{FieldError, Invalid};
use serde::de::DeserializeOwned;

/// A JSON body, strictly checked.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(';')
                    .next()
                    .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
            });
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "send the body as JSON, with 'Content-Type: application/json'",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too-large",
                    format!("the request body is larger than {} bytes", super::MAX_BODY_BYTES),
                )
            } else {
                ApiError::bad_request(format!("the request body could not be read: {e}"))
            }
        })?;
        parse(&bytes).map(ApiJson)
    }
}

/// Parses JSON; syntax errors are 400, shape errors 422 with the field's path.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return ApiError::bad_request(format!("the body is not valid JSON: {inner}"));
        }
        let msg = inner.to_string();
        let (field, code) = if let Some(rest) = msg.strip_prefix("unknown field `") {
            let name = rest.split('`').next().unwrap_or("");
            // The path already ends with the unknown field's name.
            let field = if path == "." || path.is_empty() {
                name.to_owned()
            } else {
                path
            };
            (field, "unknown_field")
        } else if msg.starts_with("missing field") {
            (if path == "." { "body".into() } else { path }, "required")
        } else {
            (if path == "." { "body".into() } else { path }, "wrong_type")
        };
        ApiError::invalid(Invalid(vec![FieldError::new(field, code, strip_position(&msg))]))
    })?;
    // One JSON value and nothing after it: a body with more is not what the
    // client meant to send.
    de.end().map_err(|e| {
        ApiError::bad_request(format!(
            "the body is not valid JSON: {}",
            strip_position(&e.to_string())
        ))
    })?;
    Ok(value)
}

/// serde's messages end with "at line 1 column 17", which means nothing to
/// a person filling a form.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg.to_owned(),
    }
}

/// Query parameters, strictly checked: unknown parameters are refused.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let q = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(q.as_bytes()));
        serde_path_to_error::deserialize(de).map(ApiQuery).map_err(|e| {
            let path = e.path().to_string();
            let msg = e.into_inner().to_string();
            let field = match msg.strip_prefix("unknown field `") {
                Some(rest) => rest.split('`').next().unwrap_or("").to_owned(),
                None if path == "." => "query".to_owned(),
                None => path,
            };
            let code = if msg.starts_with("unknown field") {
                "unknown_parameter"
            } else {
                "invalid"
            };
            ApiError::invalid(Invalid(vec![FieldError::new(field, code, msg)]))
        })
    }
}
