//! Optimistic concurrency over HTTP: every need and contribution carries an
//! ETag (its version); an update must send it back in `If-Match`.

use super::problem::ApiError;
use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// The version an update was made against. A missing `If-Match` is 428, so
/// nobody overwrites a change they have not seen; `*` means any version.
pub fn expected_version(headers: &HeaderMap) -> Result<Option<i64>, ApiError> {
    let Some(v) = headers.get(header::IF_MATCH) else {
        return Err(ApiError::new(
            StatusCode::PRECONDITION_REQUIRED,
            "if-match-required",
            "send the ETag you last read in an If-Match header, so that no one else's change is overwritten",
        ));
    };
    let v = v.to_str().unwrap_or("").trim();
    if v == "*" {
        return Ok(None);
    }
    v.strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .and_then(|x| x.parse::<i64>().ok())
        .map(Some)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::PRECONDITION_FAILED,
                "stale-version",
                format!("If-Match {v} is not an ETag this server gave out"),
            )
        })
}

/// A JSON body with its ETag.
pub fn tagged<T: Serialize>(status: StatusCode, version: i64, body: &T) -> Response {
    let mut r = (status, Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&etag(version)) {
        r.headers_mut().insert(header::ETAG, v);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::IF_MATCH, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn if_match_is_required_and_parsed() {
        assert_eq!(
            expected_version(&HeaderMap::new()).unwrap_err().status,
            StatusCode::PRECONDITION_REQUIRED
        );
        assert_eq!(expected_version(&with("\"7\"")).unwrap(), Some(7));
        assert_eq!(expected_version(&with("*")).unwrap(), None);
        assert_eq!(
            expected_version(&with("W/\"7\"")).unwrap_err().status,
            StatusCode::PRECONDITION_FAILED
        );
    }
}
