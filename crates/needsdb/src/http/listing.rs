//! Lists: JSON pages with a total and a cursor, or the whole filtered list
//! as a CSV download.

use super::problem::ApiError;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use needsdb_store::Page;
use serde::Serialize;

/// The most rows one CSV download returns; filter to get fewer.
pub const MAX_CSV_ROWS: usize = 200_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
}

pub fn format(param: Option<&str>, headers: &axum::http::HeaderMap) -> Result<Format, ApiError> {
    match param {
        Some("csv") => Ok(Format::Csv),
        Some("json") => Ok(Format::Json),
        Some(other) => Err(needsdb_domain::Invalid::one(
            "format",
            "invalid_choice",
            format!("'{other}' is not a format (json or csv)"),
        )
        .into()),
        None => {
            let wants_csv = headers
                .get(header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|a| a.contains("text/csv"));
            Ok(if wants_csv { Format::Csv } else { Format::Json })
        }
    }
}

pub fn json_page<T: Serialize>(page: Page<T>) -> Response {
    Json(page).into_response()
}

/// Every row of a list as CSV. `fetch` returns one page after a cursor.
pub async fn csv<T, F, Fut>(name: &str, mut fetch: F) -> Result<Response, ApiError>
where
    T: Serialize,
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<Page<T>, ApiError>>,
{
    let mut rows = Vec::new();
    let mut cursor = None;
    loop {
        let page = fetch(cursor).await?;
        if page.total as usize > MAX_CSV_ROWS {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "too-many-rows",
                format!(
                    "{} rows match; a download holds at most {MAX_CSV_ROWS}. Narrow the filters.",
                    page.total
                ),
            ));
        }
        for item in page.items {
            rows.push(serde_json::to_value(item).map_err(ApiError::internal)?);
        }
        match page.next {
            Some(n) => cursor = Some(n),
            None => break,
        }
    }
    let mut buf = Vec::new();
    crate::tabular::write_csv(&mut buf, &rows).map_err(ApiError::internal)?;
    let mut r = (StatusCode::OK, buf).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}.csv\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

/// Refuses a page size outside 1 to `max`.
pub fn check_limit(limit: Option<usize>, max: usize) -> Result<(), ApiError> {
    match limit {
        Some(l) if !(1..=max).contains(&l) => {
            Err(
                needsdb_domain::Invalid::one("limit", "out_of_range", format!("limit must be between 1 and {max}"))
                    .into(),
            )
        }
        _ => Ok(()),
    }
}

/// An optional YYYY-MM-DD parameter, refused with its name when malformed.
pub fn optional_date(field: &str, v: Option<&str>) -> Result<Option<chrono::NaiveDate>, ApiError> {
    v.map(|s| needsdb_domain::need::parse_date(field, s))
        .transpose()
        .map_err(|e| ApiError::invalid(e.into()))
}

/// Pages a small list held in memory (countries, items, parties): sorted by
/// one of `allowed` fields (then by `key`), with the same `total`, `next`
/// and `items` as the database-backed lists.
pub fn paginate(
    mut rows: Vec<serde_json::Value>,
    key: &str,
    allowed: &[&str],
    sort: Option<&str>,
    cursor: Option<&str>,
    limit: Option<u32>,
) -> Result<Page<serde_json::Value>, ApiError> {
    use needsdb_domain::Invalid;
    let s = sort.unwrap_or(key);
    let (field, desc) = match s.strip_prefix('-') {
        Some(f) => (f, true),
        None => (s, false),
    };
    if !allowed.contains(&field) {
        return Err(Invalid::one(
            "sort",
            "invalid_choice",
            format!(
                "cannot sort by '{field}' (use one of {}, with - for descending)",
                allowed.join(", ")
            ),
        )
        .into());
    }
    let limit = limit.unwrap_or(needsdb_store::DEFAULT_PAGE);
    check_limit(Some(limit as usize), needsdb_store::MAX_PAGE as usize)?;
    let text = |v: &serde_json::Value, f: &str| match &v[f] {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => format!("{:020}", n.as_f64().unwrap_or(0.0) as i64),
        other => other.to_string(),
    };
    rows.sort_by(|a, b| {
        let o = text(a, field)
            .cmp(&text(b, field))
            .then_with(|| text(a, key).cmp(&text(b, key)));
        if desc { o.reverse() } else { o }
    });
    // An empty cursor is the first page, as no cursor is.
    let start = match cursor.filter(|c| !c.trim().is_empty()) {
        None => 0,
        Some(c) => hex::decode(c)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|t| t.strip_prefix("at:").and_then(|n| n.parse::<usize>().ok()))
            .ok_or_else(|| {
                Invalid::one(
                    "cursor",
                    "invalid_cursor",
                    "the cursor is not one this server gave out; start again from the first page",
                )
            })?,
    };
    let total = rows.len();
    let end = (start + limit as usize).min(total);
    let items: Vec<serde_json::Value> = rows.into_iter().skip(start).take(end.saturating_sub(start)).collect();
    let next = (end < total).then(|| hex::encode(format!("at:{end}")));
    Ok(Page {
        total: total as i64,
        items,
        next,
    })
}
